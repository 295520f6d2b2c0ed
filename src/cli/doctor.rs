//! `lobby-kiosk doctor`: what this device has and what is wrong with it — config, display and
//! input devices, scanner, printer, database, free disk, clock, schedule sources, screen —
//! each finding with its fix in one line. Exit status 1 when something is wrong.
//!
//! It only looks: the database is opened read-only (run as root it leaves no files the
//! kiosk's user cannot open), nothing is repaired, no device is grabbed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Utc};

use crate::config::{Config, Setup, DEFAULT_CONFIG_PATH};
use crate::device::{backlight, clock, kms, screen_hours, settings::BacklightChoice};
use crate::store::Store;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Ok,
    Warn,
    Problem,
}

struct Finding {
    level: Level,
    what: String,
    fix: String,
}

#[derive(Default)]
struct Report(Vec<Finding>);

impl Report {
    fn ok(&mut self, what: impl Into<String>) {
        self.push(Level::Ok, what.into(), String::new());
    }
    fn warn(&mut self, what: impl Into<String>, fix: impl Into<String>) {
        self.push(Level::Warn, what.into(), fix.into());
    }
    fn problem(&mut self, what: impl Into<String>, fix: impl Into<String>) {
        self.push(Level::Problem, what.into(), fix.into());
    }
    fn push(&mut self, level: Level, what: String, fix: String) {
        self.0.push(Finding { level, what, fix });
    }
}

pub fn run(setup: Result<Setup, String>, db: Option<&Path>) -> Result<(), String> {
    let mut r = Report::default();
    let config = check_config(&mut r, setup);
    check_display(&mut r, &config);
    check_input(&mut r);
    check_printer(&mut r);
    let db_path = db.map_or_else(|| config.database.path.clone(), Path::to_path_buf);
    let newest = check_database(&mut r, &config, &db_path);
    check_disk(&mut r, &db_path);
    check_clock(&mut r, newest);
    check_fleet(&mut r, &config);
    for f in &r.0 {
        let mark = match f.level {
            Level::Ok => "ok     ",
            Level::Warn => "warning",
            Level::Problem => "PROBLEM",
        };
        println!("{mark}  {}", f.what);
        if !f.fix.is_empty() {
            println!("         fix: {}", f.fix);
        }
    }
    let problems = r.0.iter().filter(|f| f.level == Level::Problem).count();
    match problems {
        0 => Ok(()),
        n => Err(format!("doctor found {n} problem(s)")),
    }
}

fn check_config(r: &mut Report, setup: Result<Setup, String>) -> Config {
    match setup {
        Ok(Setup::File(config, path)) => {
            r.ok(format!("config {} is valid", path.display()));
            config
        }
        Ok(Setup::Demo(config)) => {
            r.warn(
                "no config file: the kiosk shows the built-in sample schedule",
                format!("copy /usr/share/doc/lobby-kiosk/config.example.toml to {DEFAULT_CONFIG_PATH} and edit it"),
            );
            config
        }
        Err(e) => {
            r.problem(
                e,
                "correct that line of the config, then `sudo systemctl restart lobby-kiosk`",
            );
            Config::default()
        }
    }
}

fn entries(dir: &str, prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(prefix))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn check_display(r: &mut Report, config: &Config) {
    if !cfg!(feature = "kms") {
        r.warn(
            "this build has no full-screen display backend (built without the `kms` feature)",
            "install the lobby-kiosk .deb, which is built with `--features kms`",
        );
    }
    let cards = entries("/dev/dri", "card");
    if cards.is_empty() {
        r.problem(
            "no display device in /dev/dri",
            "enable the KMS driver: dtoverlay=vc4-kms-v3d in /boot/firmware/config.txt, then reboot",
        );
    } else {
        r.ok(format!("display devices: {}", super::shown_paths(&cards)));
    }
    let rotation = config.screen.rotation;
    if rotation != 0 {
        r.ok(format!(
            "rotation {rotation}°; touch is calibrated by the kiosk (the udev equivalent: {})",
            kms::calibration_udev_rule(rotation)
        ));
    }
    match config.screen.hours() {
        Ok(Some(hours)) => {
            let now = Utc::now().with_timezone(&config.timezone());
            let (at, on) = screen_hours::next_change(&hours, &now);
            r.ok(format!(
                "screen hours {}–{}: now {}, turns {} at {}",
                hours.on.format("%H:%M"),
                hours.off.format("%H:%M"),
                if screen_hours::is_on(&hours, &now) {
                    "on"
                } else {
                    "off"
                },
                if on { "on" } else { "off" },
                at.format("%a %H:%M %Z")
            ));
            let light = match config.screen.backlight_choice() {
                BacklightChoice::Auto => {
                    backlight::Backlight::find(Path::new(backlight::SYSFS_BACKLIGHT))
                }
                BacklightChoice::Folder(f) => Some(backlight::Backlight::at(f)),
                BacklightChoice::None => None,
            };
            match light {
                Some(l) => r.ok(format!("backlight {}", l.folder().display())),
                None => r.ok("no backlight device: at night the screen shows black"),
            }
        }
        Ok(None) => r.ok("screen on all day (no [screen] hours)"),
        Err(_) => {}
    }
}

