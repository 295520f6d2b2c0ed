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

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use super::links::ProviderList;
use super::meeting::{AttendanceMode, Meeting, NthWeekday, Recurrence};
use super::timetable::Index;

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
    Index::new(meetings, &query.providers).board(meetings, query)
}

/// Where an occurrence from `start` to `end` stands at `now`, if it belongs on the board.
pub(super) fn state_at(
    now: DateTime<Utc>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    next_until: DateTime<Utc>,
    midnight: DateTime<Utc>,
) -> Option<State> {
    if start <= now && now < end {
        Some(State::InProgress)
    } else if now < start && start <= next_until {
        Some(State::Next)
    } else if now < start && start < midnight {
        Some(State::Later)
    } else {
        None
    }
}

/// The instant the board's "later today" stops at: the kiosk's next local midnight.
pub(super) fn next_midnight(tz: &Tz, today: NaiveDate) -> DateTime<Utc> {
    resolve_local(
        tz,
        (today + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default(),
    )
}

/// The board's entries for one occurrence of `m`: in-house meetings in their own group,
/// the rest nearby (within the radius) and/or online by how one can attend.
pub(super) fn entries_for<'a>(
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

/// The look ahead (`State::Coming`) for meetings the rest of the board does not list
/// (`listed`, by position): the center's own meetings at their next date within
/// `COMING_DAYS`, and tomorrow morning's nearby and online meetings for each group with nothing
/// more today, or for all from `LOOK_AHEAD_HOUR`. A skipped date is passed over.
pub(super) fn coming<'a>(
    meetings: &'a [Meeting],
    mode_of: &dyn Fn(usize) -> AttendanceMode,
    listed: &[bool],
    busy_today: &[Group],
    query: &BoardQuery,
    mut push: impl FnMut(usize, BoardEntry<'a>),
) {
    let now = query.now.with_timezone(&query.timezone);
    let today = now.date_naive();
    let tomorrow = today + Duration::days(1);
    let morning_from = next_midnight(&query.timezone, today);
    let morning_until = resolve_local(
        &query.timezone,
        tomorrow
            .and_hms_opt(MORNING_ENDS_HOUR, 0, 0)
            .unwrap_or_default(),
    );
    let late = chrono::Timelike::hour(&now) >= LOOK_AHEAD_HOUR;
    // Which groups look ahead, worked out once (the check runs for every meeting).
    let ahead = [Group::Nearby, Group::Online].map(|g| late || !busy_today.contains(&g));
    let looks_ahead = |g: Group| match g {
        Group::InHouse => false,
        Group::Nearby => ahead[0],
        Group::Online => ahead[1],
    };
    let week_until = query.now + Duration::days(COMING_DAYS);
    for (i, m) in meetings.iter().enumerate() {
        if listed.get(i).copied().unwrap_or(false) {
            continue;
        }
        if !m.in_house && !looks_ahead(Group::Nearby) && !looks_ahead(Group::Online) {
            continue;
        }
        let mode = mode_of(i);
        if mode == AttendanceMode::Inactive || !query.filters.admits(m, mode) {
            continue;
        }
        let tz = m.timezone.unwrap_or(query.timezone);
        let (first, last, window) = if m.in_house {
            (
                today,
                today + Duration::days(COMING_DAYS),
                (query.now, week_until),
            )
        } else {
            // In the meeting's own zone tomorrow morning may fall on a neighbouring date.
            (
                today,
                tomorrow + Duration::days(1),
                (morning_from, morning_until),
            )
        };
        let mut date = first;
        while date <= last {
            if occurs_on(&m.recurrence, date) && !m.is_cancelled_on(date) {
                let start = resolve_local(&tz, date.and_time(m.start));
                if start > query.now && start >= window.0 && start < window.1 {
                    let occurrence = Occurrence {
                        state: State::Coming,
                        mode,
                        start: start.with_timezone(&query.timezone),
                        end: (start + m.duration()).with_timezone(&query.timezone),
                        cancelled: false,
                    };
                    entries_for(m, &occurrence, query, |entry| {
                        if entry.group == Group::InHouse || looks_ahead(entry.group) {
                            push(i, entry);
                        }
                    });
                    break;
                }
            }
            date += Duration::days(1);
        }
    }
}

/// The occurrence of a meeting that belongs on the board now, in the kiosk's zone.
#[derive(Debug, Clone)]
pub(super) struct Occurrence {
    pub state: State,
    pub mode: AttendanceMode,
    pub start: DateTime<Tz>,
    pub end: DateTime<Tz>,
    pub cancelled: bool,
}

/// The screen's order — group, state, start; nearby: known distances nearest first, unknown
/// last; then name and id — as one key. `position` (the meeting's place in the list) keeps
/// entries that tie on all of these in list order.
pub(super) fn sort_key(
    entry: &BoardEntry<'_>,
    name_rank: u32,
    position: u32,
) -> (Group, State, i64, u32, bool, i64, u32, u32) {
    let start = entry.start.timestamp();
    let nanos = entry.start.timestamp_subsec_nanos();
    // `f64::total_cmp` as an integer: flip the magnitude bits of negative numbers.
    let distance = entry.distance_m.map_or(0, |d| {
        let bits = d.to_bits() as i64;
        bits ^ ((((bits >> 63) as u64) >> 1) as i64)
    });
    (
        entry.group,
        entry.state,
        start,
        nanos,
        entry.distance_m.is_none(),
        distance,
        name_rank,
        position,
    )
}

/// The instant a local wall-clock time names, by the DST rules in the module doc:
/// a time in the spring-forward gap moves forward by the gap; a repeated time is its first.
pub fn resolve_local(tz: &Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => {
            // Read the wall time with the offset in force before the gap: 02:30 EST is
            // 07:30 UTC, which is 03:30 EDT. No zone has a gap longer than a few hours.
            let before = tz.offset_from_utc_datetime(&(local - Duration::hours(6)));
            let offset = chrono::Offset::fix(&before);
            offset
                .from_local_datetime(&local)
                .single()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&local))
        }
    }
}

/// Whether a meeting with this recurrence meets on this local date.
pub fn occurs_on(recurrence: &Recurrence, date: NaiveDate) -> bool {
    match recurrence {
        Recurrence::ByAppointment => false,
        Recurrence::Weekly(days) => days.contains(&date.weekday()),
        Recurrence::Monthly { nth, weekday } => date.weekday() == *weekday && is_nth(*nth, date),
        Recurrence::EveryOtherWeek { anchor } => {
            let days = date.signed_duration_since(*anchor).num_days();
            days >= 0 && days % 14 == 0
        }
    }
}

fn is_nth(nth: NthWeekday, date: NaiveDate) -> bool {
    match nth {
        NthWeekday::Nth(n) => (date.day() - 1) / 7 + 1 == u32::from(n),
        NthWeekday::Last => (date + Duration::days(7)).month() != date.month(),
    }
}

/// Weekday from the Meeting Guide number: 0 = Sunday … 6 = Saturday.
pub fn weekday_from_number(n: u32) -> Option<Weekday> {
    match n {
        0 => Some(Weekday::Sun),
        1..=6 => Weekday::try_from((n - 1) as u8).ok(),
        _ => None,
    }
}

/// Great-circle distance in metres.
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_008.8;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}
