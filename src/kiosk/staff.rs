//! The staff screen: attendance with exact counts (the facilitator was in the room), sources
//! and their freshness, card figures, and Export to USB (suppressed, like every export).
//!
//! It opens only after the hidden long-press and a right PIN, and closes on the 60 s idle
//! reset like every other screen.

use std::path::Path;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use slint::{ComponentHandle, ModelRc, SharedString, TimerMode, VecModel};

use super::stick::StickState;
use super::ui::{
    DeviceAdapter, KioskState, KioskWindow, Occurrence, Screen, StaffAdapter, StaffRow, Theme,
};
use super::{Inner, ScheduleSource, View, Wiring};
use crate::attendance::{report, totals};
use crate::store::{DataDir, DisplayChoice};
use crate::sync::mounts;
use crate::sync::usb::{self, Delivery};
use crate::sync::Notice;
use crate::words::{phrase, Phrase};

pub(super) struct StaffSession {
    pub period: totals::Period,
    /// What the last action (export, setting the clock, Apply …) came to.
    pub status: Option<Notice>,
    /// The sticks that are in: files to preview, keys to trust.
    pub stick: StickState,
}

impl Inner {
    pub(super) fn start_staff_session(&mut self) {
        self.view = View::Staff(Box::new(StaffSession {
            period: totals::Period::ThisWeek,
            status: None,
            stick: StickState::default(),
        }));
        self.refresh_stick();
    }

    pub(super) fn show_staff(&self, win: &KioskWindow) {
        let Some(session) = self.staff() else { return };
        let ScheduleSource::Store(store) = &self.source else {
            return;
        };
        let adapter = win.global::<StaffAdapter>();
        let today = self
            .now()
            .with_timezone(&self.config.timezone())
            .date_naive();
        let from = session.period.first_day(today);
        let totals = totals::by_name(&store.attendance_between(from, today).unwrap_or_default());
        let max = totals.iter().map(|(_, c)| *c).max().unwrap_or(1).max(1);
        let rows: Vec<StaffRow> = totals
            .iter()
            .map(|(name, count)| StaffRow {
                name: name.clone().into(),
                count: i32::try_from(*count).unwrap_or(i32::MAX),
                share: *count as f32 / max as f32,
            })
            .collect();
        adapter.set_rows(ModelRc::new(VecModel::from(rows)));
        let locale = self.locale();
        adapter.set_periods(ModelRc::new(VecModel::from(
            totals::Period::ALL
                .iter()
                .map(|p| SharedString::from(locale.tr(p.label())))
                .collect::<Vec<_>>(),
        )));
        adapter.set_period(session.period.index() as i32);
        let (first, returning) = store.card_month(today).unwrap_or((0, 0));
        adapter.set_cards(
            locale
                .trf(
                    "Cards this month: {} first time · {} returning",
                    &[&first, &returning],
                )
                .into(),
        );
        let sources = store.sources().unwrap_or_default();
        let lines: Vec<SharedString> = sources
            .iter()
            .map(|s| {
                let updated = s
                    .imported_at
                    .get(..16)
                    .unwrap_or(&s.imported_at)
                    .replace('T', " ");
                let mut line = locale.trf(
                    "{} — {} meetings ({} in-house), updated {}",
                    &[&s.name, &s.meetings, &s.in_house, &updated],
                );
                if s.not_meeting > 0 {
                    line.push_str(&locale.trf(
                        " · {} not shown: their listing says they are not meeting",
                        &[&s.not_meeting],
                    ));
                }
                line.into()
            })
            .collect();
        adapter.set_sources(ModelRc::new(VecModel::from(lines)));
        let mut warnings: Vec<SharedString> = sources
            .iter()
            .filter(|s| s.warnings > 0)
            .map(|s| {
                locale
                    .trf(
                        "{}: {} rows changed or dropped at the last import (see its import report)",
                        &[&s.name, &s.warnings],
                    )
                    .into()
            })
            .collect();
        if self.stale {
            warnings.push(self.footer.clone().into());
        }
        if let Some(read_only) = self.read_only_warning(&locale) {
            warnings.insert(0, read_only.into());
        }
        adapter.set_warnings(ModelRc::new(VecModel::from(warnings)));
        adapter.set_export_status(
            session
                .status
                .as_ref()
                .map(|n| n.text_in(&locale))
                .unwrap_or_default()
                .into(),
        );
        self.show_stick(win, &locale);
        let occurrences: Vec<Occurrence> = self
            .week_here(today)
            .iter()
            .map(|(date, m)| {
                let cancelled = m.is_cancelled_on(*date);
                let mut label = format!(
                    "{} · {} · {}",
                    locale.day_date(*date),
                    locale.clock_of_day(m.start),
                    m.name
                );
                if cancelled {
                    label = format!("{label} — {}", locale.tr("Cancelled"));
                }
                Occurrence {
                    label: label.into(),
                    cancelled,
                }
            })
            .collect();
        adapter.set_occurrences(ModelRc::new(VecModel::from(occurrences)));
        win.global::<DeviceAdapter>().set_staff_warning(
            self.staff_warning
                .as_ref()
                .map(|p| locale.say(p))
                .unwrap_or_default()
                .into(),
        );
        win.global::<KioskState>().set_screen(Screen::Staff);
    }

