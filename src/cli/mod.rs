//! The command line (clap): `run`, `board`, `screenshot`, and the staff's update tools
//! (`import`, `export`, `keygen`, `bundle`, in `updates`). Global `--config` and `--db` work
//! before or after the subcommand.

mod attendance;
mod doctor;
mod fleet;
mod print;
mod updates;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use chrono::{DateTime, NaiveDateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;

use crate::app;
use crate::config::{self, Config};
use crate::kiosk::{self, Kiosk, ScheduleSource};
use crate::schedule::{
    board, board::resolve_local, BoardQuery, Filters, Group, Meeting, ProviderList,
};
use crate::words::Lang;

#[derive(Parser)]
#[command(
    name = "lobby-kiosk",
    version,
    about = "Today's recovery meetings on a lobby touchscreen"
)]
struct Cli {
    /// Configuration file (default: /etc/lobby-kiosk/config.toml if it exists, else the
    /// built-in sample schedule).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Schedule database (overrides [database] path in the config).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the kiosk (the default).
    Run {
        /// Print `first-frame-ms: N` once the first frame is shown, then exit.
        #[arg(long)]
        exit_after_first_frame: bool,
    },
    /// Print exactly what the board would show at a moment.
    Board {
        /// YYYY-MM-DDTHH:MM[:SS] in the center's time zone, or RFC 3339 with an offset.
        #[arg(long, value_name = "LOCAL_DATETIME")]
        at: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Language of dates and times, en or es (default: the config's [display] language).
        #[arg(long)]
        lang: Option<Lang>,
    },
    /// Render a screen to a PNG without a display.
    Screenshot {
        #[arg(long, value_name = "FILE.png")]
        out: PathBuf,
        #[arg(long, value_name = "LOCAL_DATETIME")]
        at: Option<String>,
        /// `board`, `thanks` (as after "I'm here"; nothing is recorded), `keypad` (a card
        /// code), `keypad:pin` (the staff PIN), `staff` (as after the PIN, with any stick under
        /// `[usb] mount_roots`) or `detail:ID` (ID as `board` prints it).
        #[arg(long, default_value = "board")]
        screen: String,
        /// WIDTHxHEIGHT in pixels (default: the config's window size).
        #[arg(long, value_name = "WxH")]
        size: Option<String>,
        /// Language on screen, en or es (default: the config's [display] language).
        #[arg(long)]
        lang: Option<Lang>,
        /// The board's tab to show.
        #[arg(long, value_parser = ["in-house", "nearby", "online"], default_value = "in-house")]
        tab: String,
        /// With large text on, as staff can switch it on the staff screen.
        #[arg(long)]
        large_text: bool,
        /// With high contrast on, as staff can switch it on the staff screen.
        #[arg(long)]
        high_contrast: bool,
    },
    /// Import a schedule file, an http(s) feed URL, or a signed bundle folder.
    Import(updates::ImportArgs),
    /// Write the stored schedule as an in-house file (TOML or spreadsheet) or Meeting Guide JSON.
    Export(updates::ExportArgs),
    /// Make a key pair for signing schedule bundles (kiosk-bundle.key / kiosk-bundle.pub).
    Keygen(updates::KeygenArgs),
    /// Make a signed bundle folder for a USB stick or the sync folder.
    Bundle(updates::BundleArgs),
    /// Record sign-ins as the screen does (head counts taken on paper, scripts).
    SignIn(attendance::SignInArgs),
    /// Attendance per meeting and week or month, with small counts suppressed; with --merge,
    /// of several kiosks, from their week files.
    Report(attendance::ReportArgs),
    /// Staff screen settings.
    Staff(attendance::StaffArgs),
    /// Make a printable sheet of optional sign-in cards (PNG, 10 per A4 page).
    Cards(attendance::CardsArgs),
    /// Print a meeting's take-away slip, or draw it as a PNG with --preview.
    Print(print::PrintArgs),
    /// The office's tools for several kiosks (`fleet status`).
    Fleet(fleet::FleetArgs),
    /// Check this device: display, input, scanner, printer, database, disk, clock, sources,
    /// config — each problem with its fix.
    Doctor,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

/// Runs the command line; returns the process exit status.
pub fn main() -> i32 {
    let started = Instant::now();
    crate::device::logging::init();
    let cli = Cli::parse();
    match run(cli, started) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("lobby-kiosk: {e}");
            1
        }
    }
}

