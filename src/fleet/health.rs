//! The office's `fleet status`: one line per kiosk saying what is wrong with it, from the
//! `status.json` files in the reports folder.
//!
//! A kiosk's clock may be wrong, so times it wrote are compared with each other, and with when
//! its file arrived here (the file's change time on the office's disk, set when the sync tool
//! put it in place): `written` well before the arrival means the kiosk's clock is behind, long
//! ago means the kiosk went silent.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};

use super::status::{self, Status};

/// A kiosk rewrites its status every 5 minutes; an hour without one is worth a look.
pub const SILENT_AFTER: Duration = Duration::hours(1);
/// More than this between the kiosk's clock and the arrival is a wrong clock, not a slow sync.
pub const CLOCK_TOLERANCE: Duration = Duration::minutes(10);
/// Less than this free on the kiosk's data disk is a problem (`doctor` says the same).
pub const LOW_DISK_BYTES: u64 = 200 * 1024 * 1024;
/// A schedule source older than this is stale, unless `fleet status --max-age-days` says else.
pub const DEFAULT_MAX_AGE_DAYS: i64 = 7;

/// One kiosk as the office sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kiosk {
    pub name: String,
    /// What is wrong, most urgent first; empty when nothing is.
    pub problems: Vec<String>,
    /// What is right, for the line of a kiosk without problems.
    pub summary: String,
}

impl Kiosk {
    /// "north-lobby: schedule 9 days old; clock 3 h behind", or "south-lobby: ok (…)".
    pub fn line(&self) -> String {
        if self.problems.is_empty() {
            format!("{}: ok ({})", self.name, self.summary)
        } else {
            format!("{}: {}", self.name, self.problems.join("; "))
        }
    }
}

/// Every kiosk whose `status.json` is in one of `folders` (a kiosk's folder, or the reports
/// folder holding kiosks' folders), sorted by name.
pub fn read(
    folders: &[PathBuf],
    now: DateTime<Utc>,
    max_age: Duration,
) -> Result<Vec<Kiosk>, String> {
    let mut kiosks = Vec::new();
    for folder in super::folders_to_read(folders)? {
        let path = folder.join(status::FILE_NAME);
        if path.is_file() {
            kiosks.push(one(&folder, &path, now, max_age));
        }
    }
    kiosks.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(kiosks)
}

fn one(folder: &Path, path: &Path, now: DateTime<Utc>, max_age: Duration) -> Kiosk {
    let folder_name = folder.file_name().map_or_else(
        || folder.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    match (status::read(path), arrival(path)) {
        (Ok(status), Some(arrived)) => assess(&status, arrived, now, max_age),
        (Ok(_), None) => Kiosk {
            name: folder_name,
            problems: vec![format!("{}: when it arrived is unknown", path.display())],
            summary: String::new(),
        },
        (Err(why), _) => Kiosk {
            name: folder_name,
            problems: vec![format!("{} {why}", path.display())],
            summary: String::new(),
        },
    }
}

/// When the file was put in place here: its change time, which no sync tool can set.
fn arrival(path: &Path) -> Option<DateTime<Utc>> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    DateTime::from_timestamp(meta.ctime(), 0)
}