    pub(super) fn staff_period(&mut self, win: &KioskWindow, period: usize) {
        if let Some(s) = self.staff_mut() {
            s.period = totals::Period::at(period);
        }
        self.redraw(win);
    }

    pub(super) fn staff_set_time(&mut self, win: &KioskWindow) {
        self.open_keypad(win, super::signin::KeypadPurpose::DateTime);
    }

    /// Sets the system clock through systemd-timedated (`device::clock::set_time`).
    pub(super) fn datetime_entered(&mut self, win: &KioskWindow, digits: &str) {
        let Some(local) = super::signin::parse_datetime(digits) else {
            let message = self
                .locale()
                .tr("Type 12 digits: year, month, day, hour (24-hour), minute.");
            if let Some(k) = &mut self.keypad {
                k.message = message;
            }
            self.redraw(win);
            return;
        };
        let status = match crate::device::clock::set_time(local) {
            Ok(()) => phrase(
                "The clock is set to {}.",
                &[&local.format("%Y-%m-%d %H:%M")],
            ),
            Err(e) => phrase("The clock was not changed: {}", &[&e]),
        };
        self.close_keypad();
        if let Some(s) = self.staff_mut() {
            s.status = Some(status.into());
        }
        self.redraw(win);
    }

    /// The center's meetings from today through the same weekday next week, by date and time
    /// (cancelled dates included: they can be restored).
    fn week_here(&self, today: NaiveDate) -> Vec<(NaiveDate, &crate::schedule::Meeting)> {
        let mut found = Vec::new();
        for offset in 0..=7 {
            let date = today + Duration::days(offset);
            for m in self.timetable.meetings().iter().filter(|m| m.in_house) {
                if m.recurrence.occurs_on(date) {
                    found.push((date, m));
                }
            }
        }
        found.sort_by(|a, b| (a.0, a.1.start, &a.1.name).cmp(&(b.0, b.1.start, &b.1.name)));
        found
    }

    /// Cancel this date / Restore on the staff screen (`lobby-kiosk staff cancel|restore`).
    pub(super) fn toggle_occurrence(&mut self, win: &KioskWindow, i: usize) {
        let today = self
            .now()
            .with_timezone(&self.config.timezone())
            .date_naive();
        let Some((date, id, cancel)) = self
            .week_here(today)
            .get(i)
            .map(|(date, m)| (*date, m.id.clone(), !m.is_cancelled_on(*date)))
        else {
            return;
        };
        let ScheduleSource::Store(store) = &self.source else {
            return;
        };
        let locale = self.locale();
        let status = match crate::staff::cancel_date(store, &id, date, cancel) {
            Ok(m) if cancel => phrase(
                "{} on {} is cancelled: the board shows it as Cancelled.",
                &[&m.name, &locale.day_date(date)],
            ),
            Ok(m) => phrase("{} on {} is on again.", &[&m.name, &locale.day_date(date)]),
            Err(e) => phrase("Nothing was changed: {}", &[&e]),
        };
        if let Some(s) = self.staff_mut() {
            s.status = Some(status.into());
        }
        self.reload();
        self.redraw(win);
    }

    pub(super) fn staff_logout(&mut self, win: &KioskWindow) {
        self.view = View::Board;
        self.redraw(win);
    }

