//! The schedule as the kiosk holds it between loads: the meetings, plus an index that finds
//! the few that matter at a given minute without looking at all the others.
//!
//! The board is asked once a minute; the schedule changes when an import lands or on the
//! hourly reload. So everything about a meeting that does not depend on the clock — how one
//! attends (parsing its link), its wall-clock length, the weekdays it can fall on, its place in
//! name order — is worked out here, once. What the board shows is decided in `board/`, whose
//! rules and types this module uses; it only makes asking fast and must never change the
//! answer (`timetable_tests.rs` checks it against [`board::board`](super::board::board), the
//! reference, over random schedules and the real feeds).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveTime, Weekday};
use chrono_tz::Tz;

use super::board::{
    coming, dates_to_look_at, entries_for, next_midnight, resolve_local, state_at, Board,
    BoardEntry, BoardQuery, Group, Occurrence, State, NEXT_WINDOW_MINUTES,
};
use super::links::ProviderList;
use super::meeting::{AttendanceMode, Meeting, Recurrence};

/// Meetings loaded for the board. Build it when the schedule is (re)loaded and ask it for the
/// board every minute.
#[derive(Debug, Clone)]
pub struct Timetable {
    meetings: Vec<Meeting>,
    index: Index,
}

impl Timetable {
    /// `providers` decides which links count as online attendance (as in `BoardQuery`); a
    /// query with another list is still answered correctly, only more slowly.
    pub fn new(meetings: Vec<Meeting>, providers: &ProviderList) -> Self {
        let index = Index::new(&meetings, providers);
        Timetable { meetings, index }
    }

    pub fn meetings(&self) -> &[Meeting] {
        &self.meetings
    }

    pub fn find(&self, id: &str) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.id == id)
    }

    /// What to show at `query.now`: the same as `board::board(self.meetings(), query)`.
    pub fn board(&self, query: &BoardQuery) -> Board<'_> {
        self.index.board(&self.meetings, query)
    }
}

impl Default for Timetable {
    fn default() -> Self {
        Timetable::new(Vec::new(), &ProviderList::default())
    }
}

/// Meetings that share a zone, a local start and a length start and end at the same instants
/// on a given date: the board resolves that once for all of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Slot {
    /// `None`: the kiosk's zone, known only when the board is asked.
    timezone: Option<Tz>,
    start: NaiveTime,
    length: Duration,
}

/// The clock-independent part of the board for one list of meetings (by position in it).
#[derive(Debug, Clone)]
struct Index {
    /// The list the modes were derived with.
    providers: ProviderList,
    modes: Vec<AttendanceMode>,
    /// Each meeting's place in (name, id) order; equal names and ids share a place.
    name_ranks: Vec<u32>,
    /// Whether a meeting can fall on more than one weekday, so on two of the dates looked at.
    several_days: Vec<bool>,
    slots: Vec<Slot>,
    /// Positions of the meetings of each slot that can fall on each weekday:
    /// `by_slot_day[slot * 7 + weekday.num_days_from_monday()]`. By-appointment meetings fall
    /// on none.
    by_slot_day: Vec<Vec<u32>>,
}

