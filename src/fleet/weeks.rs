//! A kiosk's counts for the office: one JSON file per ISO week, `attendance-2026-W48.json`, in
//! the kiosk's own folder of the reports folder.
//!
//! A file holds that week's exact counts per meeting occurrence (meeting id, name, local date,
//! count) — what the staff screen shows, and nothing more: no time of day, no card tags, no
//! order of sign-ins. A week is written only once it is over (after its Sunday), so a file
//! never changes while people sign in — when it was written tells nothing about when anyone
//! came — and two reports made on different days cannot be subtracted to find one day's count.
//! A later change to a finished week (a head count entered from paper) rewrites its file.
//! Files are rewritten whole (temporary file, fsync, rename), and only when their content
//! changed, so the sync tool sends nothing when nothing happened.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::store::Store;

/// What the first line of every week file says it is; a file without it is not read.
pub const FORMAT: &str = "lobby-kiosk attendance week 1";

/// One kiosk's week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekFile {
    pub format: String,
    pub kiosk: String,
    /// ISO week, "2026-W48".
    pub week: String,
    /// Its Monday and Sunday.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub occurrences: Vec<Occurrence>,
}

/// One meeting on one date, and how many signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Occurrence {
    /// The meeting's stable id as `lobby-kiosk board` prints it ("in-house:alumni-thursday"):
    /// the key the kiosk's own report uses, kept when a meeting is renamed.
    pub meeting: String,
    pub name: String,
    pub date: NaiveDate,
    pub count: u32,
}

/// The ISO week a date is in: its label and its Monday.
pub fn iso_week(date: NaiveDate) -> (String, NaiveDate) {
    let week = date.iso_week();
    let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
    (format!("{}-W{:02}", week.year(), week.week()), monday)
}

/// The file name of a week's counts.
pub fn file_name(week: &str) -> String {
    format!("attendance-{week}.json")
}

/// Whether `name` is a week file's name ("attendance-2026-W48.json"); Syncthing's conflict
/// copies and anything else are not.
pub fn is_week_file_name(name: &str) -> bool {
    let Some(week) = name
        .strip_prefix("attendance-")
        .and_then(|n| n.strip_suffix(".json"))
    else {
        return false;
    };
    let b = week.as_bytes();
    b.len() == 8
        && b[..4].iter().all(u8::is_ascii_digit)
        && &b[4..6] == b"-W"
        && b[6..].iter().all(u8::is_ascii_digit)
}

/// The finished weeks from the one `weeks_back` weeks before today's to last week, with their
/// counts as stored (weeks with no sign-in have no file). Reading only.
pub fn recent(
    store: &Store,
    kiosk: &str,
    today: NaiveDate,
    weeks_back: u32,
) -> Result<Vec<WeekFile>, String> {
    let (_, this_monday) = iso_week(today);
    let first = this_monday - Duration::weeks(i64::from(weeks_back));
    let Some(last) = this_monday.pred_opt() else {
        return Ok(Vec::new());
    };
    let rows = store
        .attendance_between(first, last)
        .map_err(|e| e.to_string())?;
    let mut weeks: Vec<WeekFile> = Vec::new();
    for (meeting, name, date, count) in rows {
        let (label, monday) = iso_week(date);
        let week = match weeks.iter_mut().find(|w| w.week == label) {
            Some(week) => week,
            None => {
                weeks.push(WeekFile {
                    format: FORMAT.into(),
                    kiosk: kiosk.into(),
                    week: label,
                    first_day: monday,
                    last_day: monday + Duration::days(6),
                    occurrences: Vec::new(),
                });
                weeks.last_mut().expect("just pushed")
            }
        };
        match week
            .occurrences
            .iter_mut()
            .find(|o| o.meeting == meeting && o.date == date)
        {
            Some(o) => o.count = o.count.saturating_add(count),
            None => week.occurrences.push(Occurrence {
                meeting,
                name,
                date,
                count,
            }),
        }
    }
    for week in &mut weeks {
        week.occurrences
            .sort_by(|a, b| a.date.cmp(&b.date).then(a.meeting.cmp(&b.meeting)));
    }
    weeks.sort_by_key(|w| w.first_day);
    Ok(weeks)
}

