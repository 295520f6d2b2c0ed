//! The center's own schedule as a spreadsheet: the same meetings as the in-house TOML file
//! (`in_house`), one row per meeting, for staff who keep it in Excel or LibreOffice.
//!
//! `export` writes what Excel opens without asking (UTF-8 with BOM, CRLF, `,`) with every
//! field of the TOML form, so TOML → meetings → CSV → meetings gives the same meetings and
//! CSV → CSV is stable. `read` takes the sheet back the way spreadsheets save it (`sheet`)
//! and its cells the way people write them (`values`), with the TOML file's rules: meetings
//! are in-house unless the row says not, ids are `<source>:<ID>`, a row without an ID gets
//! the same derived slug as in TOML.
//!
//! A file without the columns a meeting needs, or without one usable row, is refused whole.
//! A row that cannot be understood is dropped with its spreadsheet row number (the header is
//! row 1), the column, and what to write instead; the other rows import.
//!
//! It does not decide where the file comes from or whether a person approved it.

mod columns;
mod sheet;
mod values;
mod when;

use std::io::{BufRead, Read};

use chrono::NaiveTime;
use chrono_tz::Tz;

use super::fields;
use super::in_house::derive_slug;
use super::{ImportError, Options, Output};
use crate::schedule::{Meeting, Recurrence};
use columns::{key_of, Column, Columns, COLUMNS};
use values::TypeItem;
use when::WhenCell;

/// What staff find next to the file on the USB stick (`README.txt`): how to fill it in.
pub const README: &str = include_str!("in_house_csv/README.txt");

