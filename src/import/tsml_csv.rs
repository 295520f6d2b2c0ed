//! 12 Step Meeting List CSV: the spreadsheet the WordPress plugin imports and exports, and
//! what intergroups keep their lists in (`reference/meeting-formats.md` §2).
//!
//! Columns are found by name in the header row, in any order and spelling ("Conference URL",
//! "conference_url"), with the plugin's aliases (`Meeting`, `Location Name`, `Start Time`,
//! `Zip`). Values are human-written: day names, "6:00 PM", type names or codes. Records are
//! read one at a time and handed on, so a large sheet is not held in memory.
//!
//! Deliberately not read: contact, email, phone, Venmo/Square/PayPal, author and mailing
//! address columns; the CSV has no coordinates, so none are made up (no offline geocoding).

use std::io::BufRead;

use csv::{ByteRecord, ReaderBuilder};

use super::fields::{self, row_label};
use super::{ImportError, Options, Output};
use crate::schedule::{Meeting, Recurrence};

/// Header spellings the plugin accepts for the same column, slugified → the key used here.
const ALIASES: &[(&str, &str)] = &[
    ("meeting", "name"),
    ("meeting_name", "name"),
    ("location_name", "location"),
    ("start_time", "time"),
    ("zip", "postal_code"),
    ("zip_code", "postal_code"),
    ("postal", "postal_code"),
    ("time_zone", "timezone"),
    ("type", "types"),
    ("day_of_week", "day"),
];

/// Every column the plugin's import and export know (slugified), read here or not: a header
/// that is none of these is unknown, and the likeliest damaged one.
const KNOWN_KEYS: &[&str] = &[
    "time",
    "end_time",
    "day",
    "name",
    "location",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "formatted_address",
    "region",
    "sub_region",
    "types",
    "notes",
    "location_notes",
    "timezone",
    "group",
    "district",
    "sub_district",
    "website",
    "website_2",
    "mailing_address",
    "venmo",
    "square",
    "paypal",
    "email",
    "phone",
    "group_notes",
    "contact_1_name",
    "contact_1_email",
    "contact_1_phone",
    "contact_2_name",
    "contact_2_email",
    "contact_2_phone",
    "contact_3_name",
    "contact_3_email",
    "contact_3_phone",
    "last_contact",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "author",
    "slug",
    "updated",
    "latitude",
    "longitude",
    "id",
];

pub fn read(
    input: &mut dyn BufRead,
    options: &Options,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let file = out.file().to_string();
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = ByteRecord::new();
    let unreadable =
        |e: csv::Error| ImportError::file(&file, format!("could not be read as CSV: {e}"));
    if !reader.read_byte_record(&mut record).map_err(unreadable)? {
        return Err(ImportError::file(
            &file,
            "the file is empty: expected a header row (Day, Time, Name …) and one row per meeting",
        ));
    }
    let columns = Columns::from_header(&file, &record)?;
    let mut n = 0;
    while reader.read_byte_record(&mut record).map_err(|e| {
        ImportError::at(
            &file,
            format!("row {}", n + 1),
            "",
            format!("could not be read as CSV: {e}"),
        )
    })? {
        n += 1;
        let (values, recoded) = decode(&record);
        row(n, &columns, &values, recoded, options, out)?;
    }
    if out.rows_read() > 0 && out.scheduled() == 0 {
        return Err(ImportError::file(
            &file,
            format!(
                "none of its {} rows has a readable Day and Time, so no meeting could ever be \
                 shown (expected e.g. Monday and 6:00 PM); nothing was imported",
                out.rows_read()
            ),
        ));
    }
    Ok(())
}

/// Which column holds what.
struct Columns {
    keys: Vec<String>,
}

impl Columns {
    fn from_header(file: &str, record: &ByteRecord) -> Result<Columns, ImportError> {
        let (names, _) = decode(record);
        let keys: Vec<String> = names
            .iter()
            .map(|name| {
                let key = fields::header_key(name);
                ALIASES
                    .iter()
                    .find(|(alias, _)| *alias == key)
                    .map_or(key, |(_, k)| k.to_string())
            })
            .collect();
        let has = |k: &str| keys.iter().any(|c| c == k);
        if has("name") {
            for (key, column) in [("time", "Time (or Start Time)"), ("day", "Day")] {
                if has(key) {
                    continue;
                }
                let unknown = names
                    .iter()
                    .zip(&keys)
                    .filter(|(_, k)| !KNOWN_KEYS.contains(&k.as_str()))
                    .map(|(n, _)| n.trim());
                let nearest = match fields::nearest(key, unknown) {
                    Some(n) => format!("; the nearest header in the file is \"{n}\""),
                    None => String::new(),
                };
                return Err(ImportError::at(
                    file,
                    "line 1",
                    column.split(' ').next().unwrap_or(column),
                    format!(
                        "no column for the meeting's {}: the header row needs a column named \
                         {column}{nearest}; without it no meeting has a {} and none would ever \
                         be shown. Nothing was imported",
                        if key == "time" { "start time" } else { "day" },
                        if key == "time" { "time" } else { "day" },
                    ),
                ));
            }
        }
        if !has("name") {
            let mut found: Vec<String> = names
                .iter()
                .take(8)
                .map(|n| format!("\"{}\"", n.trim()))
                .collect();
            if names.len() > 8 {
                found.push("…".to_string());
            }
            return Err(ImportError::at(
                file,
                "line 1",
                "",
                format!(
                    "no usable header row: expected columns named Name, Day and Time (found {})",
                    if found.is_empty() {
                        "nothing".to_string()
                    } else {
                        found.join(", ")
                    }
                ),
            ));
        }
        Ok(Columns { keys })
    }

