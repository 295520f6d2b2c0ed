//! BMLT (NA's Basic Meeting List Toolbox) `GetSearchResults` JSON, and the server's
//! `GetFormats` table that turns its format keys into Meeting Guide type codes
//! (`reference/meeting-formats.md` §3).
//!
//! Search results are small (one service body's week), so the whole file is read and parsed
//! at once — capped at 64 MB so a wrong file cannot exhaust the kiosk's memory. Every BMLT
//! value is a string; weekdays count 1–7 from Sunday; the end is start + duration.
//!
//! Deliberately not read: contact fields, distances, service-body ids, and the hybrid format
//! (`HY`): the kiosk derives hybrid/online/in-person from the address and links itself.

use std::collections::HashMap;
use std::io::{BufRead, Read};

use chrono::{Duration, NaiveTime};
use serde_json::error::Category;
use serde_json::{Map, Value};

use super::fields::{self, row_label};
use super::{ImportError, Options, Output};
use crate::schedule::board::weekday_from_number;
use crate::schedule::{Meeting, Recurrence};

/// Larger than any real search result by two orders of magnitude.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A BMLT server's GetFormats table: format key (`key_string`, server-specific) → NAWS
/// world id (`world_id`, may be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatTable {
    world_ids: HashMap<String, String>,
}

impl FormatTable {
    /// Reads a GetFormats response: an array of formats (or `{"formats": [...]}`).
    pub fn parse(file: &str, bytes: &[u8]) -> Result<FormatTable, ImportError> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let value: Value = serde_json::from_slice(bytes).map_err(|e| json_refusal(file, &e))?;
        let rows = match &value {
            Value::Array(rows) => rows,
            Value::Object(obj) => match obj.get("formats") {
                Some(Value::Array(rows)) => rows,
                _ => return Err(ImportError::file(file, "not a BMLT GetFormats file: expected a JSON array of formats with key_string and world_id")),
            },
            _ => return Err(ImportError::file(file, "not a BMLT GetFormats file: expected a JSON array of formats")),
        };
        let table = FormatTable::from_rows(rows);
        if table.is_empty() && !rows.is_empty() {
            return Err(ImportError::file(
                file,
                "not a BMLT GetFormats file: no entry has a key_string",
            ));
        }
        Ok(table)
    }

    fn from_rows(rows: &[Value]) -> FormatTable {
        let mut world_ids = HashMap::new();
        for row in rows.iter().filter_map(Value::as_object) {
            let key = text(row, "key_string");
            if key.is_empty() {
                continue;
            }
            // A server lists each format once per language; the English row wins, else the first.
            if text(row, "lang") == "en" || !world_ids.contains_key(&key) {
                world_ids.insert(key, text(row, "world_id"));
            }
        }
        FormatTable { world_ids }
    }

    /// The world id for a key; `Some("")` when the server gives it none.
    pub fn world_id(&self, key: &str) -> Option<&str> {
        self.world_ids
            .get(key)
            .or_else(|| {
                // Keys are case-sensitive on the server ("St", "SD"), but hand-made exports
                // are not always careful.
                self.world_ids
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, w)| w)
            })
            .map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.world_ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.world_ids.is_empty()
    }
}

/// What a NAWS world id becomes among the kiosk's type codes.
enum World {
    Code(String),
    /// Hybrid: re-derived from the address and link, not kept as a type.
    Derived,
    /// No usable world id (empty, or `LANG` which does not say which language).
    Unmapped,
}

fn world_code(world: &str) -> World {
    let code = match world.trim().to_ascii_uppercase().as_str() {
        "" | "LANG" => return World::Unmapped,
        "HY" => return World::Derived,
        "OPEN" => "O".to_string(),
        "CLOSED" => "C".to_string(),
        "WCHR" => "X".to_string(),
        "VM" => "ONL".to_string(),
        other => fields::known_code(other).map_or_else(|| other.to_string(), str::to_string),
    };
    World::Code(code)
}

