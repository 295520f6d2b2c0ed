//! The board: given a moment, the kiosk's zone and place, what a person at the screen sees.
//!
//! A pure function of its inputs — no clock, no database, no I/O — so that every rule about
//! time can be tested on real dates. The rules:
//! - **in progress**: started and not yet ended, including a meeting that started yesterday
//!   and runs past midnight;
//! - **next**: starts within the next 2 hours, even past midnight (at 23:30 a 00:30 meeting
//!   is next);
//! - **later today**: starts after that but before the kiosk's next local midnight.
//! - A meeting whose end is not after its start ends the next day; no end means 60 minutes.
//! - DST, spring forward: a local start inside the gap moves forward by the gap (02:30 on
//!   2026-03-08 in New York happens at 03:30 daylight time) and is still shown.
//!   Fall back: a local start in the repeated hour happens once, at its first occurrence
//!   (01:30 on 2026-11-01 in New York is 01:30 EDT, not 01:30 EST).
//!   The end is the start plus the meeting's wall-clock length, so a 01:00–02:00 meeting on
//!   the fall-back night lasts one hour, as the people in the room experience it.
//! - By-appointment and inactive meetings are never on the board.
//! - **coming** (a look ahead, so the board is never empty while something is near): each of
//!   the center's own meetings not on today's board is listed at its next date within 7 days;
//!   from 21:00, or once a group has nothing more today, nearby and online meetings starting
//!   tomorrow before noon are listed. A meeting on today's board is not listed again.
//! - An occurrence on one of the meeting's skipped dates (a holiday, or a date staff cancelled)
//!   keeps its place, marked `cancelled`: a person who came for it learns it is off.
//!
//! [`board`] is the reference: it looks at every meeting, date by date, rule by rule, and is
//! what one meeting's detail screen, the printed slip and the command line ask. It does not
//! keep anything between calls: the kiosk, asking every minute over a whole schedule, asks a
//! [`Timetable`](super::Timetable) (`timetable.rs`), an index built on these rules and tested
//! to give exactly this board. Nothing here depends on the timetable.
//!
//! The time arithmetic (DST, the kiosk's midnight, which dates can matter) is in `time.rs`,
//! the look ahead in `look_ahead.rs`; the types, the groups and the order are here.

mod look_ahead;
mod time;

use std::cmp::Ordering;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::distance::haversine_m;
use super::links::ProviderList;
use super::meeting::{AttendanceMode, Meeting};

pub(in crate::schedule) use look_ahead::coming;
pub use time::resolve_local;
pub(in crate::schedule) use time::{dates_to_look_at, next_midnight, state_at};

/// How far ahead "next" reaches.
pub const NEXT_WINDOW_MINUTES: i64 = 120;

/// How far ahead the center's own meetings are looked for when they are not on today.
pub const COMING_DAYS: i64 = 7;
/// From this local hour the board also shows tomorrow morning's nearby and online meetings.
pub const LOOK_AHEAD_HOUR: u32 = 21;
/// "Tomorrow morning" ends at this local hour.
pub const MORNING_ENDS_HOUR: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    InHouse,
    Nearby,
    Online,
}

impl Group {
    pub fn key(self) -> &'static str {
        match self {
            Group::InHouse => "in_house",
            Group::Nearby => "nearby",
            Group::Online => "online",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    InProgress,
    Next,
    Later,
    /// A later date: the center's next meeting this week, or tomorrow morning.
    Coming,
}

impl State {
    pub fn key(self) -> &'static str {
        match self {
            State::InProgress => "in_progress",
            State::Next => "next",
            State::Later => "later",
            State::Coming => "coming",
        }
    }
}

/// Filters a visitor sets with the chips on the board. Empty means "all".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Programs to show (AA, NA …); empty shows every program.
    pub programs: Vec<String>,
    /// A language type code (`EN`, `S` …).
    pub language: Option<String>,
    /// `Some(true)`: open meetings only (`O`); `Some(false)`: closed only (`C`).
    pub open: Option<bool>,
    /// Wheelchair access (`X`) only.
    pub wheelchair: bool,
    /// `Some(true)`: online (and hybrid) only; `Some(false)`: in person (and hybrid) only.
    pub online: Option<bool>,
}

impl Filters {
    pub(super) fn admits(&self, m: &Meeting, mode: AttendanceMode) -> bool {
        (self.programs.is_empty()
            || self
                .programs
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&m.program)))
            && self.language.as_ref().is_none_or(|l| m.has_type(l))
            && self
                .open
                .is_none_or(|open| m.has_type(if open { "O" } else { "C" }))
            && (!self.wheelchair || m.has_type("X"))
            && self.online.is_none_or(|online| {
                if online {
                    mode.is_online()
                } else {
                    mode.is_in_person()
                }
            })
    }
}

/// Everything the board depends on besides the meetings.
#[derive(Debug, Clone)]
pub struct BoardQuery {
    pub now: DateTime<Utc>,
    pub timezone: Tz,
    /// The kiosk's place; `None` means distances are unknown.
    pub location: Option<(f64, f64)>,
    /// Nearby meetings farther than this are left out.
    pub radius_m: f64,
    pub filters: Filters,
    pub providers: ProviderList,
}

/// One meeting as the board shows it in one group.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardEntry<'a> {
    pub meeting: &'a Meeting,
    pub group: Group,
    pub state: State,
    pub mode: AttendanceMode,
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
    /// Metres from the kiosk; `None` when unknown or for online-only meetings.
    pub distance_m: Option<f64>,
    /// This occurrence does not take place: its date is one of the meeting's skipped dates.
    pub cancelled: bool,
}

