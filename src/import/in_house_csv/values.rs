//! The cells of the in-house sheet read as people and spreadsheets write them, and written
//! back the way the kiosk exports them: times ("6:45 PM", "18:45", Excel's 0.78125), dates
//! (2026-12-24, 12/24/2026, Excel's 46380), days ("Monday, Thursday", "Mon-Fri"), when a
//! meeting repeats ("2nd Tuesday", "every other week from 2026-01-06"), type codes or the
//! words the kiosk shows for them.
//!
//! A reader that cannot read a cell answers why, with what to write instead, in words for
//! front-desk staff. Nothing here knows the columns or the report.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike, Weekday};

use crate::import::fields;
use crate::import::in_house::{ordinal, weekday_name};
use crate::kiosk::i18n::{tr, Lang};
use crate::schedule::{types, NthWeekday, Recurrence};

/// A start or end time: what `fields::time_of_day` reads ("6:45 PM", "6:45pm", "18:45",
/// "18:45:00", "6 PM", "noon"), and a time cell Excel writes as a fraction of a day.
pub fn time(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    day_fraction(t).or_else(|| fields::time_of_day(t))
}

/// Excel keeps a time as the fraction of a day that has passed (18:45 is 0.78125) and saves
/// it so when the cell is formatted as a number; in a `;` sheet with a decimal comma.
fn day_fraction(t: &str) -> Option<NaiveTime> {
    let t = t.replacen(',', ".", 1);
    if !(t.starts_with("0.") || t.starts_with('.')) {
        return None;
    }
    let fraction: f64 = t.parse().ok()?;
    if !(0.0..1.0).contains(&fraction) {
        return None;
    }
    let seconds = (fraction * 86_400.0).round() as u32 % 86_400;
    NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0)
}

/// What to write instead of a time the kiosk cannot read, from the numbers in it when they
/// can be a time ("7.30" → "7:30 PM or 19:30").
pub fn time_example(text: &str) -> String {
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty() && n.len() <= 4)
        .filter_map(|n| n.parse().ok())
        .collect();
    let (h, m) = match numbers[..] {
        [h, m] if h <= 23 && m <= 59 => (h, m),
        [hm] if (100..=2359).contains(&hm) && hm % 100 <= 59 => (hm / 100, hm % 100),
        _ => (18, 30),
    };
    let lower = text.to_ascii_lowercase();
    let morning = lower.contains("am") || lower.contains("a.m");
    match h {
        0 => format!("12:{m:02} AM or 0:{m:02}"),
        1..=11 if morning => format!("{h}:{m:02} AM or {h}:{m:02}"),
        1..=11 => format!("{h}:{m:02} PM or {}:{m:02}", h + 12),
        12 => format!("12:{m:02} PM or 12:{m:02}"),
        _ => format!("{}:{m:02} PM or {h}:{m:02}", h - 12),
    }
}

/// "6:30 PM"; "6:30:15 PM" when there are seconds (some feeds have them), so the round trip
/// is exact.
pub fn write_time(t: NaiveTime) -> String {
    let (pm, hour) = t.hour12();
    let half = if pm { "PM" } else { "AM" };
    if t.second() == 0 {
        format!("{hour}:{:02} {half}", t.minute())
    } else {
        format!("{hour}:{:02}:{:02} {half}", t.minute(), t.second())
    }
}

/// A date: 2026-12-24; US 12/24/2026 (or 12/24/26); 24.12.2026, which is always day first;
/// or the day number Excel keeps a date cell as (46380), from 1954 to 2119.
pub fn date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    let why = || format!("\"{t}\" is not a date; write it as 2026-12-24 or 12/24/2026");
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d);
    }
    // Three numbers: 1–2 digits, 1–2 digits, and a year of 4 digits (or 2, meaning 20xx).
    let numbers = |sep: char| -> Option<(u32, u32, i32)> {
        let parts: Vec<&str> = t.split(sep).collect();
        let [a, b, y] = parts[..] else { return None };
        let digits = |p: &str, lens: &[usize]| {
            lens.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit())
        };
        if !(digits(a, &[1, 2]) && digits(b, &[1, 2]) && digits(y, &[2, 4])) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let year = if y.len() == 2 { 2000 + year } else { year };
        Some((a.parse().ok()?, b.parse().ok()?, year))
    };
    if let Some((month, day, year)) = numbers('/') {
        if month > 12 && day <= 12 {
            return Err(format!(
                "\"{t}\" is read month first, as in the US (12/24/2026), and there is no month \
                 {month}; write it as 2026-12-24"
            ));
        }
        return NaiveDate::from_ymd_opt(year, month, day).ok_or_else(why);
    }
    if let Some((day, month, year)) = numbers('.') {
        return NaiveDate::from_ymd_opt(year, month, day).ok_or_else(why);
    }
    if t.len() == 5 && t.bytes().all(|c| c.is_ascii_digit()) {
        let serial: i64 = t.parse().map_err(|_| why())?;
        if (20_000..=80_000).contains(&serial) {
            // Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never was,
            // so from March 1900 on, day n is n days after 1899-12-30.
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or_else(why)?;
            return Ok(epoch + Duration::days(serial));
        }
    }
    Err(why())
}

