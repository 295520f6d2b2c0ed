//! The bridge between the schedule and the screen: Slint models, callbacks and timers.
//!
//! The only module that knows both Slint and the domain. It decides nothing about time or
//! privacy itself: the board comes from `schedule::board`, links from `schedule::links`.
//!
//! `Kiosk` is the facade; `Inner` the one state behind every screen, with `View` the screen
//! on show. One controller per screen, each a `setup(window, wire)` that wires its callbacks
//! and an `impl Inner` that draws it: `board`, `detail`, `signin` (the thank-you screen and
//! the keypad), `staff`, `stick` (the staff screen's stick files and keys) and `print`.
//! `loading` keeps the schedule current; `device` is the window as `device::Window` sees it.

mod board;
mod detail;
mod device;

pub mod headless;

mod loading;

mod print;
pub mod scale;
mod signin;
mod staff;
mod stick;

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use slint::{ComponentHandle, Timer, TimerMode};

use crate::config::Config;
use crate::schedule::{BoardQuery, ProviderList, Timetable};
use crate::store::Store;
use crate::sync::Notice;
use crate::words::{Lang, Locale, Phrase};
use std::sync::mpsc::Receiver;

pub mod ui {
    slint::include_modules!();
}
use ui::{BoardAdapter, KioskWindow};

/// The kiosk's idea of "now". Injected so that tests and `screenshot --at` can fix it.
pub use crate::device::Clock;

pub fn system_clock() -> Clock {
    Rc::new(Utc::now)
}

/// Where the meetings come from.
pub enum ScheduleSource {
    /// The built-in sample schedule, regenerated around the current hour.
    Demo,
    /// The live database.
    Store(Store),
    /// The config or database could not be used: the board shows why, and no meetings.
    Unavailable(String),
}

/// What the kiosk shows. One at a time, so a staff session and a thank-you screen (or a
/// meeting's detail) cannot both be open; the keypad is the one thing shown over another.
enum View {
    Board,
    Detail {
        meeting: String,
    },
    /// The thank-you screen after "I'm here" (while it shows, more taps are ignored).
    Thanks(signin::Thanks),
    Staff(Box<staff::StaffSession>),
}

struct Inner {
    config: Config,
    clock: Clock,
    source: ScheduleSource,
    /// The loaded meetings, prepared for the board (rebuilt on every reload).
    timetable: Timetable,
    /// A problem to show staff on the board (database unreadable …); the board stays up.
    error: Option<Phrase>,
    footer: String,
    /// The footer names sources more than a day old (the staff screen repeats it).
    stale: bool,
    /// The last schedule update's result, shown to staff until tapped away or `notice_until`.
    notice: Option<Notice>,
    notice_until: Option<DateTime<Utc>>,
    /// Results of updates applied in the background (USB, sync folder, feeds).
    notices: Option<Receiver<Notice>>,
    data_version: Option<i64>,
    /// When the schedule was last loaded: the demo is laid out around that hour, and the
    /// footer's "how fresh" is recomputed when the hour changes.
    loaded_at: Option<DateTime<Utc>>,
    tab: usize,
    chips: Vec<bool>,
    providers: ProviderList,
    /// The screen on show.
    view: View,
    /// The keypad (a card code, the staff PIN, a date), over whichever screen opened it.
    keypad: Option<signin::Keypad>,
    /// The kiosk's card key, when cards are in use (`Kiosk::enable_cards`).
    card_key: Option<[u8; 32]>,
    /// The language on screen: the config's until a visitor taps the language button.
    lang: Lang,
    /// What the device's clock check wants staff to fix (`device::clock::check`).
    staff_warning: Option<Phrase>,
    /// Polls the root helper while an export to a read-only stick is being written.
    export_timer: Rc<Timer>,
}

/// The running kiosk UI. Keep it alive as long as the window is shown.
pub struct Kiosk {
    pub window: KioskWindow,
    inner: Rc<RefCell<Inner>>,
    _idle: Rc<Timer>,
    _updates: loading::Updates,
    _printing: print::Printing,
}