    /// The trimmed value of the first column called `key`; "" when absent.
    fn get<'v>(&self, values: &'v [String], key: &str) -> &'v str {
        self.keys
            .iter()
            .position(|k| k == key)
            .and_then(|i| values.get(i))
            .map_or("", |v| v.trim())
    }
}

/// Fields as text. Sheets saved by Excel on Windows are often Windows-1252, not UTF-8:
/// such a record is read as Windows-1252 (and the caller notes it) rather than refused.
fn decode(record: &ByteRecord) -> (Vec<String>, bool) {
    let mut recoded = false;
    let values = record
        .iter()
        .map(|bytes| match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                recoded = true;
                bytes.iter().map(|b| fields::windows_1252(*b)).collect()
            }
        })
        .collect();
    (values, recoded)
}

/// One CSV record → a meeting, or a dropped row.
fn row(
    n: usize,
    columns: &Columns,
    values: &[String],
    recoded: bool,
    options: &Options,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let get = |key: &str| columns.get(values, key);
    let given_slug = get("slug");
    let label = row_label(n, given_slug);
    if values.iter().all(|v| v.trim().is_empty()) {
        out.drop_row(&label, "", "", "the row is empty");
        return Ok(());
    }
    let name = get("name");
    if name.is_empty() {
        out.drop_row(&label, "Name", "", "the meeting has no name");
        return Ok(());
    }
    if recoded {
        out.note(
            &label,
            "",
            "",
            "not UTF-8 text: read as Windows-1252 (as Excel saves it)",
        );
    }

    let (day_text, time_text) = (get("day"), get("time"));
    let day = fields::day_from_name(day_text);
    let start = fields::time_of_day(time_text);
    if day.is_none() && !day_text.is_empty() {
        out.note(
            &label,
            "Day",
            day_text,
            "not a weekday name (expected e.g. Monday): listed as by appointment",
        );
    } else if day.is_none() && start.is_some() {
        out.note(&label, "Day", "", "no day: listed as by appointment");
    }
    if start.is_none() && !time_text.is_empty() {
        out.note(
            &label,
            "Time",
            time_text,
            "not a time of day (expected e.g. 6:00 PM or 18:00): listed as by appointment",
        );
    } else if start.is_none() && day.is_some() {
        out.note(&label, "Time", "", "no time: listed as by appointment");
    }

    let slug = if given_slug.is_empty() {
        let slug = fields::derived_slug(name, &[day_text, time_text, get("location")]);
        out.note(
            &label,
            "Slug",
            "",
            format!("no slug given; made up \"{slug}\" from name, day, time and place"),
        );
        slug
    } else {
        given_slug.to_string()
    };

    let mut m = Meeting::new(
        &options.source,
        &slug,
        name,
        Recurrence::ByAppointment,
        chrono::NaiveTime::MIN,
    );
    m.program = options.program.clone();
    m.in_house = options.in_house;
    let end_text = get("end_time");
    m.end = fields::time_of_day(end_text);
    if m.end.is_none() && !end_text.is_empty() {
        out.note(
            &label,
            "End Time",
            end_text,
            "not a time of day: the meeting is taken to last an hour",
        );
    }
    m.timezone = fields::zone_noted(out, &label, "Timezone", get("timezone"));
    m.location = get("location").to_string();
    m.location_notes = get("location_notes").to_string();
    m.address = match get("formatted_address") {
        "" => fields::assemble_address(
            get("address"),
            get("city"),
            get("state"),
            get("postal_code"),
            get("country"),
        ),
        a => a.to_string(),
    };
    m.region = fields::region_path([get("region"), get("sub_region")]);
    m.notes = get("notes").to_string();
    m.types = fields::types_noted(out, &label, "Types", get("types").split(','));
    m.conference_url =
        fields::conference_url_noted(out, &label, "Conference URL", get("conference_url"));
    m.conference_url_notes = get("conference_url_notes").to_string();
    m.conference_phone = get("conference_phone").to_string();
    m.conference_phone_notes = get("conference_phone_notes").to_string();
    m.updated = fields::updated_noted(out, &label, "Updated", get("updated"));
    let days: Vec<_> = day.into_iter().collect();
    out.import_row(&label, fields::by_day(m, &days, start))
}
