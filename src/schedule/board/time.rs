//! When an occurrence happens and where it stands at a moment: local wall-clock times resolved
//! to instants by the board's DST rules, the kiosk's midnight, the dates worth looking at.
//!
//! Only time arithmetic, the same for every meeting; which meetings are shown, and in which
//! group, is decided in `board/mod.rs`.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::State;

/// The local dates whose occurrences can be on the board: yesterday's may still run,
/// tomorrow's may be next, and a meeting in a zone far from the kiosk's can be a date further
/// out. Five consecutive dates: no weekday twice.
pub(in crate::schedule) fn dates_to_look_at(today: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    (-2..=2).map(move |d| today + Duration::days(d))
}

/// Where an occurrence from `start` to `end` stands at `now`, if it belongs on the board.
pub(in crate::schedule) fn state_at(
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
pub(in crate::schedule) fn next_midnight(tz: &Tz, today: NaiveDate) -> DateTime<Utc> {
    resolve_local(
        tz,
        (today + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default(),
    )
}

/// The instant a local wall-clock time names, by the DST rules of the board (`board/mod.rs`):
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
