//! Meeting Guide JSON: the bare array of meetings that the 12 Step Meeting List plugin,
//! TSML UI sources and many intergroup sites publish (`reference/meeting-formats.md` §1).
//!
//! Each element of the array is read into a map of `serde_json::Value`s under the keys the
//! importer reads (the others are skipped unparsed), turned into meetings and handed to
//! `Output` before the next one is read. A feed up to 8 MB is parsed from memory;
//! a larger one is streamed, so a 100,000-meeting feed never sits in memory whole. Values are read leniently (numbers as strings, strings as numbers,
//! a day array expanded to one meeting per day) and every change is noted on the row.
//!
//! Deliberately not read: contacts (`contact_*`), emails, `feedback_emails`, 7th-tradition
//! handles and service-body (`entity_*`) fields. Of `attendance_option` only `inactive` is
//! believed (the meeting is not offered); in person, online and hybrid the kiosk derives from
//! the address and links itself. Unknown keys are ignored silently.

use std::fmt;
use std::io::{BufRead, BufReader, Read};

use chrono::{NaiveTime, Weekday};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;
use serde_json::{Map, Value};

use super::fields::{self, row_label};
use super::{ImportError, Options, Output};
use crate::schedule::status::NotMeeting;
use crate::schedule::{Meeting, Recurrence};

pub fn read(
    input: &mut dyn BufRead,
    options: &Options,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    read_whole_up_to(WHOLE_UP_TO, Keys::Read, input, options, out)
}

fn read_whole_up_to(
    whole_up_to: u64,
    keys: Keys,
    input: &mut dyn BufRead,
    options: &Options,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let file = out.file().to_string();
    skip_bom(input).map_err(|e| ImportError::file(&file, format!("could not be read: {e}")))?;
    let mut feed = Feed {
        options,
        out,
        rows: 0,
        first_keys: Vec::new(),
        refusal: None,
        keys,
    };
    // A feed of ordinary size is read whole and parsed from memory: serde_json reads a stream
    // a byte at a time, three times slower. A larger one is streamed from where the read
    // stopped, so memory stays bounded.
    let mut head = Vec::new();
    (&mut *input)
        .take(whole_up_to)
        .read_to_end(&mut head)
        .map_err(|e| ImportError::file(&file, format!("could not be read: {e}")))?;
    // Text that is UTF-8 throughout is checked once here instead of string by string; text
    // that is not goes to the byte parser, which says where it breaks.
    let result = if (head.len() as u64) >= whole_up_to {
        let rest = BufReader::with_capacity(1 << 16, std::io::Cursor::new(head).chain(input));
        parse(serde_json::Deserializer::from_reader(rest), &mut feed)
    } else if let Ok(text) = std::str::from_utf8(&head) {
        parse(serde_json::Deserializer::from_str(text), &mut feed)
    } else {
        parse(serde_json::Deserializer::from_slice(&head), &mut feed)
    };
    match result {
        Ok(()) if feed.out.rows_read() > 0 && feed.out.scheduled() == 0 => {
            Err(unschedulable(&file, feed.out.rows_read(), &feed.first_keys))
        }
        Ok(()) => Ok(()),
        Err(e) => Err(feed
            .refusal
            .take()
            .unwrap_or_else(|| json_refusal(&file, &e, feed.rows))),
    }
}

fn parse<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    feed: &mut Feed<'_, '_>,
) -> serde_json::Result<()> {
    de.deserialize_any(feed).and_then(|()| de.end())
}

/// The largest feed read into memory whole (a 2,000-meeting feed is about 2 MB).
const WHOLE_UP_TO: u64 = 8 << 20;

/// A UTF-8 byte-order mark (Windows editors write one) is not JSON; skip it.
fn skip_bom(input: &mut dyn BufRead) -> std::io::Result<()> {
    if input.fill_buf()?.starts_with(b"\xef\xbb\xbf") {
        input.consume(3);
    }
    Ok(())
}

