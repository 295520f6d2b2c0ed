//! Schedule files on a USB stick without a signature — a Meeting Guide JSON or BMLT answer
//! saved from a browser, a TSML CSV, the center's own spreadsheet — applied only when staff
//! approve them on the staff screen with the PIN.
//!
//! Nothing here runs unattended: the updater only says such a stick is there
//! ([`NOTICE`]); the staff screen calls [`review`] once a PIN was entered, shows each file's
//! [`Preview`], and calls [`apply`] on Apply. The stick is untrusted as in `usb`: every file
//! is copied to a private staging folder (with a size cap) before it is read, and Apply uses
//! those copies, so a stick changed or pulled after the preview cannot change what was
//! approved. The sync folder and a stick nobody approved keep requiring a signature.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::apply::{
    apply_source, detect_format, open_file, store_error, SourceOutcome, MAX_FILE_BYTES,
};
use crate::import::bundle::{self, PUBLIC_KEY_FILE, SECRET_KEY_FILE, SIGNATURE};
use crate::import::{self, Format, Options, Rules};
use crate::schedule::Meeting;
use crate::store::Store;
use crate::words::{phrase, Phrase};

/// What the board says while such a stick is in.
pub fn notice() -> super::Notice {
    super::Notice::new(
        phrase(
            "Schedule files on the USB stick — staff, hold the clock to review them",
            &[],
        ),
        false,
    )
}

/// Files a stick's folder holds that are the kiosk's own, not schedules.
const NOT_SCHEDULES: [&str; 6] = [
    bundle::MANIFEST,
    SIGNATURE,
    super::usb::REPORT_FILE,
    "README.txt",
    PUBLIC_KEY_FILE,
    SECRET_KEY_FILE,
];

/// `lobby-kiosk/` folders on mounted sticks that hold files but no signed bundle.
pub fn plain_folders(roots: &[PathBuf]) -> Vec<PathBuf> {
    super::usb::stick_folders(roots)
        .into_iter()
        .filter(|f| !f.join(SIGNATURE).is_file() && !candidates(f).is_empty())
        .collect()
}

/// Names of the files in `folder` that may be schedules (every regular file but the
/// kiosk's own and hidden ones), sorted.
fn candidates(folder: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| is_candidate(n))
        .collect();
    names.sort();
    names
}

fn is_candidate(name: &str) -> bool {
    !name.starts_with('.')
        && !NOT_SCHEDULES
            .iter()
            .any(|own| own.eq_ignore_ascii_case(name))
}

/// The files of one stick, staged and compared with the schedule in use.
#[derive(Debug)]
pub struct Review {
    /// The stick's `lobby-kiosk/` folder (gone once the stick is pulled).
    pub folder: PathBuf,
    /// The private copies.
    staged: PathBuf,
    pub files: Vec<FileReview>,
}

/// One file: what applying it would do, or why it cannot be applied.
#[derive(Debug)]
pub struct FileReview {
    pub name: String,
    pub preview: Result<Preview, Phrase>,
}

/// What applying one file would change.
#[derive(Debug)]
pub struct Preview {
    pub format: Format,
    /// The source whose meetings the file replaces.
    pub source: String,
    /// Meetings that source has now (0: a new source).
    pub current: usize,
    /// The dry run: the import report and the counts.
    pub outcome: SourceOutcome,
    /// The changes by meeting: added, then changed, then removed, each by name.
    pub changes: Vec<Change>,
    staged: PathBuf,
    options: Options,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Added(Meeting),
    Changed(Meeting),
    Removed(Meeting),
}

impl Review {
    /// Whether the stick is still in (its folder is still there).
    pub fn stick_present(&self) -> bool {
        self.folder.is_dir()
    }

    /// Files Apply would apply.
    pub fn applicable(&self) -> usize {
        self.files.iter().filter(|f| f.preview.is_ok()).count()
    }

    /// Removes the staged copies (after Apply, Cancel, the stick pulled, the staff logged out).
    pub fn discard(&self) {
        let _ = fs::remove_dir_all(&self.staged);
    }
}

