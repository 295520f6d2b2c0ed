//! Four simulated weeks around the 2026 DST changes — America/New_York (March 8, November 1)
//! and Europe/London (March 29, October 25) — driving `schedule::board` minute by minute and
//! checking every minute against the oracle in tests/common/oracle.rs, written separately from
//! the board. tests/simulated_weeks_ui.rs drives the Slint UI model through the same weeks.
//!
//! Memory: VmRSS may grow by at most 1 MB a week over the four weeks (RELIABILITY.md's goal;
//! measured +156 kB in all). The figures are printed:
//! `cargo test --release --test simulated_weeks -- --nocapture`.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use common::oracle::WEEK_MINUTES;
use common::oracle::{dst_changes, hm, oracle, oracle_instant, rss_kb, schedule, week_start};
use lobby_kiosk::schedule::board::{board, BoardQuery, Filters, Group, State};
use lobby_kiosk::schedule::Meeting;

/// Drives the board through one week, minute by minute; returns how many minutes were checked.
fn simulate_week(tz: Tz, change: NaiveDate, meetings: &[Meeting]) -> usize {
    let start = week_start(change);
    let mut query = BoardQuery {
        now: start,
        timezone: tz,
        location: None,
        radius_m: 10_000.0,
        filters: Filters::default(),
        providers: Default::default(),
    };
    for minute in 0..WEEK_MINUTES {
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
    WEEK_MINUTES as usize
}

#[test]
fn board_matches_the_oracle_every_minute_of_four_dst_weeks() {
    let meetings = schedule();
    let before = rss_kb();
    let started = std::time::Instant::now();
    let mut checked = 0;
    for (tz, change) in dst_changes() {
        checked += simulate_week(tz, change, &meetings);
    }
    let after = rss_kb();
    println!(
        "simulated weeks: {checked} minutes checked against the oracle in {:.1} s; VmRSS {} kB → {} kB",
        started.elapsed().as_secs_f64(),
        before.map_or("?".into(), |k| k.to_string()),
        after.map_or("?".into(), |k| k.to_string()),
    );
    let (before, after) = (
        before.expect("VmRSS is readable on Linux"),
        after.expect("VmRSS is readable on Linux"),
    );
    assert!(
        after.saturating_sub(before) <= 4 * 1024,
        "four weeks grew VmRSS by {} kB (goal ≤ 1 MB a week)",
        after - before
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
