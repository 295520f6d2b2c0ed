//! Why a bundle was refused, worded for the staff member holding the USB stick.
//!
//! Every message says what was wrong, with which file, and what to do about it; nothing here
//! decides anything.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Why a bundle could not be made, copied or accepted. A refused bundle changes nothing.
#[derive(Debug)]
pub enum BundleError {
    /// A file could not be read or written.
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// The kiosk has no public keys, so it cannot check any signature.
    NoKeysConfigured,
    /// A public key file is not a minisign public key.
    BadPublicKey { path: PathBuf, why: String },
    /// A secret key file cannot be used for signing.
    BadSecretKey { path: PathBuf, why: String },
    /// keygen would replace an existing key.
    WouldOverwrite { path: PathBuf },
    /// The output folder of `create` already holds something.
    OutputNotEmpty { path: PathBuf },
    /// `replace` was asked to put a bundle into a folder that holds something else.
    NotABundleFolder { path: PathBuf, stray: String },
    /// The folder has no manifest.toml.
    MissingManifest { dir: PathBuf },
    /// The folder has a manifest but no manifest.toml.minisig.
    Unsigned { dir: PathBuf },
    /// manifest.toml.minisig is not a minisign signature.
    BadSignatureFile { why: String },
    /// Signed by a key this kiosk does not list.
    UntrustedKey {
        key_id: String,
        trusted: Vec<String>,
    },
    /// Signature from a trusted key, but not over these bytes.
    SignatureMismatch { key_id: String },
    /// The signed trusted comment does not carry a usable bundle version.
    BadTrustedComment { comment: String },
    /// The signed trusted comment and the manifest disagree on the version.
    VersionMismatch { signed: u64, manifest: u64 },
    /// Signing library failure (randomness, key format).
    Signing { why: String },
    /// manifest.toml is over the size cap.
    ManifestTooLarge { bytes: u64, max: u64 },
    /// manifest.toml is not valid TOML or does not have the documented keys.
    BadManifest { why: String },
    /// One `[[file]]` entry is not acceptable.
    BadEntry { name: String, why: String },
    /// A file listed in the manifest is not in the folder.
    MissingFile { name: String },
    /// A listed file's sha256 differs from the manifest's.
    ChecksumMismatch { name: String },
    /// A file given to `create` does not match the sha256 its hand-written manifest states.
    ChecksumDiffersFromManifest { name: String },
    /// The bundle on the stick is bigger than the cap.
    TooLarge { dir: PathBuf, max: u64 },
    /// The bundle path is not a folder.
    NotAFolder { path: PathBuf },
    /// The bundle is older than (or as old as) the accepted one.
    NotNewer { version: u64, accepted: u64 },
}

