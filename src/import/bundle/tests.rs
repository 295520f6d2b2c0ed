//! Bundle tests with real keys, real signatures and real files in temporary folders.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

struct Setup {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    sk: PathBuf,
    pk: PublicKey,
    pk_path: PathBuf,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().to_path_buf();
    let (sk, pk_path) = keygen(&root.join("keys")).expect("keygen");
    let pk = PublicKey::load(&pk_path).expect("load public key");
    Setup {
        _tmp: tmp,
        root,
        sk,
        pk,
        pk_path,
    }
}

fn opts(format: &str, source: &str) -> FileOptions {
    FileOptions {
        format: format.into(),
        source: source.into(),
        program: "AA".into(),
        in_house: false,
    }
}

/// A bundle of version `version` with an in-house TOML file and a CSV, in `<root>/<name>`.
fn make_bundle(s: &Setup, name: &str, version: u64) -> PathBuf {
    let src = s.root.join(format!("src-{name}"));
    fs::create_dir_all(&src).expect("mkdir");
    fs::write(
        src.join("in-house.toml"),
        "[[meeting]]\nname = \"Step study\"\n",
    )
    .expect("write");
    fs::write(src.join("schedule.csv"), "name,day,time\nHope,1,19:00\n").expect("write");
    let out = s.root.join(name);
    create(
        &s.sk,
        version,
        &[
            (src.join("in-house.toml"), opts("in-house", "in-house")),
            (src.join("schedule.csv"), opts("tsml-csv", "aa-intergroup")),
        ],
        &out,
    )
    .expect("create bundle");
    out
}

fn flip_one_byte(path: &Path) {
    let mut bytes = fs::read(path).expect("read");
    let last = bytes.len() - 2;
    bytes[last] ^= 0x01;
    fs::write(path, bytes).expect("write");
}

/// Rewrites the manifest and signs it again with the given trusted comment.
fn resign(s: &Setup, dir: &Path, manifest_text: &str, comment: &str) {
    let sk_text = fs::read_to_string(&s.sk).expect("read key");
    let sk = minisign::SecretKey::from_box(
        minisign::SecretKeyBox::from_string(&sk_text).expect("box"),
        Some(String::new()),
    )
    .expect("secret key");
    let sig = minisign::sign(
        None,
        &sk,
        std::io::Cursor::new(manifest_text.as_bytes()),
        Some(comment),
        None,
    )
    .expect("sign");
    fs::write(dir.join(MANIFEST), manifest_text).expect("write manifest");
    fs::write(dir.join(SIGNATURE), sig.into_string()).expect("write sig");
}

