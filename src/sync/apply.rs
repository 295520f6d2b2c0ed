//! Applying an update to the store: a parsed source replaces that source's meetings inside
//! one transaction, or nothing changes.
//!
//! This is where the importers meet the store. It refuses what would blank or damage a
//! working schedule (a file with no usable meeting, a file too large to be a schedule) and
//! returns a report for the person who made the update. It does not decide where updates
//! come from (USB, sync folder, HTTP) or what the screen says about them.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::import::{self, Format, ImportError, Options, Output, Report};
use crate::store::{ReplaceCounts, Store, StoreError, Update};

/// Larger than any real listing (the biggest intergroup feeds are a few MB; 100,000
/// meetings of Meeting Guide JSON are about 60 MB), small enough for a Pi's memory and SD card.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// One source's import: what was read and how the stored schedule changed.
#[derive(Debug, Clone)]
pub struct SourceOutcome {
    pub source: String,
    pub report: Report,
    pub counts: ReplaceCounts,
}

impl SourceOutcome {
    /// The report as staff read it: counts, then what was changed, dropped or not shown — a
    /// quirk repeated on many rows as one line. `every_row` adds the full list, row by row
    /// (`import --verbose`, and the report written back to a USB stick).
    pub fn describe(&self, every_row: bool) -> String {
        let r = &self.report;
        let c = &self.counts;
        let mut text = format!(
            "{} ({}) → source \"{}\"\n  {} rows read: {} imported, {} dropped, {} not shown (not meeting) → {} meetings ({} in-house)\n  {} added, {} changed, {} removed, {} unchanged\n",
            r.file, r.format, self.source, r.rows_read, r.rows_imported, r.rows_dropped,
            r.rows_not_meeting, r.meetings, r.in_house, c.added, c.changed, c.removed, c.unchanged
        );
        if !r.notes.is_empty() {
            let grouped = r.grouped_notes();
            let _ = writeln!(
                text,
                "  {} notes on {} kinds of thing:",
                r.notes.len(),
                grouped.len()
            );
            for line in grouped {
                let _ = writeln!(text, "    {line}");
            }
            if every_row {
                let _ = writeln!(text, "  every row:");
                for note in &r.notes {
                    let _ = writeln!(text, "    {note}");
                }
            }
        }
        text
    }
}

pub fn store_error(file: &str) -> impl Fn(StoreError) -> ImportError + '_ {
    move |e| ImportError::file(file, e.to_string())
}

/// Streams `input` into `update` as the new meetings of `options.source`. Refuses (and the
/// caller rolls back) a file that yields no meeting: an empty answer from a feed server must
/// not blank the board.
pub fn apply_source(
    update: &Update<'_>,
    input: &mut dyn BufRead,
    file: &str,
    format: Format,
    options: &Options,
    origin: &str,
    imported_at: &str,
) -> Result<SourceOutcome, ImportError> {
    let mut writer = update
        .replace_source(&options.source, imported_at)
        .map_err(store_error(file))?;
    let mut sink = |m: crate::schedule::Meeting| writer.insert(&m).map_err(store_error(file));
    let mut out = Output::new(file, format, &mut sink);
    import::read(format, input, options, &mut out)?;
    let report = out.finish();
    let counts = writer.finish().map_err(store_error(file))?;
    // A feed whose every listing says it stopped is applied: the board must not keep them.
    if report.meetings == 0 && report.rows_not_meeting == 0 {
        let why = if report.rows_read == 0 {
            "contains no meetings".to_string()
        } else {
            format!(
                "has {} rows but none is a usable meeting (first problem: {})",
                report.rows_read,
                report
                    .notes
                    .first()
                    .map_or_else(|| "none noted".to_string(), |n| n.to_string())
            )
        };
        return Err(ImportError::file(
            file,
            format!("{why}; the current schedule is kept"),
        ));
    }
    update
        .describe_source(
            &options.source,
            origin,
            report.notes.len() - report.rows_not_meeting,
            report.rows_not_meeting,
        )
        .map_err(store_error(file))?;
    Ok(SourceOutcome {
        source: options.source.clone(),
        report,
        counts,
    })
}

/// Opens a schedule file for import, refusing what cannot be one before reading it all.
pub fn open_file(path: &Path) -> Result<(BufReader<File>, u64), ImportError> {
    let shown = path.display().to_string();
    let file = File::open(path)
        .map_err(|e| ImportError::file(&shown, format!("cannot be opened: {e}")))?;
    let len = file
        .metadata()
        .map_err(|e| ImportError::file(&shown, format!("cannot be read: {e}")))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(ImportError::file(
            &shown,
            format!(
                "is {} MB; the kiosk reads schedule files up to {} MB, so this is not a meeting listing (or is the wrong file)",
                len / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok((BufReader::with_capacity(64 * 1024, file), len))
}

/// The format a file is in: as given, or guessed from its name and first bytes.
pub fn detect_format(
    path: &Path,
    reader: &mut dyn BufRead,
    given: Option<Format>,
) -> Result<Format, ImportError> {
    if let Some(format) = given {
        return Ok(format);
    }
    let shown = path.display().to_string();
    let head = reader
        .fill_buf()
        .map_err(|e| ImportError::file(&shown, format!("cannot be read: {e}")))?;
    if head.starts_with(b"SQLite format 3\0") {
        return Ok(Format::Sqlite);
    }
    // UTF-16 text (Excel's "Unicode Text") is half zero bytes but not binary.
    let utf16 = head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]);
    if !utf16 && head.iter().take(512).any(|b| *b == 0) {
        return Err(ImportError::file(
            &shown,
            "is a binary file, not a meeting listing (expected Meeting Guide JSON, TSML CSV, BMLT JSON or an in-house TOML or CSV file)",
        ));
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(64 * 1024)]);
    if text.contains("\"key_string\"")
        && text.contains("\"world_id\"")
        && !text.contains("\"meeting_name\"")
    {
        return Err(ImportError::file(
            &shown,
            "is a BMLT format table (GetFormats), not meetings: give it with --bmlt-formats when importing the BMLT meetings",
        ));
    }
    Format::detect(path, head).ok_or_else(|| {
        ImportError::file(
            &shown,
            "is not in a format the kiosk knows (Meeting Guide JSON, TSML CSV, BMLT JSON or in-house TOML or CSV); give --format if the name misleads",
        )
    })
}

/// Imports one file as one source, all or nothing. With `dry_run` the transaction is rolled
/// back: the report and counts say what would change.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    format: Option<Format>,
    options: &Options,
    imported_at: &str,
    dry_run: bool,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<SourceOutcome, ImportError> {
    let shown = path.display().to_string();
    let (reader, len) = open_file(path)?;
    let mut reader = BufReader::with_capacity(
        64 * 1024,
        Progress {
            inner: reader,
            read: 0,
            total: len,
            report: progress,
        },
    );
    let format = detect_format(path, &mut reader, format)?;
    let update = store.begin_update().map_err(store_error(&shown))?;
    let outcome = apply_source(
        &update,
        &mut reader,
        &shown,
        format,
        options,
        &shown,
        imported_at,
    )?;
    if !dry_run {
        update.commit().map_err(store_error(&shown))?;
    }
    Ok(outcome)
}

/// Counts bytes as they are read, for a progress bar on a terminal.
struct Progress<'p, R> {
    inner: R,
    read: u64,
    total: u64,
    report: &'p mut dyn FnMut(u64, u64),
}

impl<R: Read> Read for Progress<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        (self.report)(self.read, self.total);
        Ok(n)
    }
}
