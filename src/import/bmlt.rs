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
use crate::schedule::weekday_from_number;
use crate::schedule::{Meeting, Recurrence};

/// Larger than any real search result by two orders of magnitude.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A BMLT server's GetFormats table: format key (`key_string`, server-specific and
/// language-specific: Danish `LUK` is English `C`) and shared id (`id`, the same for every
/// language of one format) → NAWS world id (`world_id`, may be empty) and name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatTable {
    by_key: HashMap<String, Format>,
    by_id: HashMap<String, Format>,
}

/// One format of the table, in English where the server has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Format {
    id: String,
    world_id: String,
    name: String,
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
        let mut table = FormatTable::default();
        for row in rows.iter().filter_map(Value::as_object) {
            let key = text(row, "key_string");
            if key.is_empty() {
                continue;
            }
            let format = Format {
                id: text(row, "id"),
                world_id: text(row, "world_id"),
                name: text(row, "name_string"),
            };
            // A server lists each format once per language; the English row wins, else the first.
            let english = text(row, "lang") == "en";
            if !format.id.is_empty() && (english || !table.by_id.contains_key(&format.id)) {
                table.by_id.insert(format.id.clone(), format.clone());
            }
            if english || !table.by_key.contains_key(&key) {
                table.by_key.insert(key, format);
            }
        }
        table
    }

    /// The format a key names, through its shared id when the table has one (so a Danish key
    /// gives the English row).
    fn by_key(&self, key: &str) -> Option<&Format> {
        let format = self.by_key.get(key).or_else(|| {
            // Keys are case-sensitive on the server ("St", "SD"), but hand-made exports
            // are not always careful.
            self.by_key
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, f)| f)
        })?;
        Some(self.by_id.get(&format.id).unwrap_or(format))
    }

    /// The world id for a key; `Some("")` when the server gives it none.
    pub fn world_id(&self, key: &str) -> Option<&str> {
        self.by_key(key).map(|f| f.world_id.as_str())
    }

    /// The world id for a shared format id (`format_shared_id_list`).
    pub fn world_id_of(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).map(|f| f.world_id.as_str())
    }

    /// The format's name (English where the server has it), for a key or a shared id.
    fn name(&self, key_or_id: &str, by_id: bool) -> Option<&str> {
        let format = if by_id {
            self.by_id.get(key_or_id)
        } else {
            self.by_key(key_or_id)
        };
        format.map(|f| f.name.as_str()).filter(|n| !n.is_empty())
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
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
        // A world id the kiosk has no label for is shown by the format's name instead.
        other => match fields::known_code(other) {
            Some(code) => code.to_string(),
            None => return World::Unmapped,
        },
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
        out.note("all rows", "formats", "", "no GetFormats table (neither in the file nor given separately): format keys that are type codes are read as such, the rest not shown");
    }
    let mut first_keys: Vec<String> = Vec::new();
    for (i, item) in meetings.into_iter().enumerate() {
        match item {
            Value::Object(obj) => {
                if first_keys.is_empty() {
                    first_keys = obj.keys().cloned().collect();
                }
                row(i + 1, &obj, &tables, options, out)?
            }
            _ => out.drop_row(
                &row_label(i + 1, ""),
                "",
                "",
                "not a meeting (expected an object with meeting_name)",
            ),
        }
    }
    if out.rows_read() > 0 && out.scheduled() == 0 {
        let missing = ["weekday_tinyint", "start_time"]
            .into_iter()
            .find(|k| !first_keys.iter().any(|f| f == k));
        let why = match missing {
            Some(field) => {
                let nearest = fields::nearest(
                    field,
                    first_keys
                        .iter()
                        .map(String::as_str)
                        .filter(|k| !k.starts_with("location_") && !k.ends_with("_bigint")),
                )
                .map(|n| format!(" (the nearest field in the first meeting is \"{n}\")"))
                .unwrap_or_default();
                format!("there is no \"{field}\" field{nearest}")
            }
            None => "their weekday or start time cannot be read".to_string(),
        };
        return Err(ImportError::at(
            &file,
            "meeting 1",
            missing.unwrap_or(""),
            format!(
                "none of its {} meetings has a usable weekday and start time: {why}, so no \
                 meeting could ever be shown; nothing was imported",
                out.rows_read()
            ),
        ));
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
    // Shared ids are the same in every language of a server; keys are not.
    let ids = get("format_shared_id_list");
    let by_id = !ids.is_empty() && tables.iter().any(|t| !t.by_id.is_empty());
    m.types = if by_id {
        types(&ids, true, tables, &label, out)
    } else {
        types(&get("formats"), false, tables, &label, out)
    };
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

/// Format keys (or shared ids) → type codes through the server's table(s), with one note per
/// kind of trouble. A format without a world id is shown by its name; a key no table knows
/// is left out (a visitor could not read it).
fn types(
    keys: &str,
    by_id: bool,
    tables: &[&FormatTable],
    label: &str,
    out: &mut Output<'_>,
) -> Vec<String> {
    let (mut codes, mut unknown, mut unmapped, mut hybrid) =
        (Vec::<String>::new(), Vec::new(), Vec::new(), false);
    let field = if by_id {
        "format_shared_id_list"
    } else {
        "formats"
    };
    for key in keys.split(',').map(str::trim).filter(|k| !k.is_empty()) {
        let world = tables.iter().find_map(|t| {
            if by_id {
                t.world_id_of(key)
            } else {
                t.world_id(key)
            }
        });
        let code = match world.map(world_code) {
            // Without any table the note was made once for the file: read the key as a code.
            None if tables.is_empty() => match fields::type_item(key) {
                Some(fields::TypeItem::Code(code)) => code.to_string(),
                _ => continue,
            },
            None => {
                unknown.push(key);
                continue;
            }
            Some(World::Unmapped) => {
                unmapped.push(key);
                match tables.iter().find_map(|t| t.name(key, by_id)) {
                    Some(name) => name.to_string(),
                    None => continue,
                }
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
            field,
            &unknown.join(","),
            "not in the server's format table: not shown",
        );
    }
    if !unmapped.is_empty() {
        out.note(
            label,
            field,
            &unmapped.join(","),
            "the server gives no world code for it: shown by its name in the format table, or not at all without one",
        );
    }
    if hybrid {
        out.note(
            label,
            field,
            "HY",
            "hybrid is not kept as a type: the kiosk derives it from the address and link",
        );
    }
    codes
}
