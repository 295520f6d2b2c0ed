//! The staff screen: attendance with exact counts (the facilitator was in the room), sources
//! and their freshness, card figures, and Export to USB (suppressed, like every export).
//!
//! It opens only after the hidden long-press and a right PIN, and closes on the 60 s idle
//! reset like every other screen.

use std::path::PathBuf;

use chrono::{Datelike, Duration, NaiveDate};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::i18n::{phrase, Phrase};
use super::ui::{DeviceAdapter, KioskState, KioskWindow, StaffAdapter, StaffRow, Theme};
use super::{Inner, ScheduleSource};
use crate::attendance::report;
use crate::store::DisplayChoice;

pub(super) struct StaffSession {
    pub period: usize,
    /// What the last action (export, setting the clock) came to.
    pub status: Option<Phrase>,
}

pub(super) const PERIODS: [&str; 3] = ["Today", "This week", "This month"];

impl Inner {
    pub(super) fn start_staff_session(&mut self) {
        self.staff = Some(StaffSession {
            period: 1,
            status: None,
        });
    }

    pub(super) fn show_staff(&self, win: &KioskWindow) {
        let Some(session) = &self.staff else { return };
        let ScheduleSource::Store(store) = &self.source else {
            return;
        };
        let adapter = win.global::<StaffAdapter>();
        let today = self
            .now()
            .with_timezone(&self.config.timezone())
            .date_naive();
        let from = match session.period {
            0 => today,
            1 => today - Duration::days(i64::from(today.weekday().num_days_from_monday())),
            _ => today.with_day(1).unwrap_or(today),
        };
        let mut totals: Vec<(String, u32)> = Vec::new();
        for (_, name, _, count) in store.attendance_between(from, today).unwrap_or_default() {
            match totals.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => *c += count,
                None => totals.push((name, count)),
            }
        }
        totals.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
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
            PERIODS
                .iter()
                .map(|p| SharedString::from(locale.tr(p)))
                .collect::<Vec<_>>(),
        )));
        adapter.set_period(session.period as i32);
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
        let stale = locale.trf("Schedule not updated lately: {}", &[&""]);
        if self.footer.starts_with(&stale) {
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
                .map(|p| locale.say(p))
                .unwrap_or_default()
                .into(),
        );
        win.global::<DeviceAdapter>().set_staff_warning(
            self.staff_warning
                .as_ref()
                .map(|p| locale.say(p))
                .unwrap_or_default()
                .into(),
        );
        win.global::<KioskState>().set_screen(4);
    }

    pub(super) fn staff_period(&mut self, win: &KioskWindow, period: usize) {
        if let Some(s) = &mut self.staff {
            s.period = period.min(PERIODS.len() - 1);
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
        if let Some(s) = &mut self.staff {
            s.status = Some(status);
        }
        self.redraw(win);
    }

    pub(super) fn staff_logout(&mut self, win: &KioskWindow) {
        self.staff = None;
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

    /// Writes last month's and this month's reports (weekly, suppressed) to the first
    /// writable USB volume, fsynced, and says when the stick may be removed.
    pub(super) fn staff_export(&mut self, win: &KioskWindow) {
        let status = match &self.source {
            ScheduleSource::Store(store) => {
                let today = self
                    .now()
                    .with_timezone(&self.config.timezone())
                    .date_naive();
                export_to_usb(
                    store,
                    &self.config.usb.mount_roots,
                    today,
                    self.config_min_cell(),
                )
            }
            _ => phrase("Nothing to export from the sample schedule.", &[]),
        };
        if let Some(s) = &mut self.staff {
            s.status = Some(status);
        }
        self.redraw(win);
    }

    fn config_min_cell(&self) -> u32 {
        self.config.attendance.min_cell
    }
}

pub(super) fn export_to_usb(
    store: &crate::store::Store,
    roots: &[PathBuf],
    today: NaiveDate,
    min_cell: u32,
) -> Phrase {
    let this_month = today.with_day(1).unwrap_or(today);
    let last_month = (this_month - Duration::days(1))
        .with_day(1)
        .unwrap_or(this_month);
    for volume in crate::sync::usb::volumes(roots) {
        let mut written = Vec::new();
        let mut failed = None;
        for month in [last_month, this_month] {
            let end = if month == this_month {
                today
            } else {
                this_month - Duration::days(1)
            };
            let (from, to) = report::widen(month, end, report::Grain::Week);
            let rows = match store.attendance_between(from, to) {
                Ok(rows) => rows,
                Err(e) => return phrase("The attendance could not be read: {}", &[&e]),
            };
            let table = report::table(&rows, from, to, report::Grain::Week);
            let text = report::csv(&table, &report::suppress(&table.counts, min_cell));
            let path = volume.join(format!(
                "lobby-kiosk-attendance-{}.csv",
                month.format("%Y-%m")
            ));
            match crate::sync::files::write_atomically(&path, text.as_bytes()) {
                Ok(()) => written.push(path),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if failed.is_none() && !written.is_empty() {
            return phrase(
                "Saved {} reports to the USB stick ({}). It is safe to remove the stick.",
                &[&written.len(), &volume.display()],
            );
        }
    }
    phrase(
        "No writable USB stick found. Plug one in and try again.",
        &[],
    )
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

    #[test]
    fn export_writes_suppressed_reports_to_the_first_writable_stick() {
        use crate::schedule::{Meeting, Recurrence};
        use crate::store::Store;
        use chrono::{NaiveDate, NaiveTime, Weekday};
        let media = tempfile::tempdir().unwrap();
        let stick = media.path().join("kiosk").join("STICK");
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
        let status =
            super::export_to_usb(&store, &[media.path().to_path_buf()], date(22), 11).to_string();
        assert!(status.contains("safe to remove"), "{status}");
        let november = std::fs::read_to_string(
            media
                .path()
                .join("kiosk")
                .join("lobby-kiosk-attendance-2026-11.csv"),
        )
        .unwrap();
        assert!(november.contains(",<11,"), "{november}");
        assert!(!november.contains(",4,"), "{november}");
        assert!(media
            .path()
            .join("kiosk")
            .join("lobby-kiosk-attendance-2026-10.csv")
            .exists());
        let _ = stick;
    }
}
