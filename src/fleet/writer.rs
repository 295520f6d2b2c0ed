//! The kiosk's fleet thread: writes this kiosk's week files and `status.json` into
//! `<reports_folder>/<name>/` at start, after every update result, and every few minutes.
//!
//! Only with `[fleet] reports_folder` set (`sync::service` starts it). It has its own database
//! connection and only reads the store; a folder it cannot write is logged and tried again.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{status, weeks};
use crate::config::Config;
use crate::store::Store;
use crate::sync::LastUpdate;

/// How often the status is rewritten when nothing happens: the office sees a kiosk that stopped
/// writing as silent after an hour (`health::SILENT_AFTER`).
pub const EVERY: Duration = Duration::from_secs(5 * 60);

/// How many weeks back the week files are kept current: last week's is written on Monday, and
/// a head count entered later for the week before still reaches the office.
const WEEKS_BACK_EACH_TIME: u32 = 2;
/// At start, a year back: a kiosk that joins the fleet sends what it has.
const WEEKS_BACK_AT_START: u32 = 53;

/// Runs until the process ends. `updates` rings for each update result; `last` holds it.
pub fn run(
    config: &Config,
    db: &Path,
    started: DateTime<Utc>,
    last: &LastUpdate,
    updates: &Receiver<()>,
) {
    let Some(folder) = config.fleet.kiosk_folder() else {
        return;
    };
    let store = match Store::open(db) {
        Ok(store) => store,
        Err(e) => {
            log::error!("reports for the office are off: {e}");
            return;
        }
    };
    let tz = config.timezone();
    let mut weeks_back = WEEKS_BACK_AT_START;
    loop {
        let now = Utc::now();
        let today = now.with_timezone(&tz).date_naive();
        let result = weeks::recent(&store, &config.fleet.name, today, weeks_back)
            .and_then(|w| weeks::write(&folder, &w))
            .and_then(|_| {
                let s = status::gather(&store, &config.fleet.name, db, started, last.get(), now)?;
                status::write(&folder, &s)
            });
        match result {
            Ok(()) => weeks_back = WEEKS_BACK_EACH_TIME,
            Err(e) => {
                // Back to a year once it works again, so weeks missed meanwhile are sent.
                weeks_back = WEEKS_BACK_AT_START;
                log::warn!("reports for the office: {e}");
            }
        }
        match updates.recv_timeout(EVERY) {
            Ok(()) => while updates.try_recv().is_ok() {},
            Err(RecvTimeoutError::Timeout) => {}
            // Every updater is gone: keep the status current on the timer alone.
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(EVERY),
        }
    }
}
