//! The independent oracle of the simulated weeks (tests/simulated_weeks.rs drives the board
//! with it, tests/simulated_weeks_ui.rs the Slint UI model): a small schedule chosen for the
//! hard cases — meetings at 00:30, 01:00, 01:30 and 02:30 (inside the spring gap or the
//! repeated autumn hour in one zone or the other), an overnight meeting and one with no end
//! time — and what the board must say about it at any minute, found by searching the zone's
//! offsets instead of chrono's local-time resolution.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use lobby_kiosk::schedule::board::State;
use lobby_kiosk::schedule::{Meeting, Recurrence};

/// The four weeks: each 2026 DST change in America/New_York and Europe/London.
pub fn dst_changes() -> [(Tz, NaiveDate); 4] {
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    [
        (chrono_tz::America::New_York, day(3, 8)),
        (chrono_tz::America::New_York, day(11, 1)),
        (chrono_tz::Europe::London, day(3, 29)),
        (chrono_tz::Europe::London, day(10, 25)),
    ]
}

/// 00:00 UTC three days before the change: where each simulated week starts.
pub fn week_start(change: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&(change - Duration::days(3)).and_time(hm(0, 0)))
}

pub const WEEK_MINUTES: i64 = 7 * 24 * 60;

/// VmRSS of this process, in kB.
pub fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

const EVERY_DAY: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

pub fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

pub fn schedule() -> Vec<Meeting> {
    let daily = |slug: &str, start: NaiveTime, end: Option<NaiveTime>| {
        let mut m = Meeting::new(
            "in-house",
            slug,
            slug,
            Recurrence::Weekly(EVERY_DAY.to_vec()),
            start,
        );
        m.end = end;
        m.in_house = true;
        m.location = "Group room".into();
        m.address = "1 Center St".into();
        m
    };
    let mut sunday = daily("sunday-0230", hm(2, 30), Some(hm(3, 30)));
    sunday.recurrence = Recurrence::Weekly(vec![Weekday::Sun]);
    vec![
        daily("early-0030", hm(0, 30), Some(hm(1, 30))),
        daily("one-0100", hm(1, 0), Some(hm(2, 0))),
        daily("half-0130", hm(1, 30), Some(hm(2, 30))),
        daily("gap-0230", hm(2, 30), Some(hm(3, 30))),
        daily("overnight-2300", hm(23, 0), Some(hm(1, 0))),
        daily("no-end-2230", hm(22, 30), None),
        daily("noon", hm(12, 0), Some(hm(13, 0))),
        sunday,
    ]
}

/// The oracle's idea of the instant a wall time names: among the instants `wall - offset`
/// for each offset the zone uses that week, those that really show `wall` on the clock; the
/// earliest of them (a repeated hour counts once, the first time). None show it when `wall`
/// is in the spring gap: then it is read with the offset of the day before.
pub fn oracle_instant(tz: Tz, wall: NaiveDateTime) -> DateTime<Utc> {
    let offsets: BTreeSet<i32> = [-2, 2]
        .iter()
        .map(|d| {
            let probe = Utc.from_utc_datetime(&(wall + Duration::days(*d)));
            chrono::Offset::fix(probe.with_timezone(&tz).offset()).local_minus_utc()
        })
        .collect();
    offsets
        .iter()
        .map(|off| Utc.from_utc_datetime(&(wall - Duration::seconds(i64::from(*off)))))
        .filter(|u| u.with_timezone(&tz).naive_local() == wall)
        .min()
        .unwrap_or_else(|| {
            let day_before = Utc.from_utc_datetime(&(wall - Duration::days(1)));
            let off = chrono::Offset::fix(day_before.with_timezone(&tz).offset()).local_minus_utc();
            Utc.from_utc_datetime(&(wall - Duration::seconds(i64::from(off))))
        })
}

/// The wall-clock length: the end time on the clock minus the start, a day later when it is
/// not after the start; an hour when there is no end.
pub fn oracle_length(m: &Meeting) -> Duration {
    match m.end {
        None => Duration::minutes(60),
        Some(end) => {
            let d = end - m.start;
            if d <= Duration::zero() {
                d + Duration::days(1)
            } else {
                d
            }
        }
    }
}

pub fn meets_on(m: &Meeting, date: NaiveDate) -> bool {
    use chrono::Datelike;
    match &m.recurrence {
        Recurrence::Weekly(days) => days.contains(&date.weekday()),
        _ => false,
    }
}

/// What the board must say at `now` (all the meetings are the center's own): per meeting, the
/// occurrence that is in progress, else
/// the soonest that starts within two hours, else the soonest before the next local midnight.
pub fn oracle(
    meetings: &[Meeting],
    tz: Tz,
    now: DateTime<Utc>,
) -> Vec<(String, State, DateTime<Utc>)> {
    let today = now.with_timezone(&tz).date_naive();
    let midnight = oracle_instant(tz, (today + Duration::days(1)).and_time(hm(0, 0)));
    let mut out = Vec::new();
    for m in meetings {
        let mut occurrences: Vec<(DateTime<Utc>, DateTime<Utc>)> = (-2..=2)
            .map(|d| today + Duration::days(d))
            .filter(|date| meets_on(m, *date))
            .map(|date| {
                let start = oracle_instant(tz, date.and_time(m.start));
                (start, start + oracle_length(m))
            })
            .collect();
        occurrences.sort();
        let running = occurrences.iter().find(|(s, e)| *s <= now && now < *e);
        let next = occurrences
            .iter()
            .find(|(s, _)| now < *s && *s <= now + Duration::minutes(120));
        let later = occurrences.iter().find(|(s, _)| now < *s && *s < midnight);
        let found = running
            .map(|o| (State::InProgress, o.0))
            .or(next.map(|o| (State::Next, o.0)))
            .or(later.map(|o| (State::Later, o.0)));
        if let Some((state, start)) = found {
            out.push((m.id.clone(), state, start));
            continue;
        }
        // Not on today: the center's meeting is shown at its next start within 7 days.
        let coming = (0..=7)
            .map(|d| today + Duration::days(d))
            .filter(|date| meets_on(m, *date))
            .map(|date| oracle_instant(tz, date.and_time(m.start)))
            .find(|start| now < *start && *start < now + Duration::days(7));
        if let Some(start) = coming {
            out.push((m.id.clone(), State::Coming, start));
        }
    }
    out.sort();
    out
}
