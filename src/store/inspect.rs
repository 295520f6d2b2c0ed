//! Looking at a store without changing it, for `lobby-kiosk doctor`, the clock check and a
//! kiosk whose disk has gone read-only: a read-only open, SQLite's integrity check, and the
//! newest time the kiosk wrote down.
//!
//! A read-only open neither migrates nor creates `-wal`/`-shm` files, so `doctor` run as
//! root cannot leave files the kiosk's own user cannot open.

use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags};

use super::{db_err, Store, StoreError, MIGRATIONS};

/// The oldest schema a read-only store can be shown from: every table the board and the
/// staff screen read exists from version 3 on (version 4 only added `display_choice`,
/// which reads as "never chosen" when it is missing).
const OLDEST_READABLE_SCHEMA: i64 = 3;

impl Store {
    /// Opens an existing store read-only, as it is (no migration).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        if !path.is_file() {
            return Err(StoreError::Invalid {
                path: shown,
                problem: "the file does not exist".into(),
            });
        }
        // Even a read-only connection creates `-wal`/`-shm` beside a WAL database when they
        // are missing. They are missing only when no connection is open (the last one to
        // close removes them), so nobody can be writing: read the file as immutable then.
        let in_use = Path::new(&format!("{shown}-shm")).exists();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let uri = format!(
            "file:{}{}",
            uri_path(&shown),
            if in_use { "" } else { "?immutable=1" }
        );
        let conn = Connection::open_with_flags(uri, flags)
            .map_err(db_err(&shown, "open the file read-only"))?;
        Ok(Store { conn, path: shown })
    }

    /// The kiosk's last resort when the database's disk has gone read-only (an SD card near
    /// the end of its life does this): the schedule as it was, for reading only. Nothing can
    /// be migrated, so only a schema this kiosk can read as it is is accepted; a first read
    /// proves the file (and a `-wal` left by a crash) can be read at all.
    pub fn open_frozen(path: &Path) -> Result<Store, StoreError> {
        let store = Store::open_read_only(path)?;
        let e = |action| db_err(&store.path, action);
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(e("read the schema version"))?;
        if !(OLDEST_READABLE_SCHEMA..=MIGRATIONS.len() as i64).contains(&version) {
            return Err(StoreError::Invalid {
                path: store.path.clone(),
                problem: format!(
                    "it cannot be written, and it has schema version {version} where this kiosk \
                     reads {OLDEST_READABLE_SCHEMA} to {} without changing it",
                    MIGRATIONS.len()
                ),
            });
        }
        store
            .conn
            .query_row("SELECT count(*) FROM meeting", [], |r| r.get::<_, i64>(0))
            .map_err(e("read the meetings"))?;
        Ok(store)
    }

    /// True when this connection cannot write (`open_read_only`, `open_frozen`).
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
    }

    /// SQLite's `quick_check`: "ok", or what is damaged.
    pub fn quick_check(&self) -> Result<String, StoreError> {
        let rows: Vec<String> = self
            .conn
            .prepare("PRAGMA quick_check")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<_, _>>()
            })
            .map_err(db_err(&self.path, "check the file"))?;
        Ok(rows.join("; "))
    }

    /// The newest time the kiosk recorded with its own clock: a bundle accepted, a source
    /// imported, a feed checked. The clock cannot rightly be much earlier than this.
    pub fn newest_recorded_time(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let stamps: Vec<String> = self
            .conn
            .prepare(
                "SELECT accepted_at FROM bundle_state
                 UNION ALL SELECT imported_at FROM source
                 UNION ALL SELECT last_success FROM feed_state",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<_, _>>()
            })
            .map_err(db_err(&self.path, "read when it was last updated"))?;
        Ok(stamps.iter().filter_map(|s| parse_stamp(s)).max())
    }
}

/// A file path as the path of a `file:` URI: the characters a URI gives meaning escaped.
fn uri_path(path: &str) -> String {
    path.chars()
        .map(|c| match c {
            '%' | '?' | '#' => format!("%{:02X}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// A time as the store keeps it: RFC 3339, or "YYYY-MM-DD HH:MM:SS" in UTC.
pub fn parse_stamp(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|t| t.and_utc())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_recorded_time_is_the_latest_import_or_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.newest_recorded_time().unwrap(), None);
        store
            .replace_source("aa", &[], "2026-05-01T10:00:00Z")
            .unwrap();
        {
            let update = store.begin_update().unwrap();
            update
                .accept_bundle(3, "key", "2026-06-01T08:00:00Z")
                .unwrap();
            update.commit().unwrap();
        }
        drop(store);
        let files = || std::fs::read_dir(dir.path()).unwrap().count();
        let before = files();
        let read_only = Store::open_read_only(&path).unwrap();
        assert_eq!(read_only.quick_check().unwrap(), "ok");
        assert_eq!(
            read_only
                .newest_recorded_time()
                .unwrap()
                .unwrap()
                .to_rfc3339(),
            "2026-06-01T08:00:00+00:00"
        );
        assert_eq!(files(), before, "no -wal or -shm file was created");
    }

    #[test]
    fn a_missing_file_is_not_created_by_a_read_only_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.db");
        assert!(Store::open_read_only(&path).is_err());
        assert!(!path.exists());
    }
}
