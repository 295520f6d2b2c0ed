//! The schedule store: one SQLite file holding every imported meeting, by source.
//!
//! This module owns the schema, its append-only migrations, the queries the board and the
//! importers need, and the atomic replacement of one source's meetings (a re-import swaps
//! that source's rows in a single transaction, so a reader never sees half a schedule).
//! It also keeps per-day attendance counts for the sign-in feature.
//!
//! It does not fetch or parse feeds, decide which meetings are shown today, or know about
//! the UI. It never deletes the file, never repairs rows it cannot decode (it skips them and
//! reports a warning; re-importing the source repairs them), and creates no directories.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::schedule::Meeting;

mod attendance;
mod codec;
pub mod data_dir;
mod display;
mod inspect;
pub use inspect::parse_stamp;
pub mod snapshot;

pub use data_dir::DataDir;
mod staff;
mod update;

pub use attendance::{CardStats, CardVisit, Stored, Throttle};
use codec::{read_meeting, COLUMNS};
pub use display::DisplayChoice;
pub use staff::{TrustedKey, WhyNot};
pub use update::{FeedState, SourceWriter, Update};

/// The WAL size (in 4 KiB pages, about 40 MB) at which a connection that defers checkpoints
/// does one itself: thousands of sign-ins, months of a lobby's use.
const DEFERRED_CHECKPOINT_PAGES: u32 = 10_000;

/// Oldest SQLite this store accepts (3.51.3), as `sqlite3_libversion_number` encodes it.
const MIN_SQLITE: i32 = 3_051_003;

/// Append-only: never edit an applied entry, only add new ones. `PRAGMA user_version`
/// records how many have been applied to a file.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE source (
    name        TEXT PRIMARY KEY,
    imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE meeting (
    id                     TEXT PRIMARY KEY,
    source                 TEXT NOT NULL REFERENCES source(name) ON DELETE CASCADE,
    name                   TEXT NOT NULL DEFAULT '',
    program                TEXT NOT NULL DEFAULT '',
    in_house               INTEGER NOT NULL DEFAULT 0,
    recurrence             TEXT NOT NULL,   -- appointment | weekly:0,3 | monthly:2:2 | monthly:last:5 | biweekly:2026-01-06
    start_time             TEXT NOT NULL,   -- HH:MM or HH:MM:SS, local to timezone
    end_time               TEXT,
    timezone               TEXT,            -- IANA name; NULL = the kiosk's zone
    location               TEXT NOT NULL DEFAULT '',
    address                TEXT NOT NULL DEFAULT '',
    latitude               REAL,
    longitude              REAL,
    approximate            INTEGER NOT NULL DEFAULT 0,
    region                 TEXT NOT NULL DEFAULT '',
    notes                  TEXT NOT NULL DEFAULT '',
    types                  TEXT NOT NULL DEFAULT '',  -- type codes joined with ','
    conference_url         TEXT NOT NULL DEFAULT '',
    conference_url_notes   TEXT NOT NULL DEFAULT '',
    conference_phone       TEXT NOT NULL DEFAULT '',
    conference_phone_notes TEXT NOT NULL DEFAULT '',
    updated                TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX meeting_by_source ON meeting(source);
CREATE INDEX meeting_for_board ON meeting(in_house, start_time);

-- Deliberately no foreign key to meeting: a re-import deletes and re-inserts a source's
-- meetings, and attendance history must survive that. It is keyed on the stable meeting
-- id and keeps a copy of the name, so it stays readable even after a meeting is dropped.
CREATE TABLE attendance (
    meeting_key  TEXT NOT NULL,
    meeting_name TEXT NOT NULL,
    local_date   TEXT NOT NULL,  -- YYYY-MM-DD in the kiosk's zone
    count        INTEGER NOT NULL,
    PRIMARY KEY (meeting_key, local_date)
) WITHOUT ROWID, STRICT;
"#,
    r#"
ALTER TABLE meeting ADD COLUMN location_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE meeting ADD COLUMN skipped TEXT NOT NULL DEFAULT '';  -- YYYY-MM-DD joined with ','

-- What the last import of each source said, for the staff screen and the footer.
ALTER TABLE source ADD COLUMN origin TEXT NOT NULL DEFAULT '';    -- file, URL or bundle it came from
ALTER TABLE source ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;

-- The newest signed bundle accepted. Written in the transaction that applies the bundle, so
-- a bundle is either applied and recorded or neither (rollback protection survives a crash).
CREATE TABLE bundle_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    version     INTEGER NOT NULL,
    accepted_at TEXT NOT NULL,
    key_id      TEXT NOT NULL
) STRICT;