/// The source a file replaces: the center's own meetings for the center's file formats,
/// else the file's name ("sepia-intergroup.json" → "sepia-intergroup"), as `import FILE` does.
fn source_for(name: &str, format: Format) -> (String, bool) {
    match format {
        Format::InHouse | Format::InHouseCsv => ("in-house".to_string(), true),
        _ => (import::source_name(name), false),
    }
}

/// Stages the files of the stick folder `folder` and previews each against `store` (a dry
/// run: nothing changes).
pub fn review(
    store: &mut Store,
    folder: &Path,
    staging: &Path,
    rules: &Rules,
    imported_at: &str,
) -> Result<Review, Phrase> {
    let (staged, copies) = bundle::stage_files(folder, staging, MAX_FILE_BYTES)
        .map_err(|e| phrase("The files on the USB stick could not be read: {}", &[&e]))?;
    let (current, _) = store
        .meetings()
        .map_err(|e| phrase("The schedule could not be read: {}", &[&e]))?;
    let mut by_source: HashMap<&str, Vec<&Meeting>> = HashMap::new();
    for m in &current {
        by_source.entry(m.source.as_str()).or_default().push(m);
    }
    let mut files = Vec::new();
    for (name, copy) in copies {
        if !is_candidate(&name) {
            let _ = copy.map(fs::remove_file);
            continue;
        }
        let preview = match copy {
            Err(why) => Err(phrase("{}: {}; not used", &[&name, &why])),
            Ok(path) => preview(store, &path, &name, rules, imported_at, &by_source),
        };
        files.push(FileReview { name, preview });
    }
    Ok(Review {
        folder: folder.to_path_buf(),
        staged,
        files,
    })
}

fn preview(
    store: &mut Store,
    path: &Path,
    name: &str,
    rules: &Rules,
    imported_at: &str,
    by_source: &HashMap<&str, Vec<&Meeting>>,
) -> Result<Preview, Phrase> {
    let not_used = |e: &dyn std::fmt::Display| phrase("{}; not used", &[e]);
    let (mut reader, _) = open_file(path).map_err(|e| not_used(&e))?;
    let format = detect_format(Path::new(name), &mut reader, None).map_err(|e| not_used(&e))?;
    drop(reader);
    if format == Format::Sqlite {
        return Err(phrase(
            "{}: a schedule database is accepted only in a signed bundle; not used",
            &[&name],
        ));
    }
    let (source, in_house) = source_for(name, format);
    let options = Options {
        source: source.clone(),
        in_house,
        rules: rules.clone(),
        ..Options::default()
    };
    let outcome = import_staged(store, path, name, format, &options, imported_at, true)
        .map_err(|e| not_used(&e))?;
    let bytes = fs::read(path).map_err(|e| not_used(&e))?;
    let (meetings, _) =
        import::read_all(format, name, &bytes, &options).map_err(|e| not_used(&e))?;
    let before = by_source.get(source.as_str()).cloned().unwrap_or_default();
    Ok(Preview {
        format,
        current: before.len(),
        changes: changes(&before, &meetings),
        source,
        outcome,
        staged: path.to_path_buf(),
        options,
    })
}

/// Meetings added, changed and removed, each group in name order.
fn changes(before: &[&Meeting], after: &[Meeting]) -> Vec<Change> {
    let old: HashMap<&str, &Meeting> = before.iter().map(|m| (m.id.as_str(), *m)).collect();
    let new: HashMap<&str, &Meeting> = after.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut added: Vec<&Meeting> = after
        .iter()
        .filter(|m| !old.contains_key(m.id.as_str()))
        .collect();
    let mut changed: Vec<&Meeting> = after
        .iter()
        .filter(|m| old.get(m.id.as_str()).is_some_and(|o| *o != *m))
        .collect();
    let mut removed: Vec<&Meeting> = before
        .iter()
        .copied()
        .filter(|m| !new.contains_key(m.id.as_str()))
        .collect();
    for list in [&mut added, &mut changed, &mut removed] {
        list.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    }
    added
        .into_iter()
        .map(|m| Change::Added(m.clone()))
        .chain(changed.into_iter().map(|m| Change::Changed(m.clone())))
        .chain(removed.into_iter().map(|m| Change::Removed(m.clone())))
        .collect()
}