    /// High contrast and large text: what staff chose last (kept in the database), else the
    /// config's `[display]` defaults.
    pub(super) fn display_choice(&self) -> DisplayChoice {
        let chosen = match &self.source {
            ScheduleSource::Store(store) => store.display_choice().unwrap_or_else(|e| {
                log::warn!("{e}");
                None
            }),
            ScheduleSource::Demo | ScheduleSource::Unavailable(_) => None,
        };
        chosen.unwrap_or(DisplayChoice {
            high_contrast: self.config.display.high_contrast,
            large_text: self.config.display.large_text,
        })
    }

    pub(super) fn apply_display(&self, win: &KioskWindow, choice: DisplayChoice) {
        let theme = win.global::<Theme>();
        theme.set_high_contrast(choice.high_contrast);
        theme.set_large_text(choice.large_text);
    }

    /// A staff toggle: shown at once and kept for the next start (on a read-only disk, only
    /// until then).
    pub(super) fn change_display(
        &self,
        win: &KioskWindow,
        change: impl FnOnce(&mut DisplayChoice),
    ) {
        let theme = win.global::<Theme>();
        let mut choice = DisplayChoice {
            high_contrast: theme.get_high_contrast(),
            large_text: theme.get_large_text(),
        };
        change(&mut choice);
        self.apply_display(win, choice);
        if let ScheduleSource::Store(store) = &self.source {
            if let Err(e) = store.set_display_choice(choice) {
                log::warn!("{e}");
            }
        }
    }

    /// Writes last month's and this month's reports (weekly, in weeks that are over,
    /// suppressed) to the first USB stick in the mount table, and says when the stick may be
    /// removed: at once when it is mounted read-write (each file synced), else once the root
    /// helper has written them and unmounted it (the device mounts sticks read-only).
    pub(super) fn staff_export(&mut self, win: &KioskWindow, wire: &Wiring) {
        let status = match &self.source {
            ScheduleSource::Store(store) => {
                let today = self
                    .now()
                    .with_timezone(&self.config.timezone())
                    .date_naive();
                match export_files(store, today, self.config_min_cell()) {
                    Err(why) => why,
                    Ok(files) => self.deliver_export(store.folder(), &files, wire),
                }
            }
            _ => phrase("Nothing to export from the sample schedule.", &[]),
        };
        if let Some(s) = self.staff_mut() {
            s.status = Some(status.into());
        }
        self.redraw(win);
    }

    /// Export for editing: the center's meetings as `lobby-kiosk/in-house.csv`, with a
    /// `README.txt` on how to fill it in, on the first stick; staff edit it on a laptop and
    /// bring it back (previewed and applied after the PIN, `sync::plain`).
    pub(super) fn staff_export_for_editing(&mut self, win: &KioskWindow, wire: &Wiring) {
        let status = match &self.source {
            ScheduleSource::Store(store) => match store.meetings() {
                Err(e) => phrase("The schedule could not be read: {}", &[&e]),
                Ok((meetings, _)) => {
                    let mine: Vec<_> = meetings.into_iter().filter(|m| m.in_house).collect();
                    log::info!(
                        "staff: export for editing, {} of the center's meetings",
                        mine.len()
                    );
                    let files = vec![
                        (
                            format!("{}/in-house.csv", usb::BUNDLE_FOLDER),
                            crate::import::in_house_csv::export(&mine),
                        ),
                        (
                            format!("{}/README.txt", usb::BUNDLE_FOLDER),
                            crate::import::in_house_csv::README
                                .replace('\n', "\r\n")
                                .into_bytes(),
                        ),
                    ];
                    self.deliver_export(store.folder(), &files, wire)
                }
            },
            _ => phrase("Nothing to export from the sample schedule.", &[]),
        };
        if let Some(s) = self.staff_mut() {
            s.status = Some(status.into());
        }
        self.redraw(win);
    }