/// What is wrong with a kiosk whose `status` arrived here at `arrived` (office clock).
pub fn assess(
    status: &Status,
    arrived: DateTime<Utc>,
    now: DateTime<Utc>,
    max_age: Duration,
) -> Kiosk {
    let mut problems = Vec::new();
    let silent = now - arrived;
    if silent > SILENT_AFTER {
        problems.push(format!("last heard from {} ago", span(silent)));
    }
    // Positive: the kiosk's clock is ahead of the office's.
    let offset = status.written - arrived;
    if offset < -CLOCK_TOLERANCE {
        problems.push(format!("clock {} behind", span(-offset)));
    } else if offset > CLOCK_TOLERANCE {
        problems.push(format!("clock {} ahead", span(offset)));
    } else if !status.clock.sane {
        problems.push(format!(
            "clock looks wrong to the kiosk (it says {})",
            status.written.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    // Ages by the kiosk's own clock up to its last word, then by the office's.
    let age_now = |updated: DateTime<Utc>| (status.written - updated) + silent;
    let stale: Vec<(&str, Option<Duration>)> = status
        .sources
        .iter()
        .filter_map(|s| match s.updated {
            Some(t) if age_now(t) > max_age => Some((s.name.as_str(), Some(age_now(t)))),
            Some(_) => None,
            None => Some((s.name.as_str(), None)),
        })
        .collect();
    let said = |name: Option<&str>, age: Option<Duration>| {
        let which = name.map_or_else(String::new, |n| format!(" \"{n}\""));
        match age {
            Some(a) => format!("schedule{which} {} old", span(a)),
            None => format!("schedule{which} never updated"),
        }
    };
    if status.sources.is_empty() {
        problems.push("no schedule yet".into());
    } else if status.sources.len() == 1 {
        problems.extend(stale.iter().map(|(_, a)| said(None, *a)));
    } else {
        problems.extend(stale.iter().map(|(n, a)| said(Some(n), *a)));
    }
    if let Some(u) = status.last_update.as_ref().filter(|u| !u.ok) {
        problems.push(format!(
            "last update failed ({}, {}): {}",
            u.from,
            u.at.format("%Y-%m-%d %H:%M UTC"),
            shortened(&u.said, 160)
        ));
    }
    if let Some(free) = status.disk_free_bytes.filter(|f| *f < LOW_DISK_BYTES) {
        problems.push(format!("only {} MB free on its disk", free / (1024 * 1024)));
    }
    let newest = status.sources.iter().filter_map(|s| s.updated).max();
    let summary = [
        status
            .bundle_version
            .map(|v| format!("schedule version {v}")),
        newest.map(|t| format!("updated {} ago", span(age_now(t)))),
        Some(format!("software {}", status.software)),
        Some(format!(
            "heard from {} ago",
            span(silent.max(Duration::zero()))
        )),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    Kiosk {
        name: status.kiosk.clone(),
        problems,
        summary,
    }
}

/// A duration as a person says it: "40 min", "3 h", "9 days".
fn span(d: Duration) -> String {
    let minutes = d.num_minutes();
    if minutes < 90 {
        format!("{} min", minutes.max(0))
    } else if minutes < 48 * 60 {
        format!("{} h", (minutes + 30) / 60)
    } else {
        format!("{} days", d.num_days())
    }
}

fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::status::{Clock, Source};
    use crate::sync::UpdateResult;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_796_000_000, 0).unwrap() + Duration::hours(h)
    }

    fn status(written: DateTime<Utc>, updated: DateTime<Utc>) -> Status {
        Status {
            format: status::FORMAT.into(),
            kiosk: "north-lobby".into(),
            software: "0.1.0".into(),
            written,
            started: written - Duration::days(1),
            bundle_version: Some(7),
            sources: vec![Source {
                name: "in-house".into(),
                updated: Some(updated),
                meetings: 12,
            }],
            last_update: None,
            disk_free_bytes: Some(4 << 30),
            clock: Clock {
                sane: true,
                problem: None,
            },
        }
    }

    #[test]
    fn a_current_kiosk_is_ok_and_says_its_version() {
        let k = assess(&status(at(0), at(-2)), at(0), at(0), Duration::days(7));
        assert_eq!(
            k.line(),
            "north-lobby: ok (schedule version 7, updated 2 h ago, software 0.1.0, heard from 0 min ago)"
        );
    }

    #[test]
    fn an_old_schedule_and_a_clock_behind_are_both_said() {
        // Written by a clock 3 h behind, 9 days after the last update by that clock.
        let written = at(-3);
        let s = status(written, written - Duration::days(9));
        let k = assess(&s, at(0), at(0), Duration::days(7));
        assert_eq!(
            k.line(),
            "north-lobby: clock 3 h behind; schedule 9 days old"
        );
    }

    #[test]
    fn a_silent_kiosk_ages_by_the_office_clock() {
        // Its last status came 2 days ago, when its schedule was 6 days old: now it is 8.
        let s = status(at(-48), at(-48) - Duration::days(6));
        let k = assess(&s, at(-48), at(0), Duration::days(7));
        assert_eq!(
            k.problems,
            vec!["last heard from 2 days ago", "schedule 8 days old"]
        );
    }

    #[test]
    fn a_failed_update_low_disk_and_no_schedule_are_problems() {
        let mut s = status(at(0), at(0));
        s.sources.clear();
        s.disk_free_bytes = Some(50 * 1024 * 1024);
        s.last_update = Some(UpdateResult {
            at: at(-1),
            from: "sync folder".into(),
            ok: false,
            said: "The schedule in the sync folder was not used: its signature does not match"
                .into(),
        });
        let k = assess(&s, at(0), at(0), Duration::days(7));
        assert_eq!(
            k.problems,
            vec![
                "no schedule yet".to_string(),
                format!(
                    "last update failed (sync folder, {}): The schedule in the sync folder was not used: its signature does not match",
                    at(-1).format("%Y-%m-%d %H:%M UTC")
                ),
                "only 50 MB free on its disk".to_string(),
            ]
        );
    }

    #[test]
    fn of_two_sources_the_stale_one_is_named() {
        let mut s = status(at(0), at(-1));
        s.sources.push(Source {
            name: "aa-intergroup".into(),
            updated: Some(at(0) - Duration::days(10)),
            meetings: 300,
        });
        let k = assess(&s, at(0), at(0), Duration::days(7));
        assert_eq!(k.problems, vec!["schedule \"aa-intergroup\" 10 days old"]);
    }

    #[test]
    fn a_clock_the_kiosk_itself_doubts_is_a_problem() {
        let mut s = status(at(0), at(-1));
        s.clock = Clock {
            sane: false,
            problem: Some("before the build".into()),
        };
        let k = assess(&s, at(0), at(0), Duration::days(7));
        assert_eq!(k.problems.len(), 1, "{:?}", k.problems);
        assert!(k.problems[0].starts_with("clock looks wrong"));
    }
}
