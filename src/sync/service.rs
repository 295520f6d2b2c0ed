//! The kiosk's background updater: two threads with their own database connections, one
//! watching USB sticks and the sync folder (seconds matter: someone is standing there), one
//! refreshing HTTP feeds (which may wait on a slow network). Results for staff go to the UI
//! as `Notice`s; the UI notices the new data itself through the store's data_version.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};

use super::bundles::trusted_keys;
use super::folder::FolderWatcher;
use super::http::Limits;
use super::{feeds, usb, LastUpdate, Notice, UpdateResult};
use crate::config::Config;
use crate::store::{snapshot, DataDir, Store};

const LOCAL_POLL: Duration = Duration::from_secs(2);
const FEED_POLL: Duration = Duration::from_secs(60);
const MAINTENANCE_POLL: Duration = Duration::from_secs(5 * 60);
/// How long a half-synced bundle may take to arrive before it is reported as refused.
const SYNC_SETTLE: Duration = Duration::from_secs(60);

/// Where bundles are copied before they are checked: configured, or beside the database.
pub fn staging_folder(config: &Config, db: &Path) -> PathBuf {
    DataDir::of(db).staging(config.bundles.staging.as_deref())
}

/// Starts the updater threads; they run for the life of the process. With `[fleet]
/// reports_folder` set, a further thread writes this kiosk's counts and status for the office
/// (`fleet::writer`), and the updaters tell it each result.
pub fn spawn(config: Config, db: PathBuf) -> Receiver<Notice> {
    let (go, gate) = mpsc::channel();
    let _ = go.send(());
    spawn_after(config, db, gate)
}

/// As `spawn`, but the threads start when `go` receives (or its sender is dropped): the kiosk
/// draws its first frame before they open their connections, check the snapshot and walk the
/// mount roots. Nothing here writes before it starts, so the start-up checks stay in front.
pub fn spawn_after(config: Config, db: PathBuf, go: Receiver<()>) -> Receiver<Notice> {
    let (tx, rx) = mpsc::channel();
    let started = Utc::now();
    let _ = thread::Builder::new()
        .name("updates-start".into())
        .spawn(move || {
            let _ = go.recv();
            start(config, db, tx, started);
        });
    rx
}

fn start(config: Config, db: PathBuf, tx: Sender<Notice>, started: chrono::DateTime<Utc>) {
    let last = LastUpdate::default();
    let (wake, woken) = mpsc::channel::<()>();
    let results = Results {
        last: last.clone(),
        wake,
    };
    let local = (config.clone(), db.clone(), tx.clone(), results.clone());
    let _ = thread::Builder::new()
        .name("updates-local".into())
        .spawn(move || watch_local(local.0, &local.1, &local.2, &local.3));
    let snapshot_db = db.clone();
    let tz = config.timezone();
    let _ = thread::Builder::new()
        .name("maintenance".into())
        .spawn(move || maintenance(&snapshot_db, tz));
    if config.fleet.reports_folder.is_some() {
        let fleet = (config.clone(), db.clone());
        let _ = thread::Builder::new()
            .name("fleet".into())
            .spawn(move || crate::fleet::writer::run(&fleet.0, &fleet.1, started, &last, &woken));
    }
    if !config.feeds.is_empty() {
        let _ = thread::Builder::new()
            .name("updates-feeds".into())
            .spawn(move || refresh_feeds(&config, &db, &results));
    }
}

/// Where the updaters leave each result, and the fleet writer's bell.
#[derive(Clone)]
struct Results {
    last: LastUpdate,
    wake: Sender<()>,
}

impl Results {
    fn record(&self, from: &str, ok: bool, said: String) {
        self.last.record(UpdateResult {
            at: Utc::now(),
            from: from.to_string(),
            ok,
            said,
        });
        // No fleet writer (not configured) is not an error.
        let _ = self.wake.send(());
    }