/// Words for staff from a serde_json error: where the file stops making sense, and why.
fn json_refusal(file: &str, e: &serde_json::Error, rows: usize) -> ImportError {
    let at = format!("line {}, column {}", e.line(), e.column());
    let detail = e.to_string();
    let detail = detail
        .strip_suffix(&format!(" at line {} column {}", e.line(), e.column()))
        .unwrap_or(&detail)
        .to_string();
    match e.classify() {
        Category::Io => ImportError::file(file, format!("could not be read: {detail}")),
        Category::Eof => ImportError::at(
            file,
            at,
            "",
            format!(
                "the file ends in the middle of meeting {} — it looks cut off (an interrupted \
                 download?); nothing was imported",
                rows + 1
            ),
        ),
        Category::Syntax if rows == 0 && e.line() == 1 && e.column() <= 1 => ImportError::at(
            file,
            at,
            "",
            "this is not JSON text; expected a Meeting Guide JSON array of meetings",
        ),
        // serde_json's words for bytes that are not UTF-8 inside a string.
        Category::Syntax if detail == "invalid unicode code point" => ImportError::at(
            file,
            at,
            "",
            "the text here is not UTF-8 (was the file saved as Latin-1 or Windows-1252?); \
             save it as UTF-8 and import it again; nothing was imported",
        ),
        Category::Syntax => ImportError::at(
            file,
            at,
            "",
            format!("the JSON is broken here ({detail}); nothing was imported"),
        ),
        Category::Data => ImportError::at(
            file,
            at,
            "",
            format!("expected a JSON array of meetings ({detail})"),
        ),
    }
}

/// Keys a Meeting Guide meeting may have (the spec's and the plugin's) that the importer
/// does not read. A key in a file that is none of these and none of [`READ_KEYS`] is
/// unknown, and the likeliest damaged one.
const UNREAD_KEYS: &[&str] = &[
    "group",
    "group_notes",
    "url",
    "edit_url",
    "feedback_url",
    "feedback_emails",
    "venmo",
    "square",
    "paypal",
    "homegroup_online",
    "entity",
    "entity_email",
    "entity_phone",
    "entity_location",
    "entity_logo",
    "entity_url",
    "entity_website_url",
    "id",
    "location_id",
    "region_id",
    "group_id",
    "district",
    "district_id",
    "sub_district",
    "time_formatted",
    "author",
    "last_contact",
    "image",
    "distance",
    "location_url",
    "website",
    "email",
    "phone",
    "mailing_address",
];

/// A feed in which no meeting has a day and a start time would put nothing on the board
/// however long it is kept: refused, naming the field that is missing.
fn unschedulable(file: &str, rows: usize, first_keys: &[String]) -> ImportError {
    let (has_day, has_time) = (
        first_keys.iter().any(|k| k == "day"),
        first_keys.iter().any(|k| k == "time"),
    );
    let unknown = first_keys
        .iter()
        .map(String::as_str)
        .filter(|k| !READ_KEYS.contains(k) && !UNREAD_KEYS.contains(k));
    let (field, why) = match (has_day, has_time) {
        (true, false) => ("time", "there is no \"time\" field"),
        (false, true) => ("day", "there is no \"day\" field"),
        (false, false) => ("day", "there are no \"day\" and \"time\" fields"),
        (true, true) => ("", "their day or time cannot be read"),
    };
    let nearest = match (field, fields::nearest(field, unknown)) {
        ("", _) | (_, None) => String::new(),
        (_, Some(n)) => format!(" (the nearest field in the first meeting is \"{n}\")"),
    };
    ImportError::at(
        file,
        "meeting 1",
        field,
        format!(
            "none of its {rows} meetings has a usable day and start time: {why}{nearest}, so no \
             meeting could ever be shown; nothing was imported"
        ),
    )
}

/// The streaming reader's state: the serde `Visitor` of the top-level value.
struct Feed<'o, 'a> {
    options: &'o Options,
    out: &'o mut Output<'a>,
    /// Array elements read so far.
    rows: usize,
    /// The keys of the first meeting, to name a damaged one when nothing can be scheduled.
    first_keys: Vec<String>,
    /// Why the file was refused from inside the visitor (kept here, not in a serde error,
    /// so the staff-facing wording survives).
    refusal: Option<ImportError>,
    keys: Keys,
}

/// Which keys of a meeting are parsed into values.
#[derive(Clone, Copy)]
enum Keys {
    /// Those `row` reads; the rest are skipped unparsed (sepia's `url` and `location_url`
    /// alone are a third of its bytes).
    Read,
    /// Every key, as before the skipping: for the test that shows it changes nothing.
    #[cfg(test)]
    All,
}

