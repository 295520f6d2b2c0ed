//! The cells of the in-house sheet read as people and spreadsheets write them, and written
//! back the way the kiosk exports them: times ("6:45 PM", "18:45", Excel's 0.78125), dates
//! (2026-12-24, 12/24/2026, Excel's 46380), type codes or the words the kiosk shows for them,
//! yes/no, coordinates. When a meeting meets (Days, Repeats) is `when`'s.
//!
//! A reader that cannot read a cell answers why, with what to write instead, in words for
//! front-desk staff. Nothing here knows the columns or the report.

use chrono::{Duration, NaiveDate, NaiveTime, Timelike};

use crate::import::fields;
use crate::schedule::types;
use crate::words::{tr, Lang};

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