/// Writes each week into `folder` unless its file already says exactly that; returns the files
/// written.
pub fn write(folder: &Path, weeks: &[WeekFile]) -> Result<Vec<PathBuf>, String> {
    fs::create_dir_all(folder)
        .map_err(|e| format!("{}: cannot be created: {e}", folder.display()))?;
    let mut written = Vec::new();
    for week in weeks {
        let path = folder.join(file_name(&week.week));
        let text = serde_json::to_string_pretty(week).map_err(|e| e.to_string())? + "\n";
        if fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        crate::sync::files::write_atomically(&path, text.as_bytes())
            .map_err(|e| format!("{}: cannot be written: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// Reads one week file, checking that it says what it is and is whole.
pub fn read(path: &Path) -> Result<WeekFile, String> {
    let text =
        fs::read_to_string(path).map_err(|e| format!("{}: cannot be read: {e}", path.display()))?;
    let week: WeekFile = serde_json::from_str(&text)
        .map_err(|e| format!("{}: is not a week of counts: {e}", path.display()))?;
    if week.format != FORMAT {
        return Err(format!(
            "{}: says it is \"{}\", not \"{FORMAT}\" (written by another version?)",
            path.display(),
            week.format
        ));
    }
    let (label, monday) = iso_week(week.first_day);
    if label != week.week
        || monday != week.first_day
        || week.first_day.weekday() != Weekday::Mon
        || week.last_day != week.first_day + Duration::days(6)
    {
        return Err(format!(
            "{}: week {} does not start on {}",
            path.display(),
            week.week,
            week.first_day
        ));
    }
    if let Some(o) = week
        .occurrences
        .iter()
        .find(|o| o.date < week.first_day || o.date > week.last_day)
    {
        return Err(format!(
            "{}: meeting {} on {} is outside week {}",
            path.display(),
            o.meeting,
            o.date,
            week.week
        ));
    }
    Ok(week)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn iso_weeks_cross_the_new_year_as_iso_8601_says() {
        // 2026-12-31 is a Thursday: week 53 of 2026. 2027-01-03, a Sunday, is still in it.
        assert_eq!(
            iso_week(d(2026, 12, 31)),
            ("2026-W53".into(), d(2026, 12, 28))
        );
        assert_eq!(
            iso_week(d(2027, 1, 3)),
            ("2026-W53".into(), d(2026, 12, 28))
        );
        assert_eq!(iso_week(d(2027, 1, 4)), ("2027-W01".into(), d(2027, 1, 4)));
        // 2024-12-30 (a Monday) opens 2025's week 1.
        assert_eq!(
            iso_week(d(2024, 12, 30)),
            ("2025-W01".into(), d(2024, 12, 30))
        );
    }

    fn store_with_sign_ins(dir: &Path, days: &[(NaiveDate, u32)]) -> Store {
        let mut store = Store::open(&dir.join("kiosk.db")).unwrap();
        let m = crate::schedule::Meeting::new(
            "in-house",
            "alumni",
            "Thursday Alumni Group",
            crate::schedule::Recurrence::Weekly(vec![Weekday::Thu]),
            chrono::NaiveTime::from_hms_opt(18, 30, 0).unwrap(),
        );
        for (day, n) in days {
            for _ in 0..*n {
                store.sign_in(&m, *day, None, true).unwrap();
            }
        }
        store
    }

    #[test]
    fn a_week_holds_exact_counts_of_the_days_before_today_and_is_written_once() {
        let dir = tempfile::tempdir().unwrap();
        // Thursday 2026-11-26 (week 48) and Thursday 2026-12-03, "today" in week 49.
        let store = store_with_sign_ins(dir.path(), &[(d(2026, 11, 26), 12), (d(2026, 12, 3), 4)]);
        let weeks = recent(&store, "north", d(2026, 12, 3), 2).unwrap();
        assert_eq!(
            weeks.len(),
            1,
            "today's sign-ins wait for tomorrow: {weeks:?}"
        );
        assert_eq!(weeks[0].week, "2026-W48");
        assert_eq!(
            weeks[0].occurrences,
            vec![Occurrence {
                meeting: "in-house:alumni".into(),
                name: "Thursday Alumni Group".into(),
                date: d(2026, 11, 26),
                count: 12,
            }]
        );
        let tomorrow = recent(&store, "north", d(2026, 12, 7), 2).unwrap();
        assert_eq!(tomorrow.len(), 2);
        assert_eq!(tomorrow[1].occurrences[0].count, 4);

        let out = dir.path().join("reports").join("north");
        let written = write(&out, &tomorrow).unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(read(&written[0]).unwrap(), tomorrow[0]);
        assert_eq!(
            write(&out, &tomorrow).unwrap(),
            Vec::<PathBuf>::new(),
            "unchanged"
        );
        let text = fs::read_to_string(&written[1]).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&String> = value["occurrences"][0]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            keys,
            ["count", "date", "meeting", "name"],
            "no time, no tags: {text}"
        );
        assert!(!text.contains("18:30"), "{text}");
    }

    #[test]
    fn a_week_file_that_lies_about_its_dates_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut week = WeekFile {
            format: FORMAT.into(),
            kiosk: "north".into(),
            week: "2026-W48".into(),
            first_day: d(2026, 11, 23),
            last_day: d(2026, 11, 29),
            occurrences: vec![Occurrence {
                meeting: "alumni".into(),
                name: "Alumni".into(),
                date: d(2026, 12, 3),
                count: 5,
            }],
        };
        write(dir.path(), std::slice::from_ref(&week)).unwrap();
        let path = dir.path().join("attendance-2026-W48.json");
        let err = read(&path).unwrap_err();
        assert!(err.contains("outside week 2026-W48"), "{err}");
        week.occurrences.clear();
        week.first_day = d(2026, 11, 24);
        write(dir.path(), &[week]).unwrap();
        let err = read(&path).unwrap_err();
        assert!(err.contains("does not start on"), "{err}");
    }

    #[test]
    fn only_week_file_names_are_taken() {
        assert!(is_week_file_name("attendance-2026-W48.json"));
        for other in [
            "attendance-2026-W48.sync-conflict-20261202-101010-ABCDEFG.json",
            ".syncthing.attendance-2026-W48.json.tmp",
            "attendance-2026-48.json",
            "status.json",
        ] {
            assert!(!is_week_file_name(other), "{other}");
        }
    }
}