-- HTTP feed bookkeeping: conditional-request validators and when it last worked.
CREATE TABLE feed_state (
    name          TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    last_attempt  TEXT NOT NULL DEFAULT '',
    last_success  TEXT NOT NULL DEFAULT '',
    last_error    TEXT NOT NULL DEFAULT ''
) STRICT;
"#,
    r#"
-- Optional cards (reference/privacy.md, level L1): aggregates per card only, keyed by
-- tag = HMAC-SHA256(kiosk key, card code). No visit history, no timestamps, no row ids.
CREATE TABLE card (
    tag          BLOB PRIMARY KEY,
    first_month  TEXT NOT NULL,     -- YYYY-MM of the card's first visit
    month        TEXT NOT NULL,     -- YYYY-MM that visits_month counts
    visits_month INTEGER NOT NULL,
    last_week    TEXT NOT NULL,     -- Monday (YYYY-MM-DD) of the week of the last visit
    streak_weeks INTEGER NOT NULL
) WITHOUT ROWID, STRICT;

-- Which cards signed in to which occurrence, only for today and yesterday (an overnight
-- meeting): one sign-in per card per occurrence. Older rows are deleted at each sign-in.
CREATE TABLE card_occurrence (
    tag         BLOB NOT NULL,
    meeting_key TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    PRIMARY KEY (tag, meeting_key, local_date)
) WITHOUT ROWID, STRICT;

-- Cards seen per month: first time that month vs returning. Counts only, no tags.
CREATE TABLE card_month (
    month      TEXT PRIMARY KEY,
    first_time INTEGER NOT NULL,
    returning_cards INTEGER NOT NULL
) WITHOUT ROWID, STRICT;

-- Staff PINs as Argon2id PHC strings; none → no staff screen.
CREATE TABLE staff_pin (
    hash TEXT PRIMARY KEY
) WITHOUT ROWID, STRICT;

-- Failed PIN attempts, kept across restarts so a power cycle does not reset the throttle.
CREATE TABLE pin_throttle (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    failures     INTEGER NOT NULL,
    locked_until TEXT NOT NULL      -- RFC 3339; '' when not locked
) STRICT;
"#,
    r#"
-- Display choices staff make on the staff screen (high contrast, large text), so they
-- outlast a restart. One row once staff have chosen; none → the config's defaults.
CREATE TABLE display_choice (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    high_contrast INTEGER NOT NULL CHECK (high_contrast IN (0, 1)),
    large_text    INTEGER NOT NULL CHECK (large_text IN (0, 1))
) STRICT;
"#,
    r#"
-- Listings of the last import that say they are not meeting ("(SUSPENDED) …"): not stored,
-- counted so staff see why a source has fewer meetings than its feed.
ALTER TABLE source ADD COLUMN not_meeting INTEGER NOT NULL DEFAULT 0;
"#,
    r#"
-- Signing keys staff trusted on the staff screen (from a stick's kiosk-bundle.pub), beside
-- the config's key files. Public keys only: nothing secret, nothing about people.
CREATE TABLE trusted_key (
    key_id   TEXT PRIMARY KEY,   -- 16 hex digits, as minisign prints it
    key      TEXT NOT NULL,      -- the base64 key line
    added_at TEXT NOT NULL       -- RFC 3339
) STRICT;
"#,
];

/// What went wrong, worded for the person running the kiosk.
#[derive(Debug)]
pub enum StoreError {
    /// The linked SQLite is older than 3.51.3.
    SqliteTooOld { found: String },
    /// The file was migrated by a newer kiosk than this one.
    SchemaTooNew {
        path: String,
        found: i64,
        known: usize,
    },
    /// SQLite refused an operation.
    Database {
        path: String,
        action: String,
        source: rusqlite::Error,
    },
    /// The request or the file's content makes no sense (e.g. a meeting of another source).
    Invalid { path: String, problem: String },
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::SqliteTooOld { found } => write!(
                f,
                "this kiosk was built with SQLite {found}, but the schedule store needs 3.51.3 \
                 or newer; rebuild it with rusqlite's bundled SQLite"
            ),
            StoreError::SchemaTooNew { path, found, known } => write!(
                f,
                "the schedule database {path} has schema version {found}, but this kiosk only \
                 knows up to version {known}: a newer kiosk wrote it. Install the newer kiosk, \
                 or point this one at another database file"
            ),
            StoreError::Database {
                path,
                action,
                source,
            } => {
                write!(
                    f,
                    "could not {action} in the schedule database {path}: {source}. {}",
                    hint(source)
                )
            }
            StoreError::Invalid { path, problem } => {
                write!(f, "schedule database {path}: {problem}")
            }
        }
    }
}

