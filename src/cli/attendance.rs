//! Sign-in tools on the command line: `sign-in` (head counts taken on paper, scripted tests),
//! `report` (the suppressed export), `staff set-pin`, and `cards` (a printable sheet).
//!
//! `sign-in` goes through exactly the rules the screen uses (`attendance::sign_in`); nothing
//! here prints or logs a card code except `cards`, which prints them once, onto the sheet.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};

use crate::attendance::{self, cards, pin, report, SignedIn};
use crate::config::{Config, Setup};
use crate::store::{CardVisit, Store};

#[derive(Args)]
pub struct SignInArgs {
    /// The meeting, as `lobby-kiosk board` prints its id.
    #[arg(long, value_name = "ID")]
    meeting: String,
    /// A card code (as printed on the card) to add to the holder's streak.
    #[arg(long, value_name = "CODE")]
    card: Option<String>,
    /// How many people to count (a head count taken on paper).
    #[arg(long, default_value_t = 1)]
    count: u32,
    /// YYYY-MM-DDTHH:MM[:SS] in the center's time zone (default: now). Sign-in is open from
    /// 30 minutes before the meeting until its end.
    #[arg(long, value_name = "LOCAL_DATETIME")]
    at: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GrainArg {
    Week,
    Month,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Csv,
    Json,
}

#[derive(Args)]
pub struct ReportArgs {
    /// First day, YYYY-MM-DD (widened to the start of its week or month). With --merge, the
    /// default is the first week any kiosk sent.
    #[arg(long, required_unless_present = "merge")]
    from: Option<NaiveDate>,
    /// Last day, YYYY-MM-DD (widened to the end of its week or month). With --merge, the
    /// default is the last week any kiosk sent.
    #[arg(long, required_unless_present = "merge")]
    to: Option<NaiveDate>,
    /// The office's report of several kiosks: read every kiosk's week files in these folders
    /// (the shared reports folder, or kiosks' folders in it) instead of this kiosk's database.
    /// Small cells are suppressed after merging; each kiosk is a site.
    #[arg(long, value_name = "DIR", num_args = 1..)]
    merge: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = GrainArg::Week)]
    grain: GrainArg,
    #[arg(long, value_enum, default_value_t = ReportFormat::Csv)]
    format: ReportFormat,
    /// Counts below this are shown as "<K" (at least 5; default 11).
    #[arg(long, value_name = "K", default_value_t = report::DEFAULT_MIN_CELL)]
    min_cell: u32,
    /// Write here (temporary file, fsync, rename) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct StaffArgs {
    #[command(subcommand)]
    command: StaffCommand,
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Set the staff PIN (at least 6 digits), read from the terminal without echo or from
    /// standard input. It replaces any earlier PIN.
    SetPin,
    /// Cancel one date of one of the center's meetings: the board keeps it in its place,
    /// marked Cancelled, and sign-in is closed for it (as the staff screen's "Cancel this date").
    Cancel(DateArgs),
    /// Take a cancellation back (as the staff screen's "Restore").
    Restore(DateArgs),
}

#[derive(Args)]
struct DateArgs {
    /// The meeting's id, as `lobby-kiosk board --format json` prints it.
    #[arg(long)]
    meeting: String,
    /// The date, YYYY-MM-DD, in the center's time zone.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,
}

#[derive(Args)]
pub struct CardsArgs {
    /// How many cards to make (10 per A4 page).
    #[arg(long)]
    count: usize,
    /// The PNG to write; further pages get -2, -3 … before the extension.
    #[arg(long, value_name = "FILE.png")]
    out: PathBuf,
}

fn open_store(setup: Setup, db: Option<&Path>) -> Result<(Config, Store, PathBuf), String> {
    crate::app::store_for_staff(setup, db)
}

