//! The Spanish catalogue is complete: every `@tr("…")` in ui/ and every English text the Rust
//! side translates (`tr("…")`, `trf("…")`, `phrase("…")` — the sentences updates, the printer
//! and the clock check hand to the screen — and the tables of chips and type labels) has a
//! non-empty Spanish msgstr.

use std::collections::HashMap;
use std::path::Path;

use lobby_kiosk::words::SPANISH;

fn files(dir: &Path, ext: &str, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("source folder readable") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(std::fs::read_to_string(&path).expect("source file readable"));
        }
    }
}

/// The string literal at the start of `s` (after `"`), unescaped, if there is one. A
/// backslash at the end of a line continues the string at the next line's first
/// non-blank character, as in Rust.
fn literal(s: &str) -> Option<String> {
    let rest = s.trim_start().strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                '\n' => while chars.next_if(|c| c.is_whitespace()).is_some() {},
                escaped => out.push(escaped),
            },
            c => out.push(c),
        }
    }
    None
}

/// The first argument of every call to `name(` that is a string literal, e.g. `@tr("OK")`,
/// `locale.tr("Nearby")`.
fn literal_arguments(source: &str, name: &str) -> Vec<String> {
    let call = format!("{name}(");
    source
        .match_indices(&call)
        .filter(|(at, _)| {
            // `tr(` but not `str(` or `attr(`.
            source[..*at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
        .filter_map(|(at, _)| literal(&source[at + call.len()..]))
        .collect()
}

fn spanish() -> HashMap<String, String> {
    SPANISH
        .iter()
        .map(|(en, es)| (en.to_string(), es.to_string()))
        .collect()
}

fn missing(words: impl IntoIterator<Item = String>) -> Vec<String> {
    let es = spanish();
    let mut missing: Vec<String> = words
        .into_iter()
        .filter(|w| es.get(w).is_none_or(|s| s.trim().is_empty()))
        .collect();
    missing.sort();
    missing.dedup();
    missing
}

#[test]
fn every_tr_string_in_the_ui_has_spanish() {
    let mut sources = Vec::new();
    files(Path::new("ui"), "slint", &mut sources);
    let words: Vec<String> = sources
        .iter()
        .flat_map(|s| literal_arguments(s, "@tr"))
        .collect();
    assert!(words.len() > 15, "found the UI's @tr strings");
    assert_eq!(missing(words), Vec::<String>::new());
}

#[test]
fn every_string_the_rust_side_translates_has_spanish() {
    let mut sources = Vec::new();
    files(Path::new("src"), "rs", &mut sources);
    let words: Vec<String> = sources
        .iter()
        .flat_map(|s| {
            let mut w = literal_arguments(s, "tr");
            w.extend(literal_arguments(s, "trf"));
            w.extend(literal_arguments(s, "phrase"));
            w
        })
        // The module's own tests try a word that is deliberately not in the catalogue.
        .filter(|w| w != "no such words here")
        .collect();
    assert!(words.len() > 40, "found the Rust side's translated strings");
    // The staff screen, update notices and printer messages are among them.
    for staff_words in [
        "Cards this month: {} first time · {} returning",
        "Schedule updated — {} in-house, {} nearby",
        "The printer is out of paper — please tell staff.",
        "No USB stick found. Plug one in and try again.",
    ] {
        assert!(
            words.iter().any(|w| w == staff_words),
            "{staff_words:?} is found in the source"
        );
    }
    assert_eq!(missing(words), Vec::<String>::new());
}

#[test]
fn every_filter_chip_period_and_meeting_type_label_has_spanish() {
    assert_eq!(
        missing(lobby_kiosk::kiosk::table_words()),
        Vec::<String>::new()
    );
}

#[test]
fn spanish_keeps_the_placeholders_of_the_english() {
    let wrong: Vec<String> = spanish()
        .into_iter()
        .filter(|(en, es)| en.matches("{}").count() != es.matches("{}").count())
        .map(|(en, es)| format!("{en:?} → {es:?}"))
        .collect();
    assert_eq!(wrong, Vec::<String>::new());
}