/// What Apply did: per file, the import's outcome or why it failed (the schedule in use is
/// unchanged for that file).
#[derive(Debug)]
pub struct Applied {
    pub files: Vec<(String, Result<SourceOutcome, String>)>,
    /// Files the preview already said could not be used, with why.
    pub not_used: Vec<(String, String)>,
}

impl Applied {
    /// The one line for the screen.
    pub fn summary(&self) -> Phrase {
        let done: Vec<&SourceOutcome> = self
            .files
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .collect();
        let failed = self.files.len() - done.len();
        let in_house: usize = done.iter().map(|o| o.report.in_house).sum();
        let all: usize = done.iter().map(|o| o.report.meetings).sum();
        match (done.len(), failed) {
            (0, _) => phrase("Schedule NOT updated — no file could be applied", &[]),
            (_, 0) => phrase(
                "Schedule updated — {} in-house, {} nearby",
                &[&in_house, &(all - in_house)],
            ),
            (_, n) => phrase(
                "Schedule updated — {} in-house, {} nearby; {} files NOT applied (see the report on the stick)",
                &[&in_house, &(all - in_house), &n],
            ),
        }
    }

    /// The report written back to the stick.
    pub fn describe(&self, imported_at: &str) -> String {
        let mut text = format!(
            "lobby-kiosk import report, {imported_at}\n\n{}\napproved by staff on the kiosk (files without a signature)\n\n",
            self.summary()
        );
        for (name, result) in &self.files {
            match result {
                Ok(outcome) => text.push_str(&outcome.describe(true)),
                Err(why) => text.push_str(&format!("{name}: NOT applied — {why}\n")),
            }
            text.push('\n');
        }
        for (name, why) in &self.not_used {
            text.push_str(&format!("not used: {name} — {why}\n"));
        }
        text
    }
}

/// Applies every file that previewed well, each in its own transaction, from the staged
/// copies — as a signed bundle's files are — then removes the copies. `None` when the stick
/// was pulled since the preview: nothing is applied then.
pub fn apply(store: &mut Store, review: &Review, imported_at: &str) -> Option<Applied> {
    if !review.stick_present() {
        review.discard();
        return None;
    }
    let mut files = Vec::new();
    let mut not_used = Vec::new();
    for file in &review.files {
        let preview = match &file.preview {
            Ok(preview) => preview,
            Err(why) => {
                not_used.push((file.name.clone(), why.to_string()));
                continue;
            }
        };
        let result = import_staged(
            store,
            &preview.staged,
            &file.name,
            preview.format,
            &preview.options,
            imported_at,
            false,
        )
        .map_err(|e| e.to_string());
        match &result {
            Ok(o) => log::info!(
                "staff approved {} from a USB stick: source \"{}\", {} meetings ({} added, {} changed, {} removed), {} notes",
                file.name, o.source, o.report.meetings, o.counts.added, o.counts.changed,
                o.counts.removed, o.report.notes.len()
            ),
            Err(why) => log::warn!("staff approved {} from a USB stick: {why}", file.name),
        }
        files.push((file.name.clone(), result));
    }
    review.discard();
    Some(Applied { files, not_used })
}

