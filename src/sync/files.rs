//! Writing files so that a power cut leaves either the old file or the new one: a temporary
//! file in the same folder, fsync, rename over the target, fsync the folder.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces `path` with `bytes` atomically and durably.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_then_place(path, bytes, 0o666, |tmp, path| fs::rename(tmp, path))
}

/// Creates `path` holding `bytes` with permission `mode`, all or nothing: written to a temporary
/// file and synced, then linked into place (which, unlike a rename, never replaces a file that
/// is already there: that is an `AlreadyExists` error). A power cut leaves either no file or the
/// whole one — never a short key.
pub fn create_durably(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    write_then_place(path, bytes, mode, |tmp, path| fs::hard_link(tmp, path))
}

/// Writes `bytes` to a temporary file beside `path` (created with `mode`, before the umask),
/// syncs it, `place`s it at `path`, syncs the folder, and removes whatever is left of the
/// temporary file.
fn write_then_place(
    path: &Path,
    bytes: &[u8],
    mode: u32,
    place: fn(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(mode)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        place(&tmp, path)?;
        sync_dir(&dir)
    })();
    // After a rename there is nothing left; after a link, or a failure, the temporary goes.
    let _ = fs::remove_file(&tmp);
    result
}

/// Makes a rename or a new file in `dir` durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_file_is_whole_never_replaces_one_and_leaves_no_temporary() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("kiosk-card.key");
        create_durably(&target, &[7; 32], 0o600).unwrap();
        assert_eq!(fs::read(&target).unwrap(), vec![7; 32]);
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let again = create_durably(&target, &[9; 32], 0o600).unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(
            fs::read(&target).unwrap(),
            vec![7; 32],
            "the first key stays"
        );
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("kiosk-card.key")]);
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.txt");
        fs::write(&target, "old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("report.txt")]);
    }

    #[test]
    fn failure_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder").join("x.txt");
        assert!(write_atomically(&missing, b"new").is_err());
    }
}
