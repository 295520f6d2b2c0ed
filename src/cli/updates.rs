//! The staff's update tools on the command line: `import`, `export`, `keygen`, `bundle`.
//!
//! Each prints a report a person can act on and exits non-zero with a one-line reason when
//! nothing was applied. The work itself is in `sync` and `import`; this file only reads
//! arguments and prints.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use clap::Args;

use crate::config::{Config, Setup};
use crate::import::{self, Format, Options};
use crate::store::Store;
use crate::sync::apply;

#[derive(Args)]
pub struct ImportArgs {
    /// A schedule file, an http(s) feed URL, or a signed bundle folder.
    #[arg(value_name = "SOURCE")]
    input: String,
    /// auto | meeting-guide | tsml-csv | bmlt | in-house
    #[arg(long, default_value = "auto")]
    format: String,
    /// The source the meetings replace (default: the file's name without extension).
    #[arg(long)]
    source: Option<String>,
    /// Program of every meeting (AA, NA, Al-Anon …): feeds do not say.
    #[arg(long, default_value = "")]
    program: String,
    /// Every meeting of this source is hosted by the center.
    #[arg(long)]
    in_house: bool,
    /// Check and report, change nothing.
    #[arg(long)]
    dry_run: bool,
    /// BMLT: the server's GetFormats answer, when the feed does not include its formats.
    #[arg(long, value_name = "FILE")]
    bmlt_formats: Option<PathBuf>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// in-house | meeting-guide
    #[arg(long)]
    format: String,
    /// Only this source (default: all in-house meetings for in-house, everything otherwise).
    #[arg(long)]
    source: Option<String>,
    /// Write here instead of standard output (written to a temporary file, then renamed).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct KeygenArgs {
    /// Folder to write kiosk-bundle.key and kiosk-bundle.pub into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Args)]
pub struct BundleArgs {
    /// Secret key made by `lobby-kiosk keygen`.
    #[arg(long, value_name = "KEY")]
    key: PathBuf,
    /// Bundle version: must be higher than any bundle the kiosks accepted before.
    #[arg(long)]
    version: u64,
    /// Folder to write the bundle into (e.g. /media/STICK/lobby-kiosk).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Source name for every file (default: each file's name without extension).
    #[arg(long)]
    source: Option<String>,
    /// Format of every file (default: guessed from each file).
    #[arg(long)]
    format: Option<String>,
    #[arg(long, default_value = "")]
    program: String,
    #[arg(long)]
    in_house: bool,
    /// Bundle a hand-written manifest.toml (and the files beside it) instead.
    #[arg(long, value_name = "FILE", conflicts_with = "files")]
    manifest: Option<PathBuf>,
    /// Schedule files to put in the bundle.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// The store an update goes into: `--db`, or the config's database. Never the demo.
fn open_store(setup: Setup, db: Option<&Path>) -> Result<(Config, Store), String> {
    let (config, path) = match (setup, db) {
        (Setup::Demo(_), None) => {
            return Err(
                "no database to update: give --db PATH, or --config with a [database] path".into(),
            )
        }
        (Setup::Demo(config), Some(db)) | (Setup::File(config, _), Some(db)) => {
            (config, db.to_path_buf())
        }
        (Setup::File(config, _), None) => {
            let path = config.database.path.clone();
            (config, path)
        }
    };
    let store = Store::open(&path).map_err(|e| e.to_string())?;
    Ok((config, store))
}

fn parse_format(name: &str) -> Result<Option<Format>, String> {
    if name == "auto" {
        return Ok(None);
    }
    Format::from_name(name).map(Some).ok_or_else(|| {
        format!("--format {name}: expected auto, meeting-guide, tsml-csv, bmlt or in-house")
    })
}

/// The source name a file gives when none is given: its stem, as a slug.
pub fn source_from_path(path: &str) -> String {
    let stem = Path::new(path.split(['?', '#']).next().unwrap_or(path))
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("import");
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

pub fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn import(setup: Setup, db: Option<&Path>, args: ImportArgs) -> Result<(), String> {
    let format = parse_format(&args.format)?;
    let (_config, mut store) = open_store(setup, db)?;
    let bmlt_formats = match &args.bmlt_formats {
        None => None,
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("{}: cannot be read: {e}", path.display()))?;
            Some(
                import::bmlt::FormatTable::parse(&path.display().to_string(), &bytes)
                    .map_err(|e| e.to_string())?,
            )
        }
    };
    let options = Options {
        source: args
            .source
            .clone()
            .unwrap_or_else(|| source_from_path(&args.input)),
        program: args.program.clone(),
        in_house: args.in_house,
        bmlt_formats,
    };
    let path = Path::new(&args.input);
    let mut bar = ProgressBar::new();
    let outcome = apply::import_file(
        &mut store,
        path,
        format,
        &options,
        &now_rfc3339(),
        args.dry_run,
        &mut |read, total| bar.show(read, total),
    );
    bar.clear();
    let outcome = outcome.map_err(|e| e.to_string())?;
    print!("{}", outcome.describe());
    if args.dry_run {
        println!("dry run: nothing was changed");
    }
    Ok(())
}

pub fn export(setup: Setup, db: Option<&Path>, args: ExportArgs) -> Result<(), String> {
    let (_config, store) = open_store(setup, db)?;
    let (meetings, skipped) = store.meetings().map_err(|e| e.to_string())?;
    for warning in skipped {
        eprintln!("lobby-kiosk: {warning}");
    }
    let text = match args.format.as_str() {
        "in-house" => {
            // Without --source: the center's own meetings, whichever source brought them.
            let chosen: Vec<_> = meetings
                .into_iter()
                .filter(|m| match &args.source {
                    Some(s) => &m.source == s,
                    None => m.in_house,
                })
                .collect();
            import::in_house::export(&chosen).map_err(|e| format!("cannot write TOML: {e}"))?
        }
        "meeting-guide" => {
            let chosen: Vec<_> = meetings
                .into_iter()
                .filter(|m| args.source.as_ref().is_none_or(|s| &m.source == s))
                .collect();
            let (json, skipped) = import::export::meeting_guide(&chosen)?;
            for (id, why) in &skipped {
                eprintln!("not exported: {id}: {why}");
            }
            json
        }
        other => {
            return Err(format!(
                "--format {other}: expected in-house or meeting-guide"
            ))
        }
    };
    match &args.out {
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("cannot write the export: {e}"))
        }
        Some(path) => crate::sync::files::write_atomically(path, text.as_bytes())
            .map_err(|e| format!("{}: {e}", path.display())),
    }
}

