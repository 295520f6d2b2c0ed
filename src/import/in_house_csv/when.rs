//! When a meeting meets, as the Days and Repeats cells of the in-house sheet say it: days
//! ("Monday, Thursday", "Mon-Fri", "lunes y jueves") and how often ("every week", "2nd
//! Tuesday", "last Friday", "every other week from 2026-01-06", "by appointment"), read
//! together and written back the way the export writes them.
//!
//! A cell that cannot be read, or two that do not agree, answer which cell and what to write
//! instead, in words for front-desk staff.

use chrono::{Datelike, NaiveDate, Weekday};

use super::values::{date, write_date};
use crate::import::fields;
use crate::import::in_house::{ordinal, weekday_name};
use crate::schedule::{NthWeekday, Recurrence};

/// A day's name as people write it in a Days cell: what `fields::day_from_name` reads
/// (English, abbreviations, Spanish), and plurals ("Mondays").
fn day(word: &str) -> Option<Weekday> {
    fields::day_from_name(word).or_else(|| {
        let w = word.trim();
        w.strip_suffix(['s', 'S']).and_then(fields::day_from_name)
    })
}

/// The days of a Days cell, Sunday first, each once: "Monday, Thursday", "Mon & Thu",
/// "Monday and Thursday", "Mon-Fri", "Monday to Friday". The word that is not a day when
/// there is one.
pub fn days(text: &str) -> Result<Vec<Weekday>, String> {
    let mut t = text.to_lowercase().replace(['–', '—'], "-");
    for word in [" to ", " through ", " thru ", " a "] {
        t = t.replace(word, "-");
    }
    let t = t.replace(" -", "-").replace("- ", "-");
    let mut found = Vec::new();
    for word in t.split(|c: char| ",;/&+".contains(c) || c.is_whitespace()) {
        if word.is_empty() || word == "and" || word == "y" {
            continue;
        }
        let range = match word.split_once('-') {
            Some((from, to)) => match (day(from), day(to)) {
                (Some(from), Some(to)) => {
                    let mut range = vec![from];
                    let mut d = from;
                    while d != to {
                        d = d.succ();
                        range.push(d);
                    }
                    range
                }
                _ => return Err(word.to_string()),
            },
            None => vec![day(word).ok_or_else(|| word.to_string())?],
        };
        for d in range {
            if !found.contains(&d) {
                found.push(d);
            }
        }
    }
    found.sort_by_key(|d| d.num_days_from_sunday());
    Ok(found)
}

