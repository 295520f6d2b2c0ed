//! Words and times as the screen shows them. Formatting lives here, not in `.slint`.

use chrono::DateTime;
use chrono_tz::Tz;

use super::Locale;
use crate::schedule::freshness::Freshness;
use crate::schedule::{Meeting, NthWeekday, Recurrence};

/// How distances are written: `[board] distance_unit`, "mi" or "km".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DistanceUnit {
    Mi,
    Km,
}

impl DistanceUnit {
    pub fn metres(self) -> f64 {
        match self {
            DistanceUnit::Mi => 1609.344,
            DistanceUnit::Km => 1000.0,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            DistanceUnit::Mi => "mi",
            DistanceUnit::Km => "km",
        }
    }
}

pub fn distance(metres: f64, unit: DistanceUnit) -> String {
    format!("{:.1} {}", metres / unit.metres(), unit.label())
}

/// The footer line about how current the schedule is, in `locale`'s language; `now` is the
/// center's wall clock.
pub fn freshness(fresh: &Freshness, now: DateTime<Tz>, locale: &Locale) -> String {
    match fresh {
        Freshness::Stale(stale) => {
            let named: Vec<String> = stale
                .iter()
                .map(|(name, days)| match days {
                    1 => locale.trf("{} 1 day old", &[name]),
                    _ => locale.trf("{} {} days old", &[name, days]),
                })
                .collect();
            locale.trf("Schedule not updated lately: {}", &[&named.join(", ")])
        }
        Freshness::NoSchedule => locale.tr("No schedule loaded yet"),
        Freshness::Updated(at) => {
            let local = at.with_timezone(&now.timezone());
            let day = locale.day_word(now.date_naive(), local.date_naive());
            // "today" mid-sentence; a date keeps its capitals.
            let day = match day.chars().next() {
                Some(c) if day == locale.tr("Today") || day == locale.tr("Yesterday") => {
                    c.to_lowercase().collect::<String>() + &day[c.len_utf8()..]
                }
                _ => day,
            };
            locale.trf("Schedule updated {}", &[&day])
        }
    }
}

/// How a meeting repeats, in the screen's language: "Every Tuesday at 7:00 PM", "Cada martes a
/// las 7:00 p. m.", "2nd Tuesday of the month at 7:00 PM".
pub fn recurrence(m: &Meeting, locale: &Locale) -> String {
    let at = locale.at_clock(m.start);
    match &m.recurrence {
        Recurrence::ByAppointment => locale.tr("By appointment"),
        Recurrence::Weekly(days) => {
            let names: Vec<&str> = days.iter().map(|d| locale.weekday(*d)).collect();
            locale.trf("Every {} {}", &[&locale.list(&names), &at])
        }
        Recurrence::Monthly { nth, weekday } => {
            let which = match nth {
                NthWeekday::Nth(1) => locale.tr("1st"),
                NthWeekday::Nth(2) => locale.tr("2nd"),
                NthWeekday::Nth(3) => locale.tr("3rd"),
                NthWeekday::Nth(4) => locale.tr("4th"),
                NthWeekday::Nth(5) => locale.tr("5th"),
                NthWeekday::Nth(n) => locale.trf("{}th", &[n]),
                NthWeekday::Last => locale.tr("Last"),
            };
            locale.trf(
                "{} {} of the month {}",
                &[&which, &locale.weekday(*weekday), &at],
            )
        }
        Recurrence::EveryOtherWeek { anchor } => locale.trf(
            "Every other {} {}",
            &[&locale.weekday(chrono::Datelike::weekday(anchor)), &at],
        ),
    }
}

/// A provider's name from a conference URL's host, for "Join on Zoom".
pub fn provider_name(url: &str) -> &'static str {
    let lower = url.to_ascii_lowercase();
    [
        ("zoom.us", "Zoom"),
        ("meet.google.com", "Google Meet"),
        ("teams.", "Teams"),
        ("webex.com", "Webex"),
        ("goto", "GoTo"),
        ("discord.gg", "Discord"),
        ("skype.com", "Skype"),
        ("jit.si", "Jitsi"),
    ]
    .iter()
    .find(|(host, _)| lower.contains(host))
    .map(|(_, name)| *name)
    .unwrap_or("video")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::Lang;
    use chrono::Duration;
    use chrono::TimeZone;

    /// The rule and its words together, as the footer shows them.
    fn footer(
        sources: &[(String, chrono::DateTime<chrono::Utc>)],
        now: DateTime<Tz>,
        locale: &Locale,
    ) -> String {
        let rule = crate::schedule::freshness::freshness(sources, now.with_timezone(&chrono::Utc));
        freshness(&rule, now, locale)
    }

    const ENGLISH: Locale = Locale {
        lang: Lang::En,
        hours24: false,
    };

    #[test]
    fn an_update_after_now_is_said_as_today_not_tomorrow() {
        let tz = chrono_tz::America::New_York;
        let now = tz.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap();
        let later = now.with_timezone(&chrono::Utc) + Duration::hours(20);
        assert_eq!(
            footer(&[("in-house".into(), later)], now, &ENGLISH),
            "Schedule updated today"
        );
    }

    #[test]
    fn footer_names_sources_older_than_a_day() {
        let tz = chrono_tz::America::New_York;
        let now = tz.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
        let utc = |h: i64| now.with_timezone(&chrono::Utc) - Duration::hours(h);
        assert_eq!(footer(&[], now, &ENGLISH), "No schedule loaded yet");
        assert_eq!(
            footer(
                &[("in-house".into(), utc(2)), ("aa".into(), utc(20))],
                now,
                &ENGLISH
            ),
            "Schedule updated today"
        );
        assert_eq!(
            footer(
                &[("in-house".into(), utc(2)), ("aa".into(), utc(75))],
                now,
                &ENGLISH
            ),
            "Schedule not updated lately: aa 3 days old"
        );
    }

    #[test]
    fn ranges_name_the_half_of_day_once_unless_it_changes() {
        let tz = chrono_tz::America::New_York;
        let a = tz.with_ymd_and_hms(2026, 11, 21, 19, 0, 0).unwrap();
        let b = tz.with_ymd_and_hms(2026, 11, 21, 20, 30, 0).unwrap();
        let c = tz.with_ymd_and_hms(2026, 11, 22, 0, 30, 0).unwrap();
        assert_eq!(ENGLISH.time_range(&a, &b), "7:00 – 8:30 PM");
        assert_eq!(ENGLISH.time_range(&a, &c), "7:00 PM – 12:30 AM");
        assert_eq!(
            ENGLISH.starts_in(&a, &(a + Duration::minutes(18))),
            "in 18 min"
        );
        assert_eq!(
            ENGLISH.starts_in(&a, &(a + Duration::minutes(65))),
            "in 1 h 5 min"
        );
    }
}