pub fn write_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The dates of a Skip dates cell, separated by `;`, `,` or spaces, each read or not.
pub fn dates(text: &str) -> Vec<Result<NaiveDate, String>> {
    text.split(|c: char| c == ';' || c == ',' || c.is_whitespace())
        .filter(|d| !d.is_empty())
        .map(date)
        .collect()
}

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
    Some(match word.trim_end_matches(',') {
        "1st" | "first" => NthWeekday::Nth(1),
        "2nd" | "second" => NthWeekday::Nth(2),
        "3rd" | "third" => NthWeekday::Nth(3),
        "4th" | "fourth" => NthWeekday::Nth(4),
        "5th" | "fifth" => NthWeekday::Nth(5),
        "last" => NthWeekday::Last,
        _ => return None,
    })
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

/// One item of a Types cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeItem {
    /// A code the kiosk knows, as the meeting keeps it.
    Known(String),
    /// Kept as written, but the kiosk has no label for it: a typo, or a code of its own.
    Unknown(String),
}

/// A type as the export writes it (a code as the meeting keeps it: "C", "12x12", "XQ"), a
/// code in lower case ("onl"), or the words the kiosk shows for it, in English or Spanish
/// ("Closed", "Wheelchair Access", "Cerrada").
pub fn type_item(item: &str) -> Option<TypeItem> {
    let t = item.trim();
    if t.is_empty() {
        return None;
    }
    // Written as a code (no lower case, no space): kept exactly, so what the kiosk exported
    // comes back the same, as the TOML file keeps codes upper-cased.
    let code_like = !t.chars().any(|c| c.is_lowercase() || c.is_whitespace());
    if code_like {
        return Some(match fields::known_code(t) {
            Some(_) => TypeItem::Known(t.to_string()),
            None => TypeItem::Unknown(t.to_string()),
        });
    }
    let code = fields::known_code(t)
        .or_else(|| fields::code_for_name(t))
        .or_else(|| spanish_label(t));
    Some(match code {
        Some(code) => TypeItem::Known(code.to_string()),
        None => TypeItem::Unknown(t.to_string()),
    })
}

/// The code whose label the Spanish screen shows as `words` ("Cerrada" → `C`).
fn spanish_label(words: &str) -> Option<&'static str> {
    let words = words.to_lowercase();
    types::all_labels()
        .find(|english| tr(Lang::Es, english).to_lowercase() == words)
        .and_then(|english| fields::code_for_name(&english))
}

/// `yes`/`no` as people and spreadsheets write them ("Yes", "TRUE", "1", "sí").
pub fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "sí" | "si" => Some(true),
        t => fields::yes_no(t),
    }
}

pub fn write_yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