pub fn write_days(days: &[Weekday]) -> String {
    days.iter()
        .map(|d| weekday_name(*d))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a Repeats cell says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repeats {
    /// Every week: on the days of the Days cell, or these if the cell names them ("every
    /// Monday").
    Weekly(Vec<Weekday>),
    /// Once a month; the weekday when the cell names it ("2nd Tuesday", or "2nd" with the
    /// day in Days).
    Monthly {
        nth: NthWeekday,
        weekday: Option<Weekday>,
    },
    /// Every other week from `anchor`; `named` when the cell says the weekday too.
    EveryOtherWeek {
        anchor: NaiveDate,
        named: Option<Weekday>,
    },
    ByAppointment,
}

/// The forms README.txt shows, for every message about a Repeats cell.
const REPEATS_FORMS: &str =
    "every week, 2nd Tuesday, last Friday, every other week from 2026-01-06 or by appointment";

pub fn repeats(text: &str) -> Result<Repeats, String> {
    let lower = text.trim().trim_end_matches('.').to_lowercase();
    let t = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.as_str() {
        "" | "every week" | "weekly" | "each week" | "every" => {
            return Ok(Repeats::Weekly(Vec::new()))
        }
        "by appointment" | "appointment" | "by appt" | "on request" => {
            return Ok(Repeats::ByAppointment)
        }
        _ => {}
    }
    const FORTNIGHTLY: &[&str] = &[
        "every other week",
        "every 2 weeks",
        "every two weeks",
        "every second week",
        "biweekly",
        "bi-weekly",
        "fortnightly",
    ];
    if let Some(rest) = FORTNIGHTLY.iter().find_map(|p| t.strip_prefix(p)) {
        return every_other_week(rest, None);
    }
    if let Some(rest) = t.strip_prefix("every other ") {
        let (word, rest) = rest.split_once(' ').unwrap_or((rest, ""));
        if let Some(named) = day(word) {
            return every_other_week(rest, Some(named));
        }
    }
    if let Some(monthly) = monthly(&t)? {
        return Ok(monthly);
    }
    let named = t
        .strip_prefix("every ")
        .or_else(|| t.strip_prefix("weekly on "))
        .unwrap_or(&t);
    match days(named) {
        Ok(days) if !days.is_empty() => Ok(Repeats::Weekly(days)),
        _ => Err(format!("not understood; write {REPEATS_FORMS}")),
    }
}

fn every_other_week(rest: &str, named: Option<Weekday>) -> Result<Repeats, String> {
    let mut rest = rest.trim().trim_start_matches(',').trim();
    for word in [
        "starting on",
        "starting",
        "beginning",
        "from",
        "since",
        "as of",
        "on",
    ] {
        if let Some(r) = rest.strip_prefix(word) {
            rest = r.trim();
            break;
        }
    }
    if rest.is_empty() {
        return Err(
            "says every other week but not from when; add the date of one meeting, e.g. every \
             other week from 2026-01-06"
                .into(),
        );
    }
    let anchor =
        date(rest).map_err(|why| format!("{why} (e.g. every other week from 2026-01-06)"))?;
    if let Some(named) = named.filter(|d| *d != anchor.weekday()) {
        return Err(format!(
            "{} is a {}, not a {}; write the date of a {} it meets on",
            write_date(anchor),
            weekday_name(anchor.weekday()),
            weekday_name(named),
            weekday_name(named),
        ));
    }
    Ok(Repeats::EveryOtherWeek { anchor, named })
}

/// "2nd Tuesday", "last Friday", "the 1st Monday of the month", "3rd" (day in Days); `None`
/// when the cell does not start with a week of the month.
fn monthly(t: &str) -> Result<Option<Repeats>, String> {
    let mut words: Vec<&str> = t.split_whitespace().collect();
    let every = words.first() == Some(&"every");
    while let Some(w) = words.first() {
        if ["every", "monthly", "on", "the", "each"].contains(w) {
            words.remove(0);
        } else {
            break;
        }
    }
    let tail: &[&[&str]] = &[
        &["of", "the", "month"],
        &["of", "each", "month"],
        &["of", "every", "month"],
        &["each", "month"],
        &["every", "month"],
        &["a", "month"],
        &["monthly"],
    ];
    for end in tail {
        if words.ends_with(end) {
            words.truncate(words.len() - end.len());
            break;
        }
    }
    let Some(nth) = words.first().and_then(|w| nth_of_month(w)) else {
        return Ok(None);
    };
    let weekday = match &words[1..] {
        [] => None,
        [w] => Some(day(w).ok_or_else(|| {
            format!("\"{w}\" is not a weekday; write e.g. 2nd Tuesday or last Friday")
        })?),
        _ => {
            return Err(
                "names more than one week of the month; one row is one week (2nd Tuesday): \
                 write 1st and 3rd Tuesday as two rows with different IDs"
                    .into(),
            )
        }
    };
    if every && nth == NthWeekday::Nth(2) && weekday.is_some() {
        return Err(format!(
            "\"{t}\" can mean once a month or every two weeks; write 2nd {0} (once a month) or \
             every other week from the date of one meeting",
            weekday.map_or("Tuesday", weekday_name)
        ));
    }
    Ok(Some(Repeats::Monthly { nth, weekday }))
}

fn nth_of_month(word: &str) -> Option<NthWeekday> {
    crate::import::in_house::nth_of_month(word.trim_end_matches(','))
}

/// Which of the two cells a problem with when a meeting meets is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenCell {
    Days,
    Repeats,
}

