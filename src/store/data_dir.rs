//! The folder the database lives in, and what the kiosk keeps beside it: snapshots, the
//! staging copy of a bundle or stick's files, the outbox for USB exports, the card key. One
//! place names them, so the updater, the staff screen and the CLI find the same files.

use std::path::{Path, PathBuf};

/// The card key's file name (32 random bytes, mode 0600).
pub const CARD_KEY_FILE: &str = "kiosk-card.key";
/// Where an export waits when the stick cannot be written directly.
pub const OUTBOX: &str = "usb-outbox";

/// The data folder of a database file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir(PathBuf);

impl DataDir {
    /// The folder `db` is in ("." for a bare file name).
    pub fn of(db: &Path) -> DataDir {
        DataDir(match db.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        })
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Nightly snapshots and the recovery at start read them (`store::snapshot`).
    pub fn snapshots(&self) -> PathBuf {
        self.0.join("snapshots")
    }

    /// Where a bundle or a stick's files are copied before they are checked, unless
    /// `[bundles] staging` names another folder.
    pub fn staging(&self, configured: Option<&Path>) -> PathBuf {
        configured.map_or_else(|| self.0.join("staging"), Path::to_path_buf)
    }

    pub fn outbox(&self) -> PathBuf {
        self.0.join(OUTBOX)
    }

    pub fn card_key(&self) -> PathBuf {
        self.0.join(CARD_KEY_FILE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_lives_beside_the_database() {
        let dir = DataDir::of(Path::new("/var/lib/lobby-kiosk/schedule.db"));
        assert_eq!(dir.path(), Path::new("/var/lib/lobby-kiosk"));
        assert_eq!(dir.snapshots(), Path::new("/var/lib/lobby-kiosk/snapshots"));
        assert_eq!(dir.staging(None), Path::new("/var/lib/lobby-kiosk/staging"));
        assert_eq!(dir.staging(Some(Path::new("/tmp/s"))), Path::new("/tmp/s"));
        assert_eq!(dir.outbox(), Path::new("/var/lib/lobby-kiosk/usb-outbox"));
        assert_eq!(
            dir.card_key(),
            Path::new("/var/lib/lobby-kiosk/kiosk-card.key")
        );
        assert_eq!(DataDir::of(Path::new("kiosk.db")).path(), Path::new("."));
    }
}
