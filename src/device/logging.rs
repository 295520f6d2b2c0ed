//! Log lines to stderr with levels, which journald understands: under systemd each line
//! starts with a `<N>` syslog priority (`journalctl -p warning` then filters); on a terminal
//! it reads `lobby-kiosk: warning: …`.
//!
//! Deliberately small: no files, no rotation (journald does that). What is logged is the
//! caller's business, and the rule is strict: never a visitor's data, no line per sign-in or
//! tap — device and schedule events only.

use std::io::Write;

use log::{Level, LevelFilter, Log, Metadata, Record};

/// `LOBBY_KIOSK_LOG=debug` (error, warn, info, debug, trace) changes the level; info by default.
pub const LEVEL_VARIABLE: &str = "LOBBY_KIOSK_LOG";

struct StderrLog {
    level: LevelFilter,
    journald: bool,
}

/// Installs the logger once for the process; later calls do nothing.
pub fn init() {
    let level = std::env::var(LEVEL_VARIABLE)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(LevelFilter::Info);
    // systemd sets JOURNAL_STREAM when stderr is connected to the journal.
    let journald = std::env::var_os("JOURNAL_STREAM").is_some();
    if log::set_boxed_logger(Box::new(StderrLog { level, journald })).is_ok() {
        log::set_max_level(level);
    }
}

/// One line as written: `<4>USB stick …` for journald, `lobby-kiosk: warning: USB stick …`
/// on a terminal.
pub fn line(level: Level, journald: bool, message: &str) -> String {
    if journald {
        let priority = match level {
            Level::Error => 3,
            Level::Warn => 4,
            Level::Info => 6,
            Level::Debug | Level::Trace => 7,
        };
        format!("<{priority}>{message}")
    } else {
        match level {
            Level::Info => format!("lobby-kiosk: {message}"),
            other => format!(
                "lobby-kiosk: {}: {message}",
                match other {
                    Level::Error => "error",
                    Level::Warn => "warning",
                    _ => "debug",
                }
            ),
        }
    }
}

impl Log for StderrLog {
    fn enabled(&self, metadata: &Metadata) -> bool {
        // Libraries (HTTP, TLS, Slint) speak only when something is wrong.
        let ours = metadata.target().starts_with("lobby_kiosk");
        metadata.level() <= self.level && (ours || metadata.level() <= Level::Warn)
    }

    fn log(&self, record: &Record) {
        if self.enabled(record.metadata()) {
            let text = line(record.level(), self.journald, &record.args().to_string());
            // One write per line so lines from threads do not interleave.
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        }
    }

    fn flush(&self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journald_lines_carry_the_syslog_priority() {
        assert_eq!(line(Level::Error, true, "x"), "<3>x");
        assert_eq!(line(Level::Warn, true, "x"), "<4>x");
        assert_eq!(line(Level::Info, true, "x"), "<6>x");
        assert_eq!(line(Level::Debug, true, "x"), "<7>x");
    }

    #[test]
    fn terminal_lines_name_the_program_and_any_level_above_info() {
        assert_eq!(line(Level::Info, false, "ready"), "lobby-kiosk: ready");
        assert_eq!(
            line(Level::Warn, false, "no backlight"),
            "lobby-kiosk: warning: no backlight"
        );
    }
}
