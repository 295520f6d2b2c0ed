//! "I'm here", the thank-you screen, cards (scanned or typed) and the keypad.
//!
//! Repeated taps are absorbed here, in memory only: while the thank-you screen shows, further
//! sign-ins are ignored, and nothing about taps is written anywhere. What is typed on the
//! keypad is dropped on every reset. Nothing is logged per sign-in.

use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::ui::{KeypadAdapter, KioskState, KioskWindow, Screen, ThanksAdapter};
use super::{Inner, ScheduleSource, View, Wiring};
use crate::attendance::{self, cards, pin, SignedIn};
use crate::store::{CardStats, CardVisit};
use crate::sync::Notice;
use crate::words::{phrase, Locale};
use zeroize::{Zeroize, Zeroizing};

/// The thank-you screen's state.
pub(super) struct Thanks {
    pub meeting_id: String,
    pub title: String,
    pub detail: String,
    /// The sign-in was anonymous and a card may still be added to it.
    pub card_welcome: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum KeypadPurpose {
    Card,
    Pin,
    /// Staff setting the clock: 12 digits, YYYYMMDDHHMM.
    DateTime,
}

pub(super) struct Keypad {
    pub purpose: KeypadPurpose,
    /// Overwritten when dropped, and sized for the longest entry so it never reallocates
    /// (a reallocation would leave a copy behind).
    pub entered: Zeroizing<String>,
    pub message: String,
}

fn card_line(locale: &Locale, stats: CardStats) -> String {
    locale.trf(
        "Visits this month: {} · Weekly streak: {}",
        &[&stats.visits_this_month, &stats.streak_weeks],
    )
}

/// A reason written to follow a colon, shown on its own: "A card code has …".
fn sentence(fragment: &str) -> String {
    let mut chars = fragment.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Inner {
    /// "I'm here" for meeting `id`, optionally with a card. `count` is false when the card
    /// is added to the sign-in the thank-you screen is showing.
    pub(super) fn sign_in(&mut self, win: &KioskWindow, id: &str, card: Option<CardVisit>) {
        let adding_card = self.thanks().is_some_and(|t| t.card_welcome) && card.is_some();
        if self.thanks().is_some() && !adding_card {
            return; // a second tap while "Thanks" shows: absorbed, in memory only
        }
        let Some(m) = self.timetable.find(id).cloned() else {
            return;
        };
        let now = self.now();
        let tz = self.config.timezone();
        let result = match &mut self.source {
            ScheduleSource::Store(store) => {
                attendance::sign_in(store, &m, now, tz, card.as_ref(), !adding_card)
            }
            // The sample schedule records nothing; the screen still shows what would happen.
            _ => match attendance::open_occurrence(&m, now, tz) {
                Some(_) => Ok(SignedIn::Thanks(None)),
                None => Err(attendance::SignInError::NotOpen {
                    meeting: m.id.clone(),
                    why: String::new(),
                }),
            },
        };
        let locale = self.locale();
        let (title, detail, card_welcome) = match result {
            Ok(SignedIn::Thanks(None)) => (
                locale.tr("Thanks for coming."),
                String::new(),
                self.card_key.is_some(),
            ),
            Ok(SignedIn::Thanks(Some(stats))) => (
                locale.tr("Thanks for coming."),
                card_line(&locale, stats),
                false,
            ),
            Ok(SignedIn::AlreadyWithThisCard(stats)) => (
                locale.tr("You're already signed in."),
                card_line(&locale, stats),
                false,
            ),
            Err(attendance::SignInError::NotOpen { .. }) => (
                locale.tr("Sign-in is not open for this meeting now."),
                locale.trf(
                    "It opens {} minutes before the meeting starts.",
                    &[&attendance::OPENS_BEFORE_MINUTES],
                ),
                false,
            ),
            Err(attendance::SignInError::Store(e)) => {
                log::error!("a sign-in could not be saved: {e}");
                (
                    locale.tr("Sorry — this did not work."),
                    locale.tr("Please tell a staff member."),
                    false,
                )
            }
        };
        self.keypad = None;
        self.view = View::Thanks(Thanks {
            meeting_id: m.id.clone(),
            title,
            detail,
            card_welcome,
        });
        self.redraw(win);
    }

    /// A card code from the scanner or the keypad.
    pub(super) fn card_entered(&mut self, win: &KioskWindow, input: &str) {
        let Some(key) = self.card_key else {
            return;
        };
        let code = match cards::normalize(input) {
            Ok(code) => code,
            Err(e) => {
                let message = self.locale().say(&e.phrase());
                match &mut self.keypad {
                    Some(k) if k.purpose == KeypadPurpose::Card => k.message = sentence(&message),
                    _ => self.set_notice(Notice {
                        says: vec![phrase("Card not read:", &[]), e.phrase()],
                        problem: true,
                    }),
                }
                self.redraw(win);
                return;
            }
        };
        let card = CardVisit {
            tag: cards::tag(&key, &code),
        };
        let moment = match self.thanks() {
            Some(t) if t.card_welcome => attendance::CardMoment::Welcome {
                meeting: &t.meeting_id,
            },
            Some(_) => attendance::CardMoment::Thanks,
            None => attendance::CardMoment::Browsing {
                open: self.open_meeting(),
            },
        };
        let target = attendance::card_meeting(
            self.timetable.meetings(),
            moment,
            self.now(),
            self.config.timezone(),
        );
        match target {
            Some(id) => self.sign_in(win, &id, Some(card)),
            None => {
                if self.thanks().is_none() {
                    self.set_notice(Notice::new(
                        phrase("Tap your meeting first, then scan your card.", &[]),
                        true,
                    ));
                    self.redraw(win);
                }
            }
        }
    }

    pub(super) fn show_thanks(&self, win: &KioskWindow) {
        let Some(t) = self.thanks() else { return };
        let adapter = win.global::<ThanksAdapter>();
        adapter.set_title(t.title.clone().into());
        adapter.set_detail(t.detail.clone().into());
        adapter.set_offer_card(t.card_welcome);
        win.global::<KioskState>().set_screen(Screen::Thanks);
    }

    /// The thank-you screen as a sign-in shows it, without recording one (`screenshot --screen
    /// thanks`): with the card offer when cards are on.
    pub(super) fn preview_thanks(&mut self, win: &KioskWindow) {
        self.view = View::Thanks(Thanks {
            meeting_id: String::new(),
            title: self.locale().tr("Thanks for coming."),
            detail: String::new(),
            card_welcome: self.config.attendance.cards,
        });
        self.redraw(win);
    }

    pub(super) fn open_keypad(&mut self, win: &KioskWindow, purpose: KeypadPurpose) {
        self.keypad = Some(Keypad {
            purpose,
            entered: Zeroizing::new(String::with_capacity(64)),
            message: String::new(),
        });
        self.redraw(win);
    }

    pub(super) fn show_keypad(&self, win: &KioskWindow) {
        let Some(k) = &self.keypad else { return };
        let adapter = win.global::<KeypadAdapter>();
        let pin_mode = k.purpose != KeypadPurpose::Card;
        adapter.set_pin_mode(pin_mode);
        adapter.set_title(
            self.locale()
                .tr(match k.purpose {
                    KeypadPurpose::Pin => "Staff PIN",
                    KeypadPurpose::Card => "Type the code on your card",
                    KeypadPurpose::DateTime => "Date and time (year month day hour minute)",
                })
                .into(),
        );
        adapter.set_shown(
            match k.purpose {
                KeypadPurpose::Pin => "●".repeat(k.entered.chars().count()),
                KeypadPurpose::Card => cards::grouped(&k.entered),
                KeypadPurpose::DateTime => datetime_shown(&k.entered),
            }
            .into(),
        );
        adapter.set_message(k.message.clone().into());
        let keys: Vec<SharedString> = if pin_mode {
            "123456789"
                .chars()
                .chain(std::iter::once('0'))
                .map(|c| c.to_string().into())
                .collect()
        } else {
            cards::ALPHABET
                .iter()
                .map(|c| (*c as char).to_string().into())
                .collect()
        };
        adapter.set_keys(ModelRc::new(VecModel::from(keys)));
        win.global::<KioskState>().set_screen(Screen::Keypad);
    }

    pub(super) fn keypad_key(&mut self, win: &KioskWindow, key: &str) {
        if let Some(k) = &mut self.keypad {
            let max = match k.purpose {
                KeypadPurpose::Pin | KeypadPurpose::DateTime => 12,
                KeypadPurpose::Card => cards::RANDOM_CHARS + 1,
            };
            if k.entered.chars().count() < max {
                k.entered.push_str(key);
            }
            k.message.clear();
        }
        self.redraw(win);
    }

    pub(super) fn keypad_erase(&mut self, win: &KioskWindow) {
        if let Some(k) = &mut self.keypad {
            k.entered.pop();
        }
        self.redraw(win);
    }

    pub(super) fn keypad_cancel(&mut self, win: &KioskWindow) {
        self.close_keypad();
        self.redraw(win);
    }

    /// Drops the keypad and overwrites what was typed.
    pub(super) fn close_keypad(&mut self) {
        if let Some(mut k) = self.keypad.take() {
            wipe(&mut k.entered);
        }
    }

    pub(super) fn keypad_submit(&mut self, win: &KioskWindow) {
        let Some(k) = &self.keypad else { return };
        let entered = Zeroizing::new(String::clone(&k.entered));
        match k.purpose {
            KeypadPurpose::Card => self.card_entered(win, &entered),
            KeypadPurpose::Pin => self.pin_entered(win, &entered),
            KeypadPurpose::DateTime => self.datetime_entered(win, &entered),
        }
    }

    /// The hidden long-press on the clock: the PIN pad, if a staff PIN is set.
    pub(super) fn staff_requested(&mut self, win: &KioskWindow) {
        let enabled = match &self.source {
            ScheduleSource::Store(store) => pin::staff_screen_enabled(store),
            _ => false,
        };
        if enabled {
            self.open_keypad(win, KeypadPurpose::Pin);
        }
    }

    fn pin_entered(&mut self, win: &KioskWindow, entered: &str) {
        let now = self.now();
        let ScheduleSource::Store(store) = &mut self.source else {
            return;
        };
        let message = match pin::enter(store, entered, now) {
            Ok(pin::Entry::Accepted) => {
                self.close_keypad();
                self.start_staff_session();
                self.redraw(win);
                return;
            }
            Ok(pin::Entry::Wrong { until: None }) => self.locale().tr("Wrong PIN."),
            Ok(pin::Entry::Wrong { until: Some(t) }) | Ok(pin::Entry::Wait { until: t }) => {
                let seconds = (t - now).num_seconds().max(1);
                let locale = self.locale();
                locale.trf(
                    "Wrong PIN. Try again in {}.",
                    &[&wait_words(&locale, seconds)],
                )
            }
            Ok(pin::Entry::NoPin) => {
                self.close_keypad();
                self.redraw(win);
                return;
            }
            Err(e) => self.locale().trf("The PIN could not be checked: {}", &[&e]),
        };
        if let Some(k) = &mut self.keypad {
            wipe(&mut k.entered);
            k.message = message;
        }
        self.redraw(win);
    }
}

/// The digits typed so far laid over "YYYY-MM-DD HH:MM".
pub(super) fn datetime_shown(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        match i {
            4 | 6 => out.push('-'),
            8 => out.push(' '),
            10 => out.push(':'),
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Twelve digits YYYYMMDDHHMM as a local date and time, if they are one.
pub(super) fn parse_datetime(digits: &str) -> Option<chrono::NaiveDateTime> {
    (digits.len() == 12)
        .then(|| chrono::NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M").ok())
        .flatten()
}

fn wait_words(locale: &Locale, seconds: i64) -> String {
    if seconds < 90 {
        locale.trf("{} seconds", &[&seconds])
    } else {
        locale.trf("{} minutes", &[&((seconds + 59) / 60)])
    }
}

/// Empties `s`, overwriting its buffer (`zeroize` keeps the compiler from dropping the
/// writes): a PIN or card code does not linger in memory.
fn wipe(s: &mut String) {
    s.zeroize();
}

/// The thank-you screen's and the keypad's callbacks: Done, "Use a card", a key, erase,
/// OK and cancel.
pub(super) fn setup(window: &KioskWindow, wire: &Wiring) {
    let thanks = window.global::<ThanksAdapter>();
    let w = wire.clone();
    thanks.on_done(move || w.with(|win, inner| inner.reset(win)));
    let w = wire.clone();
    thanks.on_type_card(move || w.with(|win, inner| inner.open_keypad(win, KeypadPurpose::Card)));
    let keypad = window.global::<KeypadAdapter>();
    let w = wire.clone();
    keypad.on_key(move |k| w.with(|win, inner| inner.keypad_key(win, &k)));
    let w = wire.clone();
    keypad.on_erase(move || w.with(|win, inner| inner.keypad_erase(win)));
    let w = wire.clone();
    keypad.on_submit(move || w.with(|win, inner| inner.keypad_submit(win)));
    let w = wire.clone();
    keypad.on_cancel(move || w.with(|win, inner| inner.keypad_cancel(win)));
}