impl BundleError {
    pub(crate) fn io(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> BundleError {
        let path = path.to_path_buf();
        move |source| BundleError::Io {
            action,
            path,
            source,
        }
    }
}

/// "200 MB", "64 kB", "512 bytes": sizes for people.
pub(crate) fn human_bytes(n: u64) -> String {
    const MB: u64 = 1_000_000;
    const KB: u64 = 1_000;
    if n >= MB && n.is_multiple_of(MB) {
        format!("{} MB", n / MB)
    } else if n >= MB {
        format!("{:.1} MB", n as f64 / MB as f64)
    } else if n >= KB {
        format!("{} kB", n / KB)
    } else {
        format!("{n} bytes")
    }
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use BundleError::*;
        match self {
            Io {
                action,
                path,
                source,
            } => write!(f, "could not {action} {}: {source}", path.display()),
            NoKeysConfigured => f.write_str(
                "bundles are refused: no signing key is trusted, so no signature can be \
                 checked; add the staff signing key's .pub file to [bundles] public_keys, or \
                 trust it on the staff screen from a USB stick holding kiosk-bundle.pub",
            ),
            BadPublicKey { path, why } => write!(
                f,
                "{} is not a minisign public key ({why}); use the .pub file written by keygen \
                 or `minisign -G`",
                path.display()
            ),
            BadSecretKey { path, why } => write!(
                f,
                "{} cannot be used to sign ({why}); use the kiosk-bundle.key file written by keygen",
                path.display()
            ),
            WouldOverwrite { path } => write!(
                f,
                "{} already exists; keys are never overwritten (a lost key cannot be recovered): \
                 choose another folder or move the old key away first",
                path.display()
            ),
            OutputNotEmpty { path } => write!(
                f,
                "{} is not empty; a bundle is written into a new or empty folder so no old file \
                 ends up in it (--replace puts a new bundle in place of an old one)",
                path.display()
            ),
            NotABundleFolder { path, stray } => write!(
                f,
                "{} holds {stray}, which is not part of a bundle; nothing was changed (a bundle \
                 replaces only a folder holding an earlier bundle)",
                path.display()
            ),
            MissingManifest { dir } => write!(
                f,
                "{} is not a schedule bundle: it has no manifest.toml",
                dir.display()
            ),
            Unsigned { dir } => write!(
                f,
                "unsigned bundle: {} has manifest.toml but no manifest.toml.minisig; \
                 ask for a bundle signed with the center's key",
                dir.display()
            ),
            BadSignatureFile { why } => write!(
                f,
                "manifest.toml.minisig is not a minisign signature ({why}); the bundle was damaged \
                 or not made by the bundle tool"
            ),
            UntrustedKey { key_id, trusted } => write!(
                f,
                "the bundle is signed by key ID {key_id}, which this kiosk does not trust \
                 (trusted: {}); sign it with a trusted key or add that key's .pub file to \
                 [bundles] public_keys",
                trusted.join(", ")
            ),
            SignatureMismatch { key_id } => write!(
                f,
                "signature does not match: the manifest was changed after signing (key ID \
                 {key_id}); make the bundle again from the original files"
            ),
            BadTrustedComment { comment } => write!(
                f,
                "the signature's trusted comment {comment:?} does not carry a bundle version \
                 (expected \"lobby-kiosk bundle version=N\"); the manifest was signed by hand \
                 or for something else: sign bundles with the bundle tool"
            ),
            VersionMismatch { signed, manifest } => write!(
                f,
                "the signature says bundle version {signed} but manifest.toml says version \
                 {manifest}; the bundle was altered or signed wrongly: make it again"
            ),
            Signing { why } => write!(f, "could not sign the manifest: {why}"),
            ManifestTooLarge { bytes, max } => write!(
                f,
                "manifest.toml is {} but a manifest may be at most {}; it is not a bundle \
                 manifest",
                human_bytes(*bytes),
                human_bytes(*max)
            ),
            BadManifest { why } => write!(f, "manifest.toml is not a valid bundle manifest: {why}"),
            BadEntry { name, why } => {
                write!(f, "manifest.toml, file {name:?}: {why}")
            }
            MissingFile { name } => write!(
                f,
                "{name} is listed in manifest.toml but is not in the bundle folder; copy the \
                 whole bundle folder again"
            ),
            ChecksumMismatch { name } => write!(
                f,
                "{name} does not match its checksum: changed after signing or damaged copy; \
                 copy the bundle again or make a new one"
            ),
            ChecksumDiffersFromManifest { name } => write!(
                f,
                "{name} does not match the sha256 written in the manifest; fix the sha256 line \
                 (or leave it empty to have it filled in)"
            ),
            TooLarge { dir, max } => write!(
                f,
                "the bundle in {} is larger than {}, the most a bundle may be; nothing was \
                 copied: check that the folder holds only the bundle",
                dir.display(),
                human_bytes(*max)
            ),
            NotAFolder { path } => write!(
                f,
                "{} is not a folder; a bundle is a folder holding manifest.toml",
                path.display()
            ),
            NotNewer { version, accepted } => write!(
                f,
                "bundle version {version} is not newer than the accepted version {accepted}: \
                 an old bundle cannot replace a newer schedule"
            ),
        }
    }
}

impl std::error::Error for BundleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BundleError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
