//! The columns of the in-house sheet: the headers the export writes, the other spellings
//! read as the same column, and which cell of a row holds which. A header row without the
//! columns a meeting needs refuses the file; an unknown or repeated header is noted once.

use crate::import::fields;
use crate::import::{ImportError, Output};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Days,
    Start,
    End,
    Repeats,
    SkipDates,
    Room,
    Program,
    Types,
    Notes,
    OnlineLink,
    Phone,
    Id,
    Location,
    Address,
    Latitude,
    Longitude,
    TimeZone,
    OnlineLinkNotes,
    PhoneNotes,
    Region,
    Approximate,
    InHouse,
    Updated,
}

/// The columns in the order the export writes them, with the header it writes and other
/// headers read as the same column. Headers are compared by their letters and digits only,
/// ignoring case ("Skip dates", "SKIP-DATES" and "skipdates" are one).
pub const COLUMNS: [(Column, &str, &[&str]); 24] = [
    (Column::Name, "Name", &["meeting", "meetingname", "title"]),
    (Column::Days, "Days", &["day", "weekday", "weekdays"]),
    (Column::Start, "Start", &["starttime", "time", "starts"]),
    (Column::End, "End", &["endtime", "ends"]),
    (
        Column::Repeats,
        "Repeats",
        &["repeat", "recurrence", "howoften", "frequency"],
    ),
    (
        Column::SkipDates,
        "Skip dates",
        &["skip", "skipped", "skippeddates", "holidays"],
    ),
    (Column::Room, "Room", &["locationnotes"]),
    (Column::Program, "Program", &["fellowship"]),
    (Column::Types, "Types", &["type", "typecodes", "codes"]),
    (Column::Notes, "Notes", &[]),
    (
        Column::OnlineLink,
        "Online link",
        &["onlineurl", "conferenceurl", "link", "zoomlink"],
    ),
    (
        Column::Phone,
        "Phone",
        &["conferencephone", "dialin", "phonenumber"],
    ),
    (Column::Id, "ID", &["slug", "meetingid"]),
    (Column::Location, "Location", &["locationname", "building"]),
    (
        Column::Address,
        "Address",
        &["formattedaddress", "streetaddress"],
    ),
    (Column::Latitude, "Latitude", &["lat"]),
    (Column::Longitude, "Longitude", &["lon", "lng", "long"]),
    (Column::TimeZone, "Time zone", &["tz"]),
    (
        Column::OnlineLinkNotes,
        "Online link notes",
        &["onlineurlnotes", "conferenceurlnotes"],
    ),
    (Column::PhoneNotes, "Phone notes", &["conferencephonenotes"]),
    (Column::Region, "Region", &["area"]),
    (
        Column::Approximate,
        "Approximate location",
        &["approximate"],
    ),
    (Column::InHouse, "In house", &["inhousemeeting"]),
    (Column::Updated, "Updated", &["lastupdated"]),
];

impl Column {
    /// The header the export writes, as messages name the column.
    pub fn header(self) -> &'static str {
        COLUMNS[self as usize].1
    }

    pub fn field(self) -> String {
        format!("column {}", self.header())
    }

    fn of_header(key: &str) -> Option<Column> {
        COLUMNS
            .iter()
            .find(|(_, header, aliases)| key_of(header) == key || aliases.contains(&key))
            .map(|(column, _, _)| *column)
    }
}