/// A latitude or longitude, with a decimal point or, from a `;` sheet, a decimal comma.
pub fn coordinate(text: &str) -> Option<f64> {
    let t = text.trim();
    if !t.contains('.') && t.matches(',').count() == 1 {
        return fields::coordinate(&t.replace(',', "."));
    }
    fields::coordinate(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn times_are_read_as_people_and_excel_write_them() {
        for (text, want) in [
            ("6:45 PM", hm(18, 45)),
            ("6:45pm", hm(18, 45)),
            ("18:45", hm(18, 45)),
            ("18:45:00", hm(18, 45)),
            ("6 PM", hm(18, 0)),
            ("noon", hm(12, 0)),
            ("12:00 AM", hm(0, 0)),
            ("0.78125", hm(18, 45)),
            ("0,78125", hm(18, 45)),
            ("0.5", hm(12, 0)),
        ] {
            assert_eq!(time(text), Some(want), "{text}");
        }
        for bad in ["7.30", "25:00", "19", "1.5", "soon", ""] {
            assert_eq!(time(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_time_that_cannot_be_read_gets_an_example_made_from_its_numbers() {
        assert_eq!(time_example("7.30"), "7:30 PM or 19:30");
        assert_eq!(time_example("7.30 am"), "7:30 AM or 7:30");
        assert_eq!(time_example("1930"), "7:30 PM or 19:30");
        assert_eq!(time_example("soon"), "6:30 PM or 18:30");
    }

    #[test]
    fn times_are_written_in_the_us_style_with_seconds_only_when_there_are_some() {
        assert_eq!(write_time(hm(18, 30)), "6:30 PM");
        assert_eq!(write_time(hm(0, 5)), "12:05 AM");
        assert_eq!(write_time(hm(12, 0)), "12:00 PM");
        let with_seconds = NaiveTime::from_hms_opt(7, 0, 15).unwrap();
        assert_eq!(write_time(with_seconds), "7:00:15 AM");
        for t in [hm(18, 30), hm(0, 5), hm(12, 0), with_seconds] {
            assert_eq!(time(&write_time(t)), Some(t));
        }
    }

    #[test]
    fn dates_are_iso_us_month_first_dotted_day_first_or_excel_serials() {
        assert_eq!(date("2026-12-24"), Ok(ymd(2026, 12, 24)));
        assert_eq!(date("12/24/2026"), Ok(ymd(2026, 12, 24)));
        assert_eq!(date("1/6/26"), Ok(ymd(2026, 1, 6)));
        assert_eq!(date("24.12.2026"), Ok(ymd(2026, 12, 24)));
        assert_eq!(date("46380"), Ok(ymd(2026, 12, 24)));
        let day_first = date("24/12/2026").unwrap_err();
        assert!(day_first.contains("month first"), "{day_first}");
        for bad in ["2026-02-30", "Dec 24", "12/24", "123", "99999"] {
            let why = date(bad).unwrap_err();
            assert!(why.contains("2026-12-24"), "{bad}: {why}");
        }
    }

    #[test]
    fn skip_dates_are_separated_by_semicolons_commas_or_spaces() {
        let read: Vec<_> = dates("2026-11-26; 12/24/2026,2026-12-31  1/1/2027")
            .into_iter()
            .collect();
        assert_eq!(
            read,
            [
                Ok(ymd(2026, 11, 26)),
                Ok(ymd(2026, 12, 24)),
                Ok(ymd(2026, 12, 31)),
                Ok(ymd(2027, 1, 1))
            ]
        );
        assert_eq!(dates("  "), []);
        assert!(dates("2026-11-26, Xmas")[1].is_err());
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

    #[test]
    fn types_are_codes_as_exported_or_the_words_the_kiosk_shows_in_english_or_spanish() {
        let known = |c: &str| Some(TypeItem::Known(c.to_string()));
        assert_eq!(type_item(" C "), known("C"));
        assert_eq!(
            type_item("12X12"),
            known("12X12"),
            "kept as the TOML file keeps it"
        );
        assert_eq!(type_item("12x12"), known("12x12"));
        assert_eq!(type_item("onl"), known("ONL"));
        assert_eq!(type_item("Closed"), known("C"));
        assert_eq!(type_item("wheelchair access"), known("X"));
        assert_eq!(type_item("Cerrada"), known("C"));
        assert_eq!(type_item("Discusión"), known("D"));
        assert_eq!(type_item("XQ"), Some(TypeItem::Unknown("XQ".into())));
        assert_eq!(
            type_item("Literature Study"),
            Some(TypeItem::Unknown("Literature Study".into()))
        );
        assert_eq!(type_item("  "), None);
    }

    #[test]
    fn yes_no_and_coordinates_are_read_as_spreadsheets_write_them() {
        assert_eq!(yes_no("TRUE"), Some(true));
        assert_eq!(yes_no("No"), Some(false));
        assert_eq!(yes_no("Sí"), Some(true));
        assert_eq!(yes_no("maybe"), None);
        assert_eq!(coordinate("39.9626"), Some(39.9626));
        assert_eq!(coordinate("-75,1631"), Some(-75.1631));
        assert_eq!(
            coordinate("1,234.5"),
            None,
            "a thousands separator is not a coordinate"
        );
    }
}