/// Imports a staged copy as one source in one transaction (rolled back for a dry run), the
/// report naming the file as it is on the stick.
fn import_staged(
    store: &mut Store,
    path: &Path,
    name: &str,
    format: Format,
    options: &Options,
    imported_at: &str,
    dry_run: bool,
) -> Result<SourceOutcome, import::ImportError> {
    let (mut reader, _) = open_file(path).map_err(|e| import::ImportError {
        file: name.to_string(),
        ..e
    })?;
    let update = store.begin_update().map_err(store_error(name))?;
    let origin = format!("USB stick, approved by staff: {name}");
    let outcome = apply_source(
        &update,
        &mut reader,
        name,
        format,
        options,
        &origin,
        imported_at,
    )?;
    if !dry_run {
        update.commit().map_err(store_error(name))?;
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../assets/examples/in-house.toml");

    /// What is on the stick is looked at file by file: a 2 GB file, a database without a
    /// signature and junk each get their line and are left out; the schedule next to them is
    /// previewed; nothing changes and the staged copies go.
    #[test]
    fn each_file_is_judged_on_its_own_and_a_preview_changes_nothing() {
        let stick = tempfile::tempdir().unwrap();
        let kiosk = tempfile::tempdir().unwrap();
        let folder = stick.path().join("lobby-kiosk");
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("in-house.toml"), EXAMPLE).unwrap();
        fs::write(folder.join("notes.txt"), "bring cookies on Friday\n").unwrap();
        fs::write(folder.join("schedule.sqlite"), b"SQLite format 3\0rest").unwrap();
        fs::write(folder.join(super::super::usb::REPORT_FILE), "old report").unwrap();
        let video = fs::File::create(folder.join("video.mp4")).unwrap();
        video.set_len(2 * 1024 * 1024 * 1024).unwrap(); // sparse: 2 GB that take no disk
        drop(video);
        let mut store = Store::open_in_memory().unwrap();
        let staging = kiosk.path().join("staging");
        let review = review(
            &mut store,
            &folder,
            &staging,
            &Rules::default(),
            "2026-12-02T10:00:00Z",
        )
        .unwrap();
        let lines: Vec<(String, String)> = review
            .files
            .iter()
            .map(|f| {
                let said = match &f.preview {
                    Ok(p) => format!(
                        "ok {} → {} ({} meetings)",
                        p.format, p.source, p.outcome.report.meetings
                    ),
                    Err(why) => why.to_string(),
                };
                (f.name.clone(), said)
            })
            .collect();
        let said = |name: &str| {
            lines
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, s)| s.clone())
                .unwrap_or_else(|| panic!("{name} is listed: {lines:?}"))
        };
        assert_eq!(said("in-house.toml"), "ok in-house → in-house (5 meetings)");
        assert!(
            said("video.mp4").contains("larger than 128 MB"),
            "{lines:?}"
        );
        assert!(
            said("schedule.sqlite").contains("only in a signed bundle"),
            "{lines:?}"
        );
        assert!(said("notes.txt").contains("not used"), "{lines:?}");
        assert!(
            !lines
                .iter()
                .any(|(n, _)| n == super::super::usb::REPORT_FILE),
            "the kiosk's own report is not a schedule"
        );
        assert_eq!(review.applicable(), 1);
        assert!(
            store.meetings().unwrap().0.is_empty(),
            "a preview changes nothing"
        );
        let Ok(preview) = &review
            .files
            .iter()
            .find(|f| f.name == "in-house.toml")
            .unwrap()
            .preview
        else {
            unreachable!()
        };
        assert_eq!(preview.current, 0, "a new source");
        assert_eq!(preview.changes.len(), 5);
        assert!(matches!(preview.changes[0], Change::Added(_)));

        let applied = apply(&mut store, &review, "2026-12-02T10:01:00Z").unwrap();
        assert_eq!(applied.files.len(), 1);
        assert_eq!(applied.not_used.len(), 3);
        assert_eq!(store.meetings().unwrap().0.len(), 5);
        let report = applied.describe("2026-12-02T10:01:00Z");
        assert!(report.contains("not used: video.mp4"), "{report}");
        let sources = store.sources().unwrap();
        assert_eq!(sources[0].name, "in-house");
        let left: Vec<_> = fs::read_dir(&staging).unwrap().collect();
        assert!(left.is_empty(), "staged copies removed: {left:?}");
    }

    /// Pulled after the preview: Apply applies nothing.
    #[test]
    fn apply_after_the_stick_was_pulled_changes_nothing() {
        let stick = tempfile::tempdir().unwrap();
        let kiosk = tempfile::tempdir().unwrap();
        let folder = stick.path().join("lobby-kiosk");
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("in-house.toml"), EXAMPLE).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let review = review(
            &mut store,
            &folder,
            kiosk.path(),
            &Rules::default(),
            "2026-12-02T10:00:00Z",
        )
        .unwrap();
        fs::remove_dir_all(&folder).unwrap();
        assert!(apply(&mut store, &review, "2026-12-02T10:01:00Z").is_none());
        assert!(store.meetings().unwrap().0.is_empty());
    }
}
