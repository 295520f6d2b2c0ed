//! Screen hours: when the lobby screen is lit, as a pure function of the instant and the
//! center's time zone (e.g. on 07:00–22:00, or 18:00–02:00 across midnight).
//!
//! It decides only; it does not touch the backlight or the window (`device::sleep` does), and
//! it knows nothing of touches that wake the screen outside its hours.
//!
//! Daylight saving time: a boundary is the first instant at which the local wall clock has
//! reached it. One inside the spring-forward gap (02:30 on America/New_York 2026-03-08) takes
//! effect when the gap ends (03:00 EDT); one inside the repeated fall-back hour (01:30 on
//! 2026-11-01) takes effect once, at its first occurrence (01:30 EDT), so the screen does not
//! switch back and forth during the repeated hour.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// Daily on and off times in the center's local time. `off` earlier than `on` means the
/// window runs across midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScreenHours {
    pub on: NaiveTime,
    pub off: NaiveTime,
}

impl ScreenHours {
    /// The screen's hours; `on` and `off` must differ (`off` earlier runs across midnight).
    pub fn new(on: NaiveTime, off: NaiveTime) -> Result<ScreenHours, String> {
        if on == off {
            return Err(format!(
                "[screen] hours_on and hours_off are both {}; leave both out to keep the screen on all day",
                on.format("%H:%M")
            ));
        }
        Ok(ScreenHours { on, off })
    }

    /// Parses "HH:MM" pairs as written in the config.
    pub fn parse(on: &str, off: &str) -> Result<ScreenHours, String> {
        ScreenHours::new(time_of_day("hours_on", on)?, time_of_day("hours_off", off)?)
    }
}

/// `[screen] key = "HH:MM"`, the message naming the key.
pub fn time_of_day(key: &str, value: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(value.trim(), "%H:%M").map_err(|_| {
        format!("[screen] {key} = \"{value}\" is not a time of day as HH:MM (e.g. \"07:00\")")
    })
}

/// Whether the screen is lit at `now` (outside any touch that woke it).
pub fn is_on(hours: &ScreenHours, now: &DateTime<Tz>) -> bool {
    let tz = now.timezone();
    let date = now.date_naive();
    // The latest boundary at or before now decides; yesterday's covers the early hours of a
    // window across midnight.
    let mut latest: Option<(DateTime<Tz>, bool)> = None;
    for day in [date.pred_opt(), Some(date)].into_iter().flatten() {
        for (time, on) in [(hours.on, true), (hours.off, false)] {
            let at = boundary(&tz, day, time);
            if at <= *now && latest.as_ref().is_none_or(|(t, _)| at > *t) {
                latest = Some((at, on));
            }
        }
    }
    latest.is_some_and(|(_, on)| on)
}

/// The next instant after `now` at which the screen turns on or off, and which it is.
pub fn next_change(hours: &ScreenHours, now: &DateTime<Tz>) -> (DateTime<Tz>, bool) {
    let tz = now.timezone();
    let date = now.date_naive();
    let mut next: Option<(DateTime<Tz>, bool)> = None;
    for day in [
        Some(date),
        date.succ_opt(),
        date.succ_opt().and_then(|d| d.succ_opt()),
    ]
    .into_iter()
    .flatten()
    {
        for (time, on) in [(hours.on, true), (hours.off, false)] {
            let at = boundary(&tz, day, time);
            if at > *now && next.as_ref().is_none_or(|(t, _)| at < *t) {
                next = Some((at, on));
            }
        }
    }
    // Two days ahead always holds both boundaries; the fallback only satisfies the types.
    next.unwrap_or_else(|| (*now + Duration::days(1), !is_on(hours, now)))
}

