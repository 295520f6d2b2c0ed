//! Keys and signatures for bundles, in minisign's file formats so the stock `minisign`
//! tool can check (and make) the same signatures.
//!
//! Signing uses the `minisign` crate, checking uses the small `minisign-verify` crate. Keys
//! made here are unencrypted: they live on a staff laptop, and a password prompt would stop
//! the bundle tool from running unattended. Nothing here reads a manifest or schedule.

use std::fs::{self, OpenOptions};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use super::BundleError;

/// Secret key file written by [`keygen`].
pub const SECRET_KEY_FILE: &str = "kiosk-bundle.key";
/// Public key file written by [`keygen`]; goes into the kiosk's `[bundles] public_keys`.
pub const PUBLIC_KEY_FILE: &str = "kiosk-bundle.pub";
/// What every bundle signature's trusted comment starts with; the version follows.
pub const TRUSTED_COMMENT_PREFIX: &str = "lobby-kiosk bundle";

/// Key files are two short lines; anything bigger is the wrong file.
const MAX_KEY_FILE_BYTES: u64 = 4096;
const MAX_SIGNATURE_BYTES: u64 = 4096;

/// A public key the kiosk trusts for bundles.
#[derive(Debug, Clone)]
pub struct PublicKey {
    key: minisign_verify::PublicKey,
    key_id: String,
    /// The key line, as given: what the store keeps for a key trusted on the staff screen.
    base64: String,
}

impl PublicKey {
    /// Loads a public key file as `minisign -G` (or [`keygen`]) writes it: an untrusted
    /// comment line, then the base64 key.
    pub fn load(path: &Path) -> Result<PublicKey, BundleError> {
        let text = read_small(path, MAX_KEY_FILE_BYTES, "read the public key")?;
        let bad = |why: &str| BundleError::BadPublicKey {
            path: path.to_path_buf(),
            why: why.to_string(),
        };
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().ok_or_else(|| bad("the file is empty"))?;
        // The comment line is optional in practice (people paste just the key).
        let b64 = if first.starts_with("untrusted comment:") {
            lines.next().ok_or_else(|| bad("the key line is missing"))?
        } else {
            first
        };
        PublicKey::from_base64(b64).map_err(|why| bad(&why))
    }

    /// A key given as its base64 line (what `minisign -G` prints as `-P`).
    pub fn from_base64(b64: &str) -> Result<PublicKey, String> {
        let key = minisign_verify::PublicKey::from_base64(b64.trim())
            .map_err(|e| format!("the key line is not a minisign Ed25519 key: {e}"))?;
        let parsed = minisign::PublicKey::from_base64(b64.trim())
            .map_err(|e| format!("the key line is not a minisign Ed25519 key: {e}"))?;
        Ok(PublicKey {
            key,
            key_id: key_id_hex(parsed.keynum()),
            base64: b64.trim().to_string(),
        })
    }

    /// The key ID as minisign prints it (16 uppercase hex digits).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The key line (base64), as `from_base64` reads it back.
    pub fn base64(&self) -> &str {
        &self.base64
    }

    pub(crate) fn inner(&self) -> &minisign_verify::PublicKey {
        &self.key
    }
}

/// minisign prints a key number as one little-endian u64 in hex.
fn key_id_hex(keynum: &[u8]) -> String {
    let mut le = [0u8; 8];
    for (d, s) in le.iter_mut().zip(keynum) {
        *d = *s;
    }
    format!("{:016X}", u64::from_le_bytes(le))
}

/// The key ID a signature names, read before any key is tried so a refusal can say which
/// key signed.
pub(crate) fn signature_key_id(sig_text: &str) -> Result<String, BundleError> {
    let sig = minisign::SignatureBox::from_string(sig_text)
        .map_err(|e| BundleError::BadSignatureFile { why: e.to_string() })?;
    Ok(key_id_hex(sig.keynum()))
}