/// A header as compared: lower-case letters and digits.
pub fn key_of(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Which cell holds which column.
pub struct Columns {
    /// Per cell of a row, from the left: its column, `None` when the header is unknown or
    /// empty.
    cells: Vec<Option<Column>>,
    /// Per cell: whether row 1 has a name above it (an unknown one is noted there, once).
    named: Vec<bool>,
}

impl Columns {
    /// Refuses a header without the columns every meeting needs; notes unknown and repeated
    /// headers, which are ignored.
    pub fn from_header(
        file: &str,
        header: &[String],
        out: &mut Output<'_>,
    ) -> Result<Columns, ImportError> {
        let mut cells = Vec::new();
        for name in header {
            let name = name.trim();
            let column = Column::of_header(&key_of(name));
            match column {
                None if name.is_empty() => {}
                None => out.note(
                    "row 1",
                    &format!("column {name}"),
                    "",
                    format!(
                        "not a column the kiosk knows: ignored{}",
                        nearest_header(name)
                    ),
                ),
                Some(c) if cells.contains(&Some(c)) => out.note(
                    "row 1",
                    &format!("column {name}"),
                    "",
                    format!(
                        "a second column for {}: ignored, the first one is read",
                        c.header()
                    ),
                ),
                Some(_) => {}
            }
            let repeated = column.is_some() && cells.contains(&column);
            cells.push(if repeated { None } else { column });
        }
        let named = header.iter().map(|h| !h.trim().is_empty()).collect();
        let columns = Columns { cells, named };
        let mut missing = Vec::new();
        if !columns.has(Column::Name) {
            missing.push("Name (the meeting's name)");
        }
        if !columns.has(Column::Start) {
            missing.push("Start (when it starts, e.g. 6:30 PM)");
        }
        if !columns.has(Column::Days) && !columns.has(Column::Repeats) {
            missing.push("Days or Repeats (when it meets, e.g. Thursday, or 2nd Tuesday)");
        }
        if missing.is_empty() {
            return Ok(columns);
        }
        let mut found: Vec<String> = header
            .iter()
            .filter(|h| !h.trim().is_empty())
            .take(6)
            .map(|h| format!("\"{}\"", h.trim()))
            .collect();
        if header.len() > 6 {
            found.push("…".into());
        }
        let found = if found.is_empty() {
            "nothing".to_string()
        } else {
            found.join(", ")
        };
        Err(ImportError::at(
            file,
            "row 1",
            "",
            format!(
                "has no column {}. The first row must hold the column names, as in the file the \
                 kiosk exports (found {found}). Nothing was imported; the current schedule is kept",
                missing.join(" and no column "),
            ),
        ))
    }

    pub fn has(&self, column: Column) -> bool {
        self.cells.contains(&Some(column))
    }

    /// The cell of `column` in `row`, as written; "" when the sheet has no such column or the
    /// row is shorter.
    pub fn get<'r>(&self, row: &'r [String], column: Column) -> &'r str {
        self.cells
            .iter()
            .position(|c| *c == Some(column))
            .and_then(|i| row.get(i))
            .map_or("", String::as_str)
    }

    /// Notes a value in a cell with no column name above it: it is not read. The value is
    /// not repeated in the report (it may be anything, a person's name too).
    pub fn note_unnamed(&self, label: &str, row: &[String], out: &mut Output<'_>) {
        for (i, value) in row.iter().enumerate() {
            if !self.named.get(i).copied().unwrap_or(false) && !value.trim().is_empty() {
                out.note(
                    label,
                    &format!("column {}", column_letter(i)),
                    "",
                    "has a value but no column name in row 1: ignored",
                );
            }
        }
    }
}

/// The spreadsheet's name for the `i`th column from the left (0 → A, 26 → AA).
pub fn column_letter(i: usize) -> String {
    let mut n = i + 1;
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(char::from(b'A' + (n % 26) as u8));
        n /= 26;
    }
    letters.iter().rev().collect()
}

/// "; did you mean Start?" when an unknown header is a letter or two from a known one.
fn nearest_header(name: &str) -> String {
    let key = key_of(name);
    COLUMNS
        .iter()
        .map(|(_, header, _)| (fields::edit_distance(&key, &key_of(header)), *header))
        .filter(|(distance, _)| *distance <= 2 && key.chars().count() > 3)
        .min_by_key(|(distance, _)| *distance)
        .map_or(String::new(), |(_, header)| {
            format!("; did you mean {header}?")
        })
}
