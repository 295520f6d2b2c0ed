//! The center's own schedule: a TOML file staff edit by hand (see
//! `assets/examples/in-house.toml`) and the kiosk can write back.
//!
//! It says everything the kiosk keeps about a meeting, including what the public formats
//! cannot: monthly ("2nd Tuesday", "last Friday") and every-other-week meetings and skipped
//! dates for holidays. Import → export → import gives the same meetings.
//!
//! A syntax error refuses the whole file (with its line); a meeting that cannot be understood
//! (unknown key, bad day, bad time) is dropped with a note naming it, and the rest imports.

use std::io::{BufRead, Read};

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{ImportError, Options, Output};
use crate::schedule::{Meeting, NthWeekday, Recurrence};

/// A hand-edited schedule is small; anything bigger is not one.
const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// Values every meeting gets unless it says otherwise.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Defaults {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    program: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    longitude: Option<f64>,
}

/// A date written either as a TOML date (`2026-11-26`) or a string (`"2026-11-26"`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
enum DateValue {
    Date(toml::value::Datetime),
    Text(String),
}

impl DateValue {
    fn parse(&self) -> Result<NaiveDate, String> {
        let text = match self {
            DateValue::Date(d) => d.to_string(),
            DateValue::Text(s) => s.clone(),
        };
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| format!("\"{text}\" is not a date (expected e.g. 2026-11-26)"))
    }

    fn from_date(date: NaiveDate) -> DateValue {
        match date.format("%Y-%m-%d").to_string().parse() {
            Ok(d) => DateValue::Date(d),
            Err(_) => DateValue::Text(date.format("%Y-%m-%d").to_string()),
        }
    }
}

/// One `[[meeting]]` table, as written in the file.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    program: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    in_house: Option<bool>,
    /// Weekly: ["Monday", "Thursday"].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    days: Vec<String>,
    /// Monthly: "2nd Tuesday", "last Friday".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    monthly: String,
    /// Every other week, on this date's weekday, starting that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    every_other_week_from: Option<DateValue>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    by_appointment: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    start: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    end: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    room: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    longitude: Option<f64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    approximate: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    region: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    types: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    online_url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    online_url_notes: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    phone: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    phone_notes: String,
    /// Dates the meeting does not take place (holidays).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    skip: Vec<DateValue>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    updated: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    defaults: Defaults,
    #[serde(default)]
    meeting: Vec<toml::Value>,
}

pub fn read(
    input: &mut dyn BufRead,
    options: &Options,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let mut text = String::new();
    let file = out.file().to_string();
    input
        .take(MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| ImportError::file(&file, format!("is not a text file in UTF-8 ({e})")))?;
    if text.len() as u64 > MAX_BYTES {
        return Err(ImportError::file(
            &file,
            "is larger than 8 MB: that is not a hand-edited schedule",
        ));
    }
    let parsed: File = toml::from_str(&text).map_err(|e| toml_error(&file, &text, &e))?;
    let defaults = parsed.defaults;
    let default_tz = match &defaults.timezone {
        None => None,
        Some(name) => Some(name.parse::<Tz>().map_err(|_| {
            ImportError::at(
                &file,
                "[defaults]",
                "timezone",
                format!("\"{name}\" is not an IANA time zone (e.g. America/New_York)"),
            )
        })?),
    };
    for (i, value) in parsed.meeting.into_iter().enumerate() {
        let mut label = format!("meeting {}", i + 1);
        let entry = match Entry::deserialize(value) {
            Ok(entry) => entry,
            Err(e) => {
                out.drop_row(&label, "", "", &e.message().replace('`', "\""));
                continue;
            }
        };
        if !entry.slug.is_empty() {
            label = format!("meeting {} (slug \"{}\")", i + 1, entry.slug);
        } else if !entry.name.is_empty() {
            label = format!("meeting {} (\"{}\")", i + 1, entry.name);
        }
        match to_meeting(&entry, &defaults, default_tz, options) {
            Ok((meeting, notes)) => {
                for (field, value, action) in notes {
                    out.note(&label, field, &value, action);
                }
                out.import_row(&label, vec![meeting])?;
            }
            Err((field, value, why)) => out.drop_row(&label, field, &value, &why),
        }
    }
    Ok(())
}