impl StoreError {
    /// The file could not be opened or written for lack of permission or a writable disk —
    /// not because of its content. Such a file may still be readable (`Store::open_frozen`).
    pub fn is_access_problem(&self) -> bool {
        use rusqlite::ErrorCode::*;
        match self {
            StoreError::Database { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(CannotOpen | PermissionDenied | ReadOnly)
            ),
            _ => false,
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Database { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// What a person can do about a SQLite error.
fn hint(e: &rusqlite::Error) -> &'static str {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => "Another program is writing to it; try again in a moment",
        Some(CannotOpen | PermissionDenied | ReadOnly) => {
            "Check that its directory exists and that the kiosk user may read and write there"
        }
        Some(DiskFull) => "The disk is full; free some space",
        Some(DatabaseCorrupt | NotADatabase) => {
            "The file is damaged or is not a schedule database; restore a backup or move it away and re-import"
        }
        Some(ConstraintViolation) => "A meeting id appears twice or already belongs to another source; fix the feed",
        _ => "If this persists, move the file away and re-import the schedule",
    }
}

pub(crate) fn db_err<'a>(
    path: &'a str,
    action: &'a str,
) -> impl Fn(rusqlite::Error) -> StoreError + 'a {
    move |source| StoreError::Database {
        path: path.to_string(),
        action: action.to_string(),
        source,
    }
}

/// How a `replace_source` changed that source, compared meeting by meeting on the stored row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplaceCounts {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// One source as the staff screen and the footer describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    pub name: String,
    /// RFC 3339, UTC.
    pub imported_at: String,
    /// The file, URL or bundle it last came from.
    pub origin: String,
    /// Row warnings of its last import.
    pub warnings: usize,
    pub meetings: usize,
    pub in_house: usize,
    /// Listings its last import left out because they say they are not meeting.
    pub not_meeting: usize,
}

pub struct Store {
    conn: Connection,
    /// For messages only.
    path: String,
}