/// A hand-kept sheet is small; anything bigger is not one.
const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// Whether the start of a file is this sheet's header: Name, Start and Days or Repeats, in
/// these words (TSML CSV, the other CSV the kiosk reads, says Day and Time).
pub fn is_its_header(head: &[u8]) -> bool {
    let keys: Vec<String> = sheet::first_row(head).iter().map(|h| key_of(h)).collect();
    let has = |k: &str| keys.iter().any(|key| key == k);
    has("name") && has("start") && (has("days") || has("repeats"))
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
        .map_err(|e| ImportError::file(&file, format!("cannot be read: {e}")))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ImportError::file(
            &file,
            "is larger than 8 MB: that is not the center's meeting list",
        ));
    }
    let sheet = sheet::read(&bytes).map_err(|u| match u.row {
        Some(row) => ImportError::at(&file, format!("row {row}"), "", u.why),
        None => ImportError::file(&file, u.why),
    })?;
    let Some(header) = sheet.rows.first() else {
        return Err(ImportError::file(
            &file,
            "is empty: the first row needs the column names (Name, Days, Start, End, Repeats …) \
             and each row below it one meeting; the current schedule is kept",
        ));
    };
    let columns = Columns::from_header(&file, header, out)?;
    if sheet.encoding == sheet::Encoding::Windows1252 {
        out.note(
            "file",
            "encoding",
            "",
            "not UTF-8 text: read as Windows-1252, as Excel saves \"CSV\" on Windows; check that \
             accents look right, or save as \"CSV UTF-8\" next time",
        );
    }
    let (mut used, mut dropped) = (0, 0);
    let mut first_problem = None;
    for (i, cells) in sheet.rows.iter().enumerate().skip(1) {
        // Spreadsheets write the empty rows below a list (and staff leave gaps): not meetings.
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let label = format!("row {}", i + 1);
        used += 1;
        columns.note_unnamed(&label, cells, out);
        match meeting(&columns, cells, options) {
            Ok((m, notes)) => {
                for n in notes {
                    out.note_grouped(&label, &n.field, &n.value, n.action, n.group);
                }
                out.import_row(&label, vec![m])?;
            }
            Err(p) => {
                dropped += 1;
                let field = p.column.field();
                first_problem.get_or_insert_with(|| {
                    if p.value.is_empty() {
                        format!("{label}, {field}: {}", p.why)
                    } else {
                        format!("{label}, {field} \"{}\": {}", p.value, p.why)
                    }
                });
                out.drop_row(&label, &field, &p.value, &p.why);
            }
        }
    }
    if used == 0 {
        return Err(ImportError::file(
            &file,
            "has no meetings below its header row; nothing was imported and the current \
             schedule is kept",
        ));
    }
    if dropped == used {
        return Err(ImportError::file(
            &file,
            format!(
                "none of its {used} rows could be used (the first: {}); nothing was imported \
                 and the current schedule is kept",
                first_problem.unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// Why a row was dropped: the cell and what to write instead.
struct Problem {
    column: Column,
    value: String,
    why: String,
}

fn problem(column: Column, value: &str, why: impl Into<String>) -> Problem {
    Problem {
        column,
        value: value.trim().to_string(),
        why: why.into(),
    }
}

/// A change to a row that is still imported, noted once it is.
struct Note {
    field: String,
    value: String,
    action: String,
    group: String,
}

fn note(column: Column, value: &str, action: impl Into<String>) -> Note {
    let action = action.into();
    let group = format!("rows, {}: {action}", column.field());
    Note {
        field: column.field(),
        value: value.trim().to_string(),
        action,
        group,
    }
}

/// One row → a meeting, or why not. As `in_house::to_meeting` does for a `[[meeting]]`.
fn meeting(
    columns: &Columns,
    row: &[String],
    options: &Options,
) -> Result<(Meeting, Vec<Note>), Problem> {
    let get = |c: Column| columns.get(row, c);
    let mut notes = Vec::new();
    let name = get(Column::Name).trim();
    if name.is_empty() {
        return Err(problem(
            Column::Name,
            "",
            "empty; every meeting needs a name",
        ));
    }
    let recurrence =
        when::recurrence(get(Column::Days), get(Column::Repeats)).map_err(|(cell, why)| {
            let column = match cell {
                WhenCell::Days => Column::Days,
                WhenCell::Repeats => Column::Repeats,
            };
            problem(column, get(column), why)
        })?;
    let start = match (&recurrence, get(Column::Start).trim()) {
        (Recurrence::ByAppointment, "") => NaiveTime::MIN,
        (_, "") => {
            return Err(problem(
                Column::Start,
                "",
                "empty; write when it starts, e.g. 6:30 PM or 18:30",
            ))
        }
        (_, s) => values::time(s).ok_or_else(|| {
            problem(
                Column::Start,
                s,
                format!("not a time; write it as {}", values::time_example(s)),
            )
        })?,
    };
    let end = match get(Column::End).trim() {
        "" => None,
        s => Some(values::time(s).ok_or_else(|| {
            problem(
                Column::End,
                s,
                format!(
                    "not a time; write it as {}, or leave it empty for one hour",
                    values::time_example(s)
                ),
            )
        })?),
    };
    let timezone = match get(Column::TimeZone).trim() {
        "" => None,
        s => Some(s.parse::<Tz>().map_err(|_| {
            problem(
                Column::TimeZone,
                s,
                "not a time zone the kiosk knows; write one such as America/New_York, or leave \
                 it empty for the kiosk's own",
            )
        })?),
    };
    let yes_no = |column: Column, default: bool| match get(column).trim() {
        "" => Ok(default),
        s => values::yes_no(s).ok_or_else(|| problem(column, s, "write yes or no")),
    };
    let in_house = yes_no(Column::InHouse, true)?;
    let approximate = yes_no(Column::Approximate, false)?;

    let slug = match get(Column::Id).trim() {
        "" => {
            let derived = derive_slug(name, &recurrence, start);
            let mut n = note(
                Column::Id,
                "",
                format!(
                    "empty; the kiosk calls this meeting \"{derived}\" (write that in the ID \
                     column to keep its sign-in counts if its name, day or time change)"
                ),
            );
            n.group = "rows, column ID: empty — the kiosk made an ID from the name, day and \
                       time (write it in to keep sign-in counts when these change)"
                .into();
            notes.push(n);
            derived
        }
        s => s.to_string(),
    };
    let mut m = Meeting::new(&options.source, &slug, name, recurrence, start);
    m.program = match get(Column::Program) {
        p if p.trim().is_empty() => options.program.clone(),
        p => p.to_string(),
    };
    // The sheet is the center's own schedule: its meetings are in-house unless one says not.
    m.in_house = options.in_house || in_house;
    m.end = end;
    m.timezone = timezone;
    m.location = get(Column::Location).to_string();
    m.location_notes = get(Column::Room).to_string();
    m.address = get(Column::Address).to_string();
    m.approximate = approximate;
    (m.latitude, m.longitude) =
        coordinates(get(Column::Latitude), get(Column::Longitude), &mut notes);
    m.region = get(Column::Region).to_string();
    m.notes = get(Column::Notes).to_string();
    m.types = types(get(Column::Types), &mut notes);
    m.conference_url = get(Column::OnlineLink).trim().to_string();
    if !m.conference_url.is_empty() && !fields::is_https(&m.conference_url) {
        notes.push(note(
            Column::OnlineLink,
            &m.conference_url,
            "not an https:// link: shown as text only, never as a QR code",
        ));
    }
    m.conference_url_notes = get(Column::OnlineLinkNotes).to_string();
    m.conference_phone = get(Column::Phone).trim().to_string();
    m.conference_phone_notes = get(Column::PhoneNotes).to_string();
    m.updated = updated(get(Column::Updated), &mut notes);
    m.skipped = skipped(get(Column::SkipDates), &mut notes);
    Ok((m, notes))
}

/// Both coordinates or none, as in the TOML file; a pair that cannot be a place is dropped.
fn coordinates(lat: &str, lon: &str, notes: &mut Vec<Note>) -> (Option<f64>, Option<f64>) {
    let (lat, lon) = (lat.trim(), lon.trim());
    if lat.is_empty() && lon.is_empty() {
        return (None, None);
    }
    match (values::coordinate(lat), values::coordinate(lon)) {
        (Some(a), Some(b)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&b) => {
            (Some(a), Some(b))
        }
        _ => {
            notes.push(note(
                Column::Latitude,
                &format!("{lat}, {lon}"),
                "coordinates need both a Latitude (−90 to 90) and a Longitude (−180 to 180), \
                 e.g. 39.9626 and -75.1631; the meeting is kept without them",
            ));
            (None, None)
        }
    }
}

/// The codes of a Types cell, in order; a type the kiosk has no label for is kept and noted.
fn types(text: &str, notes: &mut Vec<Note>) -> Vec<String> {
    let mut codes = Vec::new();
    for item in text.split([',', ';']) {
        match values::type_item(item) {
            None => {}
            Some(TypeItem::Known(code)) => codes.push(code),
            Some(TypeItem::Unknown(written)) => {
                let mut n = note(
                    Column::Types,
                    &written,
                    "not a type the kiosk knows: shown as written (README.txt lists the codes)",
                );
                n.group = format!(
                    "rows, column Types: \"{written}\" is not a type the kiosk knows — shown as \
                     written"
                );
                notes.push(n);
                codes.push(written);
            }
        }
    }
    codes
}

/// Skipped dates, sorted, each once; one that cannot be read is noted and left out (as the
/// TOML file does: the meeting itself still shows).
fn skipped(text: &str, notes: &mut Vec<Note>) -> Vec<chrono::NaiveDate> {
    let mut dates = Vec::new();
    for read in values::dates(text) {
        match read {
            Ok(date) => dates.push(date),
            Err(why) => notes.push(note(
                Column::SkipDates,
                text,
                format!("{why}; that date was left out"),
            )),
        }
    }
    dates.sort_unstable();
    dates.dedup();
    dates
}

/// `updated` kept as written, except the US form Excel turns "2026-01-05 10:00:00" into when
/// it opens the file ("1/5/2026 10:00"), which is read back.
fn updated(text: &str, notes: &mut Vec<Note>) -> String {
    match fields::us_timestamp(text) {
        Some((fixed, _)) => {
            notes.push(note(Column::Updated, text, format!("read as \"{fixed}\"")));
            fixed
        }
        None => text.to_string(),
    }
}

/// The sheet of `meetings`, one row each, as Excel opens it without asking: UTF-8 with BOM
/// (so accents show), CRLF, `,`. Importing it with the same source gives the same meetings.
pub fn export(meetings: &[Meeting]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    let header: Vec<String> = COLUMNS.iter().map(|(_, h, _)| h.to_string()).collect();
    write_row(&mut out, &header);
    for m in meetings {
        write_row(&mut out, &row_of(m));
    }
    out
}

fn row_of(m: &Meeting) -> Vec<String> {
    let (days, repeats) = when::write_recurrence(&m.recurrence);
    let start = match m.recurrence {
        Recurrence::ByAppointment if m.start == NaiveTime::MIN => String::new(),
        _ => values::write_time(m.start),
    };
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let dates: Vec<String> = m.skipped.iter().map(|d| values::write_date(*d)).collect();
    let cells = COLUMNS.map(|(column, _, _)| match column {
        Column::Name => m.name.clone(),
        Column::Days => days.clone(),
        Column::Start => start.clone(),
        Column::End => m.end.map(values::write_time).unwrap_or_default(),
        Column::Repeats => repeats.clone(),
        Column::SkipDates => dates.join(", "),
        Column::Room => m.location_notes.clone(),
        Column::Program => m.program.clone(),
        Column::Types => m.types.join(", "),
        Column::Notes => m.notes.clone(),
        Column::OnlineLink => m.conference_url.clone(),
        Column::Phone => m.conference_phone.clone(),
        Column::Id => m.slug().to_string(),
        Column::Location => m.location.clone(),
        Column::Address => m.address.clone(),
        Column::Latitude => number(m.latitude),
        Column::Longitude => number(m.longitude),
        Column::TimeZone => m
            .timezone
            .map(|tz| tz.name().to_string())
            .unwrap_or_default(),
        Column::OnlineLinkNotes => m.conference_url_notes.clone(),
        Column::PhoneNotes => m.conference_phone_notes.clone(),
        Column::Region => m.region.clone(),
        Column::Approximate => values::write_yes_no(m.approximate).to_string(),
        Column::InHouse => values::write_yes_no(m.in_house).to_string(),
        Column::Updated => m.updated.clone(),
    });
    cells.to_vec()
}

/// One row, each cell quoted when it must be (a separator, quote or line break in it) or
/// when spaces at its ends would otherwise be lost by some programs.
fn write_row(out: &mut Vec<u8>, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let quote = cell.contains([',', ';', '"', '\t', '\r', '\n']) || cell.trim() != cell;
        if quote {
            out.push(b'"');
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests;