pub fn read(
    input: &mut dyn BufRead,
    options: &Options,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let file = out.file().to_string();
    let mut bytes = Vec::new();
    input
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ImportError::file(&file, format!("could not be read: {e}")))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ImportError::file(
            &file,
            "is larger than 64 MB: far too big for a BMLT search result, is it the right file?",
        ));
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let value: Value = serde_json::from_slice(body).map_err(|e| json_refusal(&file, &e))?;
    drop(bytes);
    let (meetings, own_table) = match value {
        Value::Array(meetings) => (meetings, None),
        Value::Object(mut obj) => match obj.remove("meetings") {
            Some(Value::Array(meetings)) => {
                let table = match obj.get("formats") {
                    Some(Value::Array(rows)) => Some(FormatTable::from_rows(rows)),
                    _ => None,
                };
                (meetings, table)
            }
            _ => return Err(ImportError::file(&file, "expected a BMLT search result: a JSON array of meetings or an object with \"meetings\"")),
        },
        _ => return Err(ImportError::file(&file, "expected a BMLT search result: a JSON array of meetings")),
    };
    let tables: Vec<&FormatTable> = own_table
        .iter()
        .chain(options.bmlt_formats.as_ref())
        .collect();
    let any_formats = meetings.iter().any(|m| {
        m.get("formats")
            .and_then(Value::as_str)
            .is_some_and(|f| !f.trim().is_empty())
    });
    if tables.is_empty() && any_formats {
        out.note("all rows", "formats", "", "no GetFormats table (neither in the file nor given separately): format keys kept as the server wrote them");
    }
    for (i, item) in meetings.into_iter().enumerate() {
        match item {
            Value::Object(obj) => row(i + 1, &obj, &tables, options, out)?,
            _ => out.drop_row(
                &row_label(i + 1, ""),
                "",
                "",
                "not a meeting (expected an object with meeting_name)",
            ),
        }
    }
    Ok(())
}

fn json_refusal(file: &str, e: &serde_json::Error) -> ImportError {
    let at = format!("line {}, column {}", e.line(), e.column());
    match e.classify() {
        Category::Eof => ImportError::at(file, at, "", "the file ends too early — it looks cut off (an interrupted download?); nothing was imported"),
        Category::Io => ImportError::file(file, format!("could not be read: {e}")),
        _ => ImportError::at(file, at, "", format!("this is not valid JSON ({e}); expected a BMLT search result")),
    }
}

