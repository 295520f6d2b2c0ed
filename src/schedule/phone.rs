//! Conference phones as real feeds write them, read into a number a phone can dial.
//!
//! `conference_phone` is free text in real listings: "1-646-558-8656  ID: 869 126 579
//! Password: 085729", "Conference Call Phone # 13392094432", "Email …@… for password". Taking
//! every digit in it makes a `tel:` code that dials a number that does not exist. Here the
//! first number that libphonenumber's metadata (the `phonenumber` crate) calls valid for the
//! center's country is taken; a meeting ID and passcode that follow it, when they are digits,
//! become Zoom-style one-tap pauses (`+16465588656,,869126579#,,,,085729#`); everything else
//! is handed back as text to show beside the code. No valid number → no dial string at all.
//!
//! +1 numbers are read by [`nanp`] from the same metadata without the crate's slow first use;
//! anything else by the crate.
//!
//! Pure: no I/O; the region is a parameter (`[center] country`, or the time zone's country).

mod nanp;

use chrono_tz::Tz;
use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber};

/// The country whose national numbers are read without a `+` prefix ("(215) 555-0143").
/// Read from the config as an ISO 3166 code ("US").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "String")]
pub struct Region(Id);

impl TryFrom<String> for Region {
    type Error = String;

    fn try_from(code: String) -> Result<Region, String> {
        Region::from_code(&code).ok_or_else(|| {
            format!("country = \"{code}\" is not a two-letter country code (e.g. \"US\", \"CA\", \"MX\")")
        })
    }
}

impl Default for Region {
    /// The United States: where every feed the kiosk has met comes from.
    fn default() -> Self {
        Region(Id::US)
    }
}

/// Zone → ISO country, from the tz database's `zone.tab`.
const ZONE_COUNTRIES: &str = include_str!("zone-countries.txt");

impl Region {
    /// An ISO 3166 code ("US", "ca"); `None` when libphonenumber knows no such region.
    pub fn from_code(code: &str) -> Option<Region> {
        code.trim()
            .to_ascii_uppercase()
            .parse::<Id>()
            .ok()
            .map(Region)
    }

    /// The country of an IANA zone (`America/Toronto` → CA); the United States for any other
    /// `America/…` zone the table does not list; `None` elsewhere.
    pub fn for_zone(tz: Tz) -> Option<Region> {
        let name = tz.name();
        ZONE_COUNTRIES
            .lines()
            .find_map(|line| {
                let (zone, country) = line.split_once(' ')?;
                (zone == name).then(|| Region::from_code(country))?
            })
            .or_else(|| name.starts_with("America/").then(Region::default))
    }

    /// The ISO 3166 code, "US".
    pub fn code(self) -> String {
        self.0.as_ref().to_string()
    }
}

/// Reads one number of `region` on a background thread when libphonenumber reads that
/// region's numbers (not +1: [`nanp`]). The crate checks all its patterns on first use, about
/// 90 ms on a desktop core (several times that on a Pi); warmed after the first frame, a
/// visitor's first tap on a meeting with a phone does not wait for it. The compiled patterns
/// are shared by every thread.
pub fn warm(region: Region) {
    if nanp::serves(region.0.as_ref()) {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("phone-patterns".into())
        .spawn(move || {
            let example = phonenumber::metadata::DATABASE
                .by_id(region.0.as_ref())
                .and_then(|meta| meta.descriptors().fixed_line()?.example().map(String::from));
            if let Some(national) = example {
                let _ = read(&national, region);
            }
        });
}

/// A conference phone read for dialling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dial {
    /// E.164 number plus one-tap pauses and tones: `+16465588656,,869126579#,,,,085729#`.
    pub dial: String,
    /// The number as a person reads it aloud: "(646) 558-8656", "+44 20 7946 0958".
    pub shown: String,
    /// What the field says besides the number and the codes dialled for you ("Password:
    /// serenity"); may hold contact details, so it goes through the screen's privacy rule.
    pub rest: String,
}

impl Dial {
    pub fn tel_uri(&self) -> String {
        format!("tel:{}", self.dial)
    }
}

