//! The four simulated DST weeks (see tests/common/oracle.rs) through the kiosk's Slint UI
//! model: a real `Kiosk` on a real database, its clock injected, its own minute timer driven
//! by Slint's mock time. Every minute the in-house list the visitor reads — section headings,
//! each row's name, time range, "now"/"in 25 min"/"later today" and whether it carries the
//! "I'm here" button — the clock and the tab's count are checked against what the oracle says.
//!
//! Memory: each week runs on a fresh kiosk, and a week may grow VmRSS by at most 1 MB
//! (RELIABILITY.md's goal; measured +68…+420 kB, the first week with the renderer's one-time
//! caches). A leak of a few bytes a minute would be 10 MB a week. The figures are printed:
//! `cargo test --release --test simulated_weeks_ui -- --nocapture`.

mod common;

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use common::oracle::WEEK_MINUTES;
use common::oracle::{dst_changes, oracle, oracle_length, rss_kb, schedule, week_start};
use i_slint_backend_testing::mock_elapsed_time;
use lobby_kiosk::config::Config;
use lobby_kiosk::kiosk::ui::{BoardAdapter, LineKind};
use lobby_kiosk::kiosk::{Kiosk, ScheduleSource};
use lobby_kiosk::schedule::board::State;
use lobby_kiosk::schedule::Meeting;
use lobby_kiosk::store::Store;
use slint::{ComponentHandle, Model};

/// One line of the in-house list as a visitor reads it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Line {
    Heading(String),
    Row {
        name: String,
        time: String,
        when: String,
        sign_in: bool,
    },
    /// The kind note that nothing more is on here today.
    Empty,
}

/// "H:MM", the 24-hour clock the kiosk is configured with here.
fn wall(t: DateTime<Utc>, tz: Tz) -> String {
    let local = t.with_timezone(&tz);
    format!("{}:{:02}", local.hour(), local.minute())
}

/// "in 25 min", "in 1 h", "in 1 h 5 min": whole minutes to the start.
fn starts_in(minutes: i64) -> String {
    match minutes {
        m if m < 60 => format!("in {m} min"),
        m if m % 60 == 0 => format!("in {} h", m / 60),
        m => format!("in {} h {} min", m / 60, m % 60),
    }
}

/// The in-house list the oracle expects at `now`, rows sorted within each section.
fn expected_lines(meetings: &[Meeting], tz: Tz, now: DateTime<Utc>) -> Vec<Line> {
    let shown = oracle(meetings, tz, now);
    let mut lines = Vec::new();
    for (state, heading) in [
        (State::InProgress, "HAPPENING NOW"),
        (State::Next, "NEXT"),
        (State::Later, "LATER TODAY"),
        (State::Coming, "COMING UP HERE"),
    ] {
        let mut rows: Vec<Line> = shown
            .iter()
            .filter(|(_, s, _)| *s == state)
            .map(|(id, _, start)| {
                let m = meetings.iter().find(|m| &m.id == id).unwrap();
                Line::Row {
                    name: m.name.clone(),
                    time: format!(
                        "{} – {}",
                        wall(*start, tz),
                        wall(*start + oracle_length(m), tz)
                    ),
                    when: match state {
                        State::InProgress => "now".into(),
                        State::Next => starts_in((*start - now).num_minutes()),
                        State::Later => "later today".into(),
                        State::Coming => {
                            let today = now.with_timezone(&tz).date_naive();
                            let day = start.with_timezone(&tz).date_naive();
                            if day == today + Duration::days(1) {
                                "Tomorrow".into()
                            } else {
                                day.format("%A").to_string()
                            }
                        }
                    },
                    sign_in: state == State::InProgress,
                }
            })
            .collect();
        if !rows.is_empty() {
            rows.sort();
            // Nothing more today: a short line says so above the week's look ahead.
            if state == State::Coming && lines.is_empty() {
                lines.push(Line::Empty);
            }
            lines.push(Line::Heading(heading.into()));
            lines.extend(rows);
        }
    }
    if lines.is_empty() {
        lines.push(Line::Empty);
    }
    lines
}