/// A value as text: BMLT sends strings, but numbers are accepted too.
fn text(obj: &Map<String, Value>, key: &str) -> String {
    match obj.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn row(
    n: usize,
    obj: &Map<String, Value>,
    tables: &[&FormatTable],
    options: &Options,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let get = |key: &str| text(obj, key);
    let id = get("id_bigint");
    let label = row_label(n, &id);
    let name = get("meeting_name");
    if name.is_empty() {
        out.drop_row(&label, "meeting_name", "", "the meeting has no name");
        return Ok(());
    }
    let (day_text, time_text) = (get("weekday_tinyint"), get("start_time"));
    // BMLT counts 1 = Sunday … 7 = Saturday; the kiosk's table counts from 0.
    let day = day_text
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=7).contains(d))
        .and_then(|d| weekday_from_number(d - 1));
    let start = fields::time_of_day(&time_text);
    if day.is_none() && !day_text.is_empty() {
        out.note(
            &label,
            "weekday_tinyint",
            &day_text,
            "not a weekday number 1–7 (1 = Sunday): listed as by appointment",
        );
    } else if day.is_none() && start.is_some() {
        out.note(
            &label,
            "weekday_tinyint",
            "",
            "no weekday: listed as by appointment",
        );
    }
    if start.is_none() && !time_text.is_empty() {
        out.note(
            &label,
            "start_time",
            &time_text,
            "not a time of day (HH:MM:SS): listed as by appointment",
        );
    } else if start.is_none() && day.is_some() {
        out.note(
            &label,
            "start_time",
            "",
            "no start time: listed as by appointment",
        );
    }
    let slug = if id.is_empty() {
        let slug = fields::derived_slug(&name, &[&day_text, &time_text, &get("location_text")]);
        out.note(
            &label,
            "id_bigint",
            "",
            format!("no id given; made up \"{slug}\" from name, day, time and place"),
        );
        slug
    } else {
        id
    };

    let mut m = Meeting::new(
        &options.source,
        &slug,
        &name,
        Recurrence::ByAppointment,
        NaiveTime::MIN,
    );
    m.program = options.program.clone();
    m.in_house = options.in_house;
    m.end = end_time(
        start.unwrap_or(NaiveTime::MIN),
        &get("duration_time"),
        &label,
        out,
    );
    m.timezone = fields::zone_noted(out, &label, "time_zone", &get("time_zone"));
    m.location = get("location_text");
    m.location_notes = get("location_info");
    m.address = fields::assemble_address(
        &get("location_street"),
        &get("location_municipality"),
        &get("location_province"),
        &get("location_postal_code_1"),
        &get("location_nation"),
    );
    m.region = fields::region_path([
        get("location_municipality").as_str(),
        get("location_neighborhood").as_str(),
    ]);
    if let Some((lat, lon)) =
        fields::coordinates_noted(out, &label, &get("latitude"), &get("longitude"))
    {
        m.latitude = Some(lat);
        m.longitude = Some(lon);
    }
    // A virtual-only meeting has no place to go to, whatever address the server still holds.
    m.approximate = get("venue_type") == "2";
    m.notes = get("comments");
    m.types = types(&get("formats"), tables, &label, out);
    m.conference_url = fields::conference_url_noted(
        out,
        &label,
        "virtual_meeting_link",
        &get("virtual_meeting_link"),
    );
    m.conference_url_notes = get("virtual_meeting_additional_info");
    m.conference_phone = get("phone_meeting_number");
    let days: Vec<_> = day.into_iter().collect();
    out.import_row(&label, fields::by_day(m, &days, start))
}

/// End = start + `duration_time`. Empty or zero means the default hour (`None`); 24:00:00
/// gives end == start, which `Meeting::duration` reads as a whole day.
fn end_time(
    start: NaiveTime,
    duration: &str,
    label: &str,
    out: &mut Output<'_>,
) -> Option<NaiveTime> {
    if duration.is_empty() {
        return None;
    }
    match fields::duration_minutes(duration) {
        Some(0) => None,
        Some(minutes @ 1..=1440) => {
            Some(start.overflowing_add_signed(Duration::minutes(minutes)).0)
        }
        _ => {
            out.note(
                label,
                "duration_time",
                duration,
                "not a duration of up to 24:00:00: the meeting is taken to last an hour",
            );
            None
        }
    }
}

/// Format keys → type codes through the server's table(s), with one note per kind of trouble.
fn types(keys: &str, tables: &[&FormatTable], label: &str, out: &mut Output<'_>) -> Vec<String> {
    let (mut codes, mut unknown, mut unmapped, mut hybrid) =
        (Vec::<String>::new(), Vec::new(), Vec::new(), false);
    for key in keys.split(',').map(str::trim).filter(|k| !k.is_empty()) {
        let world = tables.iter().find_map(|t| t.world_id(key));
        let code = match world.map(world_code) {
            // Without any table the note was made once for the file.
            None if tables.is_empty() => key.to_string(),
            None => {
                unknown.push(key);
                key.to_string()
            }
            Some(World::Unmapped) => {
                unmapped.push(key);
                key.to_ascii_uppercase()
            }
            Some(World::Derived) => {
                hybrid = true;
                continue;
            }
            Some(World::Code(code)) => code,
        };
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    if !unknown.is_empty() {
        out.note(
            label,
            "formats",
            &unknown.join(","),
            "not in the server's format table: kept as given",
        );
    }
    if !unmapped.is_empty() {
        out.note(
            label,
            "formats",
            &unmapped.join(","),
            "the server gives no world code for it: kept as the server's key",
        );
    }
    if hybrid {
        out.note(
            label,
            "formats",
            "HY",
            "hybrid is not kept as a type: the kiosk derives it from the address and link",
        );
    }
    codes
}
