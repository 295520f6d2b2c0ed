//! Is the system clock plausible, and setting it.
//!
//! A Pi has no battery clock unless one is fitted, and the lobby often has no network: after
//! a power cut the time can be days off, and with it "today", sign-in dates and PIN backoff.
//! `check` compares the clock with times it cannot be earlier than — this build's date, and
//! the newest time the kiosk itself recorded (a bundle accepted, a source imported) — and
//! words a warning for staff. `set_time` asks systemd-timedated (`timedatectl`), which also
//! writes a battery clock (RTC) when one is fitted.
//!
//! It does not decide where or in which language the warning is shown (the kiosk says the
//! phrase on the staff screen) and never changes the time on its own.

use std::process::Command;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use crate::words::{phrase, Phrase};

/// When this binary was built (set by build.rs): the clock cannot be earlier than this.
pub fn build_time() -> DateTime<Utc> {
    option_env!("LOBBY_KIOSK_BUILD_UNIX")
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .unwrap_or_default()
}

/// How far the clock may be behind a recorded time before it counts as wrong: NTP and
/// staff corrections move it by seconds or minutes, a lost day after a power cut is hours.
const TOLERANCE_MINUTES: i64 = 10;

/// A warning for staff when `now` is clearly too early: before the build, or before the
/// newest time the kiosk recorded with its own clock. None when it looks right.
pub fn check(
    now: DateTime<Utc>,
    build: DateTime<Utc>,
    newest_recorded: Option<DateTime<Utc>>,
) -> Option<Phrase> {
    let tolerance = Duration::minutes(TOLERANCE_MINUTES);
    let shown = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let after_update = |recorded| {
        phrase(
            "The clock looks wrong: it says {}, but the schedule was last updated on {}. Meeting times, \"today\" and sign-in dates are wrong until it is fixed. Connect the network (the time is then set automatically) or set the date and time here; a battery clock keeps it over power cuts.",
            &[&shown(now), &shown(recorded)],
        )
    };
    match newest_recorded {
        Some(recorded) if now + tolerance < recorded && recorded > build => {
            Some(after_update(recorded))
        }
        _ if now + tolerance < build => Some(phrase(
            "The clock looks wrong: it says {}, but this software was built on {}. Meeting times, \"today\" and sign-in dates are wrong until it is fixed. Connect the network (the time is then set automatically) or set the date and time here; a battery clock keeps it over power cuts.",
            &[&shown(now), &shown(build)],
        )),
        Some(recorded) if now + tolerance < recorded => Some(after_update(recorded)),
        _ => None,
    }
}

/// The `timedatectl` calls that set the local wall-clock time `local` (in the system's time
/// zone). Automatic time sync is paused around it, because timedated refuses `set-time`
/// while NTP is on — and switched back on, so the network corrects it later.
pub fn set_time_commands(local: NaiveDateTime) -> Vec<Vec<String>> {
    let time = local.format("%Y-%m-%d %H:%M:%S").to_string();
    [
        vec!["set-ntp", "false"],
        vec!["set-time", time.as_str()],
        vec!["set-ntp", "true"],
    ]
    .into_iter()
    .map(|args| {
        std::iter::once("timedatectl")
            .chain(args)
            .map(String::from)
            .collect()
    })
    .collect()
}

/// Sets the system clock (and the RTC, if fitted) through systemd-timedated. The packaged
/// polkit rule lets the kiosk's user do this and nothing else of timedated's.
pub fn set_time(local: NaiveDateTime) -> Result<(), String> {
    let mut result = Ok(());
    // Every command runs even after a failure: turning NTP back on (the last) matters most.
    for argv in set_time_commands(local) {
        let failed = match Command::new(&argv[0]).args(&argv[1..]).output() {
            Ok(out) if out.status.success() => None,
            Ok(out) => Some(String::from_utf8_lossy(&out.stderr).trim().to_string()),
            Err(e) => Some(e.to_string()),
        };
        if let (Some(why), true) = (failed, result.is_ok()) {
            result = Err(format!(
                "the time could not be set ({}): {why}",
                argv.join(" ")
            ));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_clock_after_the_build_and_the_last_update_looks_right() {
        assert_eq!(
            check(t(2026, 6, 2), t(2026, 5, 1), Some(t(2026, 6, 1))),
            None
        );
        assert_eq!(check(t(2026, 6, 2), t(2026, 5, 1), None), None);
    }

    #[test]
    fn a_clock_before_the_last_schedule_update_is_wrong() {
        let warning = check(t(2026, 5, 20), t(2026, 5, 1), Some(t(2026, 6, 1)))
            .unwrap()
            .to_string();
        assert!(warning.contains("2026-05-20"), "{warning}");
        assert!(warning.contains("last updated on 2026-06-01"), "{warning}");
        assert!(warning.contains("set the date and time"), "{warning}");
    }

    #[test]
    fn a_clock_back_in_1970_after_a_power_cut_is_wrong() {
        let warning = check(t(1970, 1, 1), t(2026, 5, 1), None)
            .unwrap()
            .to_string();
        assert!(warning.contains("built on 2026-05-01"), "{warning}");
    }

    #[test]
    fn a_few_minutes_behind_is_not_worth_a_warning() {
        let recorded = t(2026, 6, 1);
        assert_eq!(
            check(
                recorded - Duration::minutes(3),
                t(2026, 5, 1),
                Some(recorded)
            ),
            None
        );
    }

    #[test]
    fn setting_the_time_pauses_ntp_and_turns_it_back_on() {
        let local = NaiveDateTime::parse_from_str("2026-06-01 09:30", "%Y-%m-%d %H:%M").unwrap();
        let commands = set_time_commands(local);
        let joined: Vec<String> = commands.iter().map(|c| c.join(" ")).collect();
        assert_eq!(
            joined,
            [
                "timedatectl set-ntp false",
                "timedatectl set-time 2026-06-01 09:30:00",
                "timedatectl set-ntp true"
            ]
        );
    }

    #[test]
    fn the_build_time_is_known() {
        assert!(build_time() > t(2025, 1, 1));
    }
}