/// What the screen shows: entries ordered by group, then state, then start (nearby: then
/// distance, unknown last).
#[derive(Debug, Clone, PartialEq)]
pub struct Board<'a> {
    pub now: DateTime<Tz>,
    pub entries: Vec<BoardEntry<'a>>,
}

impl<'a> Board<'a> {
    pub fn group(&self, group: Group) -> impl Iterator<Item = &BoardEntry<'a>> {
        self.entries.iter().filter(move |e| e.group == group)
    }
}

/// What to show at `query.now`, over any list of meetings (one meeting, for its detail
/// screen, or a whole feed printed once). A kiosk that asks every minute keeps a
/// [`Timetable`](super::Timetable) instead, which works out the per-meeting part once.
pub fn board<'a>(meetings: &'a [Meeting], query: &BoardQuery) -> Board<'a> {
    let now = query.now.with_timezone(&query.timezone);
    let today = now.date_naive();
    let mut entries = Vec::new();
    let mut listed = vec![false; meetings.len()];
    // Worked out once: today's board and the look-ahead both ask.
    let modes: Vec<AttendanceMode> = meetings
        .iter()
        .map(|m| m.attendance_mode(&query.providers))
        .collect();
    for (i, (m, &mode)) in meetings.iter().zip(&modes).enumerate() {
        if mode == AttendanceMode::Inactive || !query.filters.admits(m, mode) {
            continue;
        }
        let Some(occurrence) = occurrence_today(m, mode, query, today) else {
            continue;
        };
        listed[i] = true;
        entries_for(m, &occurrence, query, |entry| entries.push(entry));
    }
    let busy: Vec<Group> = entries.iter().map(|e| e.group).collect();
    let mode_of = |i: usize| modes[i];
    coming(meetings, &mode_of, &listed, &busy, query, |_, entry| {
        entries.push(entry)
    });
    // Stable: entries that tie on everything keep the list's order.
    entries.sort_by(screen_order);
    Board { now, entries }
}

/// The occurrence of `m` on today's board, if any: of the dates that can matter, each resolved
/// on its own, the one that is in progress, else the next to start.
fn occurrence_today(
    m: &Meeting,
    mode: AttendanceMode,
    query: &BoardQuery,
    today: NaiveDate,
) -> Option<Occurrence> {
    let tz = m.timezone.unwrap_or(query.timezone);
    let midnight = next_midnight(&query.timezone, today);
    let next_until = query.now + Duration::minutes(NEXT_WINDOW_MINUTES);
    dates_to_look_at(today)
        .filter(|date| m.recurrence.occurs_on(*date))
        .filter_map(|date| {
            let start = resolve_local(&tz, date.and_time(m.start));
            let end = start + m.duration();
            let state = state_at(query.now, start, end, next_until, midnight)?;
            Some(Occurrence {
                state,
                mode,
                start: start.with_timezone(&query.timezone),
                end: end.with_timezone(&query.timezone),
                cancelled: m.is_cancelled_on(date),
            })
        })
        .min_by_key(|o| (o.state, o.start))
}

/// The screen's order: group, state, start; nearby: known distances nearest first, unknown
/// last; then name and id.
fn screen_order(a: &BoardEntry<'_>, b: &BoardEntry<'_>) -> Ordering {
    let nearest_first = match (a.distance_m, b.distance_m) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    (a.group, a.state, a.start)
        .cmp(&(b.group, b.state, b.start))
        .then(nearest_first)
        .then_with(|| a.meeting.name.cmp(&b.meeting.name))
        .then_with(|| a.meeting.id.cmp(&b.meeting.id))
}

/// The board's entries for one occurrence of `m`: in-house meetings in their own group,
/// the rest nearby (within the radius) and/or online by how one can attend.
pub(in crate::schedule) fn entries_for<'a>(
    m: &'a Meeting,
    occurrence: &Occurrence,
    query: &BoardQuery,
    mut push: impl FnMut(BoardEntry<'a>),
) {
    let distance_m = match (query.location, m.latitude, m.longitude) {
        (Some((lat, lon)), Some(mlat), Some(mlon)) if !m.approximate => {
            Some(haversine_m(lat, lon, mlat, mlon))
        }
        _ => None,
    };
    let mode = occurrence.mode;
    let mut entry = |group: Group, distance_m: Option<f64>| {
        push(BoardEntry {
            meeting: m,
            group,
            state: occurrence.state,
            mode,
            start: occurrence.start,
            end: occurrence.end,
            distance_m,
            cancelled: occurrence.cancelled,
        })
    };
    if m.in_house {
        entry(Group::InHouse, distance_m);
        return;
    }
    if mode.is_in_person() && distance_m.is_none_or(|d| d <= query.radius_m) {
        entry(Group::Nearby, distance_m);
    }
    if mode.is_online() {
        // An online-only meeting has no place to be distant from.
        entry(
            Group::Online,
            if mode.is_in_person() {
                distance_m
            } else {
                None
            },
        );
    }
}

/// The occurrence of a meeting that belongs on the board now, in the kiosk's zone.
#[derive(Debug, Clone)]
pub(in crate::schedule) struct Occurrence {
    pub state: State,
    pub mode: AttendanceMode,
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
    pub cancelled: bool,
}
