use std::fmt::Write as _;

use rspolib::TranslatedEntry;

const SPANISH_PO: &str = "assets/translations/es/LC_MESSAGES/lobby-kiosk.po";

fn main() {
    // Spanish from assets/translations/es/LC_MESSAGES/lobby-kiosk.po, keyed by the English
    // text alone (no per-component context). Slint's compiler reads it for the `.slint` files'
    // `@tr`; `catalogue()` below reads it with the same parser (rspolib) and the same rule for
    // which entries count, for the words formatted in Rust (src/words/).
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations("assets/translations")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None);
    slint_build::compile_with_config("ui/main.slint", config).expect("the UI in ui/ must compile");
    println!("cargo:rerun-if-changed=assets/translations");
    catalogue();
    // The clock check (src/device/clock.rs): the kiosk cannot be running before it was built.
    // build.rs reruns only when the UI changes, so this may be older than the binary — still
    // a lower bound. SOURCE_DATE_EPOCH keeps package builds reproducible.
    let built = std::env::var("SOURCE_DATE_EPOCH").ok().unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs().to_string())
            .unwrap_or_default()
    });
    println!("cargo:rustc-env=LOBBY_KIOSK_BUILD_UNIX={built}");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    pack_relative_relocations();
}

/// The executable stays position-independent (its address is randomised at every start),
/// and its relative relocations (one per pointer in the read-only data: vtables, string
/// tables; 63,000 of them, 1.5 MB as `.rela.dyn`) are stored packed (DT_RELR, glibc 2.36,
/// Debian 12 and Raspberry Pi OS 12), a few kilobytes instead. BENCHMARKS.md, "Packed
/// relocations and SQLite's modules".
fn pack_relative_relocations() {
    let target = |key| std::env::var(key).unwrap_or_default();
    if target("CARGO_CFG_TARGET_OS") == "linux" && target("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg=-Wl,-z,pack-relative-relocs");
    }
}

/// Writes `$OUT_DIR/catalogue.rs`: the translated entries as a sorted `&[(english, spanish)]`.
/// An entry counts as Slint counts it (`TranslatedEntry::translated`: a msgstr, not fuzzy,
/// not obsolete), in the default context.
fn catalogue() {
    let po = rspolib::pofile(SPANISH_PO).expect("the Spanish catalogue must parse");
    let mut entries: Vec<(String, String)> = po
        .entries
        .iter()
        .filter(|e| e.translated() && e.msgctxt.is_none() && !e.msgid.is_empty())
        .filter_map(|e| Some((e.msgid.clone(), e.msgstr.clone()?)))
        .collect();
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut out = String::from("&[\n");
    for (english, spanish) in &entries {
        writeln!(out, "    ({english:?}, {spanish:?}),").unwrap();
    }
    out.push(']');
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("catalogue.rs");
    std::fs::write(path, out).expect("OUT_DIR is writable");
}