/// When the meeting meets, from its Days and Repeats cells together; which cell is wrong and
/// why when they cannot be read or do not agree.
pub fn recurrence(days_text: &str, repeats_text: &str) -> Result<Recurrence, (WhenCell, String)> {
    let given = days(days_text).map_err(|word| {
        let why = if word.eq_ignore_ascii_case(days_text.trim()) {
            "not a weekday".to_string()
        } else {
            format!("\"{word}\" is not a weekday")
        };
        (
            WhenCell::Days,
            format!("{why}; write the day's name, e.g. Monday (several: Monday, Thursday)"),
        )
    })?;
    let repeats = repeats(repeats_text).map_err(|why| (WhenCell::Repeats, why))?;
    let one_day = |weekday: Weekday, said: &str| -> Result<Weekday, (WhenCell, String)> {
        match given[..] {
            [] => Ok(weekday),
            [d] if d == weekday => Ok(weekday),
            _ => Err((
                WhenCell::Days,
                format!(
                    "does not agree with Repeats, which says {said}; write {} here or leave it \
                     empty",
                    weekday_name(weekday)
                ),
            )),
        }
    };
    match repeats {
        Repeats::ByAppointment if given.is_empty() => Ok(Recurrence::ByAppointment),
        Repeats::ByAppointment => Err((
            WhenCell::Days,
            "a meeting by appointment has no days; leave Days empty, or change Repeats to every \
             week"
                .into(),
        )),
        Repeats::Weekly(named) => match (&given[..], &named[..]) {
            ([], []) => Err((
                WhenCell::Days,
                format!(
                    "empty; write the day it meets, e.g. Monday (several: Monday, Thursday), or \
                     say when in Repeats: {REPEATS_FORMS}"
                ),
            )),
            (_, []) => Ok(Recurrence::Weekly(given)),
            ([], _) => Ok(Recurrence::Weekly(named)),
            (g, n) if g == n => Ok(Recurrence::Weekly(given)),
            _ => Err((
                WhenCell::Days,
                format!(
                    "does not agree with Repeats, which says every {}; write the days in one of \
                     them only",
                    write_days(&named)
                ),
            )),
        },
        Repeats::Monthly {
            nth,
            weekday: Some(weekday),
        } => {
            let said = format!("{} {}", ordinal(nth), weekday_name(weekday));
            let weekday = one_day(weekday, &said)?;
            Ok(Recurrence::Monthly { nth, weekday })
        }
        Repeats::Monthly { nth, weekday: None } => match given[..] {
            [weekday] => Ok(Recurrence::Monthly { nth, weekday }),
            _ => Err((
                WhenCell::Repeats,
                format!(
                    "says which week of the month but not the day; write e.g. {} Tuesday, or \
                     one day in Days",
                    ordinal(nth)
                ),
            )),
        },
        Repeats::EveryOtherWeek { anchor, .. } => {
            let said = format!("every other week from {}", write_date(anchor));
            let weekday = anchor.weekday();
            match given[..] {
                [] => Ok(Recurrence::EveryOtherWeek { anchor }),
                [d] if d == weekday => Ok(Recurrence::EveryOtherWeek { anchor }),
                _ => Err((
                    WhenCell::Days,
                    format!(
                        "does not agree with Repeats, which says {said} (a {}); write the date \
                         of a day it meets on in Repeats, or {} here",
                        weekday_name(weekday),
                        weekday_name(weekday)
                    ),
                )),
            }
        }
    }
}