impl Kiosk {
    /// Builds the window and wires it; call `window.run()` (or render it headlessly) after.
    pub fn new(
        config: Config,
        source: ScheduleSource,
        clock: Clock,
    ) -> Result<Kiosk, slint::PlatformError> {
        let window = KioskWindow::new()?;
        let providers = ProviderList::with_extra(config.links.extra_providers.clone());
        let inner = Rc::new(RefCell::new(Inner {
            config,
            clock,
            source,
            timetable: Timetable::default(),
            error: None,
            footer: String::new(),
            stale: false,
            notice: None,
            notice_until: None,
            notices: None,
            data_version: None,
            loaded_at: None,
            tab: 0,
            chips: board::no_chips(),
            providers,
            view: View::Board,
            keypad: None,
            card_key: None,
            lang: Lang::En,
            staff_warning: None,
            export_timer: Rc::new(Timer::default()),
        }));
        let default_lang = inner.borrow().default_lang();
        inner.borrow_mut().set_lang(default_lang);
        inner.borrow_mut().reload();
        let idle = Rc::new(Timer::default());

        let adapter = window.global::<BoardAdapter>();
        adapter.set_center_name(inner.borrow().config.center.name.clone().into());
        adapter.set_sample(matches!(inner.borrow().source, ScheduleSource::Demo));

        let wire = Wiring {
            window: window.as_weak(),
            inner: Rc::downgrade(&inner),
            idle: Rc::downgrade(&idle),
        };
        // One controller per screen, each wiring its own callbacks.
        board::setup(&window, &wire);
        detail::setup(&window, &wire);
        signin::setup(&window, &wire);
        staff::setup(&window, &wire);
        stick::setup(&window, &wire);

        inner
            .borrow()
            .apply_display(&window, inner.borrow().display_choice());
        let printing = print::setup(&window, wire.clone());
        inner.borrow().show_board(&window);
        let updates = loading::setup(&window, &inner);
        Ok(Kiosk {
            window,
            inner,
            _idle: idle,
            _updates: updates,
            _printing: printing,
        })
    }

    /// Sizes everything for the screen the window is on (`scale::factor`): call once it is
    /// shown, with the panel's physical size when the device knows it. Returns the factor.
    pub fn fit_to_screen(&self, physical_mm: Option<(u32, u32)>) -> f32 {
        let window = self.window.window();
        let size = window.size();
        let configured = self.inner.borrow().config.display.scale;
        let factor = scale::factor(size.width, size.height, physical_mm, configured);
        window.dispatch_event(slint::platform::WindowEvent::ScaleFactorChanged {
            scale_factor: factor,
        });
        // The screen keeps its pixels; what changes is how many logical pixels they hold.
        window.set_size(slint::LogicalSize::new(
            size.width as f32 / factor,
            size.height as f32 / factor,
        ));
        // Not a pixel lost to rounding (1024 / 0.85 × 0.85 is 1023.99).
        if window.size() != size {
            window.set_size(size);
        }
        factor
    }

    /// Opens a meeting's detail as a tap would (used by `screenshot --screen detail:ID`).
    pub fn open_meeting(&self, id: &str) -> bool {
        let mut inner = self.inner.borrow_mut();
        if inner.timetable.find(id).is_none() {
            return false;
        }
        inner.view = View::Detail {
            meeting: id.to_string(),
        };
        inner.show_detail(&self.window);
        true
    }

    /// Shows the thank-you screen as after a sign-in, recording nothing (`screenshot --screen
    /// thanks`).
    pub fn preview_thanks(&self) {
        self.inner.borrow_mut().preview_thanks(&self.window);
    }

    /// Opens the keypad: for a card code as "Use a card" does, or for the staff PIN as holding
    /// the clock does (`screenshot --screen keypad`, `keypad:pin`).
    pub fn open_keypad(&self, staff_pin: bool) {
        let purpose = if staff_pin {
            signin::KeypadPurpose::Pin
        } else {
            signin::KeypadPurpose::Card
        };
        self.inner.borrow_mut().open_keypad(&self.window, purpose);
    }

