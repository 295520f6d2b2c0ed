//! Anonymous sign-in: when a meeting may be signed in to, and what a sign-in stores.
//!
//! The rules are `reference/privacy.md`'s: a count per meeting occurrence and local date,
//! never the time of the tap, never a name, no log line per sign-in. Repeated taps are
//! absorbed by the screen in memory (`kiosk`), not here: nothing about taps is persisted.
//! Optional cards (`cards`) add the holder's own streak; staff PINs are in `pin`; exports with
//! small-cell suppression in `report`; the staff screen's exact totals in `totals`.

pub mod cards;
pub mod pin;
pub mod report;
pub mod totals;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::schedule::board::resolve_local;
use crate::schedule::Meeting;
use crate::store::{CardStats, CardVisit, Store, StoreError, Stored};

/// Sign-in opens this long before a meeting starts and closes when it ends.
pub const OPENS_BEFORE_MINUTES: i64 = 30;

/// One occurrence of a meeting that is open for sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// The meeting's local date of this occurrence's start: the key its count is kept under
    /// (an overnight meeting signed in to after midnight counts for the day it started).
    pub local_date: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The occurrence of an in-house meeting open for sign-in at `now`, if any: from 30 minutes
/// before its start until its end. Community meetings are not signed in to here.
pub fn open_occurrence(m: &Meeting, now: DateTime<Utc>, kiosk_tz: Tz) -> Option<Occurrence> {
    if !m.in_house {
        return None;
    }
    let tz = m.timezone.unwrap_or(kiosk_tz);
    let today = now.with_timezone(&tz).date_naive();
    (-1..=1)
        .map(|d| today + Duration::days(d))
        .filter(|date| m.occurs_on(*date))
        .map(|date| {
            let start = resolve_local(&tz, date.and_time(m.start));
            Occurrence {
                local_date: date,
                start,
                end: start + m.duration(),
            }
        })
        .find(|o| o.start - Duration::minutes(OPENS_BEFORE_MINUTES) <= now && now < o.end)
}

/// What the person at the screen is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedIn {
    /// Thanks for coming (with the card holder's own figures when a card was used).
    Thanks(Option<CardStats>),
    /// This card was already used for this meeting today: nothing was added.
    AlreadyWithThisCard(CardStats),
}

/// Why a sign-in was not taken.
#[derive(Debug)]
pub enum SignInError {
    /// Not an in-house meeting, or not within its sign-in window.
    NotOpen {
        meeting: String,
        why: String,
    },
    Store(StoreError),
}

impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignInError::NotOpen { meeting, why } => write!(f, "{meeting}: {why}"),
            SignInError::Store(e) => write!(f, "the sign-in could not be saved: {e}"),
        }
    }
}

impl std::error::Error for SignInError {}

/// Records one sign-in to `m` at `now`, as the screen and `lobby-kiosk sign-in` both do.
/// `count` is false when a card is added to a sign-in already counted (the thank-you screen).
pub fn sign_in(
    store: &mut Store,
    m: &Meeting,
    now: DateTime<Utc>,
    kiosk_tz: Tz,
    card: Option<&CardVisit>,
    count: bool,
) -> Result<SignedIn, SignInError> {
    let occurrence = open_occurrence(m, now, kiosk_tz).ok_or_else(|| SignInError::NotOpen {
        meeting: m.id.clone(),
        why: if m.in_house {
            format!(
                "sign-in is open from {OPENS_BEFORE_MINUTES} minutes before the meeting starts until it ends"
            )
        } else {
            "only the center's own (in-house) meetings are signed in to".into()
        },
    })?;
    match store
        .sign_in(m, occurrence.local_date, card, count)
        .map_err(SignInError::Store)?
    {
        Stored::Counted(stats) => Ok(SignedIn::Thanks(stats)),
        Stored::CardAlreadySignedIn(stats) => Ok(SignedIn::AlreadyWithThisCard(stats)),
    }
}

/// What is on screen when a card is scanned or typed, for `card_meeting`.
#[derive(Debug, Clone, Copy)]
pub enum CardMoment<'a> {
    /// The thank-you screen offering to add a card to the visit just counted (`meeting`).
    Welcome { meeting: &'a str },
    /// Another thank-you screen: the visit is counted; a card adds nothing.
    Thanks,
    /// The board, or the detail screen of `open` meeting.
    Browsing { open: Option<&'a str> },
}

/// Which meeting a card signs in to: the one just signed in to when the screen offers to add
/// the card; the meeting open on screen, if it is open for sign-in now; else the only in-house
/// meeting open now. `None`: the person must tap their meeting first (two open at once, or
/// none).
pub fn card_meeting(
    meetings: &[Meeting],
    moment: CardMoment<'_>,
    now: DateTime<Utc>,
    kiosk_tz: Tz,
) -> Option<String> {
    let open = |m: &Meeting| open_occurrence(m, now, kiosk_tz).is_some();
    match moment {
        CardMoment::Welcome { meeting } => Some(meeting.to_string()),
        CardMoment::Thanks => None,
        CardMoment::Browsing { open: Some(id) }
            if meetings.iter().any(|m| m.id == id && open(m)) =>
        {
            Some(id.to_string())
        }
        CardMoment::Browsing { .. } => {
            let mut candidates = meetings.iter().filter(|m| open(m));
            match (candidates.next(), candidates.next()) {
                (Some(only), None) => Some(only.id.clone()),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests;
