//! The staff screen's USB stick part: schedule files without a signature, previewed and
//! applied only on Apply (`sync::plain`), and signing keys (`kiosk-bundle.pub`) to trust.
//!
//! A stick is looked at when the staff screen opens and every few seconds while it is up; a
//! preview whose stick was pulled is dropped with nothing changed.

use std::path::{Path, PathBuf};

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::ui::{KeyLine, KioskWindow, StaffAdapter, StickFile};
use super::{Inner, ScheduleSource, View, Wiring};
use crate::import::bundle::{PublicKey, PUBLIC_KEY_FILE};
use crate::store::DataDir;
use crate::sync::plain::{self, Change, Review};
use crate::sync::usb;
use crate::words::schedule as format;
use crate::words::{phrase, Locale};

/// How many changed meetings a file's preview names.
const CHANGES_SHOWN: usize = 3;

/// What the staff screen knows of the sticks that are in.
#[derive(Default)]
pub(super) struct StickState {
    pub review: Option<Review>,
    /// A folder staff applied or cancelled: not reviewed again until its stick is pulled.
    pub done_with: Option<PathBuf>,
    /// Keys found on sticks that are not trusted yet.
    pub keys: Vec<PublicKey>,
    /// The ids of the keys the config names (read with the sticks, not at every redraw).
    pub config_keys: Vec<String>,
}

impl Drop for StickState {
    fn drop(&mut self) {
        if let Some(review) = self.review.take() {
            review.discard();
        }
    }
}

impl Inner {
    /// Looks at the sticks again: drops a preview whose stick was pulled, previews a new
    /// stick's files, lists keys to trust. True when something on screen changed.
    pub(super) fn refresh_stick(&mut self) -> bool {
        let roots = self.config.usb.mount_roots.clone();
        let staging = self.staging_folder();
        let rules = self.config.import_rules();
        let config_keys: Vec<String> =
            crate::sync::bundles::load_keys(&self.config.bundles.public_keys)
                .unwrap_or_default()
                .iter()
                .map(|k| k.key_id().to_string())
                .collect();
        let now = self.stamp();
        let ScheduleSource::Store(store) = &mut self.source else {
            return false;
        };
        // The field itself, not `staff_mut()`: `store` above borrows another field.
        let View::Staff(session) = &mut self.view else {
            return false;
        };
        let stick = &mut session.stick;
        let mut changed = false;
        if stick.review.as_ref().is_some_and(|r| !r.stick_present()) {
            if let Some(review) = stick.review.take() {
                review.discard();
            }
            session.status = Some(
                phrase(
                    "The USB stick was removed before Apply: nothing was changed.",
                    &[],
                )
                .into(),
            );
            changed = true;
        }
        let folders = plain::plain_folders(&roots);
        if stick
            .done_with
            .as_ref()
            .is_some_and(|done| !folders.contains(done))
        {
            stick.done_with = None;
        }
        if stick.review.is_none() {
            if let Some(folder) = folders
                .iter()
                .find(|f| stick.done_with.as_ref() != Some(*f))
            {
                match plain::review(store, folder, &staging, &rules, &now) {
                    Ok(review) => stick.review = Some(review),
                    Err(why) => {
                        session.status = Some(why.into());
                        stick.done_with = Some(folder.clone());
                    }
                }
                changed = true;
            }
        }
        let trusted: Vec<String> = store
            .trusted_keys()
            .unwrap_or_default()
            .into_iter()
            .map(|k| k.key_id)
            .chain(config_keys.iter().cloned())
            .collect();
        let mut keys: Vec<PublicKey> = keys_on_sticks(&roots)
            .into_iter()
            .filter(|k| !trusted.iter().any(|t| t == k.key_id()))
            .collect();
        keys.dedup_by(|a, b| a.key_id() == b.key_id());
        let ids = |keys: &[PublicKey]| {
            keys.iter()
                .map(|k| k.key_id().to_string())
                .collect::<Vec<_>>()
        };
        if ids(&keys) != ids(&stick.keys) {
            stick.keys = keys;
            changed = true;
        }
        if config_keys != stick.config_keys {
            stick.config_keys = config_keys;
            changed = true;
        }
        changed
    }

