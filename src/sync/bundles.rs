//! Applying a signed bundle — from a USB stick, the sync folder or `lobby-kiosk import DIR` —
//! in the order `reference/privacy.md` sets: copy to a private staging folder with a size cap
//! → verify the signature before parsing anything → refuse an older version → parse and
//! apply every file in one transaction that also records the version → report.
//!
//! A `schedule.sqlite` in a bundle is opened only as a private staged copy (never as the live
//! database), checked, and its rows copied into the live database in that same transaction.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::import::bundle::{self, PublicKey, Verified};
use crate::import::{Format, ImportError, Options, Report, RowNote, Rules};
use crate::store::{Store, Update};
use crate::words::{phrase, Phrase};

use super::apply::{apply_source, open_file, store_error, SourceOutcome};

/// What an accepted bundle did.
#[derive(Debug, Clone)]
pub struct BundleOutcome {
    pub version: u64,
    pub key_id: String,
    pub sources: Vec<SourceOutcome>,
    /// Files in the folder the manifest does not list (not used).
    pub ignored: Vec<String>,
    pub dry_run: bool,
}

impl BundleOutcome {
    /// The one line for the screen: "Schedule updated — 12 in-house, 340 nearby, 3 warnings".
    pub fn summary(&self) -> String {
        self.summary_phrase().to_string()
    }

    /// `summary`, to be said in the language on screen.
    pub fn summary_phrase(&self) -> Phrase {
        let in_house: usize = self.sources.iter().map(|s| s.report.in_house).sum();
        let all: usize = self.sources.iter().map(|s| s.report.meetings).sum();
        let nearby = all - in_house;
        match self
            .sources
            .iter()
            .map(|s| s.report.notes.len())
            .sum::<usize>()
        {
            0 => phrase(
                "Schedule updated — {} in-house, {} nearby",
                &[&in_house, &nearby],
            ),
            1 => phrase(
                "Schedule updated — {} in-house, {} nearby, 1 warning",
                &[&in_house, &nearby],
            ),
            n => phrase(
                "Schedule updated — {} in-house, {} nearby, {} warnings",
                &[&in_house, &nearby, &n],
            ),
        }
    }

    /// The whole report, as written back to the stick and printed by `import DIR`;
    /// `every_row` as in `SourceOutcome::describe`.
    pub fn describe(&self, every_row: bool) -> String {
        let mut text = format!(
            "{}\nbundle version {} signed by key {}{}\n\n",
            self.summary(),
            self.version,
            self.key_id,
            if self.dry_run {
                " (dry run: nothing was changed)"
            } else {
                ""
            }
        );
        for source in &self.sources {
            text.push_str(&source.describe(every_row));
            text.push('\n');
        }
        for name in &self.ignored {
            let _ = writeln!(text, "not in the manifest, not used: {name}");
        }
        text
    }
}

/// Why a bundle was not applied. The schedule in use is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub why: String,
    /// The bundle is the one already in use (same version): nothing to do, nothing wrong.
    pub already_applied: bool,
}

impl Refusal {
    fn new(why: impl ToString) -> Self {
        Refusal {
            why: why.to_string(),
            already_applied: false,
        }
    }

    /// The text for the stick and the command line.
    pub fn describe(&self) -> String {
        self.phrase().to_string()
    }

    /// `describe`, to be said in the language on screen (`why` stays as the check wrote it).
    pub fn phrase(&self) -> Phrase {
        if self.already_applied {
            phrase("Schedule unchanged — {}", &[&self.why])
        } else {
            phrase("Schedule NOT updated — {}", &[&self.why])
        }
    }

    /// As `phrase`, for a bundle found in the sync folder.
    pub fn from_sync_folder(&self) -> Phrase {
        if self.already_applied {
            phrase("Sync folder: schedule unchanged — {}", &[&self.why])
        } else {
            phrase("Sync folder: schedule NOT updated — {}", &[&self.why])
        }
    }
}

/// Loads the configured public keys; a key file that cannot be read is a refusal for every
/// bundle (with the reason), not a crash.
pub fn load_keys(paths: &[std::path::PathBuf]) -> Result<Vec<PublicKey>, Refusal> {
    if paths.is_empty() {
        return Err(Refusal::new(bundle::BundleError::NoKeysConfigured));
    }
    paths
        .iter()
        .map(|p| PublicKey::load(p).map_err(Refusal::new))
        .collect()
}

/// The keys bundles may be signed with: the config's key files, and those staff trusted on
/// the staff screen (`Store::trusted_keys`).
pub fn trusted_keys(
    paths: &[std::path::PathBuf],
    store: &Store,
) -> Result<Vec<PublicKey>, Refusal> {
    let mut keys = match load_keys(paths) {
        Ok(keys) => keys,
        Err(_) if paths.is_empty() => Vec::new(),
        Err(refusal) => return Err(refusal),
    };
    for trusted in store.trusted_keys().map_err(Refusal::new)? {
        match PublicKey::from_base64(&trusted.key) {
            Ok(key) if !keys.iter().any(|k| k.key_id() == key.key_id()) => keys.push(key),
            Ok(_) => {}
            Err(why) => log::warn!("trusted key {}: {why}; not used", trusted.key_id),
        }
    }
    if keys.is_empty() {
        return Err(Refusal::new(bundle::BundleError::NoKeysConfigured));
    }
    Ok(keys)
}

