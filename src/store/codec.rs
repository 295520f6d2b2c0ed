//! Meeting rows: how a `Meeting` is written to and read back from the `meeting` table.
//!
//! Decoding says which column is wrong instead of panicking: a row another program damaged is
//! skipped with a warning, never fatal.

use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;
use rusqlite::types::{Value, ValueRef};

use crate::schedule::weekday_from_number;
use crate::schedule::{Meeting, NthWeekday, Recurrence};

/// Meeting columns in the order `encode` produces and `decode` expects.
pub(super) const COLUMNS: [&str; 24] = [
    "id",
    "source",
    "name",
    "program",
    "in_house",
    "recurrence",
    "start_time",
    "end_time",
    "timezone",
    "location",
    "address",
    "latitude",
    "longitude",
    "approximate",
    "region",
    "notes",
    "types",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "updated",
    "location_notes",
    "skipped",
];

/// One `SELECT COLUMNS` row as a meeting, read in place (each text copied once, into the
/// meeting), or the warning that names the row when it cannot be decoded.
pub(super) fn read_meeting(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Meeting, String>> {
    let mut row = [ValueRef::Null; COLUMNS.len()];
    for (i, v) in row.iter_mut().enumerate() {
        *v = r.get_ref(i)?;
    }
    Ok(decode(&row).map_err(|problem| skip_warning(&row, &problem)))
}

fn skip_warning(row: &[ValueRef<'_>], problem: &str) -> String {
    let text = |v: Option<&ValueRef<'_>>| match v {
        Some(ValueRef::Text(s)) => String::from_utf8_lossy(s).into_owned(),
        _ => "?".to_string(),
    };
    format!(
        "skipped meeting {} of source {}: {problem}; re-import that source to repair it",
        text(row.first()),
        text(row.get(1))
    )
}

pub(super) fn encode_time(t: NaiveTime) -> String {
    if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

fn decode_time(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .map_err(|_| format!("time \"{s}\" is not HH:MM or HH:MM:SS"))
}

fn encode_recurrence(r: &Recurrence) -> String {
    match r {
        Recurrence::ByAppointment => "appointment".to_string(),
        Recurrence::Weekly(days) => {
            let days: Vec<String> = days
                .iter()
                .map(|d| d.num_days_from_sunday().to_string())
                .collect();
            format!("weekly:{}", days.join(","))
        }
        Recurrence::Monthly { nth, weekday } => {
            let nth = match nth {
                NthWeekday::Nth(n) => n.to_string(),
                NthWeekday::Last => "last".to_string(),
            };
            format!("monthly:{nth}:{}", weekday.num_days_from_sunday())
        }
        Recurrence::EveryOtherWeek { anchor } => format!("biweekly:{}", anchor.format("%Y-%m-%d")),
    }
}

fn decode_weekday(s: &str) -> Result<Weekday, String> {
    s.trim()
        .parse::<u32>()
        .ok()
        .and_then(weekday_from_number)
        .ok_or(format!("weekday \"{s}\" is not 0-6"))
}

fn decode_recurrence(s: &str) -> Result<Recurrence, String> {
    let bad = || format!("recurrence \"{s}\" is not understood");
    let (kind, rest) = s.split_once(':').unwrap_or((s, ""));
    match kind {
        "appointment" if rest.is_empty() => Ok(Recurrence::ByAppointment),
        "weekly" => rest
            .split(',')
            .filter(|d| !d.trim().is_empty())
            .map(decode_weekday)
            .collect::<Result<_, _>>()
            .map(Recurrence::Weekly),
        "monthly" => {
            let (nth, day) = rest.split_once(':').ok_or_else(bad)?;
            let nth = match nth {
                "last" => NthWeekday::Last,
                n => match n.parse::<u8>() {
                    Ok(n @ 1..=5) => NthWeekday::Nth(n),
                    _ => return Err(bad()),
                },
            };
            Ok(Recurrence::Monthly {
                nth,
                weekday: decode_weekday(day)?,
            })
        }
        "biweekly" => NaiveDate::parse_from_str(rest, "%Y-%m-%d")
            .map(|anchor| Recurrence::EveryOtherWeek { anchor })
            .map_err(|_| bad()),
        _ => Err(bad()),
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Value) -> Value {
    v.map_or(Value::Null, f)
}

/// One meeting as a row, in `COLUMNS` order.
pub(super) fn encode(m: &Meeting) -> Vec<Value> {
    vec![
        text(&m.id),
        text(&m.source),
        text(&m.name),
        text(&m.program),
        Value::Integer(m.in_house.into()),
        Value::Text(encode_recurrence(&m.recurrence)),
        Value::Text(encode_time(m.start)),
        opt(m.end, |t| Value::Text(encode_time(t))),
        opt(m.timezone, |tz| text(tz.name())),
        text(&m.location),
        text(&m.address),
        opt(m.latitude, Value::Real),
        opt(m.longitude, Value::Real),
        Value::Integer(m.approximate.into()),
        text(&m.region),
        text(&m.notes),
        Value::Text(m.types.join(",")),
        text(&m.conference_url),
        text(&m.conference_url_notes),
        text(&m.conference_phone),
        text(&m.conference_phone_notes),
        text(&m.updated),
        text(&m.location_notes),
        Value::Text(encode_dates(&m.skipped)),
    ]
}

/// The reverse of `encode`; says which column is wrong instead of panicking.
fn decode(row: &[ValueRef<'_>]) -> Result<Meeting, String> {
    let col = |i: usize| {
        row.get(i)
            .copied()
            .ok_or_else(|| format!("column {} is missing", COLUMNS[i]))
    };
    let opt_text = |i: usize| match col(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(s) => std::str::from_utf8(s)
            .map(|s| Some(s.to_string()))
            .map_err(|_| format!("column {} holds text that is not UTF-8", COLUMNS[i])),
        other => Err(format!(
            "column {} holds {:?}, expected text",
            COLUMNS[i],
            other.data_type()
        )),
    };
    let text =
        |i: usize| opt_text(i)?.ok_or_else(|| format!("column {} is empty (NULL)", COLUMNS[i]));
    let flag = |i: usize| match col(i)? {
        ValueRef::Integer(n) => Ok(n != 0),
        other => Err(format!(
            "column {} holds {:?}, expected 0 or 1",
            COLUMNS[i],
            other.data_type()
        )),
    };
    let real = |i: usize| match col(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Real(x) => Ok(Some(x)),
        ValueRef::Integer(n) => Ok(Some(n as f64)),
        other => Err(format!(
            "column {} holds {:?}, expected a number",
            COLUMNS[i],
            other.data_type()
        )),
    };
    let timezone = match opt_text(8)?.filter(|s| !s.is_empty()) {
        None => None,
        Some(name) => Some(
            name.parse::<Tz>()
                .map_err(|_| format!("time zone \"{name}\" is unknown"))?,
        ),
    };
    Ok(Meeting {
        id: text(0)?,
        source: text(1)?,
        name: text(2)?,
        program: text(3)?,
        in_house: flag(4)?,
        recurrence: decode_recurrence(&text(5)?)?,
        start: decode_time(&text(6)?)?,
        end: opt_text(7)?
            .filter(|s| !s.is_empty())
            .map(|s| decode_time(&s))
            .transpose()?,
        timezone,
        location: text(9)?,
        address: text(10)?,
        latitude: real(11)?,
        longitude: real(12)?,
        approximate: flag(13)?,
        region: text(14)?,
        notes: text(15)?,
        types: text(16)?
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
        conference_url: text(17)?,
        conference_url_notes: text(18)?,
        conference_phone: text(19)?,
        conference_phone_notes: text(20)?,
        updated: text(21)?,
        location_notes: text(22)?,
        skipped: decode_dates(&text(23)?)?,
    })
}

/// Skipped dates as `YYYY-MM-DD` joined with ','.
pub(super) fn encode_dates(dates: &[NaiveDate]) -> String {
    let mut out = String::new();
    for (i, d) in dates.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&d.format("%Y-%m-%d").to_string());
    }
    out
}

fn decode_dates(s: &str) -> Result<Vec<NaiveDate>, String> {
    let mut dates = s
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| format!("skipped date \"{d}\" is not YYYY-MM-DD"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    dates.sort_unstable();
    dates.dedup();
    Ok(dates)
}

/// A fingerprint of a stored row, to tell "changed" from "unchanged" on re-import without
/// keeping the old rows themselves in memory (a 100,000-meeting feed would double the
/// import's peak memory).
pub(super) fn row_hash<'v>(row: impl IntoIterator<Item = ValueRef<'v>>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for v in row {
        match v {
            ValueRef::Null => 0u8.hash(&mut h),
            ValueRef::Integer(n) => (1u8, n).hash(&mut h),
            ValueRef::Real(x) => (2u8, x.to_bits()).hash(&mut h),
            ValueRef::Text(t) => (3u8, t).hash(&mut h),
            ValueRef::Blob(b) => (4u8, b).hash(&mut h),
        }
    }
    h.finish()
}

/// What a re-import needs of a stored row: its [`row_hash`], to tell "changed" from
/// "unchanged", and its rowid, to rewrite or remove it.
pub(super) struct Stored {
    pub hash: u64,
    pub rowid: i64,
}

/// A `SELECT COLUMNS, rowid` row's id, as a map key, and what [`Stored`] keeps of it, read in
/// place without copying the row (a damaged id that is not text still gets a distinct key).
pub(super) fn stored_fingerprint(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, Stored)> {
    let row = (0..COLUMNS.len())
        .map(|i| r.get_ref(i))
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let id = match row[0] {
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        other => format!("{other:?}"),
    };
    let rowid = r.get(COLUMNS.len())?;
    Ok((
        id,
        Stored {
            hash: row_hash(row),
            rowid,
        },
    ))
}