    /// Now, as the store records import and trust times.
    pub(super) fn stamp(&self) -> String {
        self.now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// The database's data folder ("." for the demo, which writes nothing there).
    fn data_dir(&self) -> DataDir {
        match &self.source {
            ScheduleSource::Store(store) => store.folder(),
            _ => None,
        }
        .unwrap_or_else(|| DataDir::of(Path::new("")))
    }

    fn staging_folder(&self) -> PathBuf {
        self.data_dir()
            .staging(self.config.bundles.staging.as_deref())
    }

    fn outbox(&self) -> PathBuf {
        self.data_dir().outbox()
    }

    /// The stick part of the staff screen.
    pub(super) fn show_stick(&self, win: &KioskWindow, locale: &Locale) {
        let adapter = win.global::<StaffAdapter>();
        let Some(session) = self.staff() else { return };
        let stick = &session.stick;
        let (title, lines, can_apply) = match &stick.review {
            None => (String::new(), Vec::new(), false),
            Some(review) => {
                let lines: Vec<StickFile> =
                    review.files.iter().map(|f| file_line(f, locale)).collect();
                let title = if review.files.is_empty() {
                    locale.tr("The USB stick's lobby-kiosk folder holds no schedule file.")
                } else {
                    locale.tr(
                        "Schedule files on the USB stick. Nothing changes until you press Apply.",
                    )
                };
                (title, lines, review.applicable() > 0)
            }
        };
        adapter.set_stick_title(title.into());
        adapter.set_stick_files(ModelRc::new(VecModel::from(lines)));
        adapter.set_can_apply(can_apply);
        let keys: Vec<KeyLine> = stick
            .keys
            .iter()
            .map(|k| KeyLine {
                label: locale
                    .trf(
                        "Signing key {} is on the USB stick. Trust it only if it is your office's key.",
                        &[&k.key_id()],
                    )
                    .into(),
                removable: false,
            })
            .collect();
        adapter.set_stick_keys(ModelRc::new(VecModel::from(keys)));
        let mut trusted: Vec<KeyLine> = stick
            .config_keys
            .iter()
            .map(|id| KeyLine {
                label: locale
                    .trf("Key {} — from the configuration file", &[id])
                    .into(),
                removable: false,
            })
            .collect();
        if let ScheduleSource::Store(store) = &self.source {
            trusted.extend(store.trusted_keys().unwrap_or_default().iter().map(|k| {
                KeyLine {
                    label: locale
                        .trf(
                            "Key {} — trusted here on {}",
                            &[&k.key_id, &k.added_at.get(..10).unwrap_or(&k.added_at)],
                        )
                        .into(),
                    removable: true,
                }
            }));
        }
        adapter.set_trusted_keys(ModelRc::new(VecModel::from(trusted)));
    }

    /// Apply: every file that previewed well, each in its own transaction; the report goes
    /// back onto the stick.
    pub(super) fn apply_stick(&mut self, win: &KioskWindow) {
        let now = self.stamp();
        let outbox = self.outbox();
        let ScheduleSource::Store(store) = &mut self.source else {
            return;
        };
        // The field itself, not `staff_mut()`: `store` above borrows another field.
        let View::Staff(session) = &mut self.view else {
            return;
        };
        let Some(review) = session.stick.review.take() else {
            return;
        };
        session.stick.done_with = Some(review.folder.clone());
        let status = match plain::apply(store, &review, &now) {
            None => phrase(
                "The USB stick was removed before Apply: nothing was changed.",
                &[],
            )
            .into(),
            Some(applied) => {
                let mut says = vec![applied.summary()];
                says.extend(usb::write_report(
                    &review.folder,
                    &applied.describe(&now),
                    &outbox,
                ));
                crate::sync::Notice {
                    says,
                    problem: applied.files.iter().any(|(_, r)| r.is_err()),
                }
            }
        };
        if let Some(session) = self.staff_mut() {
            session.status = Some(status);
        }
        self.reload();
        self.redraw(win);
    }

    pub(super) fn cancel_stick(&mut self, win: &KioskWindow) {
        if let Some(session) = self.staff_mut() {
            if let Some(review) = session.stick.review.take() {
                session.stick.done_with = Some(review.folder.clone());
                review.discard();
                log::info!("staff: schedule files on a USB stick cancelled, nothing changed");
                session.status =
                    Some(phrase("Cancelled: the schedule was not changed.", &[]).into());
            }
        }
        self.redraw(win);
    }

    pub(super) fn trust_stick_key(&mut self, win: &KioskWindow, i: usize) {
        let now = self.stamp();
        let ScheduleSource::Store(store) = &self.source else {
            return;
        };
        // The field itself, not `staff_mut()`: `store` above borrows another field.
        let View::Staff(session) = &mut self.view else {
            return;
        };
        let Some(key) = session.stick.keys.get(i).cloned() else {
            return;
        };
        let status = match crate::staff::trust_key(store, &key, &now) {
            Ok(()) => {
                session.stick.keys.remove(i);
                phrase(
                    "Key {} is trusted: bundles it signs are applied.",
                    &[&key.key_id()],
                )
            }
            Err(e) => phrase("The key was not trusted: {}", &[&e]),
        };
        session.status = Some(status.into());
        self.redraw(win);
    }

    /// Remove on a trusted key; the config's keys come first in the list and have no button.
    pub(super) fn remove_trusted_key(&mut self, win: &KioskWindow, i: usize) {
        let from_config = self.staff().map_or(0, |s| s.stick.config_keys.len());
        let ScheduleSource::Store(store) = &self.source else {
            return;
        };
        let Some(i) = i.checked_sub(from_config) else {
            return;
        };
        let Some(key) = store.trusted_keys().unwrap_or_default().into_iter().nth(i) else {
            return;
        };
        let status = match crate::staff::remove_key(store, &key.key_id) {
            Ok(_) => phrase(
                "Key {} is no longer trusted: bundles it signs are refused.",
                &[&key.key_id],
            ),
            Err(e) => phrase("The key was not removed: {}", &[&e]),
        };
        if let Some(session) = self.staff_mut() {
            session.status = Some(status.into());
        }
        self.refresh_stick();
        self.redraw(win);
    }
}

/// One file's preview as the screen says it.
fn file_line(file: &plain::FileReview, locale: &Locale) -> StickFile {
    let preview = match &file.preview {
        Err(why) => {
            return StickFile {
                title: locale.say(why).into(),
                body: SharedString::new(),
                problem: true,
            }
        }
        Ok(p) => p,
    };
    let report = &preview.outcome.report;
    let counts = &preview.outcome.counts;
    let replaces = if preview.current == 0 {
        locale.trf("new source \"{}\"", &[&preview.source])
    } else {
        locale.trf(
            "replaces source \"{}\" ({} meetings now)",
            &[&preview.source, &preview.current],
        )
    };
    let title = locale.trf(
        "{} — {} meetings; {}",
        &[&file.name, &report.meetings, &replaces],
    );
    let mut body = vec![locale.trf(
        "{} added, {} changed, {} removed, {} unchanged",
        &[
            &counts.added,
            &counts.changed,
            &counts.removed,
            &counts.unchanged,
        ],
    )];
    for change in preview.changes.iter().take(CHANGES_SHOWN) {
        let (word, m) = match change {
            Change::Added(m) => (locale.tr("Added"), m),
            Change::Changed(m) => (locale.tr("Changed"), m),
            Change::Removed(m) => (locale.tr("Removed"), m),
        };
        body.push(format!(
            "{word}: {} — {}",
            m.name,
            format::recurrence(m, locale)
        ));
    }
    if preview.changes.len() > CHANGES_SHOWN {
        body.push(locale.trf(
            "… and {} more changes",
            &[&(preview.changes.len() - CHANGES_SHOWN)],
        ));
    }
    let notes = report.grouped_notes();
    if !notes.is_empty() {
        body.push(locale.tr("Notes from the import:"));
        body.extend(notes.into_iter().take(4).map(|n| format!("· {n}")));
    }
    StickFile {
        title: title.into(),
        body: body.join("\n").into(),
        problem: false,
    }
}

/// Keys (`kiosk-bundle.pub`) at the top of a mounted stick or in its `lobby-kiosk/` folder.
fn keys_on_sticks(roots: &[PathBuf]) -> Vec<PublicKey> {
    let mut keys = Vec::new();
    for volume in usb::volumes(roots) {
        for path in [
            volume.join(PUBLIC_KEY_FILE),
            volume.join(usb::BUNDLE_FOLDER).join(PUBLIC_KEY_FILE),
        ] {
            if let Some(key) = read_key(&path) {
                keys.push(key);
            }
        }
    }
    keys
}

fn read_key(path: &Path) -> Option<PublicKey> {
    if !path.is_file() {
        return None;
    }
    match PublicKey::load(path) {
        Ok(key) => Some(key),
        Err(e) => {
            log::warn!("{e}");
            None
        }
    }
}

/// The staff screen's stick callbacks: Apply and Cancel for a stick's files, a meeting
/// occurrence switched on or off, a stick's key trusted, a trusted key removed.
pub(super) fn setup(window: &KioskWindow, wire: &Wiring) {
    let staff = window.global::<StaffAdapter>();
    let w = wire.clone();
    staff.on_apply_stick(move || w.with(|win, inner| inner.apply_stick(win)));
    let w = wire.clone();
    staff.on_cancel_stick(move || w.with(|win, inner| inner.cancel_stick(win)));
    let w = wire.clone();
    staff.on_toggle_occurrence(move |i| {
        w.with(|win, inner| inner.toggle_occurrence(win, usize::try_from(i).unwrap_or(usize::MAX)))
    });
    let w = wire.clone();
    staff.on_trust_key(move |i| {
        w.with(|win, inner| inner.trust_stick_key(win, usize::try_from(i).unwrap_or(usize::MAX)))
    });
    let w = wire.clone();
    staff.on_remove_key(move |i| {
        w.with(|win, inner| inner.remove_trusted_key(win, usize::try_from(i).unwrap_or(usize::MAX)))
    });
}