fn check_input(r: &mut Report) {
    let events = entries("/dev/input", "event");
    if events.is_empty() {
        r.problem(
            "no input devices in /dev/input: no touch",
            "check the panel's touch cable and its dtoverlay in /boot/firmware/config.txt",
        );
        return;
    }
    let described: Vec<String> = events
        .iter()
        .map(|e| {
            let name = e
                .file_name()
                .and_then(|n| n.to_str())
                .map(|n| format!("/sys/class/input/{n}/device/name"))
                .and_then(|p| fs::read_to_string(p).ok())
                .unwrap_or_default();
            format!("{} ({})", e.display(), name.trim())
        })
        .collect();
    r.ok(format!("input devices: {}", described.join(", ")));
    if let Some(unreadable) = events.iter().find(|e| fs::File::open(e).is_err()) {
        r.warn(
            format!("{} cannot be opened by this user", unreadable.display()),
            "run doctor as the kiosk's user (sudo -u lobby-kiosk lobby-kiosk doctor); it is in the input group",
        );
    }
    let scanner = Path::new("/dev/input/lobby-kiosk-scanner");
    if scanner.exists() {
        r.ok("card scanner: /dev/input/lobby-kiosk-scanner");
    } else {
        r.ok("no card scanner recognised (optional); a make the udev rule does not know needs a line in /lib/udev/rules.d/60-lobby-kiosk.rules");
    }
}

fn check_printer(r: &mut Report) {
    let printers = entries("/dev/usb", "lp");
    if Path::new("/dev/lobby-kiosk-printer").exists() || !printers.is_empty() {
        r.ok(format!(
            "receipt printer: {}",
            super::shown_paths(&printers)
        ));
    } else {
        r.ok("no receipt printer (optional); plug it in by USB and it appears as /dev/lobby-kiosk-printer");
    }
}

fn check_database(r: &mut Report, config: &Config, path: &Path) -> Option<DateTime<Utc>> {
    if !path.exists() {
        r.warn(
            format!("database {} does not exist yet", path.display()),
            "it is created when the kiosk starts; `sudo systemctl status lobby-kiosk` says why it did not",
        );
        return None;
    }
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum();
    let store = match Store::open_read_only(path) {
        Ok(store) => store,
        Err(e) => {
            r.problem(
                e.to_string(),
                "run doctor as the kiosk's user: sudo -u lobby-kiosk lobby-kiosk doctor",
            );
            return None;
        }
    };
    match store.quick_check() {
        Ok(check) if check == "ok" => r.ok(format!(
            "database {} is intact ({:.1} MB)",
            path.display(),
            size as f64 / 1e6
        )),
        Ok(check) => r.problem(
            format!("database {} is damaged: {check}", path.display()),
            "stop the kiosk, move the file aside (keep it), start the kiosk and re-import the schedule bundle",
        ),
        Err(e) => r.problem(e.to_string(), "sudo systemctl restart lobby-kiosk; if it stays, see the install guide's power-loss section"),
    }
    check_sources(r, config, &store);
    store.newest_recorded_time().ok().flatten()
}

