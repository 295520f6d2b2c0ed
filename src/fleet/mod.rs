//! Several sites, one office. Syncthing (or any tool that keeps folders in step) carries files;
//! this module only reads and writes them:
//!
//! - the schedule goes out as a signed bundle in each kiosk's `[sync] folder` (applied by
//!   `sync::folder`, nothing here);
//! - counts come back: each kiosk writes one file per ISO week into its own folder of the
//!   shared reports folder, with that week's exact counts per meeting occurrence (`weeks`);
//!   the office merges every kiosk's files and suppresses small cells after merging (`merge`,
//!   then `attendance::report`);
//! - health comes back: each kiosk writes `status.json` every few minutes (`status`), and the
//!   office's `fleet status` says what is wrong with which kiosk (`health`).
//!
//! `writer` is the kiosk's thread that writes both. Nothing is written unless `[fleet]
//! reports_folder` is set. Exact counts stay inside the organisation (between its kiosks and its
//! office, like the staff screen's); what leaves it is the suppressed report.

pub mod health;
pub mod merge;
pub mod status;
pub mod weeks;
pub mod writer;

use std::path::PathBuf;

/// The folders to look in for kiosks' files: each one given, then its subfolders (a reports
/// folder holds one per kiosk), hidden ones (`.stversions`) left out, in name order. Links are
/// not followed.
pub fn folders_to_read(folders: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for folder in folders {
        if !folder.is_dir() {
            return Err(format!("{}: is not a folder", folder.display()));
        }
        let mut inner: Vec<PathBuf> = std::fs::read_dir(folder)
            .map_err(|e| format!("{}: cannot be listed: {e}", folder.display()))?
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        inner.sort();
        out.push(folder.clone());
        out.extend(inner);
    }
    Ok(out)
}

/// Why a kiosk name cannot be a folder name in the office's reports folder, if it cannot.
pub fn check_kiosk_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("is needed with reports_folder: it names this kiosk's folder there".into());
    }
    if name.len() > 64 {
        return Err("is longer than 64 characters".into());
    }
    if name.starts_with('.') {
        return Err("starts with a dot (such a folder would be hidden)".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(
            "may hold only letters, digits, '-', '_' and '.' (it is a folder's name)".into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_kiosk_name;

    #[test]
    fn a_kiosk_name_is_a_plain_folder_name() {
        assert!(check_kiosk_name("north-lobby").is_ok());
        assert!(check_kiosk_name("site_2.front").is_ok());
        for bad in [
            "",
            ".hidden",
            "a/b",
            "..",
            "north lobby",
            "ü",
            &"x".repeat(65),
        ] {
            assert!(check_kiosk_name(bad).is_err(), "{bad:?} was taken");
        }
    }
}