/// A TOML syntax error with the line it is on.
fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> ImportError {
    let why = e.message().replace('`', "\"");
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            ImportError::at(file, format!("line {line}"), "", why)
        }
        None => ImportError::file(file, why),
    }
}

type Problem = (&'static str, String, String);
type Notes = Vec<(&'static str, String, String)>;

fn to_meeting(
    e: &Entry,
    defaults: &Defaults,
    default_tz: Option<Tz>,
    options: &Options,
) -> Result<(Meeting, Notes), Problem> {
    let mut notes = Notes::new();
    if e.name.trim().is_empty() {
        return Err(("name", String::new(), "a meeting needs a name".into()));
    }
    let recurrence = recurrence(e)?;
    let start = match (&recurrence, e.start.trim()) {
        (Recurrence::ByAppointment, "") => NaiveTime::MIN,
        (_, "") => {
            return Err((
                "start",
                String::new(),
                "a meeting needs a start time (e.g. \"18:30\")".into(),
            ))
        }
        (_, s) => parse_time(s).ok_or_else(|| {
            (
                "start",
                s.to_string(),
                "is not a time of day (expected HH:MM, 24-hour, e.g. \"18:30\")".to_string(),
            )
        })?,
    };
    let end = match e.end.trim() {
        "" => None,
        s => Some(parse_time(s).ok_or_else(|| {
            (
                "end",
                s.to_string(),
                "is not a time of day (expected HH:MM, e.g. \"20:00\")".to_string(),
            )
        })?),
    };
    let timezone = match &e.timezone {
        None => default_tz,
        Some(name) => Some(name.parse::<Tz>().map_err(|_| {
            (
                "timezone",
                name.clone(),
                "is not an IANA time zone (e.g. America/New_York)".to_string(),
            )
        })?),
    };
    let slug = if e.slug.trim().is_empty() {
        let derived = derive_slug(&e.name, &recurrence, start);
        notes.push(("slug", String::new(), format!("no slug given; using \"{derived}\" (add it to the file to keep sign-in history if the name changes)")));
        derived
    } else {
        e.slug.trim().to_string()
    };
    let mut m = Meeting::new(&options.source, &slug, e.name.trim(), recurrence, start);
    m.program = e
        .program
        .clone()
        .or_else(|| defaults.program.clone())
        .unwrap_or_else(|| options.program.clone());
    // The file is the center's own schedule: its meetings are in-house unless one says not.
    m.in_house = options.in_house || e.in_house.unwrap_or(true);
    m.end = end;
    m.timezone = timezone;
    m.location = e
        .location
        .clone()
        .or_else(|| defaults.location.clone())
        .unwrap_or_default();
    m.location_notes = e.room.clone();
    m.address = e
        .address
        .clone()
        .or_else(|| defaults.address.clone())
        .unwrap_or_default();
    m.latitude = e.latitude.or(defaults.latitude);
    m.longitude = e.longitude.or(defaults.longitude);
    match (m.latitude, m.longitude) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {}
        (None, None) => {}
        (lat, lon) => {
            notes.push((
                "latitude",
                format!("{lat:?}, {lon:?}"),
                "coordinates need both latitude (−90…90) and longitude (−180…180); dropped them"
                    .into(),
            ));
            m.latitude = None;
            m.longitude = None;
        }
    }
    m.approximate = e.approximate;
    m.region = e.region.clone();
    m.notes = e.notes.clone();
    m.types = e
        .types
        .iter()
        .map(|t| t.trim().to_uppercase())
        .filter(|t| !t.is_empty())
        .collect();
    m.conference_url = e.online_url.trim().to_string();
    m.conference_url_notes = e.online_url_notes.clone();
    m.conference_phone = e.phone.trim().to_string();
    m.conference_phone_notes = e.phone_notes.clone();
    m.updated = e.updated.clone();
    let mut skipped = Vec::new();
    for d in &e.skip {
        match d.parse() {
            Ok(date) => skipped.push(date),
            Err(why) => notes.push(("skip", String::new(), format!("{why}; ignored that date"))),
        }
    }
    skipped.sort_unstable();
    skipped.dedup();
    m.skipped = skipped;
    Ok((m, notes))
}

fn recurrence(e: &Entry) -> Result<Recurrence, Problem> {
    let given = [
        !e.days.is_empty(),
        !e.monthly.trim().is_empty(),
        e.every_other_week_from.is_some(),
        e.by_appointment,
    ];
    match given.iter().filter(|g| **g).count() {
        0 => return Err(("days", String::new(), "say when it meets: days = [\"Thursday\"], monthly = \"2nd Tuesday\", every_other_week_from = 2026-01-06 or by_appointment = true".into())),
        1 => {}
        _ => return Err(("days", String::new(), "give only one of days, monthly, every_other_week_from and by_appointment".into())),
    }
    if e.by_appointment {
        return Ok(Recurrence::ByAppointment);
    }
    if let Some(anchor) = &e.every_other_week_from {
        let anchor = anchor
            .parse()
            .map_err(|why| ("every_other_week_from", String::new(), why))?;
        return Ok(Recurrence::EveryOtherWeek { anchor });
    }
    if !e.monthly.trim().is_empty() {
        return parse_monthly(&e.monthly).ok_or_else(|| {
            (
                "monthly",
                e.monthly.clone(),
                "is not understood (expected e.g. \"2nd Tuesday\" or \"last Friday\")".to_string(),
            )
        });
    }
    let mut days = Vec::new();
    for d in &e.days {
        let day = parse_weekday(d).ok_or_else(|| {
            (
                "days",
                d.clone(),
                "is not a weekday name (expected e.g. Monday)".to_string(),
            )
        })?;
        if !days.contains(&day) {
            days.push(day);
        }
    }
    days.sort_by_key(|d| d.num_days_from_sunday());
    Ok(Recurrence::Weekly(days))
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .ok()
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    s.trim().parse::<Weekday>().ok()
}

fn parse_monthly(s: &str) -> Option<Recurrence> {
    let mut words = s.split_whitespace();
    let nth = nth_of_month(words.next()?)?;
    let weekday = parse_weekday(words.next()?)?;
    words
        .next()
        .is_none()
        .then_some(Recurrence::Monthly { nth, weekday })
}

/// The slug of a meeting the file gives none: from its name, when it meets and its start
/// (the spreadsheet form makes the same one, so both forms keep the same sign-in history).
/// Which week of the month a word names: "2nd" or "second" … "5th", or "last".
pub(super) fn nth_of_month(word: &str) -> Option<NthWeekday> {
    Some(match word.to_ascii_lowercase().as_str() {
        "1st" | "first" => NthWeekday::Nth(1),
        "2nd" | "second" => NthWeekday::Nth(2),
        "3rd" | "third" => NthWeekday::Nth(3),
        "4th" | "fourth" => NthWeekday::Nth(4),
        "5th" | "fifth" => NthWeekday::Nth(5),
        "last" => NthWeekday::Last,
        _ => return None,
    })
}

pub(super) fn derive_slug(name: &str, recurrence: &Recurrence, start: NaiveTime) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let when = match recurrence {
        Recurrence::Weekly(days) => days
            .iter()
            .map(|d| weekday_name(*d)[..3].to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join("-"),
        Recurrence::Monthly { weekday, .. } => format!(
            "monthly-{}",
            weekday_name(*weekday)[..3].to_ascii_lowercase()
        ),
        Recurrence::EveryOtherWeek { anchor } => format!(
            "biweekly-{}",
            weekday_name(anchor.weekday())[..3].to_ascii_lowercase()
        ),
        Recurrence::ByAppointment => "appointment".into(),
    };
    format!(
        "{}-{when}-{}",
        slug.trim_end_matches('-'),
        start.format("%H%M")
    )
}

pub(super) fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// "2nd", "last": how a monthly meeting's week is written.
pub(super) fn ordinal(nth: NthWeekday) -> String {
    match nth {
        NthWeekday::Last => "last".into(),
        NthWeekday::Nth(1) => "1st".into(),
        NthWeekday::Nth(2) => "2nd".into(),
        NthWeekday::Nth(3) => "3rd".into(),
        NthWeekday::Nth(n) => format!("{n}th"),
    }
}

/// Writes meetings as an in-house file that imports back to the same meetings (given the
/// same source name). Every meeting carries its own values; no `[defaults]` are written.
pub fn export(meetings: &[Meeting]) -> Result<String, String> {
    let entries: Vec<Entry> = meetings.iter().map(entry_of).collect();
    #[derive(Serialize)]
    struct Out<'a> {
        meeting: &'a [Entry],
    }
    let body = toml::to_string(&Out { meeting: &entries }).map_err(|e| e.to_string())?;
    Ok(format!(
        "# The center's schedule for lobby-kiosk, written by `lobby-kiosk export --format in-house`.\n\
         # Edit it by hand and publish it in a signed bundle; see assets/examples/in-house.toml.\n\n{body}"
    ))
}