    fn notice(&self, from: &str, notice: &Notice) {
        self.record(from, !notice.problem, notice.to_string());
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn watch_local(config: Config, db: &Path, tx: &Sender<Notice>, results: &Results) {
    let watch_usb = config.usb.enabled && !config.usb.mount_roots.is_empty();
    if !watch_usb && config.sync.folder.is_none() {
        return;
    }
    let mut store = match Store::open(db) {
        Ok(store) => store,
        Err(e) => {
            log::error!("updates are off: {e}");
            return;
        }
    };
    let staging = staging_folder(&config, db);
    let outbox = DataDir::of(db).outbox();
    let mut usb_watcher = usb::UsbWatcher::default();
    let mut folder = config
        .sync
        .folder
        .clone()
        .map(|f| FolderWatcher::new(f, SYNC_SETTLE));
    loop {
        // Keys are re-read each time: staff may install or rotate them without a restart.
        let keys = trusted_keys(&config.bundles.public_keys, &store);
        let rules = config.import_rules();
        if watch_usb {
            for stick in usb_watcher.poll(&config.usb.mount_roots) {
                let notice =
                    usb::handle_stick(&mut store, &stick, &keys, &rules, &staging, &outbox, &now());
                results.notice("USB stick", &notice);
                if tx.send(notice).is_err() {
                    return;
                }
            }
            // Files without a signature change nothing until staff approve them.
            for stick in usb_watcher.poll_plain(&config.usb.mount_roots) {
                log::info!(
                    "USB {}: schedule files without a signature; waiting for staff",
                    stick.display()
                );
                if tx.send(super::plain::notice()).is_err() {
                    return;
                }
            }
        }
        if let Some(folder) = folder.as_mut() {
            if let Some(notice) = folder.poll(&mut store, &keys, &rules, &staging, &now()) {
                results.notice("sync folder", &notice);
                if tx.send(notice).is_err() {
                    return;
                }
            }
        }
        thread::sleep(LOCAL_POLL);
    }
}

/// Every few minutes, a WAL checkpoint (the kiosk's UI thread leaves them to this thread;
/// see `Store::defer_checkpoints`); once per local day, a snapshot of the store beside it
/// (see `store::snapshot`), so a file damaged on the SD card can be recovered at the next
/// start.
fn maintenance(db: &Path, tz: chrono_tz::Tz) {
    let store = match Store::open(db) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("lobby-kiosk: nightly snapshots are off: {e}");
            return;
        }
    };
    let folder = snapshot::snapshots_folder(db);
    loop {
        if let Err(e) = store.checkpoint() {
            log::warn!("checkpoint: {e}");
        }
        if snapshot::due(&folder, Utc::now().with_timezone(&tz)) {
            if let Err(e) = store.snapshot(&folder, Utc::now()) {
                eprintln!("lobby-kiosk: nightly snapshot: {e}");
            }
        }
        thread::sleep(MAINTENANCE_POLL);
    }
}

fn refresh_feeds(config: &Config, db: &Path, results: &Results) {
    let mut store = match Store::open(db) {
        Ok(store) => store,
        Err(e) => {
            log::error!("feed refresh is off: {e}");
            return;
        }
    };
    let limits = Limits::default();
    let rules = config.import_rules();
    loop {
        for feed in &config.feeds {
            if !feeds::is_due(&store, feed, Utc::now()) {
                continue;
            }
            let from = format!("feed {}", feed.name);
            match feeds::refresh(&mut store, feed, Utc::now(), &limits, &rules) {
                // Not an update: a failure reported earlier stays the last word.
                Ok(feeds::Refreshed::NotModified) => {}
                Ok(feeds::Refreshed::Applied(outcome)) => {
                    let said = format!(
                        "{} meetings ({} added, {} changed, {} removed), {} warnings",
                        outcome.report.meetings,
                        outcome.counts.added,
                        outcome.counts.changed,
                        outcome.counts.removed,
                        outcome.report.notes.len()
                    );
                    log::info!("feed {}: {said}", feed.name);
                    results.record(&from, true, said);
                }
                Err(e) => {
                    log::warn!("{e}");
                    results.record(&from, false, e.to_string());
                }
            }
        }
        thread::sleep(FEED_POLL);
    }
}
