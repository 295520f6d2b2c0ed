//! `lobby-kiosk print`: one meeting's take-away slip on the printer, or as a PNG preview.
//! The same slip the kiosk's Print button makes (`printer::slip::layout`).

use std::path::{Path, PathBuf};

use clap::Args;

use crate::config::Setup;
use crate::printer::{self, slip, PrinterUri};
use crate::schedule::board;
use crate::words::Lang;

#[derive(Args)]
pub struct PrintArgs {
    /// The meeting, by the id `lobby-kiosk board` prints.
    #[arg(long, value_name = "ID")]
    meeting: String,
    /// Printer to use instead of the config's [printer] uri: /dev/usb/lp0, file:PATH or
    /// tcp://HOST:9100.
    #[arg(long, value_name = "URI")]
    printer: Option<String>,
    /// Draw the slip as a PNG (one pixel per printer dot) instead of printing it.
    #[arg(long, value_name = "FILE.png")]
    preview: Option<PathBuf>,
    /// The moment the slip is made, as for `board` (default: now).
    #[arg(long, value_name = "LOCAL_DATETIME")]
    at: Option<String>,
    /// Language of the slip, en or es (default: the config's [display] language).
    #[arg(long)]
    lang: Option<Lang>,
}

pub fn print(setup: Setup, db: Option<&Path>, args: PrintArgs) -> Result<(), String> {
    let (mut config, source) = crate::app::open(setup, db)?;
    if let Some(uri) = &args.printer {
        let uri = PrinterUri::parse(uri).map_err(|e| format!("--printer: {e}"))?;
        config.printer.uri = Some(uri);
    }
    let now = super::parse_at(args.at.as_deref(), &config)?;
    let meetings = super::meetings_of(&source, &config, now)?;
    let m = meetings
        .iter()
        .find(|m| m.id == args.meeting)
        .ok_or_else(|| {
            format!(
                "--meeting {}: no such meeting (see `lobby-kiosk board` for ids)",
                args.meeting
            )
        })?;
    let query = super::query_for(&config, now);
    let b = board(std::slice::from_ref(m), &query);
    let locale = config
        .display
        .locale(args.lang.unwrap_or(config.display.language));
    let slip = slip::layout(
        m,
        b.entries.first(),
        &b.now,
        &config.printer,
        &config.code_rules(),
        &locale,
    );
    if let Some(out) = &args.preview {
        let picture = printer::preview::render(&slip)?;
        crate::kiosk::headless::write_png(out, picture.width, picture.height, &picture.rgb)?;
        println!("{}: {}x{}", out.display(), picture.width, picture.height);
        return Ok(());
    }
    printer::print(&slip, &config.printer).map_err(|e| e.to_string())?;
    println!("printed: {}", m.name);
    Ok(())
}
