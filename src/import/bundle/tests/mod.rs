//! Bundle tests with real keys, real signatures and real files in temporary folders.

mod make;
mod verify;

use std::fs;
use std::path::{Path, PathBuf};

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

impl Setup {
    /// The kiosk's trusted keys: just this setup's key.
    fn trusted(&self) -> &[PublicKey] {
        std::slice::from_ref(&self.pk)
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
