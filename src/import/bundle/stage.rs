//! Copying a bundle off an untrusted USB stick into a private staging folder.
//!
//! Everything after this step (signature, checksums, parsing) reads the private copy, so a
//! stick that is pulled out, or changes its files between checks, cannot change what was
//! checked. Only regular files directly in the bundle folder are copied; symlinks and
//! subfolders are skipped, never followed, and so are hidden files and sync tools' temporary
//! files, which no manifest can list. This module does not check signatures.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use sha2::Sha256;

use super::manifest::copy_with;
use super::BundleError;

/// The most a bundle may hold, all files together: a large area's feeds are a few MB, a
/// schedule database a few tens.
pub const DEFAULT_MAX_BUNDLE_BYTES: u64 = 200_000_000;

/// Copies the bundle folder `from` into a new folder inside `staging` and returns that
/// folder. Refuses, and removes the partial copy, when the files together exceed
/// `max_total_bytes` (counted while copying, not trusted from the stick's metadata).
pub fn stage(from: &Path, staging: &Path, max_total_bytes: u64) -> Result<PathBuf, BundleError> {
    let meta = fs::metadata(from).map_err(BundleError::io("open the bundle folder", from))?;
    if !meta.is_dir() {
        return Err(BundleError::NotAFolder {
            path: from.to_path_buf(),
        });
    }
    fs::create_dir_all(staging).map_err(BundleError::io("create the staging folder", staging))?;
    let dest = fresh_dir(staging)?;
    match copy_files(from, &dest, max_total_bytes) {
        Ok(()) => Ok(dest),
        Err(e) => {
            // A half copy must not be mistaken for a bundle later; failing to remove it only
            // leaves a folder no one reads.
            let _ = fs::remove_dir_all(&dest);
            Err(e)
        }
    }
}

/// Each file's staged copy, or why there is none, by name.
pub type StagedFiles = Vec<(String, Result<PathBuf, String>)>;

/// Copies each regular file directly in `from` into a new folder inside `staging`, each on its
/// own with at most `max_file_bytes`: for plain schedule files on a stick, where a file that is
/// too large or unreadable is reported on its own and the others are still looked at. Returns
/// the folder and, per file name, its staged copy or why there is none.
pub fn stage_files(
    from: &Path,
    staging: &Path,
    max_file_bytes: u64,
) -> Result<(PathBuf, StagedFiles), BundleError> {
    let entries = fs::read_dir(from).map_err(BundleError::io("list the folder", from))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    fs::create_dir_all(staging).map_err(BundleError::io("create the staging folder", staging))?;
    let dest = fresh_dir(staging)?;
    let staged = names
        .into_iter()
        .map(|name| {
            let copy = stage_one(&from.join(&name), &dest.join(&name), max_file_bytes);
            if copy.is_err() {
                let _ = fs::remove_file(dest.join(&name));
            }
            (name, copy)
        })
        .collect();
    Ok((dest, staged))
}

fn stage_one(src_path: &Path, dst_path: &Path, max: u64) -> Result<PathBuf, String> {
    let mut src = open_no_follow(src_path).map_err(|e| e.to_string())?;
    let mut dst = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dst_path)
        .map_err(|e| format!("cannot be copied off the stick: {e}"))?;
    let copied = copy_with(&mut src, &mut dst, &mut Sha256::default(), max)
        .map_err(|e| format!("cannot be read from the stick: {e}"))?;
    if copied > max {
        return Err(format!(
            "is larger than {} MB, so it is not a meeting listing",
            max / (1024 * 1024)
        ));
    }
    dst.sync_all()
        .map_err(|e| format!("cannot be copied off the stick: {e}"))?;
    Ok(dst_path.to_path_buf())
}

/// A new, empty folder only this process made (create_dir fails if the name is taken).
fn fresh_dir(staging: &Path) -> Result<PathBuf, BundleError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    for n in 0..1000u32 {
        let dir = staging.join(format!("bundle-{}-{stamp}-{n}", std::process::id()));
        match fs::create_dir(&dir) {
            Ok(()) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
                        .map_err(BundleError::io("protect the staging folder", &dir))?;
                }
                return Ok(dir);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(BundleError::io("create the staging folder", &dir)(e)),
        }
    }
    Err(BundleError::io("create a staging folder in", staging)(
        std::io::Error::new(std::io::ErrorKind::AlreadyExists, "every name is taken"),
    ))
}

fn copy_files(from: &Path, dest: &Path, max_total: u64) -> Result<(), BundleError> {
    let entries = fs::read_dir(from).map_err(BundleError::io("list the bundle folder", from))?;
    let mut total: u64 = 0;
    for entry in entries {
        let entry = entry.map_err(BundleError::io("list the bundle folder", from))?;
        // file_type() does not follow symlinks, so a link to /etc/shadow or to a huge device
        // is skipped here rather than copied.
        let kind = entry
            .file_type()
            .map_err(BundleError::io("inspect", &entry.path()))?;
        if !kind.is_file() {
            continue;
        }
        let name = entry.file_name();
        // Names that are not UTF-8 cannot be listed in a manifest anyway; nor can hidden ones,
        // which sync tools and desktops leave beside the bundle (`.syncthing.x.tmp`,
        // `~syncthing~x.tmp`, `.stignore`, macOS's `._x`): they are not copied.
        let Some(name) = name.to_str() else { continue };
        if !may_be_listed(name) {
            continue;
        }
        let src_path = from.join(name);
        let mut src = open_no_follow(&src_path)?;
        let dst_path = dest.join(name);
        let mut dst = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&dst_path)
            .map_err(BundleError::io("create", &dst_path))?;
        let left = max_total - total;
        let copied = copy_with(&mut src, &mut dst, &mut Sha256::default(), left)
            .map_err(BundleError::io("copy", &src_path))?;
        if copied > left {
            return Err(BundleError::TooLarge {
                dir: from.to_path_buf(),
                max: max_total,
            });
        }
        total += copied;
        dst.sync_all()
            .map_err(BundleError::io("write", &dst_path))?;
    }
    Ok(())
}

/// Whether a file of this name can be part of a bundle: not a hidden file (`.stfolder`,
/// `.syncthing.x.tmp`, `.stignore`, `._x`) nor a sync tool's temporary (`~syncthing~x.tmp`).
pub fn may_be_listed(name: &str) -> bool {
    !name.starts_with('.') && !name.starts_with("~syncthing~")
}

/// Opens a regular file, refusing one that was swapped for a symlink or something else
/// after the folder was listed: the file opened must be the very file inspected before.
fn open_no_follow(path: &Path) -> Result<File, BundleError> {
    let before = fs::symlink_metadata(path).map_err(BundleError::io("inspect", path))?;
    let not_regular = || {
        BundleError::io("copy", path)(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is not a regular file (or it changed while being copied)",
        ))
    };
    if !before.is_file() {
        return Err(not_regular());
    }
    let file = File::open(path).map_err(BundleError::io("open", path))?;
    let after = file.metadata().map_err(BundleError::io("inspect", path))?;
    if !after.is_file() || !same_file(&before, &after) {
        return Err(not_regular());
    }
    Ok(file)
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    a.len() == b.len()
}