fn run(cli: Cli, started: Instant) -> Result<(), String> {
    let setup = config::discover(cli.config.as_deref());
    match cli.command.unwrap_or(Command::Run {
        exit_after_first_frame: false,
    }) {
        Command::Run {
            exit_after_first_frame,
        } => app::run_kiosk(setup, cli.db.as_deref(), exit_after_first_frame, started),
        Command::Board { at, format, lang } => {
            let (mut config, source) = app::open(setup?, cli.db.as_deref())?;
            config.display.language = lang.unwrap_or(config.display.language);
            print_board(&config, source, at.as_deref(), format)
        }
        Command::Screenshot {
            out,
            at,
            screen,
            size,
            lang,
            tab,
            large_text,
            high_contrast,
        } => {
            let (mut config, source) = app::open(setup?, cli.db.as_deref())?;
            config.display.language = lang.unwrap_or(config.display.language);
            screenshot(
                config,
                source,
                &out,
                at.as_deref(),
                &screen,
                size.as_deref(),
                Display {
                    large_text,
                    high_contrast,
                    tab: ["in-house", "nearby", "online"]
                        .iter()
                        .position(|t| *t == tab)
                        .unwrap_or(0),
                },
            )
        }
        Command::Import(args) => updates::import(setup?, cli.db.as_deref(), args),
        Command::Export(args) => updates::export(setup?, cli.db.as_deref(), args),
        Command::Keygen(args) => updates::keygen(args),
        Command::Bundle(args) => updates::bundle(args),
        Command::SignIn(args) => attendance::sign_in(setup?, cli.db.as_deref(), args),
        Command::Report(args) => attendance::report(setup?, cli.db.as_deref(), args),
        Command::Staff(args) => attendance::staff(setup?, cli.db.as_deref(), args),
        Command::Cards(args) => attendance::cards(args),
        Command::Print(args) => print::print(setup?, cli.db.as_deref(), args),
        Command::Fleet(args) => fleet::run(args),
        Command::Doctor => doctor::run(setup, cli.db.as_deref()),
    }
}

/// The board as the config sets it up at `now`, without filters.
pub(crate) fn query_for(config: &Config, now: DateTime<Utc>) -> BoardQuery {
    BoardQuery {
        now,
        timezone: config.timezone(),
        location: config.location(),
        radius_m: config.radius_m(),
        filters: Filters::default(),
        providers: ProviderList::with_extra(config.links.extra_providers.clone()),
    }
}