/// Makes a new signing key pair in `out_dir`: `kiosk-bundle.key` (secret, mode 0600) and
/// `kiosk-bundle.pub`. Existing files are never overwritten.
pub fn keygen(out_dir: &Path) -> Result<(PathBuf, PathBuf), BundleError> {
    let sk_path = out_dir.join(SECRET_KEY_FILE);
    let pk_path = out_dir.join(PUBLIC_KEY_FILE);
    for path in [&sk_path, &pk_path] {
        if fs::symlink_metadata(path).is_ok() {
            return Err(BundleError::WouldOverwrite { path: path.clone() });
        }
    }
    let signing = |e: minisign::PError| BundleError::Signing { why: e.to_string() };
    // An "encrypted" pair with an empty password is a plain key with its checksum set,
    // which is what minisign expects of an unencrypted key.
    let pair =
        minisign::KeyPair::generate_encrypted_keypair(Some(String::new())).map_err(signing)?;
    let mut sk_bytes = pair.sk.to_bytes();
    // Bytes 2..4 name the key derivation; zero means "not encrypted" to the stock minisign
    // tool (our crate ignores the field when the password is empty).
    sk_bytes[2] = 0;
    sk_bytes[3] = 0;
    let sk = minisign::SecretKey::from_bytes(&sk_bytes).map_err(signing)?;
    let pk_id = key_id_hex(pair.pk.keynum());
    let sk_box = sk
        .to_box(Some(&format!(
            "lobby-kiosk bundle secret key {pk_id} (unencrypted: keep it on the staff laptop)"
        )))
        .map_err(signing)?;
    let pk_box = pair.pk.to_box().map_err(signing)?;

    fs::create_dir_all(out_dir).map_err(BundleError::io("create the folder", out_dir))?;
    write_new(&sk_path, sk_box.to_string().as_bytes(), 0o600)?;
    write_new(&pk_path, pk_box.to_string().as_bytes(), 0o644)?;
    Ok((sk_path, pk_path))
}

/// Creates a file that must not exist yet, with the given Unix mode from the start (so the
/// secret key is never readable by others, not even briefly).
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), BundleError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            BundleError::WouldOverwrite {
                path: path.to_path_buf(),
            }
        } else {
            BundleError::io("create", path)(e)
        }
    })?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(BundleError::io("write", path))
}

/// The trusted comment for a bundle version.
pub(crate) fn trusted_comment(version: u64) -> String {
    format!("{TRUSTED_COMMENT_PREFIX} version={version}")
}

/// The version a trusted comment carries: it must start with [`TRUSTED_COMMENT_PREFIX`] so a
/// manifest signed for something else (or with minisign's default timestamp comment) is not
/// taken as a bundle. Other `key=value` words (a site id) are allowed.
pub(crate) fn version_from_comment(comment: &str) -> Result<u64, BundleError> {
    let bad = || BundleError::BadTrustedComment {
        comment: comment.to_string(),
    };
    let rest = comment
        .strip_prefix(TRUSTED_COMMENT_PREFIX)
        .ok_or_else(bad)?;
    let mut versions = rest
        .split_whitespace()
        .filter_map(|word| word.strip_prefix("version="));
    let version = versions.next().ok_or_else(bad)?;
    if versions.next().is_some() {
        return Err(bad());
    }
    version.parse::<u64>().map_err(|_| bad())
}

/// Signs `data` with the unencrypted minisign secret key at `sk_path`; returns the text of
/// the `.minisig` file.
pub(crate) fn sign(sk_path: &Path, data: &[u8], version: u64) -> Result<String, BundleError> {
    let text = read_small(sk_path, MAX_KEY_FILE_BYTES, "read the secret key")?;
    let bad = |why: String| BundleError::BadSecretKey {
        path: sk_path.to_path_buf(),
        why,
    };
    let sk_box = minisign::SecretKeyBox::from_string(&text).map_err(|e| bad(e.to_string()))?;
    // With an empty password the crate only checks the key's checksum, which fails for a
    // password-protected key: say so rather than "wrong password".
    let sk = minisign::SecretKey::from_box(sk_box, Some(String::new())).map_err(|_| {
        bad(
            "it is password-protected or damaged; the bundle tool signs with the \
             unencrypted key written by keygen"
                .to_string(),
        )
    })?;
    let pk = minisign::PublicKey::from_secret_key(&sk).map_err(|e| bad(e.to_string()))?;
    let key_id = key_id_hex(pk.keynum());
    let sig = minisign::sign(
        Some(&pk),
        &sk,
        Cursor::new(data),
        Some(&trusted_comment(version)),
        Some(&format!("signature from lobby-kiosk bundle key {key_id}")),
    )
    .map_err(|e| BundleError::Signing { why: e.to_string() })?;
    Ok(sig.into_string())
}

/// Reads a file that should be small, refusing a big one before reading it all.
pub(crate) fn read_small(
    path: &Path,
    max: u64,
    action: &'static str,
) -> Result<String, BundleError> {
    let file = fs::File::open(path).map_err(BundleError::io(action, path))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(BundleError::io(action, path))?;
    if bytes.len() as u64 > max {
        return Err(BundleError::Io {
            action,
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the file is larger than {max} bytes, which no key or signature is"),
            ),
        });
    }
    String::from_utf8(bytes).map_err(|_| BundleError::Io {
        action,
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "the file is not text"),
    })
}

/// Reads a signature file (size-capped).
pub(crate) fn read_signature(path: &Path) -> Result<String, BundleError> {
    read_small(path, MAX_SIGNATURE_BYTES, "read the signature")
}
