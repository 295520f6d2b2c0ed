//! Signed schedule bundles: how a staff laptop hands a kiosk new schedule files on a USB
//! stick without the stick being able to change what the kiosk shows.
//!
//! A bundle is a folder holding `manifest.toml`, its minisign signature
//! `manifest.toml.minisig`, and the files the manifest lists:
//!
//! ```toml
//! version = 7                      # grows with every bundle; older ones are refused
//! created = "2026-11-22T10:00:00Z" # informational (kiosk clocks drift)
//!
//! [[file]]
//! name = "in-house.toml"  # a plain file name in the folder: no '/', '\', '..', no leading '.'
//! sha256 = "9f86d0…"      # lowercase hex SHA-256 of the file
//! format = "in-house"     # meeting-guide | tsml-csv | bmlt | in-house | in-house-csv | sqlite
//! source = "in-house"     # the source the meetings replace (may be empty only for sqlite)
//! program = "In-house"    # optional, default ""
//! in_house = true         # optional, default false
//! ```
//!
//! Unknown keys are refused: a signed manifest should say exactly what its signer meant. A
//! `sqlite` entry must be named `schedule.sqlite`; it is listed and checked here and applied
//! elsewhere. The signature is an ordinary minisign signature of the manifest bytes (so
//! `minisign -Vm manifest.toml -p kiosk-bundle.pub` checks it), and its signed trusted
//! comment repeats the version: `lobby-kiosk bundle version=7`.
//!
//! The kiosk's order is: [`stage`] (private copy with a size cap) → [`verify`] (signature
//! before any parsing, then manifest, version, checksums) → [`check_newer`] against the
//! store → import the listed files. This module does not parse schedule data, touch the
//! store or decide about rollback on its own: the caller records the accepted version in the
//! same transaction that applies the bundle.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

mod create;
mod error;
mod keys;
mod manifest;
mod stage;
#[cfg(test)]
mod tests;

pub use create::{create, create_from_manifest, replace, replaceable, FileOptions, Replaceable};
pub use error::BundleError;
pub use keys::{keygen, PublicKey, PUBLIC_KEY_FILE, SECRET_KEY_FILE, TRUSTED_COMMENT_PREFIX};
pub use manifest::{
    BundleFile, Manifest, MANIFEST, MAX_MANIFEST_BYTES, SIGNATURE, SQLITE_FORMAT, SQLITE_NAME,
};
pub use stage::{may_be_listed, stage, stage_files, DEFAULT_MAX_BUNDLE_BYTES};

use manifest::Checksums;

/// A bundle whose signature, manifest and checksums all checked out.
#[derive(Debug, Clone)]
pub struct Verified {
    pub manifest: Manifest,
    /// The key that signed it, as minisign prints key IDs; recorded with the version.
    pub key_id: String,
    /// The folder that was checked (a staged copy); the listed files are read from here.
    pub dir: PathBuf,
    /// Files in the folder that the manifest does not list; they are not used.
    pub ignored: Vec<String>,
}

impl Verified {
    /// Where a listed file is.
    pub fn path(&self, file: &BundleFile) -> PathBuf {
        self.dir.join(&file.name)
    }
}

/// Checks the bundle in `dir` (a staged copy) against the trusted keys. The signature is
/// checked before the manifest is parsed, and nothing of the schedule files is parsed here.
pub fn verify(dir: &Path, keys: &[PublicKey]) -> Result<Verified, BundleError> {
    let manifest_path = dir.join(MANIFEST);
    let sig_path = dir.join(SIGNATURE);
    if !is_regular_file(&manifest_path) {
        return Err(BundleError::MissingManifest {
            dir: dir.to_path_buf(),
        });
    }
    if !is_regular_file(&sig_path) {
        return Err(BundleError::Unsigned {
            dir: dir.to_path_buf(),
        });
    }
    if keys.is_empty() {
        return Err(BundleError::NoKeysConfigured);
    }

    let bytes = read_manifest_bytes(&manifest_path)?;
    let sig_text = keys::read_signature(&sig_path)?;
    let signed_by = keys::signature_key_id(&sig_text)?;
    let signature = minisign_verify::Signature::decode(&sig_text)
        .map_err(|e| BundleError::BadSignatureFile { why: e.to_string() })?;
    let key = keys
        .iter()
        .find(|k| k.key_id() == signed_by)
        .ok_or_else(|| BundleError::UntrustedKey {
            key_id: signed_by.clone(),
            trusted: keys.iter().map(|k| k.key_id().to_string()).collect(),
        })?;
    match key.inner().verify(&bytes, &signature, false) {
        Ok(()) => {}
        Err(minisign_verify::Error::UnexpectedAlgorithm) => {
            return Err(BundleError::BadSignatureFile {
                why: "it is an old-style (legacy) minisign signature; sign with the bundle tool \
                      or minisign 0.8 or newer"
                    .into(),
            })
        }
        Err(_) => {
            return Err(BundleError::SignatureMismatch {
                key_id: signed_by.clone(),
            })
        }
    }

    // From here on the bytes are the signer's own.
    let manifest = Manifest::parse(&bytes, Checksums::Required)?;
    let signed_version = keys::version_from_comment(signature.trusted_comment())?;
    if signed_version != manifest.version {
        return Err(BundleError::VersionMismatch {
            signed: signed_version,
            manifest: manifest.version,
        });
    }
    for file in &manifest.files {
        let path = dir.join(&file.name);
        if !is_regular_file(&path) {
            return Err(BundleError::MissingFile {
                name: file.name.clone(),
            });
        }
        if manifest::sha256_file(&path)? != file.sha256 {
            return Err(BundleError::ChecksumMismatch {
                name: file.name.clone(),
            });
        }
    }
    let ignored = unlisted_files(dir, &manifest)?;
    Ok(Verified {
        manifest,
        key_id: signed_by,
        dir: dir.to_path_buf(),
        ignored,
    })
}

/// Refuses a bundle that is not newer than the last accepted one, so an old stick cannot
/// bring back an old schedule.
pub fn check_newer(version: u64, last_accepted: Option<u64>) -> Result<(), BundleError> {
    match last_accepted {
        Some(accepted) if version <= accepted => Err(BundleError::NotNewer { version, accepted }),
        _ => Ok(()),
    }
}

fn is_regular_file(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// The manifest's bytes, refused unread when larger than a manifest can be.
fn read_manifest_bytes(path: &Path) -> Result<Vec<u8>, BundleError> {
    use std::io::Read;
    let file = fs::File::open(path).map_err(BundleError::io("read", path))?;
    let mut bytes = Vec::new();
    file.take(MAX_MANIFEST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(BundleError::io("read", path))?;
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        let size = fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(BundleError::ManifestTooLarge {
            bytes: size,
            max: MAX_MANIFEST_BYTES,
        });
    }
    Ok(bytes)
}

fn unlisted_files(dir: &Path, manifest: &Manifest) -> Result<Vec<String>, BundleError> {
    let listed: HashSet<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    let mut ignored = Vec::new();
    for entry in fs::read_dir(dir).map_err(BundleError::io("list", dir))? {
        let entry = entry.map_err(BundleError::io("list", dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != MANIFEST && name != SIGNATURE && !listed.contains(name.as_str()) {
            ignored.push(name);
        }
    }
    ignored.sort();
    Ok(ignored)
}
