//! The board's schedule over time: loading it from its source, noticing another process's
//! writes (the database's `data_version`, polled), the minute tick that redraws at each
//! minute boundary (and so at midnight), the footer's word on how fresh each source is, and
//! the results of background updates shown to staff.
//!
//! Nothing here draws a screen: it changes `Inner` and asks `redraw`.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Timelike, Utc};
use slint::{ComponentHandle, Timer, TimerMode};

use super::ui::KioskWindow;
use super::{Inner, ScheduleSource};
use crate::schedule::freshness::{self, Freshness};
use crate::schedule::{self, Timetable};
use crate::sync::Notice;
use crate::words::phrase;
use crate::words::schedule as format;

/// What must stay alive for the board to follow the clock and the database.
pub(super) struct Updates {
    _minute: Rc<Timer>,
    _poll: Timer,
}

/// Starts the minute tick and, for a live database, the 3 s poll: another process (an
/// import, a sync) may write the database, and the board follows within seconds without a
/// restart; updates applied in the background and a stick put in or pulled while the staff
/// screen is up are picked up by the same poll.
pub(super) fn setup(window: &KioskWindow, inner: &Rc<RefCell<Inner>>) -> Updates {
    let minute = Rc::new(Timer::default());
    let poll = Timer::default();
    schedule_minute_tick(minute.clone(), window.as_weak(), Rc::downgrade(inner));
    if matches!(inner.borrow().source, ScheduleSource::Store(_)) {
        let (weak, inner_weak) = (window.as_weak(), Rc::downgrade(inner));
        poll.start(TimerMode::Repeated, StdDuration::from_secs(3), move || {
            if let (Some(win), Some(inner)) = (weak.upgrade(), inner_weak.upgrade()) {
                let mut inner = inner.borrow_mut();
                let mut noticed = inner.take_notices();
                if inner.staff().is_some() {
                    noticed |= inner.refresh_stick();
                }
                if inner.store_changed() {
                    inner.reload();
                    inner.redraw(&win);
                } else if noticed {
                    inner.redraw(&win);
                }
            }
        });
    }
    Updates {
        _minute: minute,
        _poll: poll,
    }
}

/// Redraws at each minute boundary of the kiosk's clock — and so at midnight — and at no
/// other time: an idle board does not repaint.
fn schedule_minute_tick(
    timer: Rc<Timer>,
    window: slint::Weak<KioskWindow>,
    inner: Weak<RefCell<Inner>>,
) {
    let Some(strong) = inner.upgrade() else {
        return;
    };
    let now = (strong.borrow().clock)();
    let into_minute = StdDuration::from_millis(
        u64::from(now.second()) * 1000 + u64::from(now.timestamp_subsec_millis()),
    );
    let delay =
        StdDuration::from_secs(60).saturating_sub(into_minute) + StdDuration::from_millis(20);
    let timer_again = timer.clone();
    timer.start(TimerMode::SingleShot, delay, move || {
        if let (Some(win), Some(strong)) = (window.upgrade(), inner.upgrade()) {
            {
                let mut inner_ref = strong.borrow_mut();
                inner_ref.reload_if_stale();
                inner_ref.redraw(&win);
            }
            schedule_minute_tick(timer_again.clone(), window.clone(), inner.clone());
        }
    });
}

/// An import time as stored: RFC 3339, or "YYYY-MM-DD HH:MM:SS" in UTC.
fn parse_stamp(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|t| t.and_utc())
        })
}

impl Inner {
    /// Loads meetings from the source (regenerates the demo around the current hour).
    pub(super) fn reload(&mut self) {
        let now = self.now();
        self.loaded_at = Some(now);
        match &mut self.source {
            ScheduleSource::Demo => {
                let tz = self.config.timezone();
                let location = self.config.location().unwrap_or((39.9526, -75.1652));
                self.timetable = Timetable::new(
                    schedule::demo::demo_schedule(now.with_timezone(&tz), location),
                    &self.providers,
                );
            }
            ScheduleSource::Unavailable(e) => {
                self.timetable = Timetable::new(Vec::new(), &self.providers);
                self.error = Some(phrase("This kiosk is not set up correctly: {}", &[&*e]));
            }
            ScheduleSource::Store(store) => {
                self.data_version = store.data_version().ok();
                match store.meetings() {
                    Ok((meetings, skipped)) => {
                        // Rows that could not be read are left out, not fatal; staff see why.
                        for warning in &skipped {
                            log::warn!("{warning}");
                        }
                        self.timetable = Timetable::new(meetings, &self.providers);
                        self.error = None;
                    }
                    Err(e) => {
                        // Keep showing what we had: a bad read never blanks the board.
                        let error = phrase("The schedule could not be read: {}", &[&e]);
                        log::error!("{error}");
                        self.error = Some(error);
                    }
                }
            }
        }
        self.describe_sources();
    }

    /// The footer, in the screen's language: where the schedule comes from and how fresh
    /// each source is.
    pub(super) fn describe_sources(&mut self) {
        let locale = self.locale();
        self.stale = false;
        self.footer = match &self.source {
            ScheduleSource::Demo => {
                locale.tr("Sample schedule built in — staff: see README to load yours")
            }
            ScheduleSource::Unavailable(_) => String::new(),
            ScheduleSource::Store(store) => match store.sources() {
                Ok(sources) => {
                    let fresh: Vec<_> = sources
                        .iter()
                        .filter_map(|source| {
                            // A feed that answered "not modified" is as fresh as its check.
                            let checked = store
                                .feed_state(&source.name)
                                .map(|f| f.last_success)
                                .unwrap_or_default();
                            let at = [source.imported_at.as_str(), checked.as_str()]
                                .iter()
                                .filter_map(|t| parse_stamp(t))
                                .max()?;
                            Some((source.name.clone(), at))
                        })
                        .collect();
                    let now = self.now();
                    let rule = freshness::freshness(&fresh, now);
                    let footer = format::freshness(
                        &rule,
                        now.with_timezone(&self.config.timezone()),
                        &locale,
                    );
                    self.stale = matches!(rule, Freshness::Stale(_));
                    footer
                }
                Err(_) => String::new(),
            },
        };
    }

    /// A success stays up two minutes, a refusal ten: long enough for staff to walk over.
    pub(super) fn set_notice(&mut self, notice: Notice) {
        let minutes = if notice.problem { 10 } else { 2 };
        self.notice_until = Some(self.now() + chrono::Duration::minutes(minutes));
        self.notice = Some(notice);
    }

    /// Takes waiting notices from the background updater; true when one arrived.
    fn take_notices(&mut self) -> bool {
        let mut latest = None;
        if let Some(rx) = &self.notices {
            while let Ok(notice) = rx.try_recv() {
                latest = Some(notice);
            }
        }
        match latest {
            Some(notice) => {
                self.set_notice(notice);
                true
            }
            None => false,
        }
    }

    /// Reloads when the hour has changed: the demo is laid out around it, and the footer says
    /// how old each source is.
    pub(super) fn reload_if_stale(&mut self) {
        if let (ScheduleSource::Demo | ScheduleSource::Store(_), Some(anchor)) =
            (&self.source, self.loaded_at)
        {
            let now = self.now();
            if now.date_naive() != anchor.date_naive() || now.hour() != anchor.hour() {
                self.reload();
            }
        }
    }

    fn store_changed(&self) -> bool {
        match &self.source {
            ScheduleSource::Store(store) => store.data_version().ok() != self.data_version,
            ScheduleSource::Demo | ScheduleSource::Unavailable(_) => false,
        }
    }
}
