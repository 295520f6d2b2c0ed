//! The look ahead (`State::Coming`): what the board lists beyond today, so it is never empty
//! while something is near — the center's own meetings at their next date within the week,
//! and tomorrow morning's nearby and online meetings late in the evening or once a group has
//! nothing more today.
//!
//! It never lists a meeting already on today's board (the caller says which are) and does not
//! order entries: the board sorts everything together.

use chrono::Duration;

use super::time::{next_midnight, resolve_local};
use super::{
    entries_for, BoardEntry, BoardQuery, Group, Occurrence, State, COMING_DAYS, LOOK_AHEAD_HOUR,
    MORNING_ENDS_HOUR,
};
use crate::schedule::meeting::{AttendanceMode, Meeting};

/// The look ahead (`State::Coming`) for meetings the rest of the board does not list
/// (`listed`, by position): the center's own meetings at their next date within
/// `COMING_DAYS`, and tomorrow morning's nearby and online meetings for each group with nothing
/// more today, or for all from `LOOK_AHEAD_HOUR`. A skipped date is passed over.
pub(in crate::schedule) fn coming<'a>(
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
            if m.recurrence.occurs_on(date) && !m.is_cancelled_on(date) {
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
