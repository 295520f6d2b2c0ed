//! The lobby device around the kiosk: systemd (readiness and the watchdog), screen hours and
//! the backlight, rotation and touch on the KMS backend, hardware buttons, the clock check,
//! and log lines journald understands.
//!
//! Nothing here knows the schedule, Slint's window or the words on screen: it reaches the
//! screen only through `Window` (the kiosk implements it over `DeviceAdapter`,
//! ui/device.slint), and hands the clock warning to the kiosk as a `Phrase`, which the kiosk
//! says in the language on screen. `before_window` and `after_show` are the two calls
//! `lobby-kiosk run` makes.

pub mod backlight;
pub mod buttons;
pub mod clock;
pub mod disk;
pub mod kms;
pub mod logging;
pub mod notify;
pub mod panel;
pub mod screen_hours;
pub mod settings;
pub mod sleep;

use std::cell::Cell;
use std::rc::Rc;

use std::time::Duration;

use settings::{Buttons, Screen};
use slint::{Timer, TimerMode};

use chrono_tz::Tz;

use crate::store::Store;
use crate::words::Phrase;
use std::path::Path;

/// A time source: the system clock, or a test's.
pub type Clock = Rc<dyn Fn() -> chrono::DateTime<chrono::Utc>>;

/// What the device needs of the window on screen.
pub trait Window {
    /// What shows the black cover of screen hours (`true`) or takes it away.
    fn asleep_setter(&self) -> Box<dyn Fn(bool)>;
    /// `wake` runs when the sleeping screen is touched.
    fn on_wake(&self, wake: Box<dyn Fn()>);
    /// Something a button thread can call to wake the screen, from any thread.
    fn waker(&self) -> std::sync::Arc<dyn Fn() + Send + Sync>;
}

/// What `before_window` prepared for `after_show`.
pub struct Prepared {
    touched: Rc<Cell<bool>>,
}

/// Chooses the platform: on a `kms` build the full-screen KMS backend (unless
/// `SLINT_BACKEND` names another, e.g. for a desktop test of a device build). Call before the
/// window is created and before any thread starts.
pub fn before_window(screen: &Screen) -> Result<Prepared, String> {
    let touched = Rc::new(Cell::new(false));
    #[cfg(feature = "kms")]
    if std::env::var_os("SLINT_BACKEND").is_none() {
        kms::select(screen.rotation, touched.clone())?;
    }
    #[cfg(not(feature = "kms"))]
    if screen.rotation != 0 {
        log::warn!(
            "[screen] rotation = {} applies only to the device build (cargo feature `kms`); this window is not turned",
            screen.rotation
        );
    }
    Ok(Prepared { touched })
}

/// Everything that must live as long as the window.
pub struct Running {
    _notify: Vec<Timer>,
    _sleep: sleep::SleepControl,
    _clock: Timer,
}

/// The config sections the device side reads, and the center's zone (for screen hours).
pub struct Settings<'a> {
    pub screen: &'a Screen,
    pub buttons: &'a Buttons,
    pub tz: Tz,
}

/// Starts the device side once the window is shown: READY and the watchdog heartbeat,
/// screen hours, buttons, and the clock check for staff.
pub fn after_show(
    prepared: Prepared,
    window: &impl Window,
    settings: Settings,
    clock: Clock,
    db: Option<&Path>,
    warn_staff: impl Fn(Option<Phrase>) + 'static,
) -> Running {
    let notify = match notify::Notifier::from_env() {
        Some(n) => {
            if let Some(every) = n.heartbeat_interval() {
                log::info!("watchdog heartbeat every {} ms", every.as_millis());
            }
            n.start()
        }
        None => Vec::new(),
    };
    let sleep = sleep::SleepControl::setup(
        window,
        settings.screen,
        settings.tz,
        clock.clone(),
        prepared.touched,
    );
    if !settings.buttons.devices.is_empty() {
        if let Ok(filter) = buttons::KeyFilter::parse(&settings.buttons.wake_keys) {
            let wake = window.waker();
            buttons::listen(&settings.buttons.devices, filter, move || wake());
        }
    }
    // Records only grow with the kiosk's own clock, so the newest is read once; the check
    // itself runs every minute so the warning goes away once the time is corrected.
    let newest = db.and_then(|p| Store::open_read_only(p).ok()?.newest_recorded_time().ok()?);
    let check_clock = {
        let mut warned = false;
        move || {
            let warning = clock::check(clock(), clock::build_time(), newest);
            if warning.is_some() != warned {
                warned = warning.is_some();
                match &warning {
                    Some(w) => log::warn!("{w}"),
                    None => log::info!("the clock looks right again"),
                }
            }
            warn_staff(warning);
        }
    };
    let mut check_clock = check_clock;
    check_clock();
    let clock_timer = Timer::default();
    clock_timer.start(TimerMode::Repeated, Duration::from_secs(60), check_clock);
    Running {
        _notify: notify,
        _sleep: sleep,
        _clock: clock_timer,
    }
}
