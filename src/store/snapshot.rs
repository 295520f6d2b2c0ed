//! Nightly snapshots of the store, and recovery from a damaged file when the kiosk starts.
//!
//! A snapshot is written the way `reference/privacy.md` asks for files on an SD card:
//! `VACUUM INTO` a temporary name in the snapshots folder, `integrity_check` on the copy,
//! fsync, rename, fsync the folder; the newest seven are kept. At start `PRAGMA quick_check`
//! runs on the live file; when it fails, the damaged file (with its `-wal` and `-shm`) is
//! moved aside under a dated name — never deleted — and the newest snapshot that passes
//! `integrity_check` is copied in its place. Staff get a notice saying what was lost.
//!
//! This module does not decide when a snapshot is due (the updater thread does, once per local
//! day) and never touches a database another connection has open: recovery runs before the
//! kiosk's other connections exist.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, ErrorCode};

use super::{db_err, Store, StoreError};
use crate::words::{phrase, Phrase};

/// How many snapshots are kept: a week of nights.
pub const KEEP: usize = 7;

const PREFIX: &str = "schedule-";
const SUFFIX: &str = ".sqlite";
const STAMP: &str = "%Y%m%dT%H%M%SZ";

/// Where snapshots of `db` go: a `snapshots` folder beside it.
pub fn snapshots_folder(db: &Path) -> PathBuf {
    super::DataDir::of(db).snapshots()
}

/// The snapshots in `folder`, newest first, with the moment each was taken.
pub fn list(folder: &Path) -> Vec<(DateTime<Utc>, PathBuf)> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found: Vec<(DateTime<Utc>, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
            let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
            Some((at, e.path()))
        })
        .collect();
    found.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    found
}

/// True when no snapshot in `folder` was taken on `now`'s local date: the nightly snapshot
/// is due (the first check after midnight, or at start on a day without one).
pub fn due<Tz: chrono::TimeZone>(folder: &Path, now: DateTime<Tz>) -> bool {
    let today = now.date_naive();
    list(folder)
        .first()
        .is_none_or(|(at, _)| at.with_timezone(&now.timezone()).date_naive() != today)
}

fn io_err(path: &Path, action: &str, e: &std::io::Error) -> StoreError {
    StoreError::Invalid {
        path: path.display().to_string(),
        problem: format!("could not {action}: {e}"),
    }
}

/// fsync a file or a directory by path.
fn sync_path(path: &Path) -> std::io::Result<()> {
    fs::File::open(path)?.sync_all()
}

/// The rows `PRAGMA integrity_check` or `quick_check` returned, joined; "ok" when sound.
fn check(conn: &Connection, pragma: &str) -> Result<String, rusqlite::Error> {
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?.join("; "))
}

/// Is `path` a database that passes `integrity_check`? Opened read-only, so a bad snapshot is
/// never modified.
fn sound(path: &Path) -> bool {
    Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| check(&c, "integrity_check"))
        .is_ok_and(|r| r == "ok")
}

impl Store {
    /// Writes a snapshot of the store into `folder` (created if missing) and keeps the newest
    /// [`KEEP`]. Returns the snapshot's path. A copy that fails `integrity_check` is deleted
    /// and reported; the older snapshots stay.
    pub fn snapshot(&self, folder: &Path, now: DateTime<Utc>) -> Result<PathBuf, StoreError> {
        fs::create_dir_all(folder)
            .map_err(|e| io_err(folder, "create the snapshots folder", &e))?;
        let name = format!("{PREFIX}{}{SUFFIX}", now.format(STAMP));
        let target = folder.join(&name);
        let temp = folder.join(format!(".{name}.tmp"));
        // A temp file left by a crash mid-snapshot: VACUUM INTO refuses an existing file.
        let _ = fs::remove_file(&temp);
        let shown = temp.display().to_string();
        self.conn
            .execute("VACUUM INTO ?1", [&shown])
            .map_err(db_err(&self.path, "write a snapshot"))?;
        if !sound(&temp) {
            let _ = fs::remove_file(&temp);
            return Err(StoreError::Invalid {
                path: shown,
                problem: "the snapshot just written failed integrity_check and was deleted; \
                          the older snapshots are kept"
                    .into(),
            });
        }
        sync_path(&temp).map_err(|e| io_err(&temp, "flush the snapshot to disk", &e))?;
        fs::rename(&temp, &target).map_err(|e| io_err(&target, "name the snapshot", &e))?;
        sync_path(folder).map_err(|e| io_err(folder, "flush the snapshots folder", &e))?;
        for (_, old) in list(folder).into_iter().skip(KEEP) {
            let _ = fs::remove_file(old);
        }
        Ok(target)
    }