pub fn sign_in(setup: Setup, db: Option<&Path>, args: SignInArgs) -> Result<(), String> {
    let (config, mut store, db_path) = open_store(setup, db)?;
    let now = super::parse_at(args.at.as_deref(), &config)?;
    let meeting = store
        .meeting(&args.meeting)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "no meeting with id {} (see `lobby-kiosk board`)",
                args.meeting
            )
        })?;
    if args.count == 0 {
        return Err("--count must be at least 1".into());
    }
    let card = match &args.card {
        None => None,
        Some(_) if args.count > 1 => {
            return Err("a card signs in one person: use --card without --count".into())
        }
        Some(code) => {
            let code = cards::normalize(code).map_err(|e| format!("--card: {e}"))?;
            let key = cards::load_or_create_key(&cards::key_path(&db_path))?;
            Some(CardVisit {
                tag: cards::tag(&key, &code),
            })
        }
    };
    let tz = config.timezone();
    let mut last = None;
    for _ in 0..args.count {
        last = Some(
            attendance::sign_in(&mut store, &meeting, now, tz, card.as_ref(), true)
                .map_err(|e| e.to_string())?,
        );
    }
    match last {
        Some(SignedIn::AlreadyWithThisCard(_)) => Err(format!(
            "this card has already signed in to {} for this meeting; nothing was added",
            meeting.name
        )),
        Some(SignedIn::Thanks(stats)) => {
            println!("signed in {} to {}", args.count, meeting.name);
            if let Some(s) = stats {
                println!(
                    "card: visits this month {}, weekly streak {}",
                    s.visits_this_month, s.streak_weeks
                );
            }
            Ok(())
        }
        None => Ok(()),
    }
}

pub fn report(setup: Setup, db: Option<&Path>, args: ReportArgs) -> Result<(), String> {
    if args.min_cell < report::MIN_CELL_FLOOR {
        return Err(format!(
            "--min-cell {}: at least {} (smaller counts could identify people)",
            args.min_cell,
            report::MIN_CELL_FLOOR
        ));
    }
    let grain = match args.grain {
        GrainArg::Week => report::Grain::Week,
        GrainArg::Month => report::Grain::Month,
    };
    let table = if args.merge.is_empty() {
        let (_config, store, _) = open_store(setup, db)?;
        let (Some(from), Some(to)) = (args.from, args.to) else {
            return Err("--from and --to are needed (or --merge)".into());
        };
        let (from, to) = report::widen(from, to, grain);
        let rows = store
            .attendance_between(from, to)
            .map_err(|e| e.to_string())?;
        report::table(&rows, from, to, grain)
    } else {
        let merged = crate::fleet::merge::read(&args.merge)?;
        for skipped in &merged.skipped {
            eprintln!("not counted: {skipped}");
        }
        let Some((first, last)) = merged.span else {
            return Err(format!(
                "no kiosk's counts in {} (files named attendance-YYYY-Www.json)",
                super::shown_paths(&args.merge)
            ));
        };
        let (from, to) = report::widen(args.from.unwrap_or(first), args.to.unwrap_or(last), grain);
        // Only periods that are over: a period still running would change between two
        // reports, and their difference would show a small count.
        let finished = report::last_finished_day(chrono::Local::now().date_naive(), grain);
        if to > finished {
            eprintln!(
                "left out: {} onwards, not over yet",
                finished + chrono::Duration::days(1)
            );
        }
        let to = to.min(finished);
        if to < from {
            return Err(format!(
                "no {} in {from} … is over yet; the kiosks send each week once it has ended",
                match grain {
                    report::Grain::Week => "week",
                    report::Grain::Month => "month",
                }
            ));
        }
        eprintln!(
            "{} week files from {} kiosks, {from} to {to}",
            merged.files, merged.kiosks
        );
        report::table_by_site(&merged.rows, from, to, grain)
    };
    let (from, to) = match (table.periods.first(), table.periods.last()) {
        (Some(a), Some(b)) => (a.first, b.last),
        _ => return Err("the period is empty".into()),
    };
    let suppressed = report::suppress(&table.counts, args.min_cell);
    let text = match args.format {
        ReportFormat::Csv => report::csv(&table, &suppressed),
        ReportFormat::Json => report::json(&table, &suppressed),
    };
    match &args.out {
        None => {
            print!("{text}");
            Ok(())
        }
        Some(path) => {
            crate::sync::files::write_atomically(path, text.as_bytes())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!(
                "{}: {} to {}, {} meetings",
                path.display(),
                from,
                to,
                table.meetings.len()
            );
            Ok(())
        }
    }
}

