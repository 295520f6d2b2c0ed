//! Importers: bytes of a meeting listing in, meetings plus a per-row report out.
//!
//! One module per format (Meeting Guide JSON, TSML CSV, BMLT JSON, the center's in-house
//! TOML and its spreadsheet form) and the signed bundle that carries them. Every importer is
//! lenient about what real feeds send and strict about what it hands on: each row it reads
//! is either imported or dropped, and every change or drop is noted with its row, field,
//! value and what was done, so a report accounts for every row.
//!
//! Importers do not touch the store, the network or the clock: they hand meetings to an
//! `Output` one at a time (so a 100,000-meeting feed streams into the database instead of
//! being held in memory), and the caller decides what to do with them.

use std::collections::HashSet;
use std::fmt;
use std::io::BufRead;
use std::path::Path;

use crate::schedule::phone::{self, Region};
use crate::schedule::status::{NotMeeting, StatusWords};
use crate::schedule::{Meeting, Recurrence};

pub mod bmlt;
pub mod bundle;
pub mod export;
pub mod fields;
pub mod in_house;
pub mod in_house_csv;
pub mod meeting_guide;
pub mod tsml_csv;

/// The formats the kiosk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    MeetingGuide,
    TsmlCsv,
    Bmlt,
    InHouse,
    /// The in-house schedule as a spreadsheet staff keep in Excel or LibreOffice.
    InHouseCsv,
    /// A kiosk schedule database; accepted only inside a signed bundle (`sync::bundles`).
    Sqlite,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::MeetingGuide,
        Format::TsmlCsv,
        Format::Bmlt,
        Format::InHouse,
        Format::InHouseCsv,
        Format::Sqlite,
    ];

    /// The name used on the command line and in bundle manifests.
    pub fn name(self) -> &'static str {
        match self {
            Format::MeetingGuide => "meeting-guide",
            Format::TsmlCsv => "tsml-csv",
            Format::Bmlt => "bmlt",
            Format::InHouse => "in-house",
            Format::InHouseCsv => "in-house-csv",
            Format::Sqlite => "sqlite",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Guesses the format from the file name and its first bytes; `None` when neither says.
    pub fn detect(path: &Path, head: &[u8]) -> Option<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        // The in-house sheet by its header (Name, Days or Repeats, Start), whatever the
        // spreadsheet saved it as; any other CSV is TSML's.
        let sheet = matches!(ext.as_deref(), None | Some("csv" | "tsv" | "txt"));
        if sheet && in_house_csv::is_its_header(head) {
            return Some(Format::InHouseCsv);
        }
        match ext.as_deref() {
            Some("csv") => return Some(Format::TsmlCsv),
            Some("toml") => return Some(Format::InHouse),
            Some("sqlite" | "db" | "sqlite3") => return Some(Format::Sqlite),
            _ => {}
        }
        let text = String::from_utf8_lossy(head);
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            // BMLT is recognisable by its field names; anything else JSON is Meeting Guide.
            if text.contains("\"weekday_tinyint\"")
                || text.contains("\"meeting_name\"")
                || text.contains("\"id_bigint\"")
            {
                return Some(Format::Bmlt);
            }
            if trimmed.starts_with('[') {
                return Some(Format::MeetingGuide);
            }
            return None;
        }
        if trimmed.starts_with("[[meeting]]") || trimmed.starts_with('#') {
            return Some(Format::InHouse);
        }
        None
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the person importing says about the file: feeds carry no program and no notion of
/// "in-house", so these are set per source.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The source the meetings replace (ids become `<source>:<slug>`).
    pub source: String,
    /// AA, NA, Al-Anon … applied to every meeting that does not say otherwise.
    pub program: String,
    /// Every meeting of the source is hosted by the center.
    pub in_house: bool,
    /// BMLT only: the server's GetFormats table, when it comes as a separate file.
    pub bmlt_formats: Option<bmlt::FormatTable>,
    /// What says a listing is not meeting, and how its phones are read.
    pub rules: Rules,
}

/// The center's reading of listings, the same for every source (from the config).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Words that say a listing is not meeting: built in, plus `[import] not_meeting_words`.
    pub status_words: StatusWords,
    /// The center's country: how conference phones written without `+` are read.
    pub region: Region,
}

