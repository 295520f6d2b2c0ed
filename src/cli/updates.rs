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
    /// auto | meeting-guide | tsml-csv | bmlt | in-house | in-house-csv
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
    /// List every row's note, not only one line per kind of quirk.
    #[arg(long)]
    verbose: bool,
    /// BMLT: the server's GetFormats answer, when the feed does not include its formats.
    #[arg(long, value_name = "FILE")]
    bmlt_formats: Option<PathBuf>,
}

#[derive(Args)]
pub struct ExportArgs {
    /// in-house | in-house-csv | meeting-guide
    #[arg(long)]
    format: String,
    /// Only this source (default: all in-house meetings for in-house and in-house-csv,
    /// everything otherwise).
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
    /// The folder holds an earlier bundle (the office's sync folder): put this one in its
    /// place, the signature last. Hidden files (Syncthing's .stfolder) are left alone.
    #[arg(long)]
    replace: bool,
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
    crate::app::store_for_staff(setup, db).map(|(config, store, _)| (config, store))
}

fn parse_format(name: &str) -> Result<Option<Format>, String> {
    if name == "auto" {
        return Ok(None);
    }
    Format::from_name(name).map(Some).ok_or_else(|| {
        format!(
            "--format {name}: expected auto, meeting-guide, tsml-csv, bmlt, in-house or in-house-csv"
        )
    })
}

pub use crate::import::source_name as source_from_path;

pub fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn import(setup: Setup, db: Option<&Path>, args: ImportArgs) -> Result<(), String> {
    let format = parse_format(&args.format)?;
    let (config, mut store) = open_store(setup, db)?;
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
        rules: config.import_rules(),
    };
    let input = args.input.as_str();
    let lower = input.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return import_url(&mut store, &args, format, options);
    }
    let path = Path::new(input);
    if path.is_dir() {
        return import_bundle(&config, &mut store, path, &args, db);
    }
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
    print!("{}", outcome.describe(args.verbose));
    if args.dry_run {
        println!("dry run: nothing was changed");
    }
    Ok(())
}

/// A feed URL, fetched once (https only unless it is a plain-http config feed).
fn import_url(
    store: &mut Store,
    args: &ImportArgs,
    format: Option<Format>,
    options: Options,
) -> Result<(), String> {
    let url = args.input.as_str();
    let request = crate::sync::http::FeedRequest {
        source: options.source.clone(),
        url: url.to_string(),
        insecure: false,
        etag: String::new(),
        last_modified: String::new(),
    };
    let fetched = crate::sync::http::fetch(&request, &crate::sync::http::Limits::default())
        .map_err(|e| e.to_string())?;
    let crate::sync::http::Fetched::Body { bytes, .. } = fetched else {
        return Err(format!("{url}: the server sent no content"));
    };
    let format = match format {
        Some(f) => f,
        None => Format::detect(
            Path::new(url.split(['?', '#']).next().unwrap_or(url)),
            &bytes,
        )
        .ok_or_else(|| format!("{url}: not in a format the kiosk knows; give --format"))?,
    };
    let update = store.begin_update().map_err(|e| e.to_string())?;
    let outcome = apply::apply_source(
        &update,
        &mut &bytes[..],
        url,
        format,
        &options,
        url,
        &now_rfc3339(),
    )
    .map_err(|e| e.to_string())?;
    if !args.dry_run {
        update.commit().map_err(|e| e.to_string())?;
    }
    print!("{}", outcome.describe(args.verbose));
    if args.dry_run {
        println!("dry run: nothing was changed");
    }
    Ok(())
}

/// A signed bundle folder, exactly as a USB stick's is applied.
fn import_bundle(
    config: &Config,
    store: &mut Store,
    folder: &Path,
    args: &ImportArgs,
    db: Option<&Path>,
) -> Result<(), String> {
    let db_path = db.map_or_else(|| config.database.path.clone(), Path::to_path_buf);
    let staging = crate::sync::service::staging_folder(config, &db_path);
    let keys = crate::sync::bundles::trusted_keys(&config.bundles.public_keys, store)
        .map_err(|r| r.describe())?;
    match crate::sync::bundles::apply_bundle(
        store,
        folder,
        &keys,
        &config.import_rules(),
        &staging,
        &now_rfc3339(),
        args.dry_run,
    ) {
        Ok(outcome) => {
            print!("{}", outcome.describe(args.verbose));
            Ok(())
        }
        Err(refusal) => Err(refusal.describe()),
    }
}

