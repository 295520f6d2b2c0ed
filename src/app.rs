//! `lobby-kiosk run`, put together: which database the kiosk opens and how (recovered from a
//! snapshot, or frozen on a read-only disk), the updater and device threads, cards, the window,
//! and the order they start in (the first frame before the rest). The command line (`cli`)
//! parses arguments and calls in here; nothing here parses arguments.

use chrono::Utc;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::{Config, Setup};
use crate::kiosk::{self, Kiosk, ScheduleSource};
use crate::store::Store;

/// The config, and the database file a command uses: `--db`, else the config file's
/// `[database] path`; None for the built-in sample (no config file and no `--db`).
pub fn database(setup: Setup, db: Option<&Path>) -> (Config, Option<PathBuf>) {
    match (setup, db) {
        (Setup::Demo(config), None) => (config, None),
        (Setup::Demo(config), Some(db)) | (Setup::File(config, _), Some(db)) => {
            (config, Some(db.to_path_buf()))
        }
        (Setup::File(config, _), None) => {
            let path = config.database.path.clone();
            (config, Some(path))
        }
    }
}

/// The config and the schedule it names. `--db` turns the demo into a real database.
pub fn open(setup: Setup, db: Option<&Path>) -> Result<(Config, ScheduleSource), String> {
    let (config, path) = match database(setup, db) {
        (config, None) => return Ok((config, ScheduleSource::Demo)),
        (config, Some(path)) => (config, path),
    };
    let store = Store::open(&path).or_else(|e| frozen_instead(&path, e))?;
    if store.is_read_only() {
        eprintln!("lobby-kiosk: {}", read_only_notice(&path));
    }
    Ok((config, ScheduleSource::Store(store)))
}

/// When the database's disk has gone read-only (or its folder is not the kiosk user's to
/// write), the schedule is still shown as it was (`Store::open_frozen`); any other failure
/// to open stands. (A database whose `-wal` and `-shm` were left by a crash even opens
/// normally on such a disk, read-only: callers check `Store::is_read_only` either way.)
fn frozen_instead(path: &Path, failed: crate::store::StoreError) -> Result<Store, String> {
    let error = format!("database {}: {failed}", path.display());
    if !failed.is_access_problem() || !path.is_file() {
        return Err(error);
    }
    let store = Store::open_frozen(path)
        .map_err(|frozen| format!("{error}; nor can it be read as it is: {frozen}"))?;
    log::error!("{error}");
    Ok(store)
}

/// What staff are told when the schedule could only be opened read-only.
fn read_only_notice(path: &Path) -> crate::words::Phrase {
    crate::words::phrase(
        "The schedule database {} cannot be written (a read-only or failing disk, or wrong \
         permissions). The board shows the schedule as it was; sign-ins and updates are off \
         until the disk is replaced or its permissions fixed.",
        &[&path.display()],
    )
}

/// As `open`, for the kiosk itself: a damaged or missing database is recovered from the
/// newest good snapshot (see `store::snapshot`), one on a read-only disk is shown as it was,
/// and the notice for staff is returned.
fn open_recovering(
    setup: Setup,
    db: Option<&Path>,
) -> Result<(Config, ScheduleSource, Option<crate::words::Phrase>), String> {
    let (config, path) = match database(setup, db) {
        (config, None) => return Ok((config, ScheduleSource::Demo, None)),
        (config, Some(path)) => (config, path),
    };
    let folder = crate::store::snapshot::snapshots_folder(&path);
    let (store, notice) = match Store::open_or_recover(&path, &folder, Utc::now()) {
        Ok(opened) => opened,
        Err(e) => (frozen_instead(&path, e)?, None),
    };
    let notice = match store.is_read_only() {
        true => Some(read_only_notice(&path)),
        false => notice,
    };
    Ok((config, ScheduleSource::Store(store), notice))
}