/// Labels of the digits dialled after the number, longest first so "meeting id" wins over
/// "id". `true` = a passcode (dialled after the meeting ID), `false` = the meeting ID.
const LABELS: &[(&str, bool)] = &[
    ("participant code", false),
    ("conference code", false),
    ("código de acceso", false),
    ("codigo de acceso", false),
    ("conference id", false),
    ("meeting id", false),
    ("webinar id", false),
    ("access code", false),
    ("contraseña", true),
    ("contrasena", true),
    ("passcode", true),
    ("password", true),
    ("código", false),
    ("codigo", false),
    ("clave", true),
    ("code", false),
    ("pass", true),
    ("pin", false),
    ("pwd", true),
    ("id", false),
    ("pw", true),
    ("#", false),
];

/// Words that only say "this is a phone number": nothing worth showing on their own.
const FILLER: &[&str] = &[
    "phone",
    "call",
    "dial",
    "dial-in",
    "in",
    "conference",
    "tel",
    "number",
    "no",
    "by",
    "telephone",
    "or",
    "teléfono",
    "telefono",
    "llame",
    "al",
    "and",
    "us",
    "usa",
    "toll",
    "free",
    "one",
    "tap",
    "mobile",
    "ph",
];

/// Reads a conference phone field; `None` when it holds no number valid in `region` (or
/// written with `+` and its country code).
pub fn read(text: &str, region: Region) -> Option<Dial> {
    read_by(text, region, Reader::for_region(region))
}

/// Who decides whether a candidate is a valid number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// [`nanp`] for what it is sure of, libphonenumber for the rest: `region` is +1.
    Nanp,
    Libphonenumber,
}

impl Reader {
    fn for_region(region: Region) -> Reader {
        if nanp::serves(region.0.as_ref()) {
            Reader::Nanp
        } else {
            Reader::Libphonenumber
        }
    }
}

/// A valid number found in the text: as dialled and as shown.
struct Number {
    e164: String,
    shown: String,
}

fn read_by(text: &str, region: Region, reader: Reader) -> Option<Dial> {
    let text = text.trim();
    let (Number { e164, shown }, start, end) = first_valid_number(text, region, reader)?;
    let (suffix, after) = codes_after(&text[end..]);
    let before = &text[..start];
    Some(Dial {
        dial: format!("{e164}{suffix}"),
        shown,
        rest: tidy_rest(&format!("{before} {after}")),
    })
}

/// The first number in `text` that is valid, with its byte range. A run of digits and the
/// separators numbers are written with is tried whole, then shorter by whole groups from the
/// end ("1 646 558 8656 869 126 579" written without a label) — the longest valid one wins,
/// since numbers in many countries vary in length. A run just after an ID or passcode label
/// is a code, not a number.
fn first_valid_number(
    text: &str,
    region: Region,
    reader: Reader,
) -> Option<(Number, usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let opens = c.is_ascii_digit()
            || (c == b'+' || c == b'(') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !opens {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < bytes.len() && (bytes[j].is_ascii_digit() || b" -.()+/".contains(&bytes[j])) {
            j += 1;
        }
        let run = &text[i..j];
        if !follows_label(&text[..i]) {
            // Ends of the whitespace-separated groups, longest first.
            let mut ends: Vec<usize> = run
                .char_indices()
                .filter(|&(k, ch)| {
                    ch.is_ascii_digit() && run[k + 1..].chars().next().is_none_or(|n| n == ' ')
                })
                .map(|(k, _)| k + 1)
                .collect();
            ends.reverse();
            for end in ends {
                let candidate = &run[..end];
                if candidate.bytes().filter(u8::is_ascii_digit).count() < 7 {
                    break;
                }
                if let Some(number) = valid_number(candidate, region, reader) {
                    return Some((number, i, i + end));
                }
            }
        }
        i = j.max(i + 1);
    }
    None
}

fn valid_number(candidate: &str, region: Region, reader: Reader) -> Option<Number> {
    if reader == Reader::Nanp {
        match nanp::read(candidate, region.0.as_ref()) {
            nanp::Reading::Valid {
                national,
                region: of,
            } => {
                return Some(Number {
                    e164: format!("+1{national}"),
                    shown: nanp::shown(&national, of != region.0.as_ref()),
                })
            }
            nanp::Reading::Invalid => return None,
            nanp::Reading::Unsure => {}
        }
    }
    let n: PhoneNumber = phonenumber::parse(Some(region.0), candidate).ok()?;
    if !n.is_valid() || n.extension().is_some() {
        return None;
    }
    let shown = if n.country().id() == Some(region.0) {
        n.format().mode(Mode::National).to_string()
    } else {
        n.format().mode(Mode::International).to_string()
    };
    Some(Number {
        e164: n.format().mode(Mode::E164).to_string(),
        shown,
    })
}