pub fn export(setup: Setup, db: Option<&Path>, args: ExportArgs) -> Result<(), String> {
    let (_config, store) = open_store(setup, db)?;
    let (meetings, skipped) = store.meetings().map_err(|e| e.to_string())?;
    for warning in skipped {
        eprintln!("lobby-kiosk: {warning}");
    }
    // Without --source, the in-house forms take the center's own meetings, whichever source
    // brought them.
    let in_house = |m: &crate::schedule::Meeting| match &args.source {
        Some(s) => &m.source == s,
        None => m.in_house,
    };
    let bytes = match args.format.as_str() {
        "in-house" => {
            let chosen: Vec<_> = meetings.into_iter().filter(in_house).collect();
            import::in_house::export(&chosen)
                .map_err(|e| format!("cannot write TOML: {e}"))?
                .into_bytes()
        }
        "in-house-csv" => {
            let chosen: Vec<_> = meetings.into_iter().filter(in_house).collect();
            import::in_house_csv::export(&chosen)
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
            json.into_bytes()
        }
        other => {
            return Err(format!(
                "--format {other}: expected in-house, in-house-csv or meeting-guide"
            ))
        }
    };
    match &args.out {
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("cannot write the export: {e}"))
        }
        Some(path) => crate::sync::files::write_atomically(path, &bytes)
            .map_err(|e| format!("{}: {e}", path.display())),
    }
}

pub fn keygen(args: KeygenArgs) -> Result<(), String> {
    let (secret, public) = crate::import::bundle::keygen(&args.out).map_err(|e| e.to_string())?;
    println!(
        "secret key: {} (keep it on the staff laptop, never on a kiosk)",
        secret.display()
    );
    println!(
        "public key: {} (copy it to each kiosk and list it in [bundles] public_keys)",
        public.display()
    );
    Ok(())
}

pub fn bundle(args: BundleArgs) -> Result<(), String> {
    use crate::import::bundle::{create, create_from_manifest, replace, replaceable, FileOptions};
    // With --replace the bundle is made beside the folder (never inside it: the sync tool
    // would send the half-made copy), then moved in.
    let (target, out) = if args.replace {
        let target =
            std::path::absolute(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
        let held = replaceable(&target).map_err(|e| e.to_string())?;
        if let Some(current) = held.version.filter(|_| args.manifest.is_none()) {
            if args.version <= current {
                return Err(format!(
                    "{} holds bundle version {current}: give --version {} or higher, or the kiosks refuse it as old",
                    target.display(),
                    current + 1
                ));
            }
        }
        let name = target.file_name().map_or_else(
            || "bundle".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let parent = target.parent().unwrap_or(Path::new("/"));
        let out = parent.join(format!(".{name}.new-{}", std::process::id()));
        (target, out)
    } else {
        (args.out.clone(), args.out.clone())
    };
    let manifest = match &args.manifest {
        Some(manifest) => create_from_manifest(&args.key, manifest, &out),
        None => {
            if args.files.is_empty() {
                return Err("give the schedule files to bundle, or --manifest FILE".into());
            }
            let mut files = Vec::new();
            for path in &args.files {
                let format = match &args.format {
                    Some(f) => f.clone(),
                    None => guess_format(path)?,
                };
                let source = args
                    .source
                    .clone()
                    .unwrap_or_else(|| source_from_path(&path.display().to_string()));
                files.push((
                    path.clone(),
                    FileOptions {
                        format,
                        source,
                        program: args.program.clone(),
                        in_house: args.in_house,
                    },
                ));
            }
            create(&args.key, args.version, &files, &out)
        }
    }
    .map_err(|e| e.to_string())?;
    if args.replace {
        replace(&out, &target).map_err(|e| {
            let _ = std::fs::remove_dir_all(&out);
            e.to_string()
        })?;
    }
    println!(
        "bundle version {} with {} file(s) written to {}",
        manifest.version,
        manifest.files.len(),
        args.out.display()
    );
    for f in &manifest.files {
        println!("  {} ({}, source \"{}\")", f.name, f.format, f.source);
    }
    Ok(())
}

/// The format of a file to bundle, from its name and first bytes.
fn guess_format(path: &Path) -> Result<String, String> {
    let (mut reader, _) = apply::open_file(path).map_err(|e| e.to_string())?;
    apply::detect_format(path, &mut reader, None)
        .map(|f| f.name().to_string())
        .map_err(|e| e.to_string())
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

#[cfg(test)]
mod tests {
    use super::source_from_path;

    #[test]
    fn default_source_is_the_file_stem_or_the_feed_host() {
        assert_eq!(
            source_from_path("/media/stick/AA Intergroup.json"),
            "aa-intergroup"
        );
        assert_eq!(
            source_from_path("https://bmlt.example.org/main_server/client_interface/json/?switcher=GetSearchResults"),
            "bmlt-example-org"
        );
        assert_eq!(source_from_path("http://127.0.0.1:8080/feed"), "127-0-0-1");
    }
}
