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

use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, TransactionBehavior};

use crate::schedule::board::weekday_from_number;
use crate::schedule::{Meeting, NthWeekday, Recurrence};

/// Oldest SQLite this store accepts (3.51.3), as `sqlite3_libversion_number` encodes it.
const MIN_SQLITE: i32 = 3_051_003;

/// Append-only: never edit an applied entry, only add new ones. `PRAGMA user_version`
/// records how many have been applied to a file.
const MIGRATIONS: &[&str] = &[r#"
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
"#];

/// Meeting columns in the order `encode` produces and `decode` expects.
const COLUMNS: [&str; 22] = [
    "id",
    "source",
    "name",
    "program",
    "in_house",
    "recurrence",
    "start_time",
    "end_time",
    "timezone",
    "location",
    "address",
    "latitude",
    "longitude",
    "approximate",
    "region",
    "notes",
    "types",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "updated",
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

fn db_err<'a>(path: &'a str, action: &'a str) -> impl Fn(rusqlite::Error) -> StoreError + 'a {
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
        if let Some(m) = meetings.iter().find(|m| m.source != source) {
            return Err(StoreError::Invalid {
                path: self.path.clone(),
                problem: format!(
                    "meeting {} belongs to source \"{}\" but was handed in as part of \"{source}\"; nothing was changed",
                    m.id, m.source
                ),
            });
        }
        let e = |action| db_err(&self.path, action);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e("start the import"))?;
        let mut old = std::collections::HashMap::new();
        {
            let mut stmt = tx
                .prepare(&format!(
                    "SELECT {} FROM meeting WHERE source = ?1",
                    COLUMNS.join(", ")
                ))
                .map_err(e("read the current meetings"))?;
            let rows = stmt
                .query_map([source], read_values)
                .map_err(e("read the current meetings"))?;
            for row in rows {
                let row = row.map_err(e("read the current meetings"))?;
                old.insert(id_key(&row), row);
            }
        }
        tx.execute(
            "INSERT INTO source(name, imported_at) VALUES (?1, ?2)
             ON CONFLICT(name) DO UPDATE SET imported_at = excluded.imported_at",
            params![source, imported_at],
        )
        .map_err(e("record the source"))?;
        tx.execute("DELETE FROM meeting WHERE source = ?1", [source])
            .map_err(e("remove the old meetings"))?;
        let mut counts = ReplaceCounts::default();
        {
            let placeholders = vec!["?"; COLUMNS.len()].join(", ");
            let mut stmt = tx
                .prepare(&format!(
                    "INSERT INTO meeting ({}) VALUES ({placeholders})",
                    COLUMNS.join(", ")
                ))
                .map_err(e("prepare the insert"))?;
            for m in meetings {
                let row = encode(m);
                let action = format!("insert meeting {}", m.id);
                stmt.execute(params_from_iter(row.iter()))
                    .map_err(db_err(&self.path, &action))?;
                match old.remove(&id_key(&row)) {
                    None => counts.added += 1,
                    Some(before) if before == row => counts.unchanged += 1,
                    Some(_) => counts.changed += 1,
                }
            }
        }
        counts.removed = old.len();
        tx.commit().map_err(e("commit the import"))?;
        Ok(counts)
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
            .query_map([], read_values)
            .map_err(e("read the meetings"))?;
        let (mut meetings, mut warnings) = (Vec::new(), Vec::new());
        for row in rows {
            let row = row.map_err(e("read the meetings"))?;
            match decode(&row) {
                Ok(m) => meetings.push(m),
                Err(problem) => warnings.push(skip_warning(&row, &problem)),
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
                read_values,
            )
            .optional()
            .map_err(db_err(&self.path, "read a meeting"))?;
        match row {
            None => Ok(None),
            Some(row) => decode(&row)
                .map(Some)
                .map_err(|problem| StoreError::Invalid {
                    path: self.path.clone(),
                    problem: skip_warning(&row, &problem),
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

    /// Each source: name, when it was last imported, and how many meetings it has.
    pub fn sources(&self) -> Result<Vec<(String, String, usize)>, StoreError> {
        let e = |action| db_err(&self.path, action);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.name, s.imported_at, COUNT(m.id) FROM source s
                 LEFT JOIN meeting m ON m.source = s.name GROUP BY s.name ORDER BY s.name",
            )
            .map_err(e("list the sources"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    usize::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                ))
            })
            .map_err(e("list the sources"))?;
        rows.collect::<Result<_, _>>()
            .map_err(e("list the sources"))
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

fn read_values(r: &rusqlite::Row<'_>) -> rusqlite::Result<Vec<Value>> {
    (0..COLUMNS.len()).map(|i| r.get::<_, Value>(i)).collect()
}

/// The id of a stored row as a map key (a damaged non-text id still gets a distinct key).
fn id_key(row: &[Value]) -> String {
    match row.first() {
        Some(Value::Text(s)) => s.clone(),
        other => format!("{other:?}"),
    }
}

fn skip_warning(row: &[Value], problem: &str) -> String {
    let text = |v: Option<&Value>| match v {
        Some(Value::Text(s)) => s.clone(),
        _ => "?".to_string(),
    };
    format!(
        "skipped meeting {} of source {}: {problem}; re-import that source to repair it",
        text(row.first()),
        text(row.get(1))
    )
}

fn encode_time(t: NaiveTime) -> String {
    if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

fn decode_time(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .map_err(|_| format!("time \"{s}\" is not HH:MM or HH:MM:SS"))
}

fn encode_recurrence(r: &Recurrence) -> String {
    match r {
        Recurrence::ByAppointment => "appointment".to_string(),
        Recurrence::Weekly(days) => {
            let days: Vec<String> = days
                .iter()
                .map(|d| d.num_days_from_sunday().to_string())
                .collect();
            format!("weekly:{}", days.join(","))
        }
        Recurrence::Monthly { nth, weekday } => {
            let nth = match nth {
                NthWeekday::Nth(n) => n.to_string(),
                NthWeekday::Last => "last".to_string(),
            };
            format!("monthly:{nth}:{}", weekday.num_days_from_sunday())
        }
        Recurrence::EveryOtherWeek { anchor } => format!("biweekly:{}", anchor.format("%Y-%m-%d")),
    }
}

fn decode_weekday(s: &str) -> Result<Weekday, String> {
    s.trim()
        .parse::<u32>()
        .ok()
        .and_then(weekday_from_number)
        .ok_or(format!("weekday \"{s}\" is not 0-6"))
}

fn decode_recurrence(s: &str) -> Result<Recurrence, String> {
    let bad = || format!("recurrence \"{s}\" is not understood");
    let (kind, rest) = s.split_once(':').unwrap_or((s, ""));
    match kind {
        "appointment" if rest.is_empty() => Ok(Recurrence::ByAppointment),
        "weekly" => rest
            .split(',')
            .filter(|d| !d.trim().is_empty())
            .map(decode_weekday)
            .collect::<Result<_, _>>()
            .map(Recurrence::Weekly),
        "monthly" => {
            let (nth, day) = rest.split_once(':').ok_or_else(bad)?;
            let nth = match nth {
                "last" => NthWeekday::Last,
                n => match n.parse::<u8>() {
                    Ok(n @ 1..=5) => NthWeekday::Nth(n),
                    _ => return Err(bad()),
                },
            };
            Ok(Recurrence::Monthly {
                nth,
                weekday: decode_weekday(day)?,
            })
        }
        "biweekly" => NaiveDate::parse_from_str(rest, "%Y-%m-%d")
            .map(|anchor| Recurrence::EveryOtherWeek { anchor })
            .map_err(|_| bad()),
        _ => Err(bad()),
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Value) -> Value {
    v.map_or(Value::Null, f)
}

/// One meeting as a row, in `COLUMNS` order.
fn encode(m: &Meeting) -> Vec<Value> {
    vec![
        text(&m.id),
        text(&m.source),
        text(&m.name),
        text(&m.program),
        Value::Integer(m.in_house.into()),
        Value::Text(encode_recurrence(&m.recurrence)),
        Value::Text(encode_time(m.start)),
        opt(m.end, |t| Value::Text(encode_time(t))),
        opt(m.timezone, |tz| text(tz.name())),
        text(&m.location),
        text(&m.address),
        opt(m.latitude, Value::Real),
        opt(m.longitude, Value::Real),
        Value::Integer(m.approximate.into()),
        text(&m.region),
        text(&m.notes),
        Value::Text(m.types.join(",")),
        text(&m.conference_url),
        text(&m.conference_url_notes),
        text(&m.conference_phone),
        text(&m.conference_phone_notes),
        text(&m.updated),
    ]
}

/// The reverse of `encode`; says which column is wrong instead of panicking.
fn decode(row: &[Value]) -> Result<Meeting, String> {
    let col = |i: usize| {
        row.get(i)
            .ok_or_else(|| format!("column {} is missing", COLUMNS[i]))
    };
    let opt_text = |i: usize| match col(i)? {
        Value::Null => Ok(None),
        Value::Text(s) => Ok(Some(s.clone())),
        other => Err(format!(
            "column {} holds {:?}, expected text",
            COLUMNS[i],
            other.data_type()
        )),
    };
    let text =
        |i: usize| opt_text(i)?.ok_or_else(|| format!("column {} is empty (NULL)", COLUMNS[i]));
    let flag = |i: usize| match col(i)? {
        Value::Integer(n) => Ok(*n != 0),
        other => Err(format!(
            "column {} holds {:?}, expected 0 or 1",
            COLUMNS[i],
            other.data_type()
        )),
    };
    let real = |i: usize| match col(i)? {
        Value::Null => Ok(None),
        Value::Real(x) => Ok(Some(*x)),
        Value::Integer(n) => Ok(Some(*n as f64)),
        other => Err(format!(
            "column {} holds {:?}, expected a number",
            COLUMNS[i],
            other.data_type()
        )),
    };
    let timezone = match opt_text(8)?.filter(|s| !s.is_empty()) {
        None => None,
        Some(name) => Some(
            name.parse::<Tz>()
                .map_err(|_| format!("time zone \"{name}\" is unknown"))?,
        ),
    };
    Ok(Meeting {
        id: text(0)?,
        source: text(1)?,
        name: text(2)?,
        program: text(3)?,
        in_house: flag(4)?,
        recurrence: decode_recurrence(&text(5)?)?,
        start: decode_time(&text(6)?)?,
        end: opt_text(7)?
            .filter(|s| !s.is_empty())
            .map(|s| decode_time(&s))
            .transpose()?,
        timezone,
        location: text(9)?,
        address: text(10)?,
        latitude: real(11)?,
        longitude: real(12)?,
        approximate: flag(13)?,
        region: text(14)?,
        notes: text(15)?,
        types: text(16)?
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
        conference_url: text(17)?,
        conference_url_notes: text(18)?,
        conference_phone: text(19)?,
        conference_phone_notes: text(20)?,
        updated: text(21)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn weekly(source: &str, slug: &str, start: NaiveTime) -> Meeting {
        Meeting::new(
            source,
            slug,
            &format!("{slug} group"),
            Recurrence::Weekly(vec![Weekday::Mon]),
            start,
        )
    }

    #[test]
    fn open_sets_wal_and_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("kiosk.db")).unwrap();
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        let fk: i64 = store
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        let sync: i64 = store
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(version, MIGRATIONS.len() as i64);
        assert_eq!(fk, 1);
        assert_eq!(sync, 2, "synchronous=FULL");
    }

    #[test]
    fn meetings_round_trip_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("kiosk.db")).unwrap();
        let mut full = Meeting::new(
            "aa",
            "full",
            "Full",
            Recurrence::Weekly(vec![Weekday::Sun, Weekday::Wed, Weekday::Sat]),
            t(19, 30),
        );
        full.program = "AA".into();
        full.in_house = true;
        full.end = Some(NaiveTime::from_hms_opt(20, 45, 30).unwrap());
        full.timezone = Some(chrono_tz::America::New_York);
        full.location = "Church hall".into();
        full.address = "1 Main St, Springfield".into();
        full.latitude = Some(40.712_776);
        full.longitude = Some(-74.005_974);
        full.approximate = true;
        full.region = "Downtown".into();
        full.notes = "Back door, ring twice".into();
        full.types = vec!["O".into(), "D".into(), "X-NEW".into()];
        full.conference_url = "https://zoom.us/j/123".into();
        full.conference_url_notes = "pw 1".into();
        full.conference_phone = "+1 555 123 4567".into();
        full.conference_phone_notes = "ext 9".into();
        full.updated = "2026-01-02 03:04:05".into();
        let last_friday = Meeting::new(
            "aa",
            "lastfri",
            "Last Friday",
            Recurrence::Monthly {
                nth: NthWeekday::Last,
                weekday: Weekday::Fri,
            },
            t(18, 0),
        );
        let second_tue = Meeting::new(
            "aa",
            "2tue",
            "Second Tuesday",
            Recurrence::Monthly {
                nth: NthWeekday::Nth(2),
                weekday: Weekday::Tue,
            },
            t(17, 0),
        );
        let biweekly = Meeting::new(
            "aa",
            "bi",
            "Biweekly",
            Recurrence::EveryOtherWeek {
                anchor: d(2026, 1, 6),
            },
            t(7, 5),
        );
        let appt = Meeting::new(
            "aa",
            "appt",
            "By appointment",
            Recurrence::ByAppointment,
            t(0, 0),
        );
        let input = vec![full, last_friday, second_tue, biweekly, appt];
        let counts = store
            .replace_source("aa", &input, "2026-02-01T10:00:00Z")
            .unwrap();
        assert_eq!(
            counts,
            ReplaceCounts {
                added: 5,
                ..Default::default()
            }
        );

        let (got, warnings) = store.meetings().unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let mut expected = input.clone();
        expected.sort_by(|a, b| (encode_time(a.start), &a.id).cmp(&(encode_time(b.start), &b.id)));
        assert_eq!(got, expected);
        assert_eq!(store.meeting("aa:full").unwrap().as_ref(), Some(&input[0]));
        assert_eq!(store.meeting("aa:nope").unwrap(), None);
    }

    #[test]
    fn replacing_a_source_leaves_other_sources_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("kiosk.db")).unwrap();
        store
            .replace_source(
                "aa",
                &[weekly("aa", "a1", t(9, 0)), weekly("aa", "a2", t(10, 0))],
                "t1",
            )
            .unwrap();
        store
            .replace_source("na", &[weekly("na", "n1", t(11, 0))], "t1")
            .unwrap();

        let mut a2 = weekly("aa", "a2", t(10, 0));
        a2.notes = "moved".into();
        let a1 = weekly("aa", "a1", t(9, 0));
        let counts = store
            .replace_source("aa", &[a2, weekly("aa", "a3", t(12, 0))], "t2")
            .unwrap();
        assert_eq!(
            counts,
            ReplaceCounts {
                added: 1,
                removed: 1,
                changed: 1,
                unchanged: 0
            }
        );
        assert_eq!(store.meeting(&a1.id).unwrap(), None);
        assert!(store.meeting("na:n1").unwrap().is_some());
        assert_eq!(
            store.sources().unwrap(),
            vec![
                ("aa".to_string(), "t2".to_string(), 2),
                ("na".to_string(), "t1".to_string(), 1)
            ]
        );
        let err = store
            .replace_source("aa", &[weekly("na", "x", t(1, 0))], "t3")
            .unwrap_err();
        assert!(err.to_string().contains("nothing was changed"), "{err}");
        assert_eq!(store.meetings().unwrap().0.len(), 3);
    }

    #[test]
    fn replacing_a_source_keeps_attendance_history() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("kiosk.db")).unwrap();
        let m = weekly("in-house", "morning", t(8, 0));
        store
            .replace_source("in-house", std::slice::from_ref(&m), "t1")
            .unwrap();
        store.add_attendance(&m, d(2026, 3, 2), 3).unwrap();
        store.add_attendance(&m, d(2026, 3, 2), 2).unwrap();
        store.replace_source("in-house", &[], "t2").unwrap();
        assert_eq!(store.attendance_count(&m.id, d(2026, 3, 2)).unwrap(), 5);
        store
            .replace_source("in-house", std::slice::from_ref(&m), "t3")
            .unwrap();
        assert_eq!(store.attendance_count(&m.id, d(2026, 3, 2)).unwrap(), 5);
        assert_eq!(store.attendance_count(&m.id, d(2026, 3, 3)).unwrap(), 0);
    }

    #[test]
    fn second_connection_sees_data_version_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let mut writer = Store::open(&path).unwrap();
        let reader = Store::open(&path).unwrap();
        let before = reader.data_version().unwrap();
        assert_eq!(
            reader.data_version().unwrap(),
            before,
            "stable without writes"
        );
        writer
            .replace_source("aa", &[weekly("aa", "a1", t(9, 0))], "t1")
            .unwrap();
        assert_ne!(reader.data_version().unwrap(), before);
        assert_eq!(reader.meetings().unwrap().0.len(), 1);
    }

    #[test]
    fn reopening_runs_no_migration_twice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        Store::open(&path)
            .unwrap()
            .replace_source("aa", &[weekly("aa", "a1", t(9, 0))], "t1")
            .unwrap();
        let store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        assert_eq!(store.meetings().unwrap().0.len(), 1);
        drop(store);

        let raw = Connection::open(&path).unwrap();
        raw.pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
            .unwrap();
        drop(raw);
        let err = Store::open(&path)
            .err()
            .expect("a newer schema must be refused");
        assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");
        assert!(err.to_string().contains("newer kiosk"), "{err}");
    }

    #[test]
    fn undecodable_row_is_skipped_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let mut store = Store::open(&path).unwrap();
        store
            .replace_source("aa", &[weekly("aa", "good", t(9, 0))], "t1")
            .unwrap();
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch(
            "INSERT INTO meeting(id, source, recurrence, start_time) VALUES ('aa:bad', 'aa', 'fortnightly:7', '10:00');
             INSERT INTO meeting(id, source, recurrence, start_time, timezone) VALUES ('aa:tz', 'aa', 'weekly:1', '11:00', 'Mars/Olympus');",
        )
        .unwrap();
        let (meetings, warnings) = store.meetings().unwrap();
        assert_eq!(
            meetings.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            ["aa:good"]
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].contains("aa:bad") && warnings[0].contains("fortnightly"),
            "{warnings:?}"
        );
        assert!(warnings[1].contains("Mars/Olympus"), "{warnings:?}");
        assert!(matches!(
            store.meeting("aa:bad"),
            Err(StoreError::Invalid { .. })
        ));
        // A re-import repairs the file and counts the bad rows as removed.
        let counts = store
            .replace_source("aa", &[weekly("aa", "good", t(9, 0))], "t2")
            .unwrap();
        assert_eq!(
            counts,
            ReplaceCounts {
                unchanged: 1,
                removed: 2,
                ..Default::default()
            }
        );
    }
}
