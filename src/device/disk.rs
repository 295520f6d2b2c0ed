//! Free space on the disk holding the database, as `df` reports it (no statvfs binding needed).

use std::path::Path;
use std::process::Command;

/// Bytes free for an ordinary user on the file system holding `dir`; None when `df` cannot tell.
pub fn free_bytes(dir: &Path) -> Option<u64> {
    let out = Command::new("df").arg("-Pk").arg(dir).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let kb: u64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The folder a database file is in, or `/` when that folder does not exist.
pub fn folder_of(db: &Path) -> &Path {
    db.parent().filter(|p| p.exists()).unwrap_or(Path::new("/"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_temporary_folder_has_some_free_space() {
        let dir = tempfile::tempdir().unwrap();
        let free = super::free_bytes(dir.path()).expect("df reads a real folder");
        assert!(free > 0);
        assert_eq!(super::free_bytes(&dir.path().join("missing")), None);
    }
}