/// Why a whole file was refused. Nothing of it was applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    /// "row 14", "line 3", "meeting \"step-study\"" … when the problem is at one place.
    pub row: Option<String>,
    pub field: Option<String>,
    pub why: String,
}

impl ImportError {
    pub fn file(file: &str, why: impl Into<String>) -> ImportError {
        ImportError {
            file: file.to_string(),
            row: None,
            field: None,
            why: why.into(),
        }
    }

    pub fn at(file: &str, row: impl Into<String>, field: &str, why: impl Into<String>) -> Self {
        ImportError {
            file: file.to_string(),
            row: Some(row.into()),
            field: (!field.is_empty()).then(|| field.to_string()),
            why: why.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(row) = &self.row {
            write!(f, " {row}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.why)
    }
}

impl std::error::Error for ImportError {}

/// One row the importer changed or dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowNote {
    /// "row 14" (CSV data rows count from 1 after the header; JSON array items from 1),
    /// or the slug when the format has one.
    pub row: String,
    pub field: String,
    pub value: String,
    /// What was done: "dropped the row: …", "kept without a time zone: …".
    pub action: String,
    /// The quirk without this row's particulars, so that notes repeating for many rows are
    /// one line: "rows: updated as M/D/YYYY h:mm:ss AM — read as such" (after the count).
    pub group: String,
}

impl RowNote {
    /// The row number alone ("row 14" of "row 14 (slug \"x\")").
    fn row_number(&self) -> &str {
        self.row.split(" (").next().unwrap_or(&self.row)
    }
}

impl fmt::Display for RowNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}, {}: {}", self.row, self.field, self.action)
        } else {
            write!(
                f,
                "{}, {} \"{}\": {}",
                self.row, self.field, self.value, self.action
            )
        }
    }
}

/// What an import read and did, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub file: String,
    pub format: Format,
    /// Rows (array items, CSV records, `[[meeting]]` tables) read.
    pub rows_read: usize,
    /// Rows that became at least one meeting.
    pub rows_imported: usize,
    /// Rows that became no meeting; each has a note saying why.
    pub rows_dropped: usize,
    /// Rows whose listing says the meeting is not happening ("(SUSPENDED) …"): read, not
    /// imported, each with a note.
    pub rows_not_meeting: usize,
    /// Meetings handed on (a row listing several days becomes several meetings).
    pub meetings: usize,
    /// Of those, meetings with a day and a start time (the rest are by appointment).
    pub scheduled: usize,
    pub in_house: usize,
    pub notes: Vec<RowNote>,
}

impl Report {
    /// Every row is imported, dropped, or not a meeting now: the promise the importers keep.
    pub fn accounts_for_every_row(&self) -> bool {
        self.rows_read == self.rows_imported + self.rows_dropped + self.rows_not_meeting
    }

    /// The notes as staff read them: a quirk repeated on many rows is one line with the count
    /// and the first three rows ("315 rows: updated as M/D/YYYY … (row 2, row 3, row 5 …)");
    /// a quirk of one row is that row's note. In the order the quirks first appear.
    pub fn grouped_notes(&self) -> Vec<String> {
        let mut groups: Vec<(&str, Vec<&RowNote>)> = Vec::new();
        for note in &self.notes {
            match groups.iter_mut().find(|(g, _)| *g == note.group) {
                Some((_, notes)) => notes.push(note),
                None => groups.push((&note.group, vec![note])),
            }
        }
        groups
            .into_iter()
            .map(|(group, notes)| match notes.as_slice() {
                [one] => one.to_string(),
                many => {
                    let first: Vec<&str> = many.iter().take(3).map(|n| n.row_number()).collect();
                    let more = if many.len() > 3 { " …" } else { "" };
                    format!("{} {group} ({}{more})", many.len(), first.join(", "))
                }
            })
            .collect()
    }
}

/// Where an importer puts what it read: counts rows, keeps notes, makes ids unique and hands
/// each meeting to the caller's sink.
pub struct Output<'a> {
    report: Report,
    sink: &'a mut dyn FnMut(Meeting) -> Result<(), ImportError>,
    ids: HashSet<String>,
    rules: Rules,
}