    /// Shows a tab of the board as a tap on it would: 0 the center's, 1 nearby, 2 online
    /// (`screenshot --tab`).
    pub fn select_tab(&self, tab: usize) {
        let mut inner = self.inner.borrow_mut();
        inner.tab = tab.min(2);
        inner.show_board(&self.window);
    }

    /// Opens the staff screen as a right PIN would (used by `screenshot --screen staff`, which
    /// needs the database file itself: whoever can run it can set the PIN anyway).
    pub fn open_staff_screen(&self) -> bool {
        let mut inner = self.inner.borrow_mut();
        if !matches!(inner.source, ScheduleSource::Store(_)) {
            return false;
        }
        inner.start_staff_session();
        inner.redraw(&self.window);
        true
    }

    /// Shows the results of updates applied in the background (checked every 3 s).
    pub fn receive_notices(&self, notices: Receiver<Notice>) {
        self.inner.borrow_mut().notices = Some(notices);
    }

    /// Shows one update result now, as the background poll would.
    pub fn show_notice(&self, notice: Notice) {
        let mut inner = self.inner.borrow_mut();
        inner.set_notice(notice);
        inner.redraw(&self.window);
    }

    /// Turns on optional cards with the kiosk's card key (`attendance::cards`).
    pub fn enable_cards(&self, key: [u8; 32]) {
        self.inner.borrow_mut().card_key = Some(key);
    }

    /// Handles codes from the card scanner as they come (checked every 150 ms); keep the
    /// returned timer alive.
    pub fn receive_scans(&self, codes: Receiver<String>) -> Timer {
        let timer = Timer::default();
        let (weak, inner) = (self.window.as_weak(), Rc::downgrade(&self.inner));
        timer.start(
            TimerMode::Repeated,
            StdDuration::from_millis(150),
            move || {
                if let (Some(win), Some(inner)) = (weak.upgrade(), inner.upgrade()) {
                    while let Ok(code) = codes.try_recv() {
                        inner.borrow_mut().card_entered(&win, &code);
                    }
                }
            },
        );
        timer
    }

    /// A card code read by the scanner (or typed), handled as the screen does.
    pub fn card_scanned(&self, code: &str) {
        self.inner.borrow_mut().card_entered(&self.window, code);
    }

    /// Where the device's clock check sends its warning: the staff screen says it in the
    /// language on screen.
    pub fn staff_warnings(&self) -> impl Fn(Option<Phrase>) + 'static {
        let (weak, inner) = (self.window.as_weak(), Rc::downgrade(&self.inner));
        move |warning| {
            if let (Some(win), Some(inner)) = (weak.upgrade(), inner.upgrade()) {
                let mut inner = inner.borrow_mut();
                if inner.staff_warning != warning {
                    inner.staff_warning = warning;
                    inner.redraw(&win);
                }
            }
        }
    }

    /// Shows the screen in `lang` until the next idle reset (`--lang`, the language button).
    pub fn set_language(&self, lang: Lang) {
        let mut inner = self.inner.borrow_mut();
        inner.set_lang(lang);
        inner.redraw(&self.window);
    }

    /// Recomputes everything from the clock (what the minute tick does).
    pub fn refresh(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.reload_if_stale();
        inner.redraw(&self.window);
    }
}

/// What every callback needs: weak handles (no Rc cycles) and the idle timer to restart.
#[derive(Clone)]
struct Wiring {
    window: slint::Weak<KioskWindow>,
    inner: Weak<RefCell<Inner>>,
    idle: Weak<Timer>,
}

impl Wiring {
    /// Runs a touch's effect, then (re)starts the idle countdown: 60 s without a touch and
    /// the next person finds the board as new.
    fn with(&self, f: impl FnOnce(&KioskWindow, &mut Inner)) {
        let (Some(win), Some(inner), Some(idle)) = (
            self.window.upgrade(),
            self.inner.upgrade(),
            self.idle.upgrade(),
        ) else {
            return;
        };
        f(&win, &mut inner.borrow_mut());
        let seconds = inner.borrow().idle_seconds();
        let (weak, inner_weak) = (self.window.clone(), self.inner.clone());
        idle.start(
            TimerMode::SingleShot,
            StdDuration::from_secs(seconds),
            move || {
                if let (Some(win), Some(inner)) = (weak.upgrade(), inner_weak.upgrade()) {
                    inner.borrow_mut().reset(&win);
                }
            },
        );
    }
}

