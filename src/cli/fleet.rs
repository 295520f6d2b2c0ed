//! `fleet status`: the office's look at every kiosk that writes into the reports folder
//! (`fleet::health`). Exits 1 when any kiosk needs a look, so a cron job or a monitoring
//! check can mail the lines.

use std::path::PathBuf;

use chrono::{Duration, Utc};
use clap::{Args, Subcommand};

use crate::fleet::health;

#[derive(Args)]
pub struct FleetArgs {
    #[command(subcommand)]
    command: FleetCommand,
}

#[derive(Subcommand)]
enum FleetCommand {
    /// One line per kiosk: what is wrong ("north-lobby: schedule 9 days old; clock 3 h
    /// behind"), or ok. Exit status 1 when any kiosk has a problem.
    Status {
        /// The shared reports folder (each kiosk's folder in it), or kiosks' folders.
        #[arg(value_name = "DIR", required = true)]
        folders: Vec<PathBuf>,
        /// A schedule source not updated for longer than this is stale.
        #[arg(long, value_name = "DAYS", default_value_t = health::DEFAULT_MAX_AGE_DAYS)]
        max_age_days: i64,
    },
}

pub fn run(args: FleetArgs) -> Result<(), String> {
    match args.command {
        FleetCommand::Status {
            folders,
            max_age_days,
        } => {
            if max_age_days < 1 {
                return Err("--max-age-days: at least 1".into());
            }
            let kiosks = health::read(&folders, Utc::now(), Duration::days(max_age_days))?;
            if kiosks.is_empty() {
                return Err(format!(
                    "no kiosk's status.json in {}",
                    super::shown_paths(&folders)
                ));
            }
            for kiosk in &kiosks {
                println!("{}", kiosk.line());
            }
            let wrong = kiosks.iter().filter(|k| !k.problems.is_empty()).count();
            if wrong > 0 {
                return Err(format!("{wrong} of {} kiosks need a look", kiosks.len()));
            }
            Ok(())
        }
    }
}
