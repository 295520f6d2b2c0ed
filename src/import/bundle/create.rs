//! Making a signed bundle on the staff laptop: copy the files, checksum them, write and sign
//! the manifest.
//!
//! It does not check that the files are valid schedules (the importers do that, on the
//! kiosk and in the bundle tool's dry run). It never overwrites anything, except through
//! [`replace`], which puts a new bundle in place of an earlier one (the office's sync folder).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::keys;
use super::manifest::{copy_with, hex, Checksums};
use super::{BundleError, BundleFile, Manifest, MANIFEST, MAX_MANIFEST_BYTES, SIGNATURE};

/// What to say about one file given to [`create`]; its name is the file's own name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileOptions {
    /// `meeting-guide`, `tsml-csv`, `bmlt`, `in-house`, `in-house-csv` or `sqlite`.
    pub format: String,
    pub source: String,
    pub program: String,
    pub in_house: bool,
}

/// Makes bundle `version` in `out_dir` (created if missing, refused if not empty) from the
/// given files, signed with the secret key file written by `keygen`.
pub fn create(
    secret_key: &Path,
    version: u64,
    files: &[(PathBuf, FileOptions)],
    out_dir: &Path,
) -> Result<Manifest, BundleError> {
    let mut entries = Vec::new();
    for (path, options) in files {
        let name =
            path.file_name()
                .and_then(|n| n.to_str())
                .ok_or_else(|| BundleError::BadEntry {
                    name: path.display().to_string(),
                    why: "the path does not end in a file name that is valid text".into(),
                })?;
        entries.push(BundleFile {
            name: name.to_string(),
            sha256: String::new(),
            format: options.format.clone(),
            source: options.source.clone(),
            program: options.program.clone(),
            in_house: options.in_house,
        });
    }
    let manifest = Manifest {
        version,
        created: now_utc(),
        files: entries,
    };
    let sources: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    write_bundle(secret_key, manifest, &sources, out_dir)
}

/// Makes a bundle from a hand-written manifest: the listed files are taken from the
/// manifest's folder, empty `sha256` values are filled in and given ones must match, an empty
/// `created` is set to now. The result goes to `out_dir` (created if missing, refused if
/// not empty).
pub fn create_from_manifest(
    secret_key: &Path,
    manifest_path: &Path,
    out_dir: &Path,
) -> Result<Manifest, BundleError> {
    let text = keys::read_small(manifest_path, MAX_MANIFEST_BYTES, "read the manifest")?;
    let mut manifest = Manifest::parse(text.as_bytes(), Checksums::MayBeEmpty)?;
    if manifest.created.trim().is_empty() {
        manifest.created = now_utc();
    }
    let base = manifest_path.parent().unwrap_or(Path::new("."));
    let sources: Vec<PathBuf> = manifest.files.iter().map(|f| base.join(&f.name)).collect();
    write_bundle(secret_key, manifest, &sources, out_dir)
}

/// Copies `sources[i]` as `manifest.files[i]`, checking or filling its sha256, then writes
/// and signs the manifest. On failure, the files written so far are removed again.
fn write_bundle(
    secret_key: &Path,
    mut manifest: Manifest,
    sources: &[PathBuf],
    out_dir: &Path,
) -> Result<Manifest, BundleError> {
    // Everything that can be checked without writing is checked first.
    manifest.check(Checksums::MayBeEmpty)?;
    fs::metadata(secret_key).map_err(BundleError::io("read the secret key", secret_key))?;
    let created_dir = prepare_out_dir(out_dir)?;
    let mut written = Vec::new();
    let result = (|| {
        for (file, src) in manifest.files.iter_mut().zip(sources) {
            let dst = out_dir.join(&file.name);
            written.push(dst.clone());
            let sha = copy_hashed(src, &dst)?;
            if file.sha256.is_empty() {
                file.sha256 = sha;
            } else if file.sha256 != sha {
                return Err(BundleError::ChecksumDiffersFromManifest {
                    name: file.name.clone(),
                });
            }
        }
        manifest.check(Checksums::Required)?;
        let text = manifest.to_toml()?;
        let signature = keys::sign(secret_key, text.as_bytes(), manifest.version)?;
        let manifest_path = out_dir.join(MANIFEST);
        written.push(manifest_path.clone());
        write_new(&manifest_path, text.as_bytes())?;
        let sig_path = out_dir.join(SIGNATURE);
        written.push(sig_path.clone());
        write_new(&sig_path, signature.as_bytes())?;
        Ok(())
    })();
    if let Err(e) = result {
        // Only what this call wrote; a half bundle must not look like a bundle.
        for path in &written {
            let _ = fs::remove_file(path);
        }
        if created_dir {
            let _ = fs::remove_dir(out_dir);
        }
        return Err(e);
    }
    Ok(manifest)
}