impl<'a> Output<'a> {
    pub fn new(
        file: &str,
        format: Format,
        sink: &'a mut dyn FnMut(Meeting) -> Result<(), ImportError>,
    ) -> Self {
        Output {
            report: Report {
                file: file.to_string(),
                format,
                rows_read: 0,
                rows_imported: 0,
                rows_dropped: 0,
                rows_not_meeting: 0,
                meetings: 0,
                scheduled: 0,
                in_house: 0,
                notes: Vec::new(),
            },
            sink,
            ids: HashSet::new(),
            rules: Rules::default(),
        }
    }

    /// What says a listing is not meeting, and how phones are read (from `Options`).
    fn set_rules(&mut self, options: &Options) {
        self.rules = options.rules.clone();
    }

    /// Rows read so far.
    pub fn rows_read(&self) -> usize {
        self.report.rows_read
    }

    /// Meetings with a day and a start time handed on so far.
    pub fn scheduled(&self) -> usize {
        self.report.scheduled
    }

    pub fn file(&self) -> &str {
        &self.report.file
    }

    /// Notes a change made to a row that is still imported.
    pub fn note(&mut self, row: &str, field: &str, value: &str, action: impl Into<String>) {
        let action = action.into();
        let group = format!("rows, {field}: {action}");
        self.note_grouped(row, field, value, action, group);
    }

    /// `note`, with the words that stand for it when many rows share the quirk (after the
    /// count: "rows: updated as M/D/YYYY h:mm:ss AM — read as such").
    pub fn note_grouped(
        &mut self,
        row: &str,
        field: &str,
        value: &str,
        action: impl Into<String>,
        group: impl Into<String>,
    ) {
        self.report.notes.push(RowNote {
            row: row.to_string(),
            field: field.to_string(),
            value: value.to_string(),
            action: action.into(),
            group: group.into(),
        });
    }

    /// Counts a row read whose listing says the meeting is not happening: not imported.
    pub fn not_meeting(&mut self, row: &str, field: &str, value: &str, why: &NotMeeting) {
        self.report.rows_read += 1;
        self.report.rows_not_meeting += 1;
        self.note_grouped(
            row,
            field,
            value,
            format!("{why}: not shown"),
            format!("meetings {}: not shown", why.plural()),
        );
    }

    /// Counts a row read that yields no meeting, with the reason.
    pub fn drop_row(&mut self, row: &str, field: &str, value: &str, why: &str) {
        self.report.rows_read += 1;
        self.report.rows_dropped += 1;
        self.note(row, field, value, format!("dropped the row: {why}"));
    }

    /// Counts a row read that yields `meetings` (one per day it lists). A repeated id gets
    /// `-2`, `-3` … appended and a note: two listings sharing a slug are usually two meetings.
    ///
    /// A listing that says it is not meeting ("(SUSPENDED) …") is counted as such instead,
    /// and a conference phone is rewritten as the number to dial (`schedule::phone`).
    pub fn import_row(&mut self, row: &str, mut meetings: Vec<Meeting>) -> Result<(), ImportError> {
        if let Some(first) = meetings.first() {
            let words = &self.rules.status_words;
            let said = match words.in_name(&first.name) {
                Some(why) => Some(("name", first.name.clone(), why)),
                None => words
                    .in_notes(&first.notes)
                    .map(|why| ("notes", first.notes.clone(), why)),
            };
            if let Some((field, text, why)) = said {
                self.not_meeting(row, field, &text, &why);
                return Ok(());
            }
            self.read_phone(row, &mut meetings);
        }
        self.report.rows_read += 1;
        if meetings.is_empty() {
            self.report.rows_dropped += 1;
            self.note(row, "", "", "dropped the row: it yields no meeting");
            return Ok(());
        }
        self.report.rows_imported += 1;
        for mut m in meetings {
            if !self.ids.insert(m.id.clone()) {
                let base = m.slug().to_string();
                let mut n = 2;
                let slug = loop {
                    let candidate = format!("{base}-{n}");
                    if !self.ids.contains(&format!("{}:{candidate}", m.source)) {
                        break candidate;
                    }
                    n += 1;
                };
                self.note(
                    row,
                    "slug",
                    &base,
                    format!("slug already used by an earlier row; kept as \"{slug}\""),
                );
                m.id = format!("{}:{slug}", m.source);
                self.ids.insert(m.id.clone());
            }
            self.report.meetings += 1;
            if m.recurrence != Recurrence::ByAppointment {
                self.report.scheduled += 1;
            }
            if m.in_house {
                self.report.in_house += 1;
            }
            (self.sink)(m)?;
        }
        Ok(())
    }