/// `--at` as an instant: local time in the center's zone (DST rules as the board's), or
/// RFC 3339 with an offset (the only way to name the second 01:30 of a fall-back night).
pub(crate) fn parse_at(at: Option<&str>, config: &Config) -> Result<DateTime<Utc>, String> {
    let Some(at) = at else { return Ok(Utc::now()) };
    if let Ok(t) = DateTime::parse_from_rfc3339(at) {
        return Ok(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(at, f).ok())
        .map(|local| resolve_local(&config.timezone(), local))
        .ok_or_else(|| {
            format!("--at {at}: expected YYYY-MM-DDTHH:MM[:SS] or RFC 3339 with an offset")
        })
}

fn meetings_of(
    source: &ScheduleSource,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<Vec<Meeting>, String> {
    match source {
        ScheduleSource::Demo => {
            let tz = config.timezone();
            Ok(crate::schedule::demo::demo_schedule(
                now.with_timezone(&tz),
                config.location().unwrap_or((39.9526, -75.1652)),
            ))
        }
        ScheduleSource::Store(store) => store
            .meetings()
            .map(|(meetings, _skipped)| meetings)
            .map_err(|e| e.to_string()),
        ScheduleSource::Unavailable(e) => Err(e.clone()),
    }
}

fn print_board(
    config: &Config,
    source: ScheduleSource,
    at: Option<&str>,
    format: OutputFormat,
) -> Result<(), String> {
    let now = parse_at(at, config)?;
    let meetings = meetings_of(&source, config, now)?;
    let b = board(&meetings, &query_for(config, now));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match format {
        OutputFormat::Json => write_board_json(&mut out, &b, &config.code_rules()),
        OutputFormat::Text => write_board_text(&mut out, &b, config),
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => Ok(()),
        // `lobby-kiosk board | head` closes the pipe early: that is the reader's choice.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write the board: {e}")),
    }
}

/// The board as JSON; `codes` are the URIs each meeting's detail screen offers as QR codes,
/// in screen order (join, call-in, directions).
fn write_board_json(
    out: &mut impl Write,
    b: &crate::schedule::Board,
    rules: &crate::schedule::CodeRules,
) -> std::io::Result<()> {
    let entries: Vec<_> = b
        .entries
        .iter()
        .map(|e| {
            json!({
                "id": e.meeting.id,
                "name": e.meeting.name,
                "program": e.meeting.program,
                "group": e.group.key(),
                "state": e.state.key(),
                "cancelled": e.cancelled,
                "start": e.start.to_rfc3339(),
                "end": e.end.to_rfc3339(),
                "distance_m": e.distance_m.map(|d| d.round()),
                "location": e.meeting.location,
                "codes": crate::schedule::codes::offered(e.meeting, rules).uris(),
            })
        })
        .collect();
    let board = json!({ "now": b.now.to_rfc3339(), "meetings": entries });
    serde_json::to_writer_pretty(&mut *out, &board)?;
    writeln!(out)
}

fn write_board_text(
    out: &mut impl Write,
    b: &crate::schedule::Board,
    config: &Config,
) -> std::io::Result<()> {
    let locale = config.display.locale(config.display.language);
    writeln!(out, "{}  {}", locale.date(&b.now), locale.clock(&b.now))?;
    for group in [Group::InHouse, Group::Nearby, Group::Online] {
        writeln!(out, "\n{}", group.key())?;
        let mut any = false;
        for e in b.group(group) {
            any = true;
            let distance = e
                .distance_m
                .map(|d| crate::words::schedule::distance(d, config.board.distance_unit))
                .unwrap_or_default();
            // `{:<22}` pads by characters, not bytes: "p. m." and "–" line up as ASCII does.
            writeln!(
                out,
                "  {:<11} {:<22} {}  [{}] {}",
                if e.cancelled {
                    "cancelled"
                } else {
                    e.state.key()
                },
                locale.time_range(&e.start, &e.end),
                e.meeting.name,
                e.meeting.id,
                distance
            )?;
        }
        if !any {
            writeln!(out, "  (nothing more today)")?;
        }
    }
    Ok(())
}

/// The staff screen's display choices, for `screenshot`.
struct Display {
    large_text: bool,
    high_contrast: bool,
    /// The board's tab: 0 the center's, 1 nearby, 2 online.
    tab: usize,
}

fn screenshot(
    config: Config,
    source: ScheduleSource,
    out: &Path,
    at: Option<&str>,
    screen: &str,
    size: Option<&str>,
    display: Display,
) -> Result<(), String> {
    let now = parse_at(at, &config)?;
    let (width, height) = match size {
        Some(s) => parse_size(s)?,
        None => (config.window.width, config.window.height),
    };
    let window = kiosk::headless::install(width, height)?;
    let kiosk = Kiosk::new(config, source, Rc::new(move || now)).map_err(|e| e.to_string())?;
    use slint::ComponentHandle;
    let theme = kiosk.window.global::<kiosk::ui::Theme>();
    // The flags switch a mode on; without them the kiosk's own choice (staff's, or the
    // config's) shows.
    if display.large_text {
        theme.set_large_text(true);
    }
    if display.high_contrast {
        theme.set_high_contrast(true);
    }
    kiosk.window.show().map_err(|e| e.to_string())?;
    kiosk.fit_to_screen(None);
    match screen {
        "board" => kiosk.select_tab(display.tab),
        "thanks" => kiosk.preview_thanks(),
        "keypad" => kiosk.open_keypad(false),
        "keypad:pin" => kiosk.open_keypad(true),
        "staff" => {
            if !kiosk.open_staff_screen() {
                return Err("--screen staff: needs a database (--db or [database] path)".into());
            }
        }
        s => {
            let id = s.strip_prefix("detail:").ok_or_else(|| {
                format!(
                    "--screen {s}: expected board, thanks, keypad, keypad:pin, staff or detail:ID"
                )
            })?;
            if !kiosk.open_meeting(id) {
                return Err(format!(
                    "--screen {s}: no meeting with id {id} (see `lobby-kiosk board`)"
                ));
            }
        }
    }
    let (w, h, rgb) = kiosk::headless::render(&window);
    kiosk::headless::write_png(out, w, h, &rgb)?;
    println!("{}: {w}x{h}", out.display());
    Ok(())
}

/// Paths as a message names them: "a, b".
fn shown_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("--size {s}: expected WIDTHxHEIGHT, e.g. 1280x800"))?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (100..=8192).contains(n))
    };
    match (parse(w), parse(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(format!(
            "--size {s}: width and height must be 100..8192 pixels"
        )),
    }
}