pub fn staff(setup: Setup, db: Option<&Path>, args: StaffArgs) -> Result<(), String> {
    match args.command {
        StaffCommand::SetPin => {
            let (_config, mut store, _) = open_store(setup, db)?;
            let read = |prompt: &str| {
                if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                    rpassword::prompt_password(prompt).map_err(|e| e.to_string())
                } else {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .map_err(|e| e.to_string())?;
                    Ok(line)
                }
            };
            let pin = read("New staff PIN (6 or more digits): ")?;
            let pin = pin.trim();
            pin::check_pin_rules(pin)?;
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                let again = read("The same PIN again: ")?;
                if again.trim() != pin {
                    return Err("the two PINs differ; nothing was changed".into());
                }
            }
            let hash = pin::hash(pin)?;
            store.set_staff_pin(&hash).map_err(|e| e.to_string())?;
            println!("staff PIN set; long-press the clock for 5 seconds to open the staff screen");
            Ok(())
        }
        StaffCommand::Cancel(args) => cancel_date(setup, db, &args, true),
        StaffCommand::Restore(args) => cancel_date(setup, db, &args, false),
    }
}

fn cancel_date(
    setup: Setup,
    db: Option<&Path>,
    args: &DateArgs,
    cancel: bool,
) -> Result<(), String> {
    let date = chrono::NaiveDate::parse_from_str(args.date.trim(), "%Y-%m-%d")
        .map_err(|_| format!("--date {}: expected YYYY-MM-DD, e.g. 2026-12-24", args.date))?;
    let (_config, store, _) = open_store(setup, db)?;
    let m = crate::staff::cancel_date(&store, &args.meeting, date, cancel)?;
    let day = date.format("%A %Y-%m-%d");
    if cancel {
        println!(
            "{} on {day} is cancelled: the board marks it, sign-in is closed",
            m.name
        );
    } else {
        println!("{} on {day} is on again", m.name);
    }
    Ok(())
}

pub fn cards(args: CardsArgs) -> Result<(), String> {
    use crate::kiosk::ui::{CardFace, CardSheet};
    use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
    if args.count == 0 || args.count > 1000 {
        return Err("--count: between 1 and 1000 cards".into());
    }
    let window = crate::kiosk::headless::install(1240, 1754)?;
    let sheet = CardSheet::new().map_err(|e| e.to_string())?;
    sheet.show().map_err(|e| e.to_string())?;
    let pages = args.count.div_ceil(10);
    for page in 0..pages {
        let n = (args.count - page * 10).min(10);
        let mut faces = Vec::new();
        for _ in 0..n {
            let code = cards::generate()?;
            // The QR holds the bare code and nothing else.
            let qr = crate::qr::render(&code, 10).ok_or("the card code does not fit a QR code")?;
            let buffer = slint::SharedPixelBuffer::<slint::Rgb8Pixel>::clone_from_slice(
                &qr.rgb, qr.size, qr.size,
            );
            let groups: Vec<SharedString> = cards::grouped(&code)
                .split('-')
                .map(SharedString::from)
                .collect();
            faces.push(CardFace {
                qr: slint::Image::from_rgb8(buffer),
                groups: ModelRc::new(VecModel::from(groups)),
            });
        }
        sheet.set_cards(ModelRc::new(VecModel::from(faces)));
        let (w, h, rgb) = crate::kiosk::headless::render(&window);
        let path = page_path(&args.out, page);
        crate::kiosk::headless::write_png(&path, w, h, &rgb)?;
        println!("{}: {n} cards", path.display());
    }
    Ok(())
}

fn page_path(out: &Path, page: usize) -> PathBuf {
    if page == 0 {
        return out.to_path_buf();
    }
    let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("cards");
    let ext = out.extension().and_then(|s| s.to_str()).unwrap_or("png");
    out.with_file_name(format!("{stem}-{}.{ext}", page + 1))
}
