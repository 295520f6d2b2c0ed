//! manifest.toml: the signed list of a bundle's files, and the checks on it.
//!
//! Parsing here is strict on purpose (unknown keys, unsafe names and unknown formats are
//! refused) because a signed manifest is written by our own tool or by staff, never by a
//! feed. This module does not check signatures and does not read schedule data.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::BundleError;
use crate::import::Format;

/// The manifest's file name inside a bundle folder.
pub const MANIFEST: &str = "manifest.toml";
/// The minisign signature of [`MANIFEST`], as `minisign -Sm manifest.toml` names it.
pub const SIGNATURE: &str = "manifest.toml.minisig";
/// A manifest lists a handful of files; anything bigger is not a manifest and is not parsed.
pub const MAX_MANIFEST_BYTES: u64 = 256 * 1024;
/// The format name of a whole schedule database; not an importer format.
pub const SQLITE_FORMAT: &str = "sqlite";
/// The only name a `sqlite` entry may have.
pub const SQLITE_NAME: &str = "schedule.sqlite";

/// What the signed manifest.toml says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Grows with every bundle; an older one never replaces a newer one.
    pub version: u64,
    /// When the bundle was made (RFC 3339, UTC). Informational only: kiosk clocks drift.
    #[serde(default)]
    pub created: String,
    #[serde(default, rename = "file")]
    pub files: Vec<BundleFile>,
}

/// One `[[file]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleFile {
    /// A plain file name inside the bundle folder.
    pub name: String,
    /// Lowercase hex SHA-256 of the file. May be left empty in a hand-written manifest given
    /// to `create_from_manifest`, which fills it in; a signed manifest must have it.
    #[serde(default)]
    pub sha256: String,
    /// `meeting-guide`, `tsml-csv`, `bmlt`, `in-house`, `in-house-csv` or `sqlite`.
    pub format: String,
    /// The source the meetings replace (empty only for `sqlite`).
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub program: String,
    #[serde(default)]
    pub in_house: bool,
}

impl BundleFile {
    /// The importer for this file, `None` for a `sqlite` schedule database.
    pub fn import_format(&self) -> Option<Format> {
        Format::from_name(&self.format)
    }

    pub fn is_sqlite(&self) -> bool {
        self.format == SQLITE_FORMAT
    }
}

/// Whether every entry must already carry its checksum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checksums {
    Required,
    MayBeEmpty,
}

impl Manifest {
    /// Parses and checks manifest bytes (already known to be at most [`MAX_MANIFEST_BYTES`]).
    pub(crate) fn parse(bytes: &[u8], checksums: Checksums) -> Result<Manifest, BundleError> {
        let text = std::str::from_utf8(bytes).map_err(|e| BundleError::BadManifest {
            why: format!("it is not UTF-8 text ({e})"),
        })?;
        let manifest: Manifest = toml::from_str(text).map_err(|e| BundleError::BadManifest {
            why: e.message().to_string() + &location(text, e.span()),
        })?;
        manifest.check(checksums)?;
        Ok(manifest)
    }

    /// The manifest as written into a bundle.
    pub(crate) fn to_toml(&self) -> Result<String, BundleError> {
        let body = toml::to_string(self).map_err(|e| BundleError::BadManifest {
            why: format!("cannot be written as TOML: {e}"),
        })?;
        Ok(format!(
            "# lobby-kiosk schedule bundle. Signed: manifest.toml.minisig covers every byte of\n\
             # this file, so any edit makes kiosks refuse the bundle. Make a new bundle instead.\n\
             {body}"
        ))
    }

    pub(crate) fn check(&self, checksums: Checksums) -> Result<(), BundleError> {
        if self.version == 0 {
            return Err(BundleError::BadManifest {
                why: "version must be 1 or more".into(),
            });
        }
        // The store keeps versions as SQLite integers.
        if i64::try_from(self.version).is_err() {
            return Err(BundleError::BadManifest {
                why: format!("version {} is too large", self.version),
            });
        }
        if self.files.is_empty() {
            return Err(BundleError::BadManifest {
                why: "it lists no files ([[file]] entries)".into(),
            });
        }
        let mut seen = HashSet::new();
        for file in &self.files {
            let bad = |why: String| BundleError::BadEntry {
                name: file.name.clone(),
                why,
            };
            check_name(&file.name).map_err(bad)?;
            if !seen.insert(file.name.as_str()) {
                return Err(bad("the file is listed twice".into()));
            }
            if file.import_format().is_none() && !file.is_sqlite() {
                let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                return Err(bad(format!(
                    "unknown format {:?}; known formats: {}, {SQLITE_FORMAT}",
                    file.format,
                    known.join(", ")
                )));
            }
            if file.is_sqlite() && file.name != SQLITE_NAME {
                return Err(bad(format!(
                    "a {SQLITE_FORMAT} entry must be named {SQLITE_NAME}"
                )));
            }
            if !file.is_sqlite() && file.source.trim().is_empty() {
                return Err(bad(
                    "source is empty; say which source these meetings replace".into(),
                ));
            }
            let sha_ok = file.sha256.len() == 64
                && file
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            match checksums {
                Checksums::MayBeEmpty if file.sha256.is_empty() => {}
                _ if !sha_ok => {
                    return Err(bad(format!(
                        "sha256 {:?} is not 64 lowercase hex digits",
                        file.sha256
                    )))
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// " (line 4)" for a TOML error span.
fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(span) => {
            let line = text
                .get(..span.start)
                .map_or(0, |t| t.matches('\n').count())
                + 1;
            format!(" (line {line})")
        }
        None => String::new(),
    }
}

/// A name must stay inside the bundle folder on every system the bundle may be made on.
pub(crate) fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.len() > 255 {
        return Err("the name is longer than 255 bytes".into());
    }
    if name.contains('/') || name.contains('\\') || name == "." || name == ".." {
        return Err(
            "the name must be a plain file name in the bundle folder: no '/', '\\' \
                    or '..'"
                .into(),
        );
    }
    if name.starts_with('.') {
        return Err("hidden file names (starting with '.') are not allowed".into());
    }
    if name.chars().any(|c| c.is_control() || c == ':') {
        return Err("the name contains control characters or ':'".into());
    }
    if name == MANIFEST || name == SIGNATURE {
        return Err("the manifest and its signature cannot be listed as data files".into());
    }
    Ok(())
}

/// Lowercase hex SHA-256 of a file, read in chunks.
pub(crate) fn sha256_file(path: &Path) -> Result<String, BundleError> {
    let mut file = File::open(path).map_err(BundleError::io("open", path))?;
    let mut hasher = Sha256::new();
    copy_with(&mut file, &mut io::sink(), &mut hasher, u64::MAX)
        .map_err(BundleError::io("read", path))?;
    Ok(hex(&hasher.finalize()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Copies at most `limit` bytes, hashing them; returns the bytes copied, or `limit + 1`
/// when the source holds more than `limit` (the caller reports that).
pub(crate) fn copy_with(
    from: &mut impl Read,
    to: &mut impl Write,
    hasher: &mut Sha256,
    limit: u64,
) -> io::Result<u64> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total = total.saturating_add(n as u64);
        if total > limit {
            return Ok(limit.saturating_add(1));
        }
        hasher.update(&buf[..n]);
        to.write_all(&buf[..n])?;
    }
}