impl Store {
    /// Opens (creating the file, not its directory, if missing) and migrates the store.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        check_sqlite_version()?;
        let conn = Connection::open(path).map_err(db_err(&shown, "open the file"))?;
        let store = Store::configure(conn, shown, true)?;
        Ok(store)
    }

    /// Opens a schedule database that came from outside (a `schedule.sqlite` in a signed
    /// bundle), already copied to a private staging file: schema triggers and views are not
    /// trusted, cell sizes are checked, and a file that fails `quick_check` is refused
    /// before any row is read. It is migrated like any store; it is never the live one.
    pub fn open_untrusted(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        check_sqlite_version()?;
        let e = |action| db_err(&shown, action);
        let conn = Connection::open(path).map_err(e("open the file"))?;
        conn.pragma_update(None, "trusted_schema", "OFF")
            .map_err(e("turn off trusted_schema"))?;
        conn.pragma_update(None, "cell_size_check", "ON")
            .map_err(e("turn on cell_size_check"))?;
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(e("check the file"))?;
        if check != "ok" {
            return Err(StoreError::Invalid {
                path: shown,
                problem: format!(
                    "the file is damaged (quick_check: {check}); nothing was read from it"
                ),
            });
        }
        Store::configure(conn, shown, false)
    }

    /// The folder the database file is in, where the kiosk keeps what belongs beside it
    /// (staging, the USB outbox); `None` for an in-memory store.
    pub fn folder(&self) -> Option<DataDir> {
        (self.path != ":memory:").then(|| DataDir::of(Path::new(&self.path)))
    }

    /// A private in-memory store (tests, demo): same schema and pragmas, no WAL.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        check_sqlite_version()?;
        let conn = Connection::open_in_memory().map_err(db_err(":memory:", "open"))?;
        Store::configure(conn, ":memory:".to_string(), false)
    }

    fn configure(conn: Connection, path: String, wal: bool) -> Result<Store, StoreError> {
        let e = |action| db_err(&path, action);
        conn.busy_timeout(Duration::from_millis(5000))
            .map_err(e("set the busy timeout"))?;
        if wal {
            let mode: String = conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
                .map_err(e("switch to WAL journaling"))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Invalid {
                    path,
                    problem: format!(
                        "SQLite kept journal mode \"{mode}\" instead of WAL; put the file on a local \
                         file system (not a network share) that allows shared memory"
                    ),
                });
            }
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(e("set synchronous=FULL"))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(e("enable foreign keys"))?;
        let mut store = Store { conn, path };
        store.migrate()?;
        Ok(store)
    }

    /// Applies the missing migrations, each in its own transaction with its version bump.
    /// The version is re-read inside the write lock, so two processes opening at once are safe.
    fn migrate(&mut self) -> Result<(), StoreError> {
        let e = |action| db_err(&self.path, action);
        loop {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(e("start a migration"))?;
            let version: i64 = tx
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(e("read the schema version"))?;
            if version < 0 || version as u64 > MIGRATIONS.len() as u64 {
                return Err(StoreError::SchemaTooNew {
                    path: self.path.clone(),
                    found: version,
                    known: MIGRATIONS.len(),
                });
            }
            let Some(sql) = MIGRATIONS.get(version as usize) else {
                return Ok(());
            };
            let action = format!("apply schema migration {}", version + 1);
            tx.execute_batch(sql).map_err(db_err(&self.path, &action))?;
            tx.pragma_update(None, "user_version", version + 1)
                .map_err(db_err(&self.path, &action))?;
            tx.commit().map_err(db_err(&self.path, &action))?;
        }
    }

    /// Replaces every meeting of `source` with `meetings` in one transaction; other sources
    /// and attendance history are not touched. Every meeting must carry that `source`.
    pub fn replace_source(
        &mut self,
        source: &str,
        meetings: &[Meeting],
        imported_at: &str,
    ) -> Result<ReplaceCounts, StoreError> {
        let update = self.begin_update()?;
        let mut writer = update.replace_source(source, imported_at)?;
        for m in meetings {
            writer.insert(m)?;
        }
        let counts = writer.finish()?;
        update.commit()?;
        Ok(counts)
    }

    /// Starts one all-or-nothing change of the schedule (an import, a bundle): it takes the
    /// write lock at once, and nothing of it is visible until `Update::commit`. Dropping the
    /// update without committing leaves the store exactly as it was.
    pub fn begin_update(&mut self) -> Result<Update<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_err(&self.path, "start the import"))?;
        Ok(Update {
            tx,
            path: &self.path,
        })
    }

    /// All meetings ordered by start time, then id, plus one warning per row that could not
    /// be decoded. Such rows are skipped, never fatal; re-importing their source repairs them.
    pub fn meetings(&self) -> Result<(Vec<Meeting>, Vec<String>), StoreError> {
        let e = |action| db_err(&self.path, action);
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {} FROM meeting ORDER BY start_time, id",
                COLUMNS.join(", ")
            ))
            .map_err(e("read the meetings"))?;
        let rows = stmt
            .query_map([], read_meeting)
            .map_err(e("read the meetings"))?;
        let (mut meetings, mut warnings) = (Vec::new(), Vec::new());
        for row in rows {
            match row.map_err(e("read the meetings"))? {
                Ok(m) => meetings.push(m),
                Err(warning) => warnings.push(warning),
            }
        }
        Ok((meetings, warnings))
    }

    /// One meeting by id; a row that cannot be decoded is an `Invalid` error.
    pub fn meeting(&self, id: &str) -> Result<Option<Meeting>, StoreError> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {} FROM meeting WHERE id = ?1", COLUMNS.join(", ")),
                [id],
                read_meeting,
            )
            .optional()
            .map_err(db_err(&self.path, "read a meeting"))?;
        match row {
            None => Ok(None),
            Some(Ok(m)) => Ok(Some(m)),
            Some(Err(warning)) => Err(StoreError::Invalid {
                path: self.path.clone(),
                problem: warning,
            }),
        }
    }

    /// Changes whenever another connection commits to the file, so the running kiosk can
    /// notice an import made by another process and reload.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .map_err(db_err(&self.path, "read data_version"))
    }

    /// Leaves checkpoints to others on this connection. For the kiosk's UI thread: a
    /// sign-in's commit then only appends to the WAL (one fsync), and a checkpoint — copying
    /// the WAL into the database and syncing it, slow on an SD card — does not make a visitor
    /// wait. The updater's maintenance thread calls `checkpoint` every few minutes, and import
    /// connections checkpoint as they commit. Should neither ever happen (that thread could
    /// not open the file), this connection still checkpoints once the WAL reaches
    /// `DEFERRED_CHECKPOINT_PAGES`, so the WAL cannot grow without bound.
    pub fn defer_checkpoints(&self) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", DEFERRED_CHECKPOINT_PAGES)
            .map_err(db_err(&self.path, "defer automatic checkpoints"))
    }

    /// Copies what the WAL holds into the database file, without waiting for readers or
    /// blocking writers (`PASSIVE`); the next commits then reuse the WAL from its start.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(db_err(&self.path, "checkpoint the WAL"))
    }

    /// Each source: when it was last imported, from where, and what it holds.
    pub fn sources(&self) -> Result<Vec<SourceInfo>, StoreError> {
        let e = |action| db_err(&self.path, action);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.name, s.imported_at, s.origin, s.warnings, COUNT(m.id),
                        COALESCE(SUM(m.in_house), 0), s.not_meeting
                 FROM source s LEFT JOIN meeting m ON m.source = s.name
                 GROUP BY s.name ORDER BY s.name",
            )
            .map_err(e("list the sources"))?;
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        let rows = stmt
            .query_map([], |r| {
                Ok(SourceInfo {
                    name: r.get(0)?,
                    imported_at: r.get(1)?,
                    origin: r.get(2)?,
                    warnings: count(r.get(3)?),
                    meetings: count(r.get(4)?),
                    in_house: count(r.get(5)?),
                    not_meeting: count(r.get(6)?),
                })
            })
            .map_err(e("list the sources"))?;
        rows.collect::<Result<_, _>>()
            .map_err(e("list the sources"))
    }

    /// The version of the newest signed bundle this kiosk accepted, if any.
    pub fn bundle_version(&self) -> Result<Option<u64>, StoreError> {
        update::read_bundle_version(&self.conn, &self.path)
    }

    /// What the kiosk remembers about an HTTP feed; default when it was never fetched.
    pub fn feed_state(&self, name: &str) -> Result<FeedState, StoreError> {
        self.conn
            .query_row(
                "SELECT url, etag, last_modified, last_attempt, last_success, last_error
                 FROM feed_state WHERE name = ?1",
                [name],
                |r| {
                    Ok(FeedState {
                        url: r.get(0)?,
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                        last_attempt: r.get(3)?,
                        last_success: r.get(4)?,
                        last_error: r.get(5)?,
                    })
                },
            )
            .optional()
            .map(Option::unwrap_or_default)
            .map_err(db_err(&self.path, "read the feed state"))
    }

    /// Stores a feed's state after an attempt (successful or not).
    pub fn set_feed_state(&mut self, name: &str, state: &FeedState) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO feed_state(name, url, etag, last_modified, last_attempt, last_success, last_error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(name) DO UPDATE SET url = excluded.url, etag = excluded.etag,
                     last_modified = excluded.last_modified, last_attempt = excluded.last_attempt,
                     last_success = excluded.last_success, last_error = excluded.last_error",
                params![
                    name,
                    state.url,
                    state.etag,
                    state.last_modified,
                    state.last_attempt,
                    state.last_success,
                    state.last_error
                ],
            )
            .map_err(db_err(&self.path, "record the feed state"))?;
        Ok(())
    }

    /// Adds `count` sign-ins for `meeting` on `local_date` (keeps a copy of its name).
    pub fn add_attendance(
        &mut self,
        meeting: &Meeting,
        local_date: NaiveDate,
        count: u32,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO attendance(meeting_key, meeting_name, local_date, count) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(meeting_key, local_date)
                 DO UPDATE SET count = count + excluded.count, meeting_name = excluded.meeting_name",
                params![meeting.id, meeting.name, local_date.format("%Y-%m-%d").to_string(), count],
            )
            .map_err(db_err(&self.path, "record attendance"))?;
        Ok(())
    }

    /// Sign-ins recorded for `meeting_id` on `local_date`; 0 when none.
    pub fn attendance_count(
        &self,
        meeting_id: &str,
        local_date: NaiveDate,
    ) -> Result<u32, StoreError> {
        let n: Option<i64> = self
            .conn
            .query_row(
                "SELECT count FROM attendance WHERE meeting_key = ?1 AND local_date = ?2",
                params![meeting_id, local_date.format("%Y-%m-%d").to_string()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err(&self.path, "read attendance"))?;
        Ok(n.map_or(0, |n| u32::try_from(n.max(0)).unwrap_or(u32::MAX)))
    }
}

fn check_sqlite_version() -> Result<(), StoreError> {
    if rusqlite::version_number() >= MIN_SQLITE {
        Ok(())
    } else {
        Err(StoreError::SqliteTooOld {
            found: rusqlite::version().to_string(),
        })
    }
}

#[cfg(test)]
mod tests;
