//! The office's side of the counts: every kiosk's week files, read from the reports folder(s),
//! as one list of rows for `attendance::report` — which suppresses small cells after merging,
//! so the merged report never publishes a cell of 1 to 10, whatever each site counted.
//!
//! A folder given may be the shared reports folder (each kiosk's folder inside it) or one
//! kiosk's folder. A site is the kiosk's name as its files say; the same meeting at two kiosks
//! is two rows. The same kiosk's week found twice (a copied folder) is refused rather than
//! counted twice.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::weeks::{self, WeekFile};

/// Every kiosk's counts: (site, meeting, name, date, count) rows, and the weeks they cover.
#[derive(Debug, Default)]
pub struct Merged {
    pub rows: Vec<(String, String, String, NaiveDate, u32)>,
    /// The first and last day any file covers.
    pub span: Option<(NaiveDate, NaiveDate)>,
    /// How many week files from how many kiosks.
    pub files: usize,
    pub kiosks: usize,
    /// Files that look like counts but are not read, and why (a sync tool's conflict copy).
    pub skipped: Vec<String>,
}

/// Reads the week files in `folders` and in their subfolders (`super::folders_to_read`).
pub fn read(folders: &[PathBuf]) -> Result<Merged, String> {
    let mut found: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
    let mut merged = Merged::default();
    for folder in super::folders_to_read(folders)? {
        for path in week_files(&folder, &mut merged.skipped)? {
            let week = weeks::read(&path)?;
            let key = (week.kiosk.clone(), week.week.clone());
            if let Some(first) = found.get(&key) {
                return Err(format!(
                    "{} week {} is in two files, {} and {}: remove the copy, so it is not counted twice",
                    week.kiosk,
                    week.week,
                    first.display(),
                    path.display()
                ));
            }
            found.insert(key, path);
            add(&mut merged, week);
        }
    }
    merged.files = found.len();
    let mut kiosks: Vec<&String> = found.keys().map(|(k, _)| k).collect();
    kiosks.dedup();
    merged.kiosks = kiosks.len();
    Ok(merged)
}

fn add(merged: &mut Merged, week: WeekFile) {
    merged.span = Some(match merged.span {
        None => (week.first_day, week.last_day),
        Some((a, b)) => (a.min(week.first_day), b.max(week.last_day)),
    });
    for o in week.occurrences {
        merged
            .rows
            .push((week.kiosk.clone(), o.meeting, o.name, o.date, o.count));
    }
}

/// The week files directly in `folder`, sorted. Other files named like counts (a sync tool's
/// conflict copy) go to `skipped`.
fn week_files(folder: &Path, skipped: &mut Vec<String>) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let listing_failed = |e: std::io::Error| format!("{}: cannot be listed: {e}", folder.display());
    for entry in fs::read_dir(folder).map_err(listing_failed)? {
        let entry = entry.map_err(listing_failed)?;
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if weeks::is_week_file_name(&name) {
            out.push(entry.path());
        } else if name.starts_with("attendance-") {
            skipped.push(format!(
                "{} (a copy the sync tool made when two versions met? compare it with the week's file)",
                entry.path().display()
            ));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::weeks::{Occurrence, FORMAT};

    fn week(kiosk: &str, count: u32) -> WeekFile {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        WeekFile {
            format: FORMAT.into(),
            kiosk: kiosk.into(),
            week: "2026-W48".into(),
            first_day: day(23),
            last_day: day(29),
            occurrences: vec![Occurrence {
                meeting: "alumni".into(),
                name: "Alumni".into(),
                date: day(26),
                count,
            }],
        }
    }

    #[test]
    fn every_kiosk_folder_is_read_and_a_copied_week_is_refused() {
        let root = tempfile::tempdir().unwrap();
        weeks::write(&root.path().join("north"), &[week("north", 12)]).unwrap();
        weeks::write(&root.path().join("south"), &[week("south", 3)]).unwrap();
        // Syncthing's conflict copy and hidden folders are not weeks.
        fs::write(
            root.path()
                .join("south")
                .join("attendance-2026-W48.sync-conflict-20261201-1.json"),
            "{}",
        )
        .unwrap();
        weeks::write(&root.path().join(".stversions"), &[week("south", 99)]).unwrap();
        let merged = read(&[root.path().to_path_buf()]).unwrap();
        assert_eq!((merged.files, merged.kiosks), (2, 2));
        assert_eq!(merged.skipped.len(), 1, "{:?}", merged.skipped);
        assert!(merged.skipped[0].contains("sync-conflict"));
        let counts: Vec<(&str, u32)> = merged.rows.iter().map(|r| (r.0.as_str(), r.4)).collect();
        assert_eq!(counts, vec![("north", 12), ("south", 3)]);

        // The same kiosk's folder copied under another name would count north twice.
        weeks::write(&root.path().join("north-copy"), &[week("north", 12)]).unwrap();
        let err = read(&[root.path().to_path_buf()]).unwrap_err();
        assert!(err.contains("north week 2026-W48 is in two files"), "{err}");
    }
}