    fn deliver_export(
        &self,
        db_folder: Option<DataDir>,
        files: &[(String, Vec<u8>)],
        wire: &Wiring,
    ) -> Phrase {
        let mounted = mounts::read();
        let Some(stick) = mounts::sticks(&mounted, &self.config.usb.mount_roots)
            .into_iter()
            .next()
        else {
            return phrase("No USB stick found. Plug one in and try again.", &[]);
        };
        let outbox = db_folder
            .unwrap_or_else(|| DataDir::of(Path::new("")))
            .outbox();
        match usb::deliver(&stick, files, &outbox) {
            Ok(Delivery::Written { stick, files }) => phrase(
                "Saved {} files to the USB stick ({}). It is safe to remove the stick.",
                &[&files, &stick.display()],
            ),
            Ok(Delivery::Queued(pending)) => {
                let saving = phrase(
                    "Saving {} files to the USB stick ({}) — do not remove it yet.",
                    &[&pending.files, &pending.stick.display()],
                );
                self.await_export(pending, wire);
                saving
            }
            Err(e) => phrase(
                "The files could not be written to the USB stick ({}): {}",
                &[&stick.point.display(), &e],
            ),
        }
    }

    /// Polls the root helper's answer; says "safe to remove" only once the files are on the
    /// stick and it is unmounted. Gives up (taking the files back) after `EXPORT_PATIENCE`.
    fn await_export(&self, pending: usb::Pending, wire: &Wiring) {
        let give_up_at = Instant::now() + EXPORT_PATIENCE;
        let (window, inner) = (wire.window.clone(), wire.inner.clone());
        let timer = self.export_timer.clone();
        self.export_timer
            .start(TimerMode::Repeated, EXPORT_POLL, move || {
                let outcome = match pending.poll(&mounts::read()) {
                    None if Instant::now() < give_up_at => return,
                    None => {
                        pending.abandon();
                        Err("no answer from the USB helper (lobby-kiosk-usb-report.path)".into())
                    }
                    Some(outcome) => outcome,
                };
                timer.stop();
                let status: Notice = match outcome {
                    Ok(()) => phrase(
                        "Saved {} files to the USB stick ({}). It is safe to remove the stick.",
                        &[&pending.files, &pending.stick.display()],
                    ),
                    Err(why) => phrase(
                        "The files could not be written to the USB stick ({}): {}",
                        &[&pending.stick.display(), &why],
                    ),
                }
                .into();
                if let (Some(win), Some(inner)) = (window.upgrade(), inner.upgrade()) {
                    let mut inner = inner.borrow_mut();
                    if let Some(s) = inner.staff_mut() {
                        s.status = Some(status);
                    }
                    inner.redraw(&win);
                }
            });
    }

    fn config_min_cell(&self) -> u32 {
        self.config.attendance.min_cell
    }
}

/// How long the root helper may take to write an export and unmount the stick.
const EXPORT_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);
const EXPORT_POLL: std::time::Duration = std::time::Duration::from_millis(250);

/// The export to a stick (`report::export_months`: last month and this month, in weeks that
/// are over), suppressed as anything that leaves the kiosk is.
pub(super) fn export_files(
    store: &crate::store::Store,
    today: NaiveDate,
    min_cell: u32,
) -> Result<Vec<(String, Vec<u8>)>, Phrase> {
    let mut files = Vec::new();
    for month in report::export_months(today) {
        let rows = store
            .attendance_between(month.from, month.to)
            .map_err(|e| phrase("The attendance could not be read: {}", &[&e]))?;
        let table = report::table(&rows, month.from, month.to, report::Grain::Week);
        let text = report::csv(&table, &report::suppress(&table.counts, min_cell));
        files.push((month.name(), text.into_bytes()));
    }
    Ok(files)
}

/// The staff screen's callbacks: a period tab, Export to USB, Export for editing, Set the
/// time, the display toggles and Log out (the stick's are `stick::setup`'s).
pub(super) fn setup(window: &KioskWindow, wire: &Wiring) {
    let staff = window.global::<StaffAdapter>();
    let w = wire.clone();
    staff.on_select_period(move |i| {
        w.with(|win, inner| inner.staff_period(win, usize::try_from(i).unwrap_or(0)))
    });
    let w = wire.clone();
    staff.on_export(move || {
        let wire = w.clone();
        w.with(|win, inner| inner.staff_export(win, &wire))
    });
    let w = wire.clone();
    staff.on_export_for_editing(move || {
        let wire = w.clone();
        w.with(|win, inner| inner.staff_export_for_editing(win, &wire))
    });
    let w = wire.clone();
    staff.on_set_time(move || w.with(|win, inner| inner.staff_set_time(win)));
    let w = wire.clone();
    staff.on_toggle_high_contrast(move || {
        w.with(|win, inner| inner.change_display(win, |c| c.high_contrast = !c.high_contrast))
    });
    let w = wire.clone();
    staff.on_toggle_large_text(move || {
        w.with(|win, inner| inner.change_display(win, |c| c.large_text = !c.large_text))
    });
    let w = wire.clone();
    staff.on_logout(move || w.with(|win, inner| inner.staff_logout(win)));
}