impl Index {
    fn new(meetings: &[Meeting], providers: &ProviderList) -> Self {
        let modes = meetings
            .iter()
            .map(|m| m.attendance_mode(providers))
            .collect();

        let mut by_name: Vec<u32> = (0..meetings.len() as u32).collect();
        let key = |i: u32| {
            let m = &meetings[i as usize];
            (&m.name, &m.id)
        };
        by_name.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));
        let mut name_ranks = vec![0; meetings.len()];
        let mut rank = 0;
        for (n, &i) in by_name.iter().enumerate() {
            if n > 0 && key(by_name[n - 1]) != key(i) {
                rank = n as u32;
            }
            name_ranks[i as usize] = rank;
        }

        let mut slot_of: HashMap<Slot, usize> = HashMap::new();
        let mut slots = Vec::new();
        let mut by_slot_day: Vec<Vec<u32>> = Vec::new();
        let mut several_days = Vec::with_capacity(meetings.len());
        for (i, m) in meetings.iter().enumerate() {
            let days = weekdays(&m.recurrence);
            several_days.push(days.len() > 1);
            if days.is_empty() {
                continue;
            }
            let slot = Slot {
                timezone: m.timezone,
                start: m.start,
                length: m.duration(),
            };
            let s = *slot_of.entry(slot.clone()).or_insert_with(|| {
                slots.push(slot);
                by_slot_day.extend(std::iter::repeat_with(Vec::new).take(7));
                slots.len() - 1
            });
            for day in days {
                by_slot_day[s * 7 + day.num_days_from_monday() as usize].push(i as u32);
            }
        }

        Index {
            providers: providers.clone(),
            modes,
            name_ranks,
            several_days,
            slots,
            by_slot_day,
        }
    }

    /// The board over `meetings`, the list this index was built from.
    fn board<'a>(&self, meetings: &'a [Meeting], query: &BoardQuery) -> Board<'a> {
        debug_assert_eq!(meetings.len(), self.modes.len());
        let now = query.now.with_timezone(&query.timezone);
        let today = now.date_naive();
        let midnight = next_midnight(&query.timezone, today);
        let next_until = query.now + Duration::minutes(NEXT_WINDOW_MINUTES);
        let same_providers = query.providers == self.providers;

        // The occurrence each meeting shows, by position; a meeting on several weekdays keeps
        // its earliest by (state, start), as it would comparing its dates one by one.
        let mut found: Vec<(u32, Occurrence)> = Vec::new();
        let mut found_at: HashMap<u32, usize> = HashMap::new();
        for (s, slot) in self.slots.iter().enumerate() {
            let tz = slot.timezone.unwrap_or(query.timezone);
            for date in dates_to_look_at(today) {
                let day = date.weekday().num_days_from_monday() as usize;
                let candidates = &self.by_slot_day[s * 7 + day];
                if candidates.is_empty() {
                    continue;
                }
                let start = resolve_local(&tz, date.and_time(slot.start));
                let end = start + slot.length;
                let Some(state) = state_at(query.now, start, end, next_until, midnight) else {
                    continue;
                };
                let mut shown: Option<(DateTime<Tz>, DateTime<Tz>)> = None;
                for &i in candidates {
                    let m = &meetings[i as usize];
                    if !m.recurrence.occurs_on(date) {
                        continue;
                    }
                    let mode = if same_providers {
                        self.modes[i as usize]
                    } else {
                        m.attendance_mode(&query.providers)
                    };
                    if mode == AttendanceMode::Inactive || !query.filters.admits(m, mode) {
                        continue;
                    }
                    let (start, end) = *shown.get_or_insert_with(|| {
                        (
                            start.with_timezone(&query.timezone),
                            end.with_timezone(&query.timezone),
                        )
                    });
                    let occurrence = Occurrence {
                        state,
                        mode,
                        start,
                        end,
                        cancelled: m.is_cancelled_on(date),
                    };
                    if !self.several_days[i as usize] {
                        found.push((i, occurrence));
                        continue;
                    }
                    match found_at.get(&i) {
                        Some(&at) => {
                            let kept = &mut found[at].1;
                            if (occurrence.state, occurrence.start) < (kept.state, kept.start) {
                                *kept = occurrence;
                            }
                        }
                        None => {
                            found_at.insert(i, found.len());
                            found.push((i, occurrence));
                        }
                    }
                }
            }
        }

        let mut entries = Vec::with_capacity(found.len() + found.len() / 4);
        for (i, occurrence) in &found {
            entries_for(&meetings[*i as usize], occurrence, query, |entry| {
                entries.push((*i, entry))
            });
        }
        let mut listed = vec![false; meetings.len()];
        for (i, _) in &found {
            listed[*i as usize] = true;
        }
        let busy: Vec<Group> = entries
            .iter()
            .map(|(_, e): &(u32, BoardEntry)| e.group)
            .collect();
        let mode_of = |i: usize| {
            if same_providers {
                self.modes[i]
            } else {
                meetings[i].attendance_mode(&query.providers)
            }
        };
        coming(meetings, &mode_of, &listed, &busy, query, |i, entry| {
            entries.push((i as u32, entry))
        });
        // Sorts small keys and moves each entry once, rather than moving entries while sorting.
        entries.sort_by_cached_key(|(i, entry)| sort_key(entry, self.name_ranks[*i as usize], *i));
        Board {
            now,
            entries: entries.into_iter().map(|(_, entry)| entry).collect(),
        }
    }
}

/// The weekdays a recurrence can fall on (a superset: monthly and every-other-week meetings
/// fall on their weekday only in some weeks, which `Recurrence::occurs_on` decides).
fn weekdays(recurrence: &Recurrence) -> Vec<Weekday> {
    let mut days = match recurrence {
        Recurrence::ByAppointment => Vec::new(),
        Recurrence::Weekly(days) => days.clone(),
        Recurrence::Monthly { weekday, .. } => vec![*weekday],
        Recurrence::EveryOtherWeek { anchor } => vec![anchor.weekday()],
    };
    days.sort_by_key(|d| d.num_days_from_monday());
    days.dedup();
    days
}

/// The screen's order as the reference board sorts it — group, state, start; nearby: known
/// distances nearest first, unknown last; then name (by rank) and id — as one key. `position` (the meeting's place in the list) keeps
/// entries that tie on all of these in list order.
fn sort_key(
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
