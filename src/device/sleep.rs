//! Putting the screen to sleep outside screen hours and waking it on a touch or a button.
//!
//! `Sleep` decides (pure: hours, the last wake, the instant); `SleepControl` applies it to the
//! window (`Window::set_asleep`: the black cover that absorbs the waking touch) and to the
//! backlight. It checks every 15 s rather than sleeping until the next change, because the
//! clock itself may jump (NTP after a power cut, staff setting the time) and a deadline
//! computed before the jump would be wrong. An unchanged state sets nothing, so an idle
//! kiosk does not repaint.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use slint::{Timer, TimerMode};

use super::backlight::{Backlight, SYSFS_BACKLIGHT};
use super::screen_hours::{is_on, ScreenHours};
use super::settings::{BacklightChoice, Screen};
use super::{Clock, Window};

const CHECK_EVERY: StdDuration = StdDuration::from_secs(15);

/// Whether the screen should be dark now.
#[derive(Debug, Clone)]
pub struct Sleep {
    hours: Option<ScreenHours>,
    tz: Tz,
    wake_for: Duration,
    awake_until: Option<DateTime<Utc>>,
}

impl Sleep {
    pub fn new(hours: Option<ScreenHours>, tz: Tz, wake_minutes: u64) -> Sleep {
        Sleep {
            hours,
            tz,
            wake_for: Duration::minutes(i64::try_from(wake_minutes).unwrap_or(5)),
            awake_until: None,
        }
    }

    /// A touch or a button press: outside screen hours the screen stays lit `wake_minutes`
    /// from now.
    pub fn activity(&mut self, now: DateTime<Utc>) {
        self.awake_until = Some(now + self.wake_for);
    }

    pub fn asleep(&self, now: DateTime<Utc>) -> bool {
        let Some(hours) = &self.hours else {
            return false;
        };
        // A clock set back (by staff or NTP) must not keep the screen lit for days.
        let woken = self
            .awake_until
            .is_some_and(|until| now < until && until - now <= self.wake_for);
        !woken && !is_on(hours, &now.with_timezone(&self.tz))
    }
}

/// Applies `Sleep` to the window and the backlight; keep it alive with the window.
pub struct SleepControl {
    _timer: Timer,
}

struct Applied {
    sleep: Sleep,
    backlight: Option<Backlight>,
    asleep: bool,
}

impl SleepControl {
    /// `touched` is set by input the window does not see as a wake (touches while awake, on
    /// the KMS backend's input hook); each check turns it into activity.
    pub fn setup(
        window: &impl Window,
        screen: &Screen,
        tz: Tz,
        clock: Clock,
        touched: Rc<Cell<bool>>,
    ) -> SleepControl {
        let hours = screen.hours().ok().flatten();
        let backlight = match (hours, screen.backlight_choice()) {
            (None, _) | (_, BacklightChoice::None) => None,
            (Some(_), BacklightChoice::Auto) => {
                Backlight::find(std::path::Path::new(SYSFS_BACKLIGHT))
            }
            (Some(_), BacklightChoice::Folder(folder)) => Some(Backlight::at(folder)),
        };
        match &backlight {
            Some(b) => log::info!("screen hours use the backlight {}", b.folder().display()),
            None if hours.is_some() => {
                log::info!("screen hours without a backlight: the screen shows black")
            }
            None => {}
        }
        let state = Rc::new(RefCell::new(Applied {
            sleep: Sleep::new(hours, tz, screen.wake_minutes),
            backlight,
            asleep: false,
        }));
        let check = {
            let (state, clock) = (state.clone(), clock.clone());
            let show_asleep = window.asleep_setter();
            move |woken: bool| {
                let now = clock();
                let mut s = state.borrow_mut();
                if woken || touched.replace(false) {
                    s.sleep.activity(now);
                }
                let asleep = s.sleep.asleep(now);
                if asleep != s.asleep {
                    s.asleep = asleep;
                    log::info!("screen {}", if asleep { "asleep" } else { "awake" });
                    show_asleep(asleep);
                    if let Some(light) = s.backlight.as_mut() {
                        if let Err(e) = light.set(!asleep) {
                            log::warn!("backlight: {e}");
                        }
                    }
                }
            }
        };
        let check = Rc::new(check);
        {
            let check = check.clone();
            window.on_wake(Box::new(move || check(true)));
        }
        check(false);
        let timer = Timer::default();
        timer.start(TimerMode::Repeated, CHECK_EVERY, move || check(false));
        SleepControl { _timer: timer }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::America::New_York;

    fn ny(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        New_York
            .with_ymd_and_hms(2026, 5, d, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn night_sleeper() -> Sleep {
        Sleep::new(
            Some(ScreenHours::parse("07:00", "22:00").unwrap()),
            New_York,
            5,
        )
    }

    #[test]
    fn no_hours_means_never_asleep() {
        let s = Sleep::new(None, New_York, 5);
        assert!(!s.asleep(ny(4, 3, 0)));
    }

    #[test]
    fn asleep_at_night_awake_by_day() {
        let s = night_sleeper();
        assert!(s.asleep(ny(4, 23, 0)));
        assert!(!s.asleep(ny(4, 12, 0)));
    }

    #[test]
    fn a_touch_at_night_wakes_it_for_the_wake_minutes() {
        let mut s = night_sleeper();
        s.activity(ny(4, 23, 0));
        assert!(!s.asleep(ny(4, 23, 4)));
        assert!(s.asleep(ny(4, 23, 5)));
        // Someone still using it keeps it lit.
        s.activity(ny(4, 23, 4));
        assert!(!s.asleep(ny(4, 23, 8)));
    }

    #[test]
    fn a_clock_set_back_does_not_keep_the_screen_lit() {
        let mut s = night_sleeper();
        s.activity(ny(5, 23, 0));
        // The clock is corrected to the night before: the wake window is now a day away.
        assert!(s.asleep(ny(4, 23, 0)));
    }
}
