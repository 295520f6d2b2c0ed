//! A kiosk's health for the office: `status.json` in the kiosk's own folder of the reports
//! folder, rewritten every few minutes.
//!
//! It says what the office needs to tell whether the lobby shows a current schedule: the
//! software version, the schedule version and when each source was last updated, the last
//! update's result, free disk space, whether the clock looks right, and when the kiosk started.
//! Nothing about people: no counts, no sign-ins.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::Store;
use crate::sync::UpdateResult;

/// What every status file says it is. Fields a newer kiosk adds are ignored by an older office.
pub const FORMAT: &str = "lobby-kiosk status 1";
pub const FILE_NAME: &str = "status.json";
const DISK_STEP: u64 = 100 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub format: String,
    pub kiosk: String,
    /// lobby-kiosk's version.
    pub software: String,
    /// By the kiosk's clock (the office compares it with when the file arrived).
    pub written: DateTime<Utc>,
    pub started: DateTime<Utc>,
    /// The signed bundle in use; None before the first.
    pub bundle_version: Option<u64>,
    pub sources: Vec<Source>,
    pub last_update: Option<UpdateResult>,
    /// Rounded down to 100 MiB: enough to see a card filling up, too coarse to see the
    /// database grow with each sign-in.
    pub disk_free_bytes: Option<u64>,
    pub clock: Clock,
}

/// One source of meetings and when it was last updated or found unchanged (by the kiosk's
/// clock).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub name: String,
    pub updated: Option<DateTime<Utc>>,
    pub meetings: usize,
}

/// The kiosk's own clock check (`device::clock::check`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clock {
    pub sane: bool,
    /// Why not, in English.
    pub problem: Option<String>,
}

/// The kiosk's status now.
pub fn gather(
    store: &Store,
    kiosk: &str,
    db: &Path,
    started: DateTime<Utc>,
    last: Option<UpdateResult>,
    now: DateTime<Utc>,
) -> Result<Status, String> {
    let sources = store
        .sources()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|s| {
            // A feed that answers "not modified" is current, though nothing was imported.
            let checked = store
                .feed_state(&s.name)
                .ok()
                .and_then(|f| crate::store::parse_stamp(&f.last_success));
            let imported = crate::store::parse_stamp(&s.imported_at);
            Source {
                updated: imported.max(checked),
                name: s.name,
                meetings: s.meetings,
            }
        })
        .collect();
    let newest = store.newest_recorded_time().map_err(|e| e.to_string())?;
    let problem = crate::device::clock::check(now, crate::device::clock::build_time(), newest)
        .map(|p| p.to_string());
    Ok(Status {
        format: FORMAT.into(),
        kiosk: kiosk.into(),
        software: env!("CARGO_PKG_VERSION").into(),
        written: now,
        started,
        bundle_version: store.bundle_version().map_err(|e| e.to_string())?,
        sources,
        last_update: last,
        disk_free_bytes: crate::device::disk::free_bytes(crate::device::disk::folder_of(db))
            .map(|b| b - b % DISK_STEP),
        clock: Clock {
            sane: problem.is_none(),
            problem,
        },
    })
}

/// Writes `status` as `folder/status.json`, atomically.
pub fn write(folder: &Path, status: &Status) -> Result<(), String> {
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("{}: cannot be created: {e}", folder.display()))?;
    let path = folder.join(FILE_NAME);
    let text = serde_json::to_string_pretty(status).map_err(|e| e.to_string())? + "\n";
    crate::sync::files::write_atomically(&path, text.as_bytes())
        .map_err(|e| format!("{}: cannot be written: {e}", path.display()))
}

/// Reads a status file, checking that it says what it is.
pub fn read(path: &Path) -> Result<Status, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot be read: {e}"))?;
    let status: Status =
        serde_json::from_str(&text).map_err(|e| format!("is not a kiosk status: {e}"))?;
    if status.format != FORMAT {
        return Err(format!(
            "says it is \"{}\", not \"{FORMAT}\" (written by another version?)",
            status.format
        ));
    }
    Ok(status)
}