/// Makes sure `out_dir` exists and is empty; true when this call created it.
fn prepare_out_dir(out_dir: &Path) -> Result<bool, BundleError> {
    match fs::read_dir(out_dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(BundleError::OutputNotEmpty {
                    path: out_dir.to_path_buf(),
                });
            }
            Ok(false)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(out_dir)
                .map_err(BundleError::io("create the bundle folder", out_dir))?;
            Ok(true)
        }
        Err(e) => Err(BundleError::io("open the bundle folder", out_dir)(e)),
    }
}

fn copy_hashed(src: &Path, dst: &Path) -> Result<String, BundleError> {
    let mut from = File::open(src).map_err(BundleError::io("open", src))?;
    let mut to = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dst)
        .map_err(BundleError::io("create", dst))?;
    let mut hasher = Sha256::new();
    copy_with(&mut from, &mut to, &mut hasher, u64::MAX).map_err(BundleError::io("copy", src))?;
    to.sync_all().map_err(BundleError::io("write", dst))?;
    Ok(hex(&hasher.finalize()))
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), BundleError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(BundleError::io("create", path))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(BundleError::io("write", path))
}

fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Puts the bundle in `fresh` (just made by [`create`] into a new folder) in place of the
/// bundle in `out_dir` — the office's sync folder, which the kiosks read while it changes:
/// the new data files are renamed in first, then the manifest, the signature last, and files
/// of the old bundle the new one does not list are removed. A kiosk that looks in between
/// sees files that do not match the signature and waits (`sync::folder`). `out_dir` may hold
/// hidden files (a sync tool's `.stfolder`); anything else that is not a bundle's is refused
/// before anything changes. `fresh` is removed.
pub fn replace(fresh: &Path, out_dir: &Path) -> Result<(), BundleError> {
    let old = replaceable(out_dir)?.files;
    fs::create_dir_all(out_dir).map_err(BundleError::io("create the bundle folder", out_dir))?;
    let text = keys::read_small(
        &fresh.join(MANIFEST),
        MAX_MANIFEST_BYTES,
        "read the manifest",
    )?;
    let manifest = Manifest::parse(text.as_bytes(), Checksums::Required)?;
    let mut order: Vec<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    order.extend([MANIFEST, SIGNATURE]);
    for name in &order {
        let (from, to) = (fresh.join(name), out_dir.join(name));
        fs::rename(&from, &to).map_err(BundleError::io("move into place", &to))?;
    }
    for name in old.iter().filter(|n| !order.contains(&n.as_str())) {
        let path = out_dir.join(name);
        fs::remove_file(&path).map_err(BundleError::io("remove the old", &path))?;
    }
    let _ = fs::remove_dir_all(fresh);
    File::open(out_dir)
        .and_then(|d| d.sync_all())
        .map_err(BundleError::io("write", out_dir))
}

/// What a folder [`replace`] may put a bundle into holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Replaceable {
    /// Its files, hidden ones aside.
    pub files: Vec<String>,
    /// The version its manifest says (not checked: for a warning); None when empty.
    pub version: Option<u64>,
}

/// What `out_dir` holds if it is missing, empty or holds a bundle (hidden entries aside):
/// there is a manifest, and every other file is one it lists.
pub fn replaceable(out_dir: &Path) -> Result<Replaceable, BundleError> {
    let mut names = Vec::new();
    let entries = match fs::read_dir(out_dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Replaceable::default()),
        other => other.map_err(BundleError::io("open the bundle folder", out_dir))?,
    };
    for entry in entries {
        let entry = entry.map_err(BundleError::io("list the bundle folder", out_dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !super::may_be_listed(&name) {
            continue;
        }
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            return Err(BundleError::NotABundleFolder {
                path: out_dir.to_path_buf(),
                stray: format!("the folder \"{name}\""),
            });
        }
        names.push(name);
    }
    if names.is_empty() {
        return Ok(Replaceable::default());
    }
    let manifest = fs::read(out_dir.join(MANIFEST))
        .ok()
        .and_then(|bytes| Manifest::parse(&bytes, Checksums::MayBeEmpty).ok());
    let Some(manifest) = manifest else {
        return Err(BundleError::NotABundleFolder {
            path: out_dir.to_path_buf(),
            stray: format!("\"{}\" but no readable {MANIFEST}", names[0]),
        });
    };
    let listed =
        |n: &String| n == MANIFEST || n == SIGNATURE || manifest.files.iter().any(|f| &f.name == n);
    if let Some(stray) = names.iter().find(|n| !listed(n)) {
        return Err(BundleError::NotABundleFolder {
            path: out_dir.to_path_buf(),
            stray: format!("\"{stray}\""),
        });
    }
    Ok(Replaceable {
        files: names,
        version: Some(manifest.version),
    })
}