    /// Opens the store at `path` as [`Store::open`] does, after a `quick_check`. When the
    /// file is damaged it is moved aside and the newest good snapshot from `folder` takes
    /// its place (an empty store when there is none); the text returned is the notice for
    /// staff. A missing file is created empty — or restored when snapshots exist, since a
    /// kiosk that has snapshots had a schedule. Errors are left for what recovery cannot
    /// fix: an unreadable directory, a read-only or full disk.
    pub fn open_or_recover(
        path: &Path,
        folder: &Path,
        now: DateTime<Utc>,
    ) -> Result<(Store, Option<Phrase>), StoreError> {
        let shown = path.display().to_string();
        if !path.exists() {
            let Some((at, snapshot)) = list(folder).into_iter().find(|(_, p)| sound(p)) else {
                return Ok((Store::open(path)?, None));
            };
            restore(&snapshot, path)?;
            let notice = phrase(
                "The schedule database was missing. The kiosk restored the snapshot of {} UTC; imports and sign-ins since then are not in it.",
                &[&at.format("%Y-%m-%d %H:%M")],
            );
            return Ok((Store::open(path)?, Some(notice)));
        }
        let problem = match Connection::open(path).and_then(|c| check(&c, "quick_check")) {
            Ok(r) if r == "ok" => return Ok((Store::open(path)?, None)),
            Ok(r) => r,
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
                ) =>
            {
                e.to_string()
            }
            Err(e) => return Err(db_err(&shown, "check the file")(e)),
        };
        let kept = set_aside(path, now)?;
        let notice = match list(folder).into_iter().find(|(_, p)| sound(p)) {
            Some((at, snapshot)) => {
                restore(&snapshot, path)?;
                phrase(
                    "The schedule database was damaged ({}). The kiosk restored the snapshot of {} UTC; imports and sign-ins since then are lost. The damaged file was kept as {}.",
                    &[
                        &short(&problem),
                        &at.format("%Y-%m-%d %H:%M"),
                        &kept.display(),
                    ],
                )
            }
            None => phrase(
                "The schedule database was damaged ({}) and there is no good snapshot: the kiosk started with an empty schedule. Import the schedule again. The damaged file was kept as {}.",
                &[&short(&problem), &kept.display()],
            ),
        };
        Ok((Store::open(path)?, Some(notice)))
    }
}

/// The first line of a check's answer, cut to fit a notice.
fn short(problem: &str) -> String {
    let first = problem.split("; ").next().unwrap_or(problem);
    first.chars().take(120).collect()
}

/// Moves `path` and its `-wal`/`-shm` aside as `<name>.damaged-<time>`; returns the new name.
fn set_aside(path: &Path, now: DateTime<Utc>) -> Result<PathBuf, StoreError> {
    let stamp = now.format(STAMP).to_string();
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let kept = with(&format!(".damaged-{stamp}"));
    fs::rename(path, &kept).map_err(|e| io_err(path, "move the damaged file aside", &e))?;
    for side in ["-wal", "-shm"] {
        let from = with(side);
        if from.exists() {
            let to = with(&format!(".damaged-{stamp}{side}"));
            fs::rename(&from, &to).map_err(|e| io_err(&from, "move the damaged file aside", &e))?;
        }
    }
    Ok(kept)
}

/// Copies `snapshot` to `path` through a temporary file: fsync, rename, fsync the folder.
fn restore(snapshot: &Path, path: &Path) -> Result<(), StoreError> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".restoring");
    let temp = PathBuf::from(temp);
    fs::copy(snapshot, &temp).map_err(|e| io_err(&temp, "copy the snapshot", &e))?;
    sync_path(&temp).map_err(|e| io_err(&temp, "flush the restored file", &e))?;
    fs::rename(&temp, path).map_err(|e| io_err(path, "put the restored file in place", &e))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        sync_path(dir).map_err(|e| io_err(dir, "flush the database folder", &e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
