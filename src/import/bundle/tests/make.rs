//! Making bundles and keys, staging from a stick, and interoperating with stock minisign.

use std::fs;
use std::process::Command;

use super::*;

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
    let v = verify(&out, s.trusted()).expect("verifies");
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
    let v = verify(&staged, s.trusted()).expect("verifies");
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
    let v = verify(&dir, s.trusted()).expect("verifies");
    assert_eq!(v.manifest.version, 9);
}

#[test]
fn replace_puts_a_new_bundle_in_place_of_the_old_and_leaves_the_sync_tool_alone() {
    let s = setup();
    // The office's sync folder: bundle 1 and Syncthing's marker folder.
    let synced = make_bundle(&s, "synced", 1);
    fs::create_dir_all(synced.join(".stfolder")).expect("mkdir");
    // Bundle 2 carries only the in-house file: the old CSV must go.
    let src = s.root.join("src-2");
    fs::create_dir_all(&src).expect("mkdir");
    fs::write(src.join("in-house.toml"), "[[meeting]]\nname = \"Hope\"\n").expect("write");
    let fresh = s.root.join("fresh");
    create(
        &s.sk,
        2,
        &[(src.join("in-house.toml"), opts("in-house", "in-house"))],
        &fresh,
    )
    .expect("create");
    replace(&fresh, &synced).expect("replace");
    let mut names: Vec<String> = fs::read_dir(&synced)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [".stfolder", "in-house.toml", MANIFEST, SIGNATURE],
        "the old CSV is gone, the marker stays"
    );
    assert!(!fresh.exists());
    let verified = verify(&synced, std::slice::from_ref(&s.pk)).expect("the new bundle verifies");
    assert_eq!(verified.manifest.version, 2);
}

#[test]
fn replace_refuses_a_folder_that_holds_more_than_a_bundle() {
    let s = setup();
    let synced = make_bundle(&s, "synced", 1);
    fs::write(synced.join("notes.docx"), "minutes").expect("write");
    let err = replaceable(&synced).expect_err("refused");
    assert!(err.to_string().contains("\"notes.docx\""), "{err}");
    let plain = s.root.join("plain");
    fs::create_dir_all(&plain).expect("mkdir");
    fs::write(plain.join("photo.jpg"), "x").expect("write");
    let err = replaceable(&plain).expect_err("refused");
    assert!(
        err.to_string().contains("no readable manifest.toml"),
        "{err}"
    );
    let empty = s.root.join("empty");
    fs::create_dir_all(empty.join(".stfolder")).expect("mkdir");
    assert_eq!(
        replaceable(&empty).expect("an empty folder is fine").files,
        Vec::<String>::new()
    );
}