/// Whether the text just before a run of digits ends with an ID or passcode label.
pub(crate) fn follows_label(before: &str) -> bool {
    let tail = before
        .trim_end_matches(|c: char| c.is_whitespace() || c == ':' || c == '.' || c == '-')
        .to_lowercase();
    LABELS
        .iter()
        .filter(|(label, _)| *label != "#")
        .any(|(label, _)| ends_with_word(&tail, label))
}

fn ends_with_word(text: &str, word: &str) -> bool {
    text.strip_suffix(word).is_some_and(|head| {
        head.chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// What follows the number: the one-tap pauses to dial and the text left over. A dial
/// string already written out (",,85475606413#" — Zoom's own form) is kept as given;
/// otherwise labelled digits become `,,ID#` and `,,,,PASSCODE#`.
fn codes_after(after: &str) -> (String, String) {
    let trimmed = after.trim_start();
    if trimmed.starts_with([',', ';']) {
        let run: String = trimmed
            .chars()
            .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | ';' | '#' | '*' | ' '))
            .collect();
        let digits: String = run.chars().filter(char::is_ascii_digit).collect();
        // "+1-929-205-6099, 881 270 9148" is a person writing the meeting ID after a comma,
        // not a dial string: digits in groups, no `#`.
        let written = run.trim().contains(' ') && !run.contains('#');
        if written && !digits.is_empty() {
            return (format!(",,{digits}#"), trimmed[run.len()..].to_string());
        }
        if !digits.is_empty() {
            let dial: String = run
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c == ';' { ',' } else { c })
                .collect();
            let dial = dial.trim_end_matches(',').to_string();
            return (dial, trimmed[run.len()..].to_string());
        }
    }
    let mut id: Option<String> = None;
    let mut passcode: Option<String> = None;
    let mut rest = String::new();
    let mut text = after;
    while let Some((at, label_len, is_pass)) = next_label(text) {
        let (digits, used) = labelled_digits(&text[at + label_len..]);
        let slot = if is_pass { &mut passcode } else { &mut id };
        match digits {
            Some(d) if slot.is_none() => {
                *slot = Some(d);
                rest.push_str(&text[..at]);
                rest.push(' ');
                text = &text[at + label_len + used..];
            }
            _ => {
                rest.push_str(&text[..at + label_len]);
                text = &text[at + label_len..];
            }
        }
    }
    rest.push_str(text);
    let mut dial = String::new();
    match (id, passcode) {
        (Some(id), Some(pass)) => dial = format!(",,{id}#,,,,{pass}#"),
        (Some(id), None) => dial = format!(",,{id}#"),
        // A passcode without a meeting ID: which prompt it answers is a guess; say it.
        (None, Some(pass)) => rest = format!("{rest} Passcode {pass}"),
        (None, None) => {}
    }
    (dial, rest)
}

/// The next ID or passcode label as a whole word: (byte offset, length, is a passcode).
fn next_label(text: &str) -> Option<(usize, usize, bool)> {
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths (rarely, e.g. 'İ'); then do without labels.
    if lower.len() != text.len() {
        return None;
    }
    let mut best: Option<(usize, usize, bool)> = None;
    for (label, is_pass) in LABELS {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(label) {
            let at = from + pos;
            let end = at + label.len();
            let starts_word = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let ends_word = *label == "#"
                || lower[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
            if starts_word && ends_word {
                if best.is_none_or(|(b, _, _)| at < b) {
                    best = Some((at, label.len(), *is_pass));
                }
                break;
            }
            from = end;
        }
    }
    best
}

/// Digits after a label ("ID: 869 126 579#"), spaces and dashes between groups allowed:
/// the digits and the bytes used; `None` when what follows is not digits ("Password: sober").
fn labelled_digits(text: &str) -> (Option<String>, usize) {
    let lead = text.len()
        - text
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | '#' | '-'))
            .len();
    let body = &text[lead..];
    let mut digits = String::new();
    let mut used = 0;
    for (k, c) in body.char_indices() {
        if c.is_ascii_digit() {
            digits.push(c);
            used = k + 1;
        } else if c == ' ' || c == '-' {
            // A separator only inside the code: "869 126 579".
            if !body[k + 1..].starts_with(|n: char| n.is_ascii_digit()) {
                break;
            }
        } else {
            break;
        }
    }
    if body[used..].starts_with('#') {
        used += 1;
    }
    if digits.is_empty() {
        // A word right after the label ("Password: sober") is the passcode; it stays text.
        return (None, 0);
    }
    // A letter glued to the digits ("123abc") means it is not a numeric code.
    if body[used..].starts_with(|c: char| c.is_alphabetic()) {
        return (None, 0);
    }
    (Some(digits), lead + used)
}