/// The Days and Repeats cells the export writes: the weekday is in Days for every meeting
/// that has one, so a sheet sorted or filtered by day shows it.
pub fn write_recurrence(r: &Recurrence) -> (String, String) {
    match r {
        Recurrence::ByAppointment => (String::new(), "by appointment".into()),
        Recurrence::Weekly(days) => (write_days(days), "every week".into()),
        Recurrence::Monthly { nth, weekday } => (
            weekday_name(*weekday).to_string(),
            format!("{} {}", ordinal(*nth), weekday_name(*weekday)),
        ),
        Recurrence::EveryOtherWeek { anchor } => (
            weekday_name(anchor.weekday()).to_string(),
            format!("every other week from {}", write_date(*anchor)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_are_lists_ranges_abbreviations_plurals_or_spanish() {
        use Weekday::*;
        assert_eq!(days("Monday, Thursday"), Ok(vec![Mon, Thu]));
        assert_eq!(days("Thursday; Monday"), Ok(vec![Mon, Thu]), "Sunday first");
        assert_eq!(days("Mon & Thu"), Ok(vec![Mon, Thu]));
        assert_eq!(days("Mondays and Thursdays"), Ok(vec![Mon, Thu]));
        assert_eq!(days("Mon-Fri"), Ok(vec![Mon, Tue, Wed, Thu, Fri]));
        assert_eq!(days("Friday – Sunday"), Ok(vec![Sun, Fri, Sat]));
        assert_eq!(days("Monday to Wednesday"), Ok(vec![Mon, Tue, Wed]));
        assert_eq!(days("lunes y jueves"), Ok(vec![Mon, Thu]));
        assert_eq!(days(""), Ok(vec![]));
        assert_eq!(days("Monday, Mo"), Err("mo".to_string()));
    }

    #[test]
    fn repeats_says_weekly_monthly_every_other_week_or_by_appointment() {
        use Weekday::*;
        assert_eq!(repeats(""), Ok(Repeats::Weekly(vec![])));
        assert_eq!(repeats("Every week"), Ok(Repeats::Weekly(vec![])));
        assert_eq!(
            repeats("every Monday and Thursday"),
            Ok(Repeats::Weekly(vec![Mon, Thu]))
        );
        assert_eq!(repeats("By appointment"), Ok(Repeats::ByAppointment));
        let monthly = |nth, weekday| Ok(Repeats::Monthly { nth, weekday });
        assert_eq!(
            repeats("2nd Tuesday"),
            monthly(NthWeekday::Nth(2), Some(Tue))
        );
        assert_eq!(repeats("last Friday"), monthly(NthWeekday::Last, Some(Fri)));
        assert_eq!(
            repeats("the first Monday of the month"),
            monthly(NthWeekday::Nth(1), Some(Mon))
        );
        assert_eq!(repeats("3rd"), monthly(NthWeekday::Nth(3), None));
        let jan6 = ymd(2026, 1, 6);
        assert_eq!(
            repeats("every other week from 2026-01-06"),
            Ok(Repeats::EveryOtherWeek {
                anchor: jan6,
                named: None
            })
        );
        assert_eq!(
            repeats("Every other Tuesday starting 1/6/2026"),
            Ok(Repeats::EveryOtherWeek {
                anchor: jan6,
                named: Some(Tue)
            })
        );
    }

    #[test]
    fn repeats_that_cannot_be_one_meeting_say_what_to_write() {
        for (text, says) in [
            ("sometimes", "every other week from 2026-01-06"),
            ("every other week", "add the date of one meeting"),
            (
                "every other Monday from 2026-01-06",
                "is a Tuesday, not a Monday",
            ),
            ("1st and 3rd Tuesday", "two rows"),
            ("every second Tuesday", "once a month or every two weeks"),
            ("2nd Tuesdy", "\"tuesdy\" is not a weekday"),
        ] {
            let why = repeats(text).unwrap_err();
            assert!(why.contains(says), "{text}: {why}");
        }
    }

    #[test]
    fn days_and_repeats_together_make_the_recurrence_or_say_which_cell_is_wrong() {
        use Weekday::*;
        let jan6 = ymd(2026, 1, 6);
        let monthly = Recurrence::Monthly {
            nth: NthWeekday::Nth(2),
            weekday: Tue,
        };
        assert_eq!(
            recurrence("Monday, Thursday", ""),
            Ok(Recurrence::Weekly(vec![Mon, Thu]))
        );
        assert_eq!(
            recurrence("Monday, Thursday", "every week"),
            Ok(Recurrence::Weekly(vec![Mon, Thu]))
        );
        assert_eq!(recurrence("", "2nd Tuesday"), Ok(monthly.clone()));
        assert_eq!(recurrence("Tuesday", "2nd Tuesday"), Ok(monthly.clone()));
        assert_eq!(recurrence("Tuesday", "2nd"), Ok(monthly));
        assert_eq!(
            recurrence("Tuesday", "every other week from 2026-01-06"),
            Ok(Recurrence::EveryOtherWeek { anchor: jan6 })
        );
        assert_eq!(
            recurrence("", "by appointment"),
            Ok(Recurrence::ByAppointment)
        );

        let wrong = |days, repeats| recurrence(days, repeats).unwrap_err();
        assert_eq!(wrong("", "").0, WhenCell::Days);
        assert_eq!(wrong("Monday", "2nd Tuesday").0, WhenCell::Days);
        assert!(wrong("Monday", "2nd Tuesday")
            .1
            .contains("write Tuesday here"));
        assert_eq!(
            wrong("Monday", "every other week from 2026-01-06").0,
            WhenCell::Days
        );
        assert_eq!(wrong("Monday", "by appointment").0, WhenCell::Days);
        assert_eq!(wrong("", "2nd").0, WhenCell::Repeats);
        assert_eq!(
            wrong("Mo", "").1,
            "not a weekday; write the day's name, e.g. Monday (several: Monday, Thursday)"
        );
    }

    #[test]
    fn each_recurrence_is_written_so_that_it_reads_back_the_same() {
        use Weekday::*;
        for r in [
            Recurrence::ByAppointment,
            Recurrence::Weekly(vec![Sun, Mon, Thu]),
            Recurrence::Monthly {
                nth: NthWeekday::Last,
                weekday: Fri,
            },
            Recurrence::Monthly {
                nth: NthWeekday::Nth(5),
                weekday: Sat,
            },
            Recurrence::EveryOtherWeek {
                anchor: ymd(2026, 1, 6),
            },
        ] {
            let (days, repeats) = write_recurrence(&r);
            assert_eq!(
                recurrence(&days, &repeats),
                Ok(r.clone()),
                "{days} / {repeats}"
            );
        }
        assert_eq!(
            write_recurrence(&Recurrence::Weekly(vec![Mon, Thu])),
            ("Monday, Thursday".to_string(), "every week".to_string())
        );
    }
}