pub fn run_kiosk(
    setup: Result<Setup, String>,
    db: Option<&Path>,
    exit_after_first_frame: bool,
    started: Instant,
) -> Result<(), String> {
    // A config or database that cannot be used is shown on screen and on stderr — the kiosk
    // never falls back to the sample schedule in a real lobby.
    let (config, source, recovered) = match setup.and_then(|s| open_recovering(s, db)) {
        Ok(opened) => opened,
        Err(e) => {
            log::error!("{e}");
            (Config::default(), ScheduleSource::Unavailable(e), None)
        }
    };
    // The platform (KMS on the device) is chosen before any thread or window exists.
    let device = crate::device::before_window(&config.screen)?;
    let device_config = config.clone();
    // The database file behind the schedule, when there is one.
    let db_path = matches!(source, ScheduleSource::Store(_))
        .then(|| db.map_or_else(|| config.database.path.clone(), Path::to_path_buf));
    // USB sticks, the sync folder and feeds update a real database in the background — not
    // one that can only be read.
    let writable = matches!(&source, ScheduleSource::Store(s) if !s.is_read_only());
    if let (ScheduleSource::Store(store), true) = (&source, writable) {
        // A visitor's tap never waits for a checkpoint; the updater's maintenance thread
        // (started just below) does them.
        if let Err(e) = store.defer_checkpoints() {
            log::warn!("{e}");
        }
    }
    // The updaters start once the first frame is drawn (`go` below).
    let (go, gate) = std::sync::mpsc::channel();
    let notices = db_path
        .clone()
        .filter(|_| writable)
        .map(|path| crate::sync::service::spawn_after(config.clone(), path, gate));
    let (width, height) = (config.window.width, config.window.height);
    let kiosk = Kiosk::new(config.clone(), source, kiosk::system_clock())
        .map_err(|e| format!("cannot open the window: {e}"))?;
    if let Some(notices) = notices {
        kiosk.receive_notices(notices);
    }
    if let Some(recovered) = recovered {
        eprintln!("lobby-kiosk: {recovered}");
        kiosk.show_notice(crate::sync::Notice::new(recovered, true));
    }
    // Cards count visits: not on a database that can only be read.
    let _scanner = db_path
        .as_deref()
        .filter(|_| writable)
        .and_then(|path| enable_cards(&kiosk, &config, path));
    use slint::ComponentHandle;
    kiosk
        .window
        .window()
        .set_size(slint::LogicalSize::new(width as f32, height as f32));
    kiosk
        .window
        .show()
        .map_err(|e| format!("cannot show the window: {e}"))?;
    // On the device the window is the whole screen: everything is sized for it. A desktop
    // window keeps the desktop's own scale unless the config sets one.
    if cfg!(feature = "kms") || config.display.scale.is_some() {
        let physical = crate::device::panel::physical_size_mm();
        let factor = kiosk.fit_to_screen(physical);
        log::info!("drawing at {factor}× for the screen (panel size {physical:?} mm)");
    }
    // systemd readiness and watchdog, screen hours, buttons, the clock check.
    let _device = crate::device::after_show(
        device,
        &kiosk.window,
        crate::device::Settings {
            screen: &device_config.screen,
            buttons: &device_config.buttons,
            tz: device_config.timezone(),
        },
        kiosk::system_clock(),
        db_path.as_deref(),
        kiosk.staff_warnings(),
    );
    // A zero-delay timer runs on the event loop's first turn, after the newly shown window's
    // first frame has been rendered and presented (Slint 1.18's software renderer has no
    // "frame presented" notifier; see BENCHMARKS.md). Then the rest starts.
    let region = config.region();
    let after_first_frame = slint::Timer::default();
    after_first_frame.start(
        slint::TimerMode::SingleShot,
        std::time::Duration::ZERO,
        move || {
            let _ = go.send(());
            crate::schedule::phone::warm(region);
        },
    );
    let _first_frame = exit_after_first_frame.then(|| {
        let timer = slint::Timer::default();
        timer.start(
            slint::TimerMode::SingleShot,
            std::time::Duration::ZERO,
            move || {
                println!("first-frame-ms: {}", started.elapsed().as_millis());
                let _ = slint::quit_event_loop();
            },
        );
        timer
    });
    slint::run_event_loop().map_err(|e| format!("the window closed with an error: {e}"))?;
    Ok(())
}

/// The database a staff command changes: `--db`, or the config's `[database] path`. Never
/// the sample schedule. Returns the path too (the card key lives beside it).
pub fn store_for_staff(
    setup: Setup,
    db: Option<&Path>,
) -> Result<(Config, Store, PathBuf), String> {
    let (config, Some(path)) = database(setup, db) else {
        return Err("no database: give --db PATH, or --config with a [database] path".into());
    };
    let store = Store::open(&path).map_err(|e| e.to_string())?;
    Ok((config, store, path))
}

/// Optional cards: the kiosk's card key (created on first start, beside the database) and
/// the scanner, when configured. Problems are reported and the kiosk runs on without them.
fn enable_cards(kiosk: &Kiosk, config: &Config, db: &Path) -> Option<slint::Timer> {
    if !config.attendance.cards {
        return None;
    }
    match crate::attendance::cards::load_or_create_key(&crate::attendance::cards::key_path(db)) {
        Ok(key) => kiosk.enable_cards(key),
        Err(e) => {
            log::error!("cards are off: {e}");
            return None;
        }
    }
    if config.attendance.scanner.is_empty() {
        return None;
    }
    match crate::input::device::spawn(&config.attendance.scanner) {
        Ok(codes) => Some(kiosk.receive_scans(codes)),
        Err(e) => {
            log::error!("{e}");
            None
        }
    }
}
