//! verify(): what a kiosk accepts and refuses, and the messages staff see.

use std::fs;

use super::*;

#[test]
fn created_bundle_verifies_with_its_key() {
    let s = setup();
    let dir = make_bundle(&s, "b", 7);
    let v = verify(&dir, s.trusted()).expect("verifies");
    assert_eq!(v.manifest.version, 7);
    assert_eq!(v.key_id, s.pk.key_id());
    assert_eq!(v.manifest.files.len(), 2);
    let csv = &v.manifest.files[1];
    assert_eq!(csv.name, "schedule.csv");
    assert_eq!(csv.format, "tsml-csv");
    assert_eq!(csv.import_format(), Some(crate::import::Format::TsmlCsv));
    assert_eq!(csv.source, "aa-intergroup");
    assert_eq!(csv.program, "AA");
    assert_eq!(csv.sha256.len(), 64);
    assert!(v.path(csv).is_file());
    assert!(v.ignored.is_empty());
    let sig = fs::read_to_string(dir.join(SIGNATURE)).expect("sig");
    assert!(
        sig.contains("trusted comment: lobby-kiosk bundle version=7"),
        "{sig}"
    );
}

#[test]
fn a_changed_byte_in_a_data_file_is_refused_naming_the_file() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    flip_one_byte(&dir.join("schedule.csv"));
    let err = verify(&dir, s.trusted()).expect_err("refused");
    assert!(matches!(err, BundleError::ChecksumMismatch { .. }), "{err}");
    assert!(
        err.to_string().starts_with(
            "schedule.csv does not match its checksum: changed after signing or damaged copy"
        ),
        "{err}"
    );
}

#[test]
fn a_changed_byte_in_the_manifest_is_refused() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    let path = dir.join(MANIFEST);
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, text.replace("version = 1", "version = 9")).expect("write");
    let err = verify(&dir, s.trusted()).expect_err("refused");
    assert!(
        matches!(err, BundleError::SignatureMismatch { .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("signature does not match: the manifest was changed after signing"),
        "{err}"
    );
}

#[test]
fn a_bundle_without_signature_is_refused_as_unsigned() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    fs::remove_file(dir.join(SIGNATURE)).expect("rm");
    let err = verify(&dir, s.trusted()).expect_err("refused");
    assert!(err.to_string().starts_with("unsigned bundle"), "{err}");
}

#[test]
fn a_folder_without_manifest_is_not_a_bundle() {
    let s = setup();
    let err = verify(&s.root, s.trusted()).expect_err("refused");
    assert!(matches!(err, BundleError::MissingManifest { .. }), "{err}");
}

#[test]
fn a_bundle_signed_by_another_key_is_refused_naming_both_keys() {
    let s = setup();
    let other = setup();
    let dir = make_bundle(&other, "b", 1);
    let err = verify(&dir, s.trusted()).expect_err("refused");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!(
            "signed by key ID {}, which this kiosk does not trust (trusted: {})",
            other.pk.key_id(),
            s.pk.key_id()
        )),
        "{msg}"
    );
    // Either of two configured keys (rotation) is accepted.
    verify(&dir, &[s.pk.clone(), other.pk.clone()]).expect("second key trusted");
}

#[test]
fn without_configured_keys_every_bundle_is_refused() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    let err = verify(&dir, &[]).expect_err("refused");
    assert!(matches!(err, BundleError::NoKeysConfigured), "{err}");
    assert!(err.to_string().contains("[bundles] public_keys"), "{err}");
}

#[test]
fn trusted_comment_version_must_equal_manifest_version() {
    let s = setup();
    let dir = make_bundle(&s, "b", 7);
    let text = fs::read_to_string(dir.join(MANIFEST)).expect("read");
    resign(&s, &dir, &text, "lobby-kiosk bundle version=8");
    let err = verify(&dir, s.trusted()).expect_err("refused");
    assert!(
        matches!(
            err,
            BundleError::VersionMismatch {
                signed: 8,
                manifest: 7
            }
        ),
        "{err}"
    );
}