fn entry_of(m: &Meeting) -> Entry {
    let mut e = Entry {
        slug: m.slug().to_string(),
        name: m.name.clone(),
        program: Some(m.program.clone()),
        in_house: Some(m.in_house),
        start: m.start.format("%H:%M").to_string(),
        end: m
            .end
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default(),
        timezone: m.timezone.map(|tz| tz.name().to_string()),
        location: Some(m.location.clone()),
        room: m.location_notes.clone(),
        address: Some(m.address.clone()),
        latitude: m.latitude,
        longitude: m.longitude,
        approximate: m.approximate,
        region: m.region.clone(),
        notes: m.notes.clone(),
        types: m.types.clone(),
        online_url: m.conference_url.clone(),
        online_url_notes: m.conference_url_notes.clone(),
        phone: m.conference_phone.clone(),
        phone_notes: m.conference_phone_notes.clone(),
        skip: m.skipped.iter().map(|d| DateValue::from_date(*d)).collect(),
        updated: m.updated.clone(),
        ..Entry::default()
    };
    // Seconds are kept when a feed had them, so the round trip stays exact.
    if m.start.second() != 0 {
        e.start = m.start.format("%H:%M:%S").to_string();
    }
    if let Some(end) = m.end.filter(|t| t.second() != 0) {
        e.end = end.format("%H:%M:%S").to_string();
    }
    match &m.recurrence {
        Recurrence::ByAppointment => e.by_appointment = true,
        Recurrence::Weekly(days) => {
            e.days = days.iter().map(|d| weekday_name(*d).to_string()).collect()
        }
        Recurrence::Monthly { nth, weekday } => {
            e.monthly = format!("{} {}", ordinal(*nth), weekday_name(*weekday))
        }
        Recurrence::EveryOtherWeek { anchor } => {
            e.every_other_week_from = Some(DateValue::from_date(*anchor))
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{read_all, Format};

    fn options() -> Options {
        Options {
            source: "in-house".into(),
            program: "In-house".into(),
            ..Options::default()
        }
    }

    fn import(text: &str) -> Result<(Vec<Meeting>, super::super::Report), ImportError> {
        read_all(
            Format::InHouse,
            "in-house.toml",
            text.as_bytes(),
            &options(),
        )
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const EXAMPLE: &str = include_str!("../../assets/examples/in-house.toml");

    #[test]
    fn documented_example_imports_every_meeting_with_its_recurrence() {
        let (meetings, report) = import(EXAMPLE).unwrap();
        assert!(report.accounts_for_every_row());
        assert_eq!(report.rows_dropped, 0, "{:?}", report.notes);
        assert_eq!(meetings.len(), report.rows_read);
        let by_slug = |s: &str| meetings.iter().find(|m| m.slug() == s).unwrap();
        let alumni = by_slug("alumni-thursday");
        assert_eq!(alumni.recurrence, Recurrence::Weekly(vec![Weekday::Thu]));
        assert_eq!(alumni.location_notes, "Room 204, second floor");
        assert_eq!(alumni.program, "Alumni", "from [defaults]");
        assert_eq!(alumni.timezone, Some(chrono_tz::America::New_York));
        assert!(alumni.in_house);
        assert!(
            !alumni.occurs_on(date(2026, 11, 26)),
            "Thanksgiving is skipped"
        );
        assert!(alumni.occurs_on(date(2026, 12, 3)));
        let family = by_slug("family-night");
        assert_eq!(
            family.recurrence,
            Recurrence::Monthly {
                nth: NthWeekday::Nth(2),
                weekday: Weekday::Tue
            }
        );
        assert!(family.occurs_on(date(2026, 12, 8)));
        assert!(!family.occurs_on(date(2026, 12, 1)));
        let circle = by_slug("womens-circle");
        assert!(circle.occurs_on(date(2026, 1, 20)));
        assert!(!circle.occurs_on(date(2026, 1, 13)));
        let online = by_slug("late-night-online");
        assert_eq!(
            online.attendance_mode(&crate::schedule::links::ProviderList::default()),
            crate::schedule::AttendanceMode::Online
        );
    }

    #[test]
    fn export_then_import_gives_the_same_meetings() {
        let (first, _) = import(EXAMPLE).unwrap();
        let written = export(&first).unwrap();
        let (second, report) = import(&written).unwrap();
        assert_eq!(report.rows_dropped, 0, "{:?}", report.notes);
        assert_eq!(first, second, "exported file:\n{written}");
        // And once more: the written form is stable.
        assert_eq!(export(&second).unwrap(), written);
    }

    #[test]
    fn meeting_that_cannot_be_understood_is_dropped_and_named_the_rest_imports() {
        let text = r#"
[[meeting]]
slug = "ok"
name = "Fine"
days = ["Monday"]
start = "18:00"

[[meeting]]
slug = "typo"
name = "Typo"
days = ["Mondays"]
start = "18:00"

[[meeting]]
slug = "late"
name = "Bad time"
days = ["Monday"]
start = "25:61"

[[meeting]]
name = "Unknown key"
days = ["Monday"]
start = "18:00"
strat = "19:00"
"#;
        let (meetings, report) = import(text).unwrap();
        assert_eq!(meetings.len(), 1);
        assert!(report.accounts_for_every_row());
        assert_eq!(report.rows_dropped, 3);
        let notes: Vec<String> = report.notes.iter().map(|n| n.to_string()).collect();
        assert!(
            notes.iter().any(|n| n.contains("slug \"typo\"")
                && n.contains("\"Mondays\"")
                && n.contains("weekday")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("\"25:61\"") && n.contains("time of day")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("meeting 4") && n.contains("strat")),
            "{notes:?}"
        );
    }

    #[test]
    fn syntax_error_refuses_the_file_naming_the_line() {
        let err = import("[[meeting]]\nname = \"A\"\ndays = [\"Monday\"\nstart = \"18:00\"\n")
            .unwrap_err();
        assert_eq!(err.file, "in-house.toml");
        assert!(
            err.row.as_deref().is_some_and(|r| r.starts_with("line ")),
            "{err}"
        );
    }

    #[test]
    fn unknown_default_time_zone_refuses_the_file() {
        let err = import("[defaults]\ntimezone = \"America/Springfield\"\n").unwrap_err();
        assert!(err.to_string().contains("America/Springfield"), "{err}");
    }

    #[test]
    fn missing_slug_gets_a_stable_derived_one_with_a_note() {
        let text = "[[meeting]]\nname = \"Men's Stag\"\ndays = [\"Tuesday\", \"Friday\"]\nstart = \"07:00\"\n";
        let (a, report) = import(text).unwrap();
        let (b, _) = import(text).unwrap();
        assert_eq!(a[0].id, "in-house:men-s-stag-tue-fri-0700");
        assert_eq!(a[0].id, b[0].id);
        assert!(report.notes.iter().any(|n| n.field == "slug"));
    }
}
