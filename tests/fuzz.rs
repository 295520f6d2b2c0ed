//! Generated inputs for everything that reads bytes from outside: each importer (fixtures of
//! `../shared/data/` and `tests/data/` truncated, with bytes flipped or inserted, and — for
//! JSON — random values put in random fields), the bundle verifier (random and mutated
//! manifests and signatures) and the card-code decoder. The properties: nothing panics; an
//! importer that accepts a file accounts for every row; the verifier accepts nothing that was
//! changed.
//!
//! CI runs 64 cases per property; longer runs (figures in RELIABILITY.md):
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz`.

mod common;

use std::path::{Path, PathBuf};

use lobby_kiosk::attendance::cards;
use lobby_kiosk::import::bundle::{self, FileOptions, PublicKey};
use lobby_kiosk::import::{self, Format, Options};
use proptest::prelude::*;
use serde_json::Value;

const IN_HOUSE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/examples/in-house.toml");
const IN_HOUSE_SHEETS: [&str; 3] = [
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/in-house-csv/excel-csv-utf8.csv"
    ),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/in-house-csv/excel-european.csv"
    ),
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/in-house-csv/excel-unicode-text.txt"
    ),
];

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var("PROPTEST_CASES").is_err() {
        config.cases = 64;
    }
    config.failure_persistence = None;
    config
}

fn fixture_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("fixture")
}

/// How one generated input differs from its fixture.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(Vec<(usize, u8)>),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        prop::collection::vec((any::<usize>(), any::<u8>()), 1..16).prop_map(Mutation::Flip),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..64))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
    ]
}

fn mutate(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let len = bytes.len().max(1);
    match m {
        Mutation::Truncate(at) => bytes.truncate(at % len),
        Mutation::Flip(flips) => {
            for (at, b) in flips {
                let i = at % len;
                if i < bytes.len() {
                    bytes[i] = *b;
                }
            }
        }
        Mutation::Insert(at, extra) => {
            let i = at % len;
            bytes.splice(
                i.min(bytes.len())..i.min(bytes.len()),
                extra.iter().copied(),
            );
        }
    }
    bytes
}

fn options() -> Options {
    Options {
        source: "fuzz".into(),
        program: "AA".into(),
        ..Options::default()
    }
}

/// The property every importer keeps: no panic, and an accepted file accounts for every row.
fn read_is_sound(format: Format, bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok((meetings, report)) = import::read_all(format, "fuzzed", bytes, &options()) {
        prop_assert!(
            report.accounts_for_every_row(),
            "{} rows read, {} imported, {} dropped",
            report.rows_read,
            report.rows_imported,
            report.rows_dropped
        );
        prop_assert_eq!(meetings.len(), report.meetings);
    }
    Ok(())
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
        prop_oneof![
            Just("25:99"),
            Just("-1"),
            Just("7"),
            Just("19:30"),
            Just("America/Nowhere"),
            Just("")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((".{0,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A JSON fixture (an array of meetings, or BMLT's object holding one) with random values in random fields.
fn with_random_fields(text: &str, edits: &[(usize, usize, Value)]) -> Vec<u8> {
    let mut doc: Value = serde_json::from_str(text).expect("fixture is JSON");
    // Meeting Guide is an array of meetings; BMLT wraps its array in an object.
    let items = match &mut doc {
        Value::Array(items) => items,
        Value::Object(map) => map
            .values_mut()
            .find_map(|v| v.as_array_mut())
            .expect("an array of meetings"),
        _ => panic!("fixture is neither an array nor an object"),
    };
    for (which, field, value) in edits {
        let n = items.len();
        if let Some(Value::Object(item)) = items.get_mut(which % n.max(1)) {
            let keys: Vec<String> = item.keys().cloned().collect();
            if let Some(key) = keys.get(field % keys.len().max(1)) {
                item.insert(key.clone(), value.clone());
            }
        }
    }
    serde_json::to_vec(&doc).expect("JSON")
}

fn edits() -> impl Strategy<Value = Vec<(usize, usize, Value)>> {
    prop::collection::vec((any::<usize>(), any::<usize>(), json_value()), 1..8)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn meeting_guide_importer_survives_damaged_files(m in mutation()) {
        let bytes = fixture_bytes(&common::fixture("meetingguide_kansascity_206_meetings.json"));
        read_is_sound(Format::MeetingGuide, &mutate(bytes, &m))?;
    }

    #[test]
    fn meeting_guide_importer_survives_random_field_values(e in edits()) {
        let text = std::fs::read_to_string(common::fixture(
            "meetingguide_tsml-wordpress_benlomond_online_35_meetings.json",
        )).unwrap();
        read_is_sound(Format::MeetingGuide, &with_random_fields(&text, &e))?;
    }

    #[test]
    fn tsml_csv_importer_survives_damaged_files(m in mutation()) {
        let bytes = fixture_bytes(&common::fixture("tsml_csv_import_template_sanjose_36_meetings.csv"));
        read_is_sound(Format::TsmlCsv, &mutate(bytes, &m))?;
    }

    #[test]
    fn bmlt_importer_survives_damaged_files(m in mutation()) {
        let bytes = fixture_bytes(&common::fixture("bmlt_GetSearchResults_upstate-ny_53_meetings.json"));
        read_is_sound(Format::Bmlt, &mutate(bytes, &m))?;
    }

    #[test]
    fn bmlt_importer_survives_random_field_values(e in edits()) {
        let text = std::fs::read_to_string(common::fixture(
            "bmlt_GetSearchResults_upstate-ny_53_meetings.json",
        )).unwrap();
        read_is_sound(Format::Bmlt, &with_random_fields(&text, &e))?;
    }

    #[test]
    fn in_house_importer_survives_damaged_files(m in mutation()) {
        read_is_sound(Format::InHouse, &mutate(fixture_bytes(Path::new(IN_HOUSE)), &m))?;
    }

    #[test]
    fn in_house_sheet_importer_survives_damaged_files(m in mutation(), which in 0..3usize) {
        let bytes = fixture_bytes(Path::new(IN_HOUSE_SHEETS[which]));
        read_is_sound(Format::InHouseCsv, &mutate(bytes, &m))?;
    }

    #[test]
    fn card_code_decoder_never_panics_and_is_idempotent(input in "\\PC{0,24}") {
        if let Ok(code) = cards::normalize(&input) {
            prop_assert_eq!(cards::normalize(&code), Ok(code.clone()));
        }
    }

    #[test]
    fn card_code_decoder_reads_a_grouped_code_in_any_case(lower in any::<bool>()) {
        let code = cards::generate().unwrap();
        let typed = if lower { cards::grouped(&code).to_lowercase() } else { cards::grouped(&code) };
        prop_assert_eq!(cards::normalize(&typed), Ok(code));
    }

    #[test]
    fn bundle_verifier_refuses_random_manifests_and_signatures(
        manifest in prop::collection::vec(any::<u8>(), 0..512),
        signature in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let signed = signed_bundle();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(bundle::MANIFEST), &manifest).unwrap();
        std::fs::write(dir.path().join(bundle::SIGNATURE), &signature).unwrap();
        prop_assert!(bundle::verify(dir.path(), std::slice::from_ref(&signed.key)).is_err());
    }

    /// Every case asserts. A changed manifest is refused. A change to what the signature file
    /// signs — the signature, the trusted comment, the global signature (its lines 2–4) — is
    /// refused. A new untrusted comment (line 1, which minisign does not sign) is accepted.
    #[test]
    fn bundle_verifier_refuses_any_change_to_a_signed_bundle(
        m in mutation(),
        part in 0..3usize,
    ) {
        let signed = signed_bundle();
        let dir = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(signed.dir.path().join("out")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
        let keys = std::slice::from_ref(&signed.key);
        let manifest = dir.path().join(bundle::MANIFEST);
        let signature = dir.path().join(bundle::SIGNATURE);
        match part {
            0 => {
                let before = std::fs::read(&manifest).unwrap();
                let after = mutate(before.clone(), &m);
                std::fs::write(&manifest, &after).unwrap();
                let verdict = bundle::verify(dir.path(), keys);
                if after == before {
                    prop_assert!(verdict.is_ok());
                } else {
                    prop_assert!(verdict.is_err(), "a changed manifest was accepted");
                }
            }
            1 => {
                let text = std::fs::read_to_string(&signature).unwrap();
                let (comment, signed_part) = text.split_once('\n').unwrap();
                let changed = mutate(signed_part.as_bytes().to_vec(), &m);
                // The lines as minisign reads them: a change it cannot see (a '\r' before a
                // line end, text after the fourth line) is not a change of what was signed.
                let lines = |b: &[u8]| {
                    std::str::from_utf8(b)
                        .ok()
                        .map(|t| t.lines().take(3).map(str::to_string).collect::<Vec<_>>())
                };
                let same_lines = lines(&changed) == lines(signed_part.as_bytes());
                prop_assume!(!same_lines || changed == signed_part.as_bytes());
                let mut after = format!("{comment}\n").into_bytes();
                after.extend_from_slice(&changed);
                std::fs::write(&signature, &after).unwrap();
                let verdict = bundle::verify(dir.path(), keys);
                if same_lines {
                    prop_assert!(verdict.is_ok());
                } else {
                    prop_assert!(verdict.is_err(), "a changed signature was accepted");
                }
            }
            _ => {
                let text = std::fs::read_to_string(&signature).unwrap();
                let (_, signed_part) = text.split_once('\n').unwrap();
                let words: String = mutate(b"note".to_vec(), &m)
                    .into_iter()
                    .filter(|b| b.is_ascii_graphic() || *b == b' ')
                    .map(char::from)
                    .collect();
                std::fs::write(&signature, format!("untrusted comment: {words}\n{signed_part}"))
                    .unwrap();
                prop_assert!(
                    bundle::verify(dir.path(), keys).is_ok(),
                    "the untrusted comment is not signed: changing it is allowed"
                );
            }
        }
    }
}

/// A real signed bundle of the example in-house schedule in `dir/out`, with its key.
struct Signed {
    dir: tempfile::TempDir,
    key: PublicKey,
}

/// Made once per test process: making a key pair is slow on purpose.
fn signed_bundle() -> &'static Signed {
    static SIGNED: std::sync::OnceLock<Signed> = std::sync::OnceLock::new();
    SIGNED.get_or_init(make_signed_bundle)
}

fn make_signed_bundle() -> Signed {
    let dir = tempfile::tempdir().unwrap();
    bundle::keygen(dir.path()).unwrap();
    let out: PathBuf = dir.path().join("out");
    let files = vec![(
        PathBuf::from(IN_HOUSE),
        FileOptions {
            format: "in-house".into(),
            source: "in-house".into(),
            program: String::new(),
            in_house: true,
        },
    )];
    bundle::create(&dir.path().join(bundle::SECRET_KEY_FILE), 1, &files, &out).unwrap();
    let key = PublicKey::load(&dir.path().join(bundle::PUBLIC_KEY_FILE)).unwrap();
    assert!(bundle::verify(&out, std::slice::from_ref(&key)).is_ok());
    Signed { dir, key }
}