/// Applies the bundle in `folder`. `staging_root` is a private folder on the kiosk's disk.
pub fn apply_bundle(
    store: &mut Store,
    folder: &Path,
    keys: &[PublicKey],
    rules: &Rules,
    staging_root: &Path,
    imported_at: &str,
    dry_run: bool,
) -> Result<BundleOutcome, Refusal> {
    if keys.is_empty() {
        return Err(Refusal::new(bundle::BundleError::NoKeysConfigured));
    }
    let staged = bundle::stage(folder, staging_root, bundle::DEFAULT_MAX_BUNDLE_BYTES)
        .map_err(Refusal::new)?;
    let result = apply_staged(store, &staged, keys, rules, imported_at, dry_run);
    // The staged copy has served its purpose either way.
    let _ = fs::remove_dir_all(&staged);
    result
}

fn apply_staged(
    store: &mut Store,
    staged: &Path,
    keys: &[PublicKey],
    rules: &Rules,
    imported_at: &str,
    dry_run: bool,
) -> Result<BundleOutcome, Refusal> {
    let verified = bundle::verify(staged, keys).map_err(Refusal::new)?;
    let version = verified.manifest.version;
    let accepted = store.bundle_version().map_err(Refusal::new)?;
    if accepted == Some(version) {
        return Err(Refusal {
            why: format!("bundle version {version} is already in use"),
            already_applied: true,
        });
    }
    bundle::check_newer(version, accepted).map_err(Refusal::new)?;
    let update = store.begin_update().map_err(Refusal::new)?;
    let mut sources = Vec::new();
    for file in &verified.manifest.files {
        let outcomes =
            apply_file(&update, &verified, file, rules, imported_at).map_err(Refusal::new)?;
        sources.extend(outcomes);
    }
    update
        .accept_bundle(version, &verified.key_id, imported_at)
        .map_err(Refusal::new)?;
    if !dry_run {
        update.commit().map_err(Refusal::new)?;
    }
    Ok(BundleOutcome {
        version,
        key_id: verified.key_id.clone(),
        sources,
        ignored: verified.ignored.clone(),
        dry_run,
    })
}

fn apply_file(
    update: &Update<'_>,
    verified: &Verified,
    file: &bundle::BundleFile,
    rules: &Rules,
    imported_at: &str,
) -> Result<Vec<SourceOutcome>, ImportError> {
    let path = verified.path(file);
    let origin = format!("bundle v{}: {}", verified.manifest.version, file.name);
    if file.is_sqlite() {
        return copy_sqlite(update, &path, &file.name, &origin, imported_at);
    }
    let format = file.import_format().ok_or_else(|| {
        ImportError::file(
            &file.name,
            format!("format \"{}\" is not one the kiosk reads", file.format),
        )
    })?;
    let options = Options {
        source: file.source.clone(),
        program: file.program.clone(),
        in_house: file.in_house,
        bmlt_formats: None,
        rules: rules.clone(),
    };
    let (mut reader, _) = open_file(&path).map_err(|e| ImportError {
        file: file.name.clone(),
        ..e
    })?;
    let outcome = apply_source(
        update,
        &mut reader,
        &file.name,
        format,
        &options,
        &origin,
        imported_at,
    )?;
    Ok(vec![outcome])
}

/// Copies every source of a staged `schedule.sqlite` into the live database.
fn copy_sqlite(
    update: &Update<'_>,
    path: &Path,
    name: &str,
    origin: &str,
    imported_at: &str,
) -> Result<Vec<SourceOutcome>, ImportError> {
    let copy = Store::open_untrusted(path).map_err(store_error(name))?;
    let (meetings, unreadable) = copy.meetings().map_err(store_error(name))?;
    let mut by_source: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for m in meetings {
        by_source.entry(m.source.clone()).or_default().push(m);
    }
    if by_source.is_empty() {
        return Err(ImportError::file(
            name,
            "holds no meetings; the current schedule is kept",
        ));
    }
    let mut outcomes = Vec::new();
    for (source, meetings) in by_source {
        let mut writer = update
            .replace_source(&source, imported_at)
            .map_err(store_error(name))?;
        let mut report = Report {
            file: name.to_string(),
            format: Format::Sqlite,
            rows_read: meetings.len(),
            rows_imported: meetings.len(),
            rows_dropped: 0,
            rows_not_meeting: 0,
            meetings: meetings.len(),
            scheduled: meetings
                .iter()
                .filter(|m| m.recurrence != crate::schedule::Recurrence::ByAppointment)
                .count(),
            in_house: meetings.iter().filter(|m| m.in_house).count(),
            notes: Vec::new(),
        };
        for m in &meetings {
            writer.insert(m).map_err(store_error(name))?;
        }
        let counts = writer.finish().map_err(store_error(name))?;
        if outcomes.is_empty() {
            // Rows the copy could not decode are reported once, with the first source.
            report.rows_read += unreadable.len();
            report.rows_dropped += unreadable.len();
            report.notes.extend(unreadable.iter().map(|w| RowNote {
                row: "row".into(),
                field: String::new(),
                value: String::new(),
                action: format!("dropped: {w}"),
                group: format!("rows dropped: {w}"),
            }));
        }
        update
            .describe_source(&source, origin, report.notes.len(), 0)
            .map_err(store_error(name))?;
        outcomes.push(SourceOutcome {
            source,
            report,
            counts,
        });
    }
    Ok(outcomes)
}