/// The leftover text, tidied; empty when it only says "phone" in some way.
fn tidy_rest(rest: &str) -> String {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let meaningful = words.iter().any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        !w.is_empty() && !FILLER.contains(&w.as_str())
    });
    if !meaningful {
        return String::new();
    }
    words
        .join(" ")
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '|'))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(text: &str) -> Option<String> {
        read(text, Region::default()).map(|d| d.tel_uri())
    }

    #[test]
    fn meeting_id_and_passcode_after_the_number_become_one_tap_pauses() {
        assert_eq!(
            us("1-646-558-8656  ID: 869 126 579  Password: 085729").as_deref(),
            Some("tel:+16465588656,,869126579#,,,,085729#")
        );
    }

    #[test]
    fn a_number_sign_before_the_number_is_not_part_of_it() {
        assert_eq!(
            us("Conference Call Phone # 13392094432").as_deref(),
            Some("tel:+13392094432")
        );
    }

    #[test]
    fn all_digits_run_together_is_no_number() {
        assert_eq!(us("16465588656869126579085729"), None);
        assert_eq!(us("555-1234"), None);
        assert_eq!(us("Email district29group@example.org for password"), None);
    }

    #[test]
    fn a_dial_string_written_out_is_kept() {
        assert_eq!(
            us("+1 (646) 558-8656,,123456789#,,,,*4321#").as_deref(),
            Some("tel:+16465588656,,123456789#,,,,*4321#")
        );
        // Reading a stored dial string again gives it back unchanged.
        assert_eq!(
            us("+16465588656,,869126579#,,,,085729#").as_deref(),
            Some("tel:+16465588656,,869126579#,,,,085729#")
        );
    }

    #[test]
    fn real_feed_phone_fields_dial_the_number_and_its_codes() {
        // From the shared Meeting Guide feeds (sepia, kansascity, benlomond).
        for (given, want) in [
            (
                "786-535-3211 - Code: 856-448-837",
                Some("tel:+17865353211,,856448837#"),
            ),
            (
                "(650) 724-9799 id#725394245",
                Some("tel:+16507249799,,725394245#"),
            ),
            (
                "1-408-650-3123  Code: 478 651 469",
                Some("tel:+14086503123,,478651469#"),
            ),
            (
                "717-275-8940 Code 7503543",
                Some("tel:+17172758940,,7503543#"),
            ),
            (
                "+1-929-205-6099, 881 270 9148 Password: a1b2c3d4",
                Some("tel:+19292056099,,8812709148#"),
            ),
            (
                "1-929-205-6099 ID: 816 7473 6156 Password: GAIUH789",
                Some("tel:+19292056099,,81674736156#"),
            ),
            (
                "3126266799,,6631029191#,,#,,987776",
                Some("tel:+13126266799,,6631029191#,,#,,987776"),
            ),
            (
                "+13126266799,101881151#",
                Some("tel:+13126266799,101881151#"),
            ),
            (
                "+13017158592,,876406386#,,1#,526452#",
                Some("tel:+13017158592,,876406386#,,1#,526452#"),
            ),
            (
                "+1 312 626 6799,,665321214#",
                Some("tel:+13126266799,,665321214#"),
            ),
            ("ID: 372 734 770  Password: serenity", None),
            ("ID: 486 306 773 password a1b2c3d4", None),
            ("ID 418 857 033 PW: 466446644664", None),
        ] {
            assert_eq!(us(given).as_deref(), want, "{given}");
        }
    }

    #[test]
    fn text_beside_the_number_is_kept_for_the_screen() {
        let d = read(
            "1-646-558-8656   ID: 974 678 486  Email district29group@gmail.com for password",
            Region::default(),
        )
        .unwrap();
        assert_eq!(d.dial, "+16465588656,,974678486#");
        assert_eq!(d.rest, "Email district29group@gmail.com for password");
        let d = read(
            "+1-929-205-6099, 881 270 9148 Password: a1b2c3d4",
            Region::default(),
        )
        .unwrap();
        assert_eq!(d.rest, "Password: a1b2c3d4");
        let d = read("Conference Call Phone # 13392094432", Region::default()).unwrap();
        assert_eq!(d.rest, "", "only words that say 'phone'");
    }

    #[test]
    fn numbers_of_other_countries_need_their_region_or_a_plus() {
        let uk = Region::from_code("GB").unwrap();
        assert_eq!(
            read("020 7219 3000", uk).map(|d| d.dial).as_deref(),
            Some("+442072193000")
        );
        assert_eq!(
            read("+44 20 7219 3000", Region::default())
                .map(|d| d.shown)
                .as_deref(),
            Some("+44 20 7219 3000")
        );
        let mx = Region::for_zone(chrono_tz::America::Mexico_City).unwrap();
        assert_eq!(
            read("55 1234 5678", mx).map(|d| d.dial).as_deref(),
            Some("+525512345678")
        );
    }

    #[test]
    fn a_word_passcode_stays_text_beside_the_code() {
        let d = read(
            "+1 929 205 6099 Meeting ID 812 3456 7890 Passcode: serenity",
            Region::default(),
        )
        .unwrap();
        assert_eq!(d.dial, "+19292056099,,81234567890#");
        assert_eq!(d.rest, "Passcode: serenity");
        assert_eq!(d.shown, "(929) 205-6099");
    }

    /// Every text in the shared real feeds with enough digits to hold a number (conference
    /// phones, notes, locations), read with the +1 reader and by libphonenumber alone, as
    /// written in the United States and in Barbados (where seven digits are a local number).
    #[test]
    fn real_feeds_read_the_same_without_libphonenumbers_parser() {
        fn texts(value: &serde_json::Value, out: &mut Vec<String>) {
            match value {
                serde_json::Value::String(s) => out.push(s.clone()),
                serde_json::Value::Array(items) => items.iter().for_each(|v| texts(v, out)),
                serde_json::Value::Object(map) => map.values().for_each(|v| texts(v, out)),
                _ => {}
            }
        }
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
        let mut all = Vec::new();
        for entry in std::fs::read_dir(&data).unwrap() {
            let path = entry.unwrap().path();
            match path.extension().and_then(|e| e.to_str()) {
                Some("json") => {
                    let value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                    texts(&value, &mut all);
                }
                Some("csv") => {
                    for record in csv::Reader::from_path(&path).unwrap().records() {
                        all.extend(record.unwrap().iter().map(String::from));
                    }
                }
                _ => {}
            }
        }
        all.retain(|t| t.bytes().filter(u8::is_ascii_digit).count() >= 7);
        all.sort();
        all.dedup();
        let mut dialled = 0;
        for region in [Region::default(), Region::from_code("BB").unwrap()] {
            for text in &all {
                let fast = read_by(text, region, Reader::Nanp);
                assert_eq!(
                    fast,
                    read_by(text, region, Reader::Libphonenumber),
                    "{text} in {}",
                    region.code()
                );
                dialled += usize::from(fast.is_some() && region == Region::default());
            }
        }
        // The feeds' conference phones, not only texts without a number.
        assert!(dialled >= 50, "{dialled} of {} texts", all.len());
    }

    #[test]
    fn regions_come_from_the_zone() {
        let code = |tz| Region::for_zone(tz).map(Region::code);
        assert_eq!(code(chrono_tz::America::Toronto).as_deref(), Some("CA"));
        assert_eq!(code(chrono_tz::Europe::Madrid).as_deref(), Some("ES"));
        assert_eq!(code(chrono_tz::America::New_York).as_deref(), Some("US"));
        assert_eq!(Region::for_zone(chrono_tz::UTC), None);
    }
}