/// The in-house list as the UI model holds it, rows sorted within each section.
fn shown_lines(kiosk: &Kiosk) -> Vec<Line> {
    let model = kiosk.window.global::<BoardAdapter>().get_lines();
    let mut lines: Vec<Line> = Vec::new();
    let mut section_start = 0;
    for line in model.iter() {
        match line.kind {
            LineKind::Heading => {
                lines[section_start..].sort();
                lines.push(Line::Heading(line.text.to_string()));
                section_start = lines.len();
            }
            LineKind::Meeting => lines.push(Line::Row {
                name: line.row.name.to_string(),
                time: line.row.time.to_string(),
                when: line.row.when.to_string(),
                sign_in: line.row.sign_in,
            }),
            _ => lines.push(Line::Empty),
        }
    }
    lines[section_start..].sort();
    lines
}

/// Runs one week through a kiosk, minute by minute; returns the VmRSS growth in kB over it.
fn simulate_week(tz: Tz, change: NaiveDate, meetings: &[Meeting]) -> i64 {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db")).unwrap();
    store
        .replace_source("in-house", meetings, "2026-01-01T00:00:00Z")
        .unwrap();
    let mut config = Config::default();
    config.center.name = "Harbor House".into();
    config.center.timezone = tz;
    config.display.clock = lobby_kiosk::words::ClockStyle::Hours24;

    let start = week_start(change);
    let clock = Rc::new(Cell::new(start));
    let now = clock.clone();
    let kiosk = Kiosk::new(
        config,
        ScheduleSource::Store(store),
        Rc::new(move || now.get()),
    )
    .unwrap();
    kiosk.window.show().unwrap();
    let before = rss_kb();

    for minute in 0..WEEK_MINUTES {
        if minute > 0 {
            // The kiosk's clock moves on a minute and its minute timer (armed for 20 ms past
            // each boundary) fires: nothing else redraws the board.
            clock.set(start + Duration::minutes(minute));
            mock_elapsed_time(StdDuration::from_millis(60_020));
        }
        let now = clock.get();
        let at = format!("{tz} at {now} ({} local)", now.with_timezone(&tz));
        let adapter = kiosk.window.global::<BoardAdapter>();
        assert_eq!(adapter.get_clock(), wall(now, tz), "the clock, {at}");
        let expected = expected_lines(meetings, tz, now);
        assert_eq!(shown_lines(&kiosk), expected, "the in-house list, {at}");
        let rows = expected
            .iter()
            .filter(|l| matches!(l, Line::Row { .. }))
            .count();
        let tab = adapter.get_tabs().row_data(0).unwrap();
        let want = match rows {
            0 => "Here at Harbor".to_string(),
            n => format!("Here at Harbor · {n}"),
        };
        assert_eq!(tab, want, "the in-house tab, {at}");
    }
    let after = rss_kb();
    after.zip(before).map_or(0, |(a, b)| a as i64 - b as i64)
}

#[test]
fn the_ui_model_matches_the_oracle_every_minute_of_four_dst_weeks() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let meetings = schedule();
    let started = std::time::Instant::now();
    let mut growth = Vec::new();
    for (tz, change) in dst_changes() {
        growth.push(simulate_week(tz, change, &meetings));
    }
    println!(
        "simulated weeks through the UI model: {} minutes checked in {:.1} s; VmRSS growth per week (kB): {growth:?}",
        4 * WEEK_MINUTES,
        started.elapsed().as_secs_f64(),
    );
    for (week, kb) in growth.iter().enumerate() {
        assert!(
            *kb <= 1024,
            "week {} grew VmRSS by {kb} kB (goal ≤ 1 MB a week): {growth:?}",
            week + 1
        );
    }
}