#[test]
fn a_signature_with_minisigns_default_comment_is_not_a_bundle_signature() {
    let s = setup();
    let dir = make_bundle(&s, "b", 7);
    let text = fs::read_to_string(dir.join(MANIFEST)).expect("read");
    resign(&s, &dir, &text, "timestamp:1763805600\tfile:manifest.toml");
    let err = verify(&dir, s.trusted()).expect_err("refused");
    assert!(
        matches!(err, BundleError::BadTrustedComment { .. }),
        "{err}"
    );
}

#[test]
fn a_path_traversal_name_is_refused_even_when_signed() {
    let s = setup();
    let dir = make_bundle(&s, "b", 3);
    let text = fs::read_to_string(dir.join(MANIFEST)).expect("read");
    let evil = text.replace("name = \"schedule.csv\"", "name = \"../x\"");
    assert_ne!(evil, text);
    resign(&s, &dir, &evil, "lobby-kiosk bundle version=3");
    let err = verify(&dir, s.trusted()).expect_err("refused");
    assert!(matches!(err, BundleError::BadEntry { .. }), "{err}");
    assert!(err.to_string().contains("\"../x\""), "{err}");
}

#[test]
fn unknown_keys_and_unknown_formats_in_a_signed_manifest_are_refused() {
    let s = setup();
    let dir = make_bundle(&s, "b", 4);
    let text = fs::read_to_string(dir.join(MANIFEST)).expect("read");
    resign(
        &s,
        &dir,
        &format!("{text}\nextra = 1\n"),
        "lobby-kiosk bundle version=4",
    );
    let err = verify(&dir, s.trusted()).expect_err("unknown key");
    assert!(matches!(err, BundleError::BadManifest { .. }), "{err}");
    let odd = text.replace("format = \"tsml-csv\"", "format = \"xlsx\"");
    resign(&s, &dir, &odd, "lobby-kiosk bundle version=4");
    let err = verify(&dir, s.trusted()).expect_err("unknown format");
    assert!(err.to_string().contains("unknown format \"xlsx\""), "{err}");
}

#[test]
fn files_not_in_the_manifest_are_ignored_and_noted() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    fs::write(dir.join("notes.txt"), "hello").expect("write");
    let v = verify(&dir, s.trusted()).expect("verifies");
    assert_eq!(v.ignored, vec!["notes.txt".to_string()]);
}

#[test]
fn a_listed_file_missing_from_the_folder_is_named() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    fs::remove_file(dir.join("in-house.toml")).expect("rm");
    let err = verify(&dir, s.trusted()).expect_err("refused");
    assert!(
        err.to_string().starts_with("in-house.toml is listed"),
        "{err}"
    );
}

#[test]
fn an_older_or_equal_version_cannot_replace_the_accepted_one() {
    assert!(check_newer(1, None).is_ok());
    assert!(check_newer(8, Some(7)).is_ok());
    let err = check_newer(6, Some(7)).expect_err("older");
    assert_eq!(
        err.to_string(),
        "bundle version 6 is not newer than the accepted version 7: an old bundle cannot \
         replace a newer schedule"
    );
    assert!(check_newer(7, Some(7)).is_err());
}

#[test]
fn an_oversized_manifest_is_refused_before_parsing() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    let big = "#".repeat(MAX_MANIFEST_BYTES as usize + 10);
    fs::write(dir.join(MANIFEST), big).expect("write");
    let err = verify(&dir, s.trusted()).expect_err("refused");
    assert!(matches!(err, BundleError::ManifestTooLarge { .. }), "{err}");
}

#[test]
fn refusal_messages_read_as_sentences_for_staff() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    fs::remove_file(dir.join(SIGNATURE)).expect("rm");
    let unsigned = verify(&dir, s.trusted()).expect_err("refused").to_string();
    assert!(
        unsigned.contains("ask for a bundle signed with the center's key"),
        "{unsigned}"
    );
    let none = verify(&make_bundle(&s, "c", 1), &[])
        .expect_err("refused")
        .to_string();
    assert_eq!(
        none,
        "bundles are refused: no signing key is trusted, so no signature can be checked; add \
         the staff signing key's .pub file to [bundles] public_keys, or trust it on the staff \
         screen from a USB stick holding kiosk-bundle.pub"
    );
}