#[cfg(test)]
mod tests {
    use super::super::signin::{datetime_shown, parse_datetime};

    #[test]
    fn typed_date_and_time_are_shown_as_typed_and_read_only_when_whole() {
        assert_eq!(datetime_shown("2026112"), "2026-11-2");
        assert_eq!(datetime_shown("202611221405"), "2026-11-22 14:05");
        assert_eq!(
            parse_datetime("202611221405").map(|t| t.to_string()),
            Some("2026-11-22 14:05:00".into())
        );
        assert_eq!(parse_datetime("202613221405"), None, "month 13");
        assert_eq!(parse_datetime("2026112214"), None, "too short");
    }

    /// The stick is what the mount table says is mounted, not the folder it is mounted in:
    /// a read-write stick gets the files itself; a read-only one (as the device mounts them)
    /// gets them through the root helper's outbox, and nothing lands in the parent folder.
    #[test]
    fn export_writes_suppressed_reports_onto_the_mounted_stick() {
        use crate::schedule::{Meeting, Recurrence};
        use crate::store::Store;
        use crate::sync::mounts::{self, Mount};
        use crate::sync::usb::{self, Delivery};
        use chrono::{NaiveDate, NaiveTime, Weekday};
        let media = tempfile::tempdir().unwrap();
        let parent = media.path().join("lobby-kiosk");
        let stick = parent.join("sda1");
        std::fs::create_dir_all(&stick).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let mut m = Meeting::new(
            "in-house",
            "alumni",
            "Alumni",
            Recurrence::Weekly(vec![Weekday::Thu]),
            NaiveTime::from_hms_opt(18, 30, 0).unwrap(),
        );
        m.in_house = true;
        let date = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        store.add_attendance(&m, date(5), 23).unwrap();
        store.add_attendance(&m, date(12), 4).unwrap();
        let files = super::export_files(&store, date(22), 11).unwrap();

        let table = format!(
            "31 22 0:27 / {} rw,nosuid shared:20 - tmpfs tmpfs rw\n88 31 8:1 / {} rw,nosuid,nodev,noexec shared:45 - vfat /dev/sda1 rw\n",
            media.path().display(),
            stick.display()
        );
        let found = mounts::sticks(&mounts::parse_mountinfo(&table), &[media.path().into()]);
        assert_eq!(found.len(), 1, "the stick, not /media: {found:?}");
        let outbox = media.path().join("state").join(usb::OUTBOX);
        let Delivery::Written {
            stick: written,
            files: n,
        } = usb::deliver(&found[0], &files, &outbox).unwrap()
        else {
            panic!("a read-write stick is written directly");
        };
        assert_eq!((written.as_path(), n), (stick.as_path(), 2));
        let november =
            std::fs::read_to_string(stick.join("lobby-kiosk-attendance-2026-11.csv")).unwrap();
        assert!(november.contains(",<11,"), "{november}");
        assert!(!november.contains(",4,"), "{november}");
        assert!(stick.join("lobby-kiosk-attendance-2026-10.csv").exists());
        let in_parent = std::fs::read_dir(&parent).unwrap().count();
        assert_eq!(
            in_parent, 1,
            "only the stick's mount point is in its parent"
        );

        // Read-only: queued for the helper, with the stick's own path as the target.
        let read_only = Mount {
            read_only: true,
            ..found[0].clone()
        };
        let Delivery::Queued(pending) = usb::deliver(&read_only, &files, &outbox).unwrap() else {
            panic!("a read-only stick goes through the helper");
        };
        let entries: Vec<String> = std::fs::read_dir(&outbox)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().all(|e| e.starts_with(&format!(
            "# target: {}/lobby-kiosk-attendance-2026-1",
            stick.display()
        ))));
        assert_eq!(pending.poll(&[]), None, "no answer from the helper yet");
        pending.abandon();
        assert_eq!(
            std::fs::read_dir(&outbox).unwrap().count(),
            0,
            "nothing left behind"
        );
    }
}