    pub fn finish(self) -> Report {
        self.report
    }

    /// The conference phone as the number to dial with its one-tap pauses; what else the field
    /// said goes to the phone notes. A field with no valid number is kept as text and noted.
    fn read_phone(&mut self, row: &str, meetings: &mut [Meeting]) {
        let given = meetings[0].conference_phone.trim().to_string();
        if given.is_empty() {
            return;
        }
        let Some(dial) = phone::read(&given, self.rules.region) else {
            self.note_grouped(
                row,
                "conference_phone",
                &given,
                "no number a phone can dial: shown as text, no QR code",
                "rows: conference phone holds no number a phone can dial — shown as text, no QR code",
            );
            return;
        };
        let made_pauses = dial.dial.contains(',') && !given.contains([',', ';']);
        if made_pauses || !dial.rest.is_empty() {
            let mut action = format!("dialled as {}", dial.tel_uri());
            if !dial.rest.is_empty() {
                action.push_str(&format!(
                    "; \"{}\" shown as text beside the code",
                    dial.rest
                ));
            }
            self.note_grouped(
                row,
                "conference_phone",
                &given,
                action,
                "rows: conference phone read as a number with its meeting ID and passcode as one-tap pauses",
            );
        }
        for m in meetings.iter_mut() {
            m.conference_phone = dial.dial.clone();
            if !dial.rest.is_empty() {
                let notes = m.conference_phone_notes.trim();
                m.conference_phone_notes = if notes.is_empty() {
                    dial.rest.clone()
                } else {
                    format!("{} · {notes}", dial.rest)
                };
            }
        }
    }
}

/// The source name a file gives when none is given: its stem, as a slug; for a URL, the
/// server's host name (feed paths like `…/client_interface/json/` say nothing).
pub fn source_name(path: &str) -> String {
    let lower = path.to_ascii_lowercase();
    let host = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
        .map(|rest| rest.split(['/', '?', '#', ':']).next().unwrap_or(rest));
    let stem = match host {
        Some(host) => host,
        None => Path::new(path.split(['?', '#']).next().unwrap_or(path))
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("import"),
    };
    let mut name = String::new();
    for c in stem.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    if name.is_empty() {
        "import".into()
    } else {
        name.into()
    }
}

/// Reads `input` in `format` into `out`.
pub fn read(
    format: Format,
    input: &mut dyn BufRead,
    options: &Options,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    out.set_rules(options);
    match format {
        Format::MeetingGuide => meeting_guide::read(input, options, out),
        Format::TsmlCsv => tsml_csv::read(input, options, out),
        Format::Bmlt => bmlt::read(input, options, out),
        Format::InHouse => in_house::read(input, options, out),
        Format::InHouseCsv => in_house_csv::read(input, options, out),
        Format::Sqlite => Err(ImportError::file(
            out.file(),
            "is a schedule database: the kiosk takes one only inside a signed bundle \
             (lobby-kiosk bundle --format sqlite …), never as a loose file",
        )),
    }
}

/// Reads a whole file into memory: for tests, `--dry-run` and small files.
pub fn read_all(
    format: Format,
    file: &str,
    bytes: &[u8],
    options: &Options,
) -> Result<(Vec<Meeting>, Report), ImportError> {
    let mut meetings = Vec::new();
    let mut sink = |m: Meeting| {
        meetings.push(m);
        Ok(())
    };
    let mut out = Output::new(file, format, &mut sink);
    read(format, &mut &bytes[..], options, &mut out)?;
    let report = out.finish();
    Ok((meetings, report))
}