/// The first instant on `day` whose local wall clock reads `time` or later.
fn boundary(tz: &Tz, day: NaiveDate, time: NaiveTime) -> DateTime<Tz> {
    let mut local = day.and_time(time);
    // Walk out of a spring-forward gap minute by minute; real gaps are an hour (two at most).
    for _ in 0..=180 {
        if let Some(t) = tz.from_local_datetime(&local).earliest() {
            return t;
        }
        local += Duration::minutes(1);
    }
    tz.from_utc_datetime(&local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;

    fn hours(on: &str, off: &str) -> ScreenHours {
        ScreenHours::parse(on, off).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Tz> {
        New_York
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .earliest()
            .unwrap()
    }

    #[test]
    fn day_window_is_on_between_its_times_only() {
        let h = hours("07:00", "22:00");
        assert!(!is_on(&h, &at(2026, 5, 4, 6, 59)));
        assert!(is_on(&h, &at(2026, 5, 4, 7, 0)));
        assert!(is_on(&h, &at(2026, 5, 4, 21, 59)));
        assert!(!is_on(&h, &at(2026, 5, 4, 22, 0)));
        assert!(!is_on(&h, &at(2026, 5, 4, 0, 30)));
    }

    #[test]
    fn window_across_midnight_stays_on_after_midnight() {
        let h = hours("18:00", "02:00");
        assert!(is_on(&h, &at(2026, 5, 4, 23, 30)));
        assert!(is_on(&h, &at(2026, 5, 5, 1, 59)));
        assert!(!is_on(&h, &at(2026, 5, 5, 2, 0)));
        assert!(!is_on(&h, &at(2026, 5, 5, 12, 0)));
        assert!(is_on(&h, &at(2026, 5, 5, 18, 0)));
    }

    #[test]
    fn next_change_is_tonight_or_tomorrow_morning() {
        let h = hours("07:00", "22:00");
        let (t, on) = next_change(&h, &at(2026, 5, 4, 12, 0));
        assert_eq!((t, on), (at(2026, 5, 4, 22, 0), false));
        let (t, on) = next_change(&h, &at(2026, 5, 4, 22, 0));
        assert_eq!((t, on), (at(2026, 5, 5, 7, 0), true));
        let across = hours("18:00", "02:00");
        let (t, on) = next_change(&across, &at(2026, 5, 4, 23, 0));
        assert_eq!((t, on), (at(2026, 5, 5, 2, 0), false));
    }

    #[test]
    fn boundary_in_the_spring_forward_gap_takes_effect_when_the_gap_ends() {
        // 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 never happens.
        let h = hours("02:30", "22:00");
        let before = at(2026, 3, 8, 1, 59);
        assert!(!is_on(&h, &before));
        let (t, on) = next_change(&h, &before);
        assert!(on);
        assert_eq!(t.format("%H:%M %Z").to_string(), "03:00 EDT");
        assert_eq!(t - before, Duration::minutes(1));
        assert!(is_on(&h, &t));
    }

    #[test]
    fn boundary_in_the_repeated_fall_back_hour_happens_once() {
        // 2026-11-01: 01:00–02:00 happens twice (EDT, then EST).
        let h = hours("07:00", "01:30");
        let first = New_York
            .with_ymd_and_hms(2026, 11, 1, 1, 30, 0)
            .earliest()
            .unwrap();
        let second = New_York
            .with_ymd_and_hms(2026, 11, 1, 1, 15, 0)
            .latest()
            .unwrap();
        assert_eq!(first.format("%Z").to_string(), "EDT");
        assert_eq!(second.format("%Z").to_string(), "EST");
        assert!(is_on(&h, &(first - Duration::minutes(1))));
        assert!(!is_on(&h, &first));
        // 01:15 EST comes after 01:30 EDT: the screen stays dark through the repeated hour.
        assert!(!is_on(&h, &second));
        let (t, on) = next_change(&h, &first);
        assert_eq!((t, on), (at(2026, 11, 1, 7, 0), true));
    }

    #[test]
    fn a_night_window_spans_the_fall_back_night_in_real_hours() {
        let h = hours("07:00", "22:00");
        let (off_at, _) = next_change(&h, &at(2026, 10, 31, 12, 0));
        let (on_at, on) = next_change(&h, &off_at);
        assert!(on);
        // 22:00 EDT to 07:00 EST is ten real hours, not nine.
        assert_eq!(on_at - off_at, Duration::hours(10));
    }

    #[test]
    fn times_must_be_hh_mm_and_differ() {
        assert!(ScreenHours::parse("7am", "22:00")
            .unwrap_err()
            .contains("hours_on"));
        assert!(ScreenHours::parse("07:00", "07:00")
            .unwrap_err()
            .contains("all day"));
    }
}