pub fn keygen(args: KeygenArgs) -> Result<(), String> {
    let _ = args;
    Err("keygen is not available yet".into())
}

pub fn bundle(args: BundleArgs) -> Result<(), String> {
    let _ = args;
    Err("bundle is not available yet".into())
}

/// A one-line progress bar on a terminal for inputs over a few MB; silent otherwise.
struct ProgressBar {
    enabled: bool,
    shown: u64,
}

impl ProgressBar {
    const MIN_BYTES: u64 = 4 * 1024 * 1024;

    fn new() -> Self {
        ProgressBar {
            enabled: std::io::stderr().is_terminal(),
            shown: u64::MAX,
        }
    }

    fn show(&mut self, read: u64, total: u64) {
        if !self.enabled || total < Self::MIN_BYTES {
            return;
        }
        let percent = (read.min(total) * 100) / total.max(1);
        if percent == self.shown {
            return;
        }
        self.shown = percent;
        let filled = (percent / 5) as usize;
        eprint!(
            "\rimporting [{}{}] {percent:>3}%  {} / {} MB",
            "#".repeat(filled),
            " ".repeat(20 - filled),
            read / (1024 * 1024),
            total / (1024 * 1024)
        );
    }

    fn clear(&mut self) {
        if self.enabled && self.shown != u64::MAX {
            eprint!("\r{:60}\r", "");
        }
    }
}