#[test]
fn created_bundle_verifies_with_its_key() {
    let s = setup();
    let dir = make_bundle(&s, "b", 7);
    let v = verify(&dir, &[s.pk.clone()]).expect("verifies");
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
fn key_id_is_16_uppercase_hex_digits_as_minisign_prints_it() {
    let s = setup();
    let id = s.pk.key_id();
    assert_eq!(id.len(), 16);
    assert!(id
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
    let text = fs::read_to_string(&s.pk_path).expect("pub");
    assert!(text.contains(id), "{text}");
}

#[test]
fn keygen_refuses_to_overwrite_and_keeps_the_secret_key_private() {
    let s = setup();
    let err = keygen(&s.root.join("keys")).expect_err("must refuse");
    assert!(matches!(err, BundleError::WouldOverwrite { .. }), "{err}");
    assert!(err.to_string().contains("kiosk-bundle.key"), "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&s.sk).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn a_changed_byte_in_a_data_file_is_refused_naming_the_file() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    flip_one_byte(&dir.join("schedule.csv"));
    let err = verify(&dir, &[s.pk.clone()]).expect_err("refused");
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
    let err = verify(&dir, &[s.pk.clone()]).expect_err("refused");
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
    let err = verify(&dir, &[s.pk.clone()]).expect_err("refused");
    assert!(err.to_string().starts_with("unsigned bundle"), "{err}");
}

#[test]
fn a_folder_without_manifest_is_not_a_bundle() {
    let s = setup();
    let err = verify(&s.root, &[s.pk.clone()]).expect_err("refused");
    assert!(matches!(err, BundleError::MissingManifest { .. }), "{err}");
}

#[test]
fn a_bundle_signed_by_another_key_is_refused_naming_both_keys() {
    let s = setup();
    let other = setup();
    let dir = make_bundle(&other, "b", 1);
    let err = verify(&dir, &[s.pk.clone()]).expect_err("refused");
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
    let err = verify(&dir, &[s.pk.clone()]).expect_err("refused");
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
    let err = verify(&dir, &[s.pk.clone()]).expect_err("refused");
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
    let err = verify(&dir, &[s.pk.clone()]).expect_err("refused");
    assert!(matches!(err, BundleError::BadEntry { .. }), "{err}");
    assert!(err.to_string().contains("\"../x\""), "{err}");
}

#[test]
fn create_refuses_a_path_traversal_name_in_a_hand_written_manifest() {
    let s = setup();
    let src = s.root.join("hand");
    fs::create_dir_all(&src).expect("mkdir");
    fs::write(
        src.join(MANIFEST),
        "version = 2\n[[file]]\nname = \"../x\"\nformat = \"bmlt\"\nsource = \"na\"\n",
    )
    .expect("write");
    let err =
        create_from_manifest(&s.sk, &src.join(MANIFEST), &s.root.join("out")).expect_err("refused");
    assert!(matches!(err, BundleError::BadEntry { .. }), "{err}");
    assert!(!s.root.join("out").exists());
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
    let err = verify(&dir, &[s.pk.clone()]).expect_err("unknown key");
    assert!(matches!(err, BundleError::BadManifest { .. }), "{err}");
    let odd = text.replace("format = \"tsml-csv\"", "format = \"xlsx\"");
    resign(&s, &dir, &odd, "lobby-kiosk bundle version=4");
    let err = verify(&dir, &[s.pk.clone()]).expect_err("unknown format");
    assert!(err.to_string().contains("unknown format \"xlsx\""), "{err}");
}

#[test]
fn hand_written_manifest_gets_checksums_filled_in_and_verifies() {
    let s = setup();
    let src = s.root.join("hand");
    fs::create_dir_all(&src).expect("mkdir");
    fs::write(src.join("na.json"), "[]").expect("write");
    fs::write(src.join("schedule.sqlite"), b"SQLite format 3\0").expect("write");
    fs::write(
        src.join(MANIFEST),
        "version = 12\n\
         [[file]]\nname = \"na.json\"\nformat = \"bmlt\"\nsource = \"na-region\"\nprogram = \"NA\"\n\
         [[file]]\nname = \"schedule.sqlite\"\nformat = \"sqlite\"\n",
    )
    .expect("write");
    let out = s.root.join("out");
    let m = create_from_manifest(&s.sk, &src.join(MANIFEST), &out).expect("create");
    assert_eq!(m.version, 12);
    assert!(!m.created.is_empty());
    let v = verify(&out, &[s.pk.clone()]).expect("verifies");
    assert_eq!(v.manifest, m);
    assert!(v.manifest.files[1].is_sqlite());
}

#[test]
fn hand_written_manifest_with_a_wrong_checksum_is_refused() {
    let s = setup();
    let src = s.root.join("hand");
    fs::create_dir_all(&src).expect("mkdir");
    fs::write(src.join("na.json"), "[]").expect("write");
    let wrong = "0".repeat(64);
    fs::write(
        src.join(MANIFEST),
        format!("version = 1\n[[file]]\nname = \"na.json\"\nsha256 = \"{wrong}\"\nformat = \"bmlt\"\nsource = \"na\"\n"),
    )
    .expect("write");
    let out = s.root.join("out");
    let err = create_from_manifest(&s.sk, &src.join(MANIFEST), &out).expect_err("refused");
    assert!(
        matches!(err, BundleError::ChecksumDiffersFromManifest { .. }),
        "{err}"
    );
    assert!(!out.exists(), "a half bundle is removed");
}

#[test]
fn create_refuses_a_non_empty_output_folder() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    let err = create(&s.sk, 2, &[], &dir).expect_err("refused");
    assert!(
        matches!(
            err,
            BundleError::BadManifest { .. } | BundleError::OutputNotEmpty { .. }
        ),
        "{err}"
    );
    let src = s.root.join("src-b").join("schedule.csv");
    let err = create(&s.sk, 2, &[(src, opts("tsml-csv", "aa"))], &dir).expect_err("refused");
    assert!(matches!(err, BundleError::OutputNotEmpty { .. }), "{err}");
}

#[test]
fn files_not_in_the_manifest_are_ignored_and_noted() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    fs::write(dir.join("notes.txt"), "hello").expect("write");
    let v = verify(&dir, &[s.pk.clone()]).expect("verifies");
    assert_eq!(v.ignored, vec!["notes.txt".to_string()]);
}

#[test]
fn a_listed_file_missing_from_the_folder_is_named() {
    let s = setup();
    let dir = make_bundle(&s, "b", 1);
    fs::remove_file(dir.join("in-house.toml")).expect("rm");
    let err = verify(&dir, &[s.pk.clone()]).expect_err("refused");
    assert!(
        err.to_string().starts_with("in-house.toml is listed"),
        "{err}"
    );
}

#[test]
fn staged_copy_verifies_and_holds_only_regular_files() {
    let s = setup();
    let dir = make_bundle(&s, "b", 5);
    fs::create_dir(dir.join("subdir")).expect("mkdir");
    fs::write(dir.join("subdir").join("inner.txt"), "x").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(s.sk.clone(), dir.join("link.key")).expect("symlink");
    let staged = stage(&dir, &s.root.join("staging"), DEFAULT_MAX_BUNDLE_BYTES).expect("stage");
    assert!(!staged.join("subdir").exists());
    assert!(
        fs::symlink_metadata(staged.join("link.key")).is_err(),
        "symlink not followed"
    );
    let v = verify(&staged, &[s.pk.clone()]).expect("verifies");
    assert_eq!(v.dir, staged);
    assert!(v.ignored.is_empty(), "{:?}", v.ignored);
}

#[test]
fn stage_refuses_a_bundle_over_the_cap_and_leaves_no_copy() {
    let s = setup();
    let dir = make_bundle(&s, "b", 5);
    fs::write(dir.join("big.bin"), vec![0u8; 10_000]).expect("write");
    let staging = s.root.join("staging");
    let err = stage(&dir, &staging, 5_000).expect_err("refused");
    assert!(matches!(err, BundleError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("larger than 5 kB"), "{err}");
    let left: Vec<_> = fs::read_dir(&staging).expect("list").collect();
    assert!(left.is_empty(), "partial copy removed");
}

#[test]
fn stage_refuses_something_that_is_not_a_folder() {
    let s = setup();
    let err = stage(&s.sk, &s.root.join("staging"), 1000).expect_err("refused");
    assert!(matches!(err, BundleError::NotAFolder { .. }), "{err}");
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
fn a_public_key_file_that_is_not_a_key_is_refused_with_its_path() {
    let s = setup();
    let path = s.root.join("bad.pub");
    fs::write(&path, "untrusted comment: x\nnot base64 at all\n").expect("write");
    let err = PublicKey::load(&path).expect_err("refused");
    assert!(err.to_string().contains("bad.pub"), "{err}");
}

/// The stock tool accepts our signatures, so staff can check a bundle without the kiosk.
#[test]
fn stock_minisign_verifies_our_signature() {
    let s = setup();
    let dir = make_bundle(&s, "b", 7);
    let run = Command::new("minisign")
        .arg("-V")
        .arg("-m")
        .arg(dir.join(MANIFEST))
        .arg("-p")
        .arg(&s.pk_path)
        .output();
    let out = match run {
        Ok(out) => out,
        Err(e) => {
            println!("skipped: the minisign tool is not installed ({e})");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("lobby-kiosk bundle version=7"), "{stdout}");
}

/// Our key files work with the stock tool too: it signs with our secret key without a
/// password, and the kiosk accepts the result.
#[test]
fn stock_minisign_signs_with_our_secret_key() {
    let s = setup();
    let dir = make_bundle(&s, "b", 9);
    fs::remove_file(dir.join(SIGNATURE)).expect("rm");
    let run = Command::new("minisign")
        .arg("-S")
        .arg("-s")
        .arg(&s.sk)
        .arg("-m")
        .arg(dir.join(MANIFEST))
        .arg("-t")
        .arg("lobby-kiosk bundle version=9")
        .stdin(std::process::Stdio::null())
        .output();
    let out = match run {
        Ok(out) => out,
        Err(e) => {
            println!("skipped: the minisign tool is not installed ({e})");
            return;
        }
    };
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let v = verify(&dir, &[s.pk.clone()]).expect("verifies");
    assert_eq!(v.manifest.version, 9);
}