impl Inner {
    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    fn locale(&self) -> Locale {
        self.config.display.locale(self.lang)
    }

    fn default_lang(&self) -> Lang {
        self.config.display.language
    }

    /// Switches every window's `@tr` strings and the words formatted here; the footer is
    /// written again in the new language (the meetings are not reloaded for that).
    fn set_lang(&mut self, lang: Lang) {
        if let Err(e) = slint::select_bundled_translation(lang.code()) {
            eprintln!(
                "lobby-kiosk: the {} translation is missing: {e:?}",
                lang.code()
            );
        }
        if self.lang != lang {
            self.lang = lang;
            self.describe_sources();
        }
    }

    fn query(&self) -> BoardQuery {
        BoardQuery {
            now: self.now(),
            timezone: self.config.timezone(),
            location: self.config.location(),
            radius_m: self.config.radius_m(),
            filters: self.filters(),
            providers: self.providers.clone(),
        }
    }

    fn redraw(&self, win: &KioskWindow) {
        if self.keypad.is_some() {
            self.show_keypad(win);
            return;
        }
        match &self.view {
            View::Board => self.show_board(win),
            View::Detail { .. } => self.show_detail(win),
            View::Thanks(_) => self.show_thanks(win),
            View::Staff(_) => self.show_staff(win),
        }
    }

    /// Whether a sign-in can be kept: not when the database could only be opened read-only
    /// (its disk failed), so nobody is thanked for a visit that is not counted. The sample
    /// schedule records nothing but shows what would happen.
    fn can_record(&self) -> bool {
        match &self.source {
            ScheduleSource::Store(store) => !store.is_read_only(),
            ScheduleSource::Demo => true,
            ScheduleSource::Unavailable(_) => false,
        }
    }

    /// Said in the footer and on the staff screen while the database can only be read.
    fn read_only_warning(&self, locale: &Locale) -> Option<String> {
        match &self.source {
            ScheduleSource::Store(store) if store.is_read_only() => {
                Some(locale.tr("Disk read-only: sign-ins and updates are off"))
            }
            _ => None,
        }
    }

    /// Result screens ("Thanks") go back sooner than the rest.
    fn idle_seconds(&self) -> u64 {
        if self.thanks().is_some() && self.keypad.is_none() {
            self.config.idle.result_seconds
        } else {
            self.config.idle.reset_seconds
        }
    }

    /// Back to the home screen with nothing of the last person's view left.
    fn reset(&mut self, win: &KioskWindow) {
        self.view = View::Board;
        self.close_keypad();
        print::clear(win);
        self.tab = 0;
        self.chips.iter_mut().for_each(|c| *c = false);
        self.set_lang(self.default_lang());
        let adapter = win.global::<BoardAdapter>();
        adapter.set_reset_count(adapter.get_reset_count().wrapping_add(1));
        self.reload_if_stale();
        self.show_board(win);
    }
}

pub use board::table_words;
// The printed slip offers the same codes as the screen, by the same rules.
pub use crate::words::codes::{codes_for, codes_in, CodeSpec};

impl Inner {
    /// The meeting whose detail screen is up.
    fn open_meeting(&self) -> Option<&str> {
        match &self.view {
            View::Detail { meeting } => Some(meeting),
            _ => None,
        }
    }

    fn thanks(&self) -> Option<&signin::Thanks> {
        match &self.view {
            View::Thanks(t) => Some(t),
            _ => None,
        }
    }

    fn staff(&self) -> Option<&staff::StaffSession> {
        match &self.view {
            View::Staff(s) => Some(s),
            _ => None,
        }
    }

    fn staff_mut(&mut self) -> Option<&mut staff::StaffSession> {
        match &mut self.view {
            View::Staff(s) => Some(s),
            _ => None,
        }
    }
}