/// Every key `row` and its helpers read.
const READ_KEYS: &[&str] = &[
    "slug",
    "name",
    "attendance_option",
    "day",
    "time",
    "end_time",
    "timezone",
    "location",
    "location_notes",
    "formatted_address",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "approximate",
    "regions",
    "region",
    "sub_region",
    "notes",
    "types",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "updated",
];

/// The value under `key`, one of [`READ_KEYS`] (a test build says so when it is not: the
/// value would always be missing).
fn field<'m>(obj: &'m Map<String, Value>, key: &str) -> Option<&'m Value> {
    debug_assert!(
        READ_KEYS.contains(&key),
        "\"{key}\" is read but not in READ_KEYS"
    );
    obj.get(key)
}

/// One array element: an object's values under the keys `row` reads, `None` for anything
/// that is not an object, and all of an object's keys when asked for (the first meeting's,
/// to name a damaged one).
struct Element {
    fields: Option<Map<String, Value>>,
    keys: Vec<String>,
}

#[derive(Clone, Copy)]
struct ElementSeed {
    keys: Keys,
    record_keys: bool,
}

impl<'de> de::DeserializeSeed<'de> for ElementSeed {
    type Value = Element;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Element, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed {
    type Value = Element;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a meeting")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Element, A::Error> {
        let (mut fields, mut keys) = (Map::new(), Vec::new());
        while let Some(key) = map.next_key_seed(KeySeed(self))? {
            if let Some(raw) = key.raw {
                keys.push(raw);
            }
            match key.read {
                Some(name) => {
                    fields.insert(name, map.next_value()?);
                }
                None => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        // In the order a `serde_json::Map` would list them.
        keys.sort_unstable();
        keys.dedup();
        Ok(Element {
            fields: Some(fields),
            keys,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Element::NOT_AN_OBJECT)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Element, E> {
        Ok(Element::NOT_AN_OBJECT)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Element, E> {
        Ok(Element::NOT_AN_OBJECT)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Element, E> {
        Ok(Element::NOT_AN_OBJECT)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Element, E> {
        Ok(Element::NOT_AN_OBJECT)
    }

    fn visit_str<E>(self, _: &str) -> Result<Element, E> {
        Ok(Element::NOT_AN_OBJECT)
    }

    fn visit_unit<E>(self) -> Result<Element, E> {
        Ok(Element::NOT_AN_OBJECT)
    }
}

impl Element {
    const NOT_AN_OBJECT: Element = Element {
        fields: None,
        keys: Vec::new(),
    };
}

/// A key of a meeting: the name under which `row` reads it (none: skipped), and the key as
/// written when the element's keys are recorded. Skipped keys are never copied.
struct Key {
    read: Option<String>,
    raw: Option<String>,
}

struct KeySeed(ElementSeed);

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Key, E> {
        let read = match self.0.keys {
            Keys::Read => READ_KEYS.contains(&key),
            #[cfg(test)]
            Keys::All => true,
        };
        Ok(Key {
            read: read.then(|| key.to_string()),
            raw: self.0.record_keys.then(|| key.to_string()),
        })
    }
}

impl<'de> Visitor<'de> for &mut Feed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array of meetings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let seed = ElementSeed {
                keys: self.keys,
                record_keys: self.first_keys.is_empty(),
            };
            let Some(element) = seq.next_element_seed(seed)? else {
                break;
            };
            self.rows += 1;
            if self.first_keys.is_empty() {
                self.first_keys = element.keys;
            }
            if let Err(e) = row(self.rows, element.fields, self.options, self.out) {
                self.refusal = Some(e);
                return Err(de::Error::custom("refused"));
            }
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let first: Option<String> = map.next_key()?;
        let looks_bmlt = matches!(first.as_deref(), Some("meetings" | "formats"))
            || first
                .as_deref()
                .is_some_and(|k| k.ends_with("_bigint") || k.ends_with("_tinyint"));
        let why = if looks_bmlt {
            "this looks like a BMLT response (an object with \"meetings\"), not Meeting Guide: \
             expected a JSON array of meetings; import it as bmlt"
        } else {
            "this is a JSON object, not Meeting Guide: expected a JSON array of meetings"
        };
        self.refusal = Some(ImportError::file(self.out.file(), why));
        Err(de::Error::custom("refused"))
    }
}

/// Text of a value that should be text: strings trimmed, numbers and booleans written out
/// (kansascity sends `slug` and `postal_code` as numbers); empty, null, arrays → "".
fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// One array element → meetings, or a dropped row.
fn row(
    n: usize,
    item: Option<Map<String, Value>>,
    options: &Options,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let Some(obj) = item else {
        let label = row_label(n, "");
        out.drop_row(
            &label,
            "",
            "",
            "not a meeting (expected an object with a name)",
        );
        return Ok(());
    };
    let get = |key: &str| text(field(&obj, key));
    let given_slug = get("slug");
    let name = get("name");
    let label = row_label(n, &given_slug);
    if name.is_empty() {
        out.drop_row(&label, "name", "", "the meeting has no name");
        return Ok(());
    }
    // The plugin's own word that the meeting is not happening (a closed place, no link).
    if get("attendance_option").eq_ignore_ascii_case("inactive") {
        out.not_meeting(
            &label,
            "attendance_option",
            &name,
            &NotMeeting::MarkedInactive,
        );
        return Ok(());
    }

    let (days, day_text) = days(&obj, &label, out);
    let time_text = get("time");
    let start = fields::time_of_day(&time_text);
    when_noted(out, &label, &day_text, &days, &time_text, start);

    let slug = if given_slug.is_empty() {
        let slug = fields::derived_slug(&name, &[&day_text, &time_text, &get("location")]);
        out.note(
            &label,
            "slug",
            "",
            format!("no slug given; made up \"{slug}\" from name, day, time and place"),
        );
        slug
    } else {
        given_slug
    };
    if days.len() > 1 && start.is_some() {
        let slugs: Vec<String> = days
            .iter()
            .map(|d| format!("{slug}-{}", fields::day_number(*d)))
            .collect();
        out.note(
            &label,
            "day",
            &day_text,
            format!("one meeting per day: {}", slugs.join(", ")),
        );
    }

    let mut m = Meeting::new(
        &options.source,
        &slug,
        &name,
        Recurrence::ByAppointment,
        midnight(),
    );
    m.program = options.program.clone();
    m.in_house = options.in_house;
    let end_text = get("end_time");
    m.end = fields::time_of_day(&end_text);
    if m.end.is_none() && !end_text.is_empty() {
        out.note(
            &label,
            "end_time",
            &end_text,
            "not a time of day (HH:MM): the meeting is taken to last an hour",
        );
    }
    m.timezone = fields::zone_noted(out, &label, "timezone", &get("timezone"));
    m.location = get("location");
    m.location_notes = get("location_notes");
    m.address = match get("formatted_address") {
        a if !a.is_empty() => a,
        _ => fields::assemble_address(
            &get("address"),
            &get("city"),
            &get("state"),
            &get("postal_code"),
            &get("country"),
        ),
    };
    if let Some((lat, lon)) =
        fields::coordinates_noted(out, &label, &get("latitude"), &get("longitude"))
    {
        m.latitude = Some(lat);
        m.longitude = Some(lon);
    }
    m.approximate = approximate(field(&obj, "approximate"), &label, out);
    m.region = region(&obj);
    m.notes = get("notes");
    m.types = match field(&obj, "types") {
        Some(Value::Array(items)) => {
            let items: Vec<String> = items.iter().map(|v| text(Some(v))).collect();
            fields::types_noted(out, &label, "types", items.iter().map(String::as_str))
        }
        // Some hand-made feeds send "O, X" instead of an array.
        Some(Value::String(s)) => fields::types_noted(out, &label, "types", s.split(',')),
        _ => Vec::new(),
    };
    m.conference_url =
        fields::conference_url_noted(out, &label, "conference_url", &get("conference_url"));
    m.conference_url_notes = get("conference_url_notes");
    m.conference_phone = get("conference_phone");
    m.conference_phone_notes = get("conference_phone_notes");
    m.updated = fields::updated_noted(out, &label, "updated", &get("updated"));
    out.import_row(&label, fields::by_day(m, &days, start))
}

fn midnight() -> NaiveTime {
    NaiveTime::MIN
}

/// `day` as an int, a numeric string ("3" in every sepia row) or an array of those; the
/// readable days and the value as given (for notes and derived slugs).
fn days(obj: &Map<String, Value>, label: &str, out: &mut Output<'_>) -> (Vec<Weekday>, String) {
    let one = |v: &Value| match v {
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .and_then(crate::schedule::weekday_from_number),
        Value::String(s) => fields::day_from_name(s),
        _ => None,
    };
    let value = field(obj, "day").unwrap_or(&Value::Null);
    let (items, shown): (Vec<&Value>, String) = match value {
        Value::Null => return (Vec::new(), String::new()),
        Value::String(s) if s.trim().is_empty() => return (Vec::new(), String::new()),
        Value::Array(items) => (items.iter().collect(), value.to_string()),
        other => (vec![other], text(Some(other))),
    };
    let mut days = Vec::new();
    for item in items {
        match one(item) {
            Some(d) if !days.contains(&d) => days.push(d),
            Some(_) => {}
            None => out.note(
                label,
                "day",
                &item.to_string(),
                "not a day number 0–6 (0 = Sunday): left out",
            ),
        }
    }
    (days, shown)
}

/// Notes a listing that becomes "by appointment" because one of day and time is missing or
/// unreadable. With neither given it is by appointment by the spec: nothing to note.
fn when_noted(
    out: &mut Output<'_>,
    label: &str,
    day_text: &str,
    days: &[Weekday],
    time_text: &str,
    start: Option<NaiveTime>,
) {
    if start.is_none() && !time_text.is_empty() {
        out.note(
            label,
            "time",
            time_text,
            "not a time of day (HH:MM): listed as by appointment",
        );
    } else if start.is_none() && !days.is_empty() {
        out.note(label, "time", "", "no start time: listed as by appointment");
    } else if start.is_some() && days.is_empty() {
        let why = if day_text.is_empty() {
            "no day: listed as by appointment"
        } else {
            "no readable day: listed as by appointment"
        };
        out.note(label, "day", day_text, why);
    }
}

/// `approximate`: "yes"/"no" in the spec, a boolean in some feeds.
fn approximate(v: Option<&Value>, label: &str, out: &mut Output<'_>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        None | Some(Value::Null) => false,
        Some(other) => {
            let t = text(Some(other));
            fields::yes_no(&t).unwrap_or_else(|| {
                if !t.is_empty() {
                    out.note(
                        label,
                        "approximate",
                        &t,
                        "neither yes nor no: taken as an exact place",
                    );
                }
                false
            })
        }
    }
}

/// `regions` (general → specific) when given, else `region` › `sub_region`.
fn region(obj: &Map<String, Value>) -> String {
    if let Some(Value::Array(regions)) = field(obj, "regions") {
        let parts: Vec<String> = regions.iter().map(|v| text(Some(v))).collect();
        let path = fields::region_path(parts.iter().map(String::as_str));
        if !path.is_empty() {
            return path;
        }
    }
    let (region, sub) = (text(field(obj, "region")), text(field(obj, "sub_region")));
    fields::region_path([region.as_str(), sub.as_str()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Format;

    fn read_limited(
        whole_up_to: u64,
        bytes: &[u8],
    ) -> Result<(Vec<Meeting>, crate::import::Report), ImportError> {
        read_keys(whole_up_to, Keys::Read, bytes)
    }

    fn read_keys(
        whole_up_to: u64,
        keys: Keys,
        bytes: &[u8],
    ) -> Result<(Vec<Meeting>, crate::import::Report), ImportError> {
        let mut meetings = Vec::new();
        let mut sink = |m: Meeting| {
            meetings.push(m);
            Ok(())
        };
        let mut out = Output::new("kc.json", Format::MeetingGuide, &mut sink);
        let options = Options {
            source: "kc".into(),
            ..Options::default()
        };
        out.set_rules(&options);
        read_whole_up_to(whole_up_to, keys, &mut &bytes[..], &options, &mut out)?;
        let report = out.finish();
        Ok((meetings, report))
    }

    /// A feed over the size read whole is streamed, with the same meetings, notes and errors.
    #[test]
    fn a_streamed_feed_reads_as_one_read_whole() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/meetingguide_kansascity_206_meetings.json"
        ))
        .unwrap();
        let (whole, report) = read_limited(WHOLE_UP_TO, &bytes).unwrap();
        let (streamed, streamed_report) = read_limited(4096, &bytes).unwrap();
        assert!(whole.len() > 100);
        assert_eq!(whole, streamed);
        assert_eq!(report, streamed_report);

        let cut = &bytes[..bytes.len() / 2];
        let whole = read_limited(WHOLE_UP_TO, cut).unwrap_err();
        let streamed = read_limited(4096, cut).unwrap_err();
        assert!(whole.to_string().contains("cut off"), "{whole}");
        assert_eq!(whole.to_string(), streamed.to_string());
    }

    /// A feed saved in Latin-1 (é as one byte 0xE9) is refused at the place it stops being
    /// UTF-8, whether read whole or streamed; the same feed in UTF-8 reads.
    #[test]
    fn a_feed_not_in_utf8_is_refused_where_it_breaks() {
        let feed = |cafe: &[u8]| {
            let mut bytes =
                br#"[{"name":"Morning","day":1,"time":"07:00","address":"1 Main St, Anytown, MO"},
{"name":"Noon at the "#
                    .to_vec();
            bytes.extend_from_slice(cafe);
            bytes.extend_from_slice(
                br#"","day":2,"time":"12:00","address":"2 Main St, Anytown, MO"}]"#,
            );
            bytes
        };
        let (meetings, _) = read_limited(WHOLE_UP_TO, &feed(br"Caf\u00e9")).unwrap();
        assert_eq!(meetings[1].name, "Noon at the Café");
        let (meetings, _) = read_limited(WHOLE_UP_TO, &feed("Café".as_bytes())).unwrap();
        assert_eq!(meetings[1].name, "Noon at the Café");

        let latin1 = feed(b"Caf\xe9");
        for limit in [WHOLE_UP_TO, 16] {
            let e = read_limited(limit, &latin1).unwrap_err().to_string();
            assert!(
                e.contains("line 2, column 25") || e.contains("line 2, column 26"),
                "{e}"
            );
            assert!(e.contains("not UTF-8"), "{e}");
            assert!(e.contains("nothing was imported"), "{e}");
        }
    }

    /// Skipping the keys the importer does not read changes nothing it reads: every shared
    /// Meeting Guide feed gives the same meetings and the same report either way, and so do
    /// a feed whose first element is not a meeting and one that cannot be scheduled.
    #[test]
    fn skipping_unread_keys_changes_no_meeting_and_no_note() {
        let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data");
        let mut feeds = 0;
        for entry in std::fs::read_dir(data).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !(name.starts_with("meetingguide_") && name.ends_with(".json")) {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let (read, report) = read_keys(WHOLE_UP_TO, Keys::Read, &bytes).unwrap();
            let (all, all_report) = read_keys(WHOLE_UP_TO, Keys::All, &bytes).unwrap();
            assert!(!read.is_empty(), "{name}");
            assert_eq!(read, all, "{name}");
            assert_eq!(report, all_report, "{name}");
            feeds += 1;
        }
        assert!(feeds >= 2, "the shared Meeting Guide feeds are missing");

        let odd = br#"[7, "text", null, [1, {"name": "x"}], {"name": "Noon", "day": 2,
            "time": "12:00", "address": "2 Main St, Anytown, MO", "url": {"a": [1, 2]}}]"#;
        let (read, report) = read_keys(WHOLE_UP_TO, Keys::Read, odd).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(
            (read, report),
            read_keys(WHOLE_UP_TO, Keys::All, odd).unwrap()
        );

        let unschedulable = br#"[{"Name": "Noon", "Day": 2, "Time": "12:00", "url": "u"}]"#;
        let read = read_keys(WHOLE_UP_TO, Keys::Read, unschedulable).unwrap_err();
        let all = read_keys(WHOLE_UP_TO, Keys::All, unschedulable).unwrap_err();
        assert!(
            read.to_string()
                .contains("nearest field in the first meeting is \"Day\""),
            "{read}"
        );
        assert_eq!(read.to_string(), all.to_string());
    }
}
