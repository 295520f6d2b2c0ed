//! Four simulated weeks around the 2026 DST changes — America/New_York (March 8, November 1)
//! and Europe/London (March 29, October 25) — driving the board minute by minute and checking
//! every minute against an oracle written separately from `schedule::board`: it finds wall
//! times by searching the zone's offsets instead of chrono's local-time resolution.
//!
//! The schedule is small and chosen for the hard cases: meetings at 00:30, 01:00, 01:30,
//! 02:30 (inside the spring gap or the repeated autumn hour in one zone or the other), an
//! overnight meeting and one with no end time.
//!
//! The memory figure (VmRSS before and after all four weeks) is printed, not asserted:
//! `cargo test --release --test simulated_weeks -- --nocapture`.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use lobby_kiosk::schedule::board::{board, BoardQuery, Filters, Group, State};
use lobby_kiosk::schedule::{Meeting, Recurrence};

const EVERY_DAY: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn schedule() -> Vec<Meeting> {
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
fn oracle_instant(tz: Tz, wall: NaiveDateTime) -> DateTime<Utc> {
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
fn oracle_length(m: &Meeting) -> Duration {
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

fn meets_on(m: &Meeting, date: NaiveDate) -> bool {
    use chrono::Datelike;
    match &m.recurrence {
        Recurrence::Weekly(days) => days.contains(&date.weekday()),
        _ => false,
    }
}

/// What the board must say at `now`: per meeting, the occurrence that is in progress, else
/// the soonest that starts within two hours, else the soonest before the next local midnight.
fn oracle(meetings: &[Meeting], tz: Tz, now: DateTime<Utc>) -> Vec<(String, State, DateTime<Utc>)> {
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
        }
    }
    out.sort();
    out
}

fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Drives the board through one week, minute by minute, from 00:00 UTC three days before the
/// change; returns how many minutes were checked.
fn simulate_week(tz: Tz, change: NaiveDate, meetings: &[Meeting]) -> usize {
    let start = Utc.from_utc_datetime(&(change - Duration::days(3)).and_time(hm(0, 0)));
    let mut query = BoardQuery {
        now: start,
        timezone: tz,
        location: None,
        radius_m: 10_000.0,
        filters: Filters::default(),
        providers: Default::default(),
    };
    let minutes = 7 * 24 * 60;
    for minute in 0..minutes {
        query.now = start + Duration::minutes(minute);
        let shown = board(meetings, &query);
        let mut got: Vec<(String, State, DateTime<Utc>)> = shown
            .group(Group::InHouse)
            .map(|e| (e.meeting.id.clone(), e.state, e.start.with_timezone(&Utc)))
            .collect();
        got.sort();
        let expected = oracle(meetings, tz, query.now);
        assert_eq!(
            got,
            expected,
            "{tz} at {} ({} local)",
            query.now,
            query.now.with_timezone(&tz)
        );
    }
    minutes as usize
}

#[test]
fn board_matches_the_oracle_every_minute_of_four_dst_weeks() {
    let meetings = schedule();
    let weeks = [
        (
            chrono_tz::America::New_York,
            NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(),
        ),
        (
            chrono_tz::America::New_York,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        ),
        (
            chrono_tz::Europe::London,
            NaiveDate::from_ymd_opt(2026, 3, 29).unwrap(),
        ),
        (
            chrono_tz::Europe::London,
            NaiveDate::from_ymd_opt(2026, 10, 25).unwrap(),
        ),
    ];
    let before = rss_kb();
    let started = std::time::Instant::now();
    let mut checked = 0;
    for (tz, change) in weeks {
        checked += simulate_week(tz, change, &meetings);
    }
    let after = rss_kb();
    println!(
        "simulated weeks: {checked} minutes checked against the oracle in {:.1} s; VmRSS {} kB → {} kB",
        started.elapsed().as_secs_f64(),
        before.map_or("?".into(), |k| k.to_string()),
        after.map_or("?".into(), |k| k.to_string()),
    );
}

#[test]
fn oracle_reads_the_new_york_spring_gap_and_repeated_hour_as_the_board_rules_say() {
    let ny = chrono_tz::America::New_York;
    let gap = NaiveDate::from_ymd_opt(2026, 3, 8)
        .unwrap()
        .and_time(hm(2, 30));
    // 02:30 does not exist; it happens at 03:30 EDT = 07:30 UTC.
    assert_eq!(
        oracle_instant(ny, gap),
        Utc.with_ymd_and_hms(2026, 3, 8, 7, 30, 0).unwrap()
    );
    let repeated = NaiveDate::from_ymd_opt(2026, 11, 1)
        .unwrap()
        .and_time(hm(1, 30));
    // 01:30 happens twice; the first is 01:30 EDT = 05:30 UTC.
    assert_eq!(
        oracle_instant(ny, repeated),
        Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap()
    );
}