fn check_sources(r: &mut Report, config: &Config, store: &Store) {
    let Ok(sources) = store.sources() else { return };
    if sources.is_empty() {
        r.warn(
            "no schedule imported yet",
            "plug in a USB stick with a signed bundle (README: Updating the schedule)",
        );
    }
    let now = Utc::now();
    for s in &sources {
        let age = DateTime::parse_from_rfc3339(&s.imported_at)
            .ok()
            .map(|t| now.signed_duration_since(t).num_days());
        let what = format!(
            "source {}: {} meetings, imported {}",
            s.name, s.meetings, s.imported_at
        );
        match age {
            Some(days) if days > 30 && !config.feeds.iter().any(|f| f.name == s.name) => r.warn(
                format!("{what} ({days} days ago)"),
                "bring a new bundle on a USB stick so the listings stay current",
            ),
            _ => r.ok(what),
        }
        if let Ok(feed) = store.feed_state(&s.name) {
            if !feed.last_error.is_empty() {
                r.warn(
                    format!("feed {}: last refresh failed: {}", s.name, feed.last_error),
                    "check the network and the feed's url in the config; the last good data is kept",
                );
            }
        }
    }
}

fn check_disk(r: &mut Report, db: &Path) {
    let dir = crate::device::disk::folder_of(db);
    let free_kb = crate::device::disk::free_bytes(dir).map(|b| b / 1024);
    match free_kb {
        Some(kb) if kb < 200 * 1024 => r.problem(
            format!("only {} MB free on {}", kb / 1024, dir.display()),
            "free space (sudo journalctl --vacuum-size=50M; sudo apt-get clean) or use a larger card",
        ),
        Some(kb) => r.ok(format!("{} MB free on {}", kb / 1024, dir.display())),
        None => r.warn(format!("free space on {} unknown", dir.display()), "run `df -h` by hand"),
    }
}

/// The folders shared with the office, when several sites are configured.
fn check_fleet(r: &mut Report, config: &Config) {
    if let Some(folder) = &config.sync.folder {
        if folder.is_dir() {
            r.ok(format!("sync folder {}", folder.display()));
        } else {
            r.problem(
                format!("sync folder {} does not exist", folder.display()),
                "share the office's schedule folder to this path in Syncthing (README: Several sites)",
            );
        }
    }
    let (Some(reports), Some(mine)) = (&config.fleet.reports_folder, config.fleet.kiosk_folder())
    else {
        return;
    };
    if !reports.is_dir() {
        r.problem(
            format!("reports folder {} does not exist", reports.display()),
            "share the office's reports folder to this path in Syncthing (README: Several sites)",
        );
        return;
    }
    let status = mine.join(crate::fleet::status::FILE_NAME);
    match std::fs::metadata(&status).and_then(|m| m.modified()) {
        Ok(when) => {
            let ago = when.elapsed().map_or(0, |d| d.as_secs() / 60);
            if ago > 15 {
                r.warn(
                    format!("{} last written {ago} min ago", status.display()),
                    "is the kiosk running? `journalctl -u lobby-kiosk` says why it cannot write there",
                );
            } else {
                r.ok(format!("reports for the office in {}", mine.display()));
            }
        }
        Err(_) => r.warn(
            format!("no {} yet", status.display()),
            "the kiosk writes it within 5 minutes of starting; check `journalctl -u lobby-kiosk`",
        ),
    }
}

fn check_clock(r: &mut Report, newest: Option<DateTime<Utc>>) {
    let now = Utc::now();
    match clock::check(now, clock::build_time(), newest) {
        Some(w) => r.problem(w.to_string(), "sudo timedatectl set-time 'YYYY-MM-DD HH:MM' (or connect the network), and fit a battery clock"),
        None => r.ok(format!("clock {}", now.format("%Y-%m-%d %H:%M UTC"))),
    }
    if Path::new("/dev/rtc0").exists() {
        r.ok("battery clock (RTC) present: /dev/rtc0");
    } else {
        r.warn(
            "no battery clock (RTC): after a power cut without network the time is wrong",
            "fit the Pi 5 RTC battery or an RTC HAT (install guide: The clock)",
        );
    }
    let synced = Command::new("timedatectl")
        .args(["show", "-p", "NTPSynchronized", "--value"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match synced.as_deref() {
        Some("yes") => r.ok("time synchronised over the network (NTP)"),
        Some("no") => r.warn(
            "time not synchronised over the network",
            "fine without a network if the RTC holds the time; else connect it once",
        ),
        _ => {}
    }
}
