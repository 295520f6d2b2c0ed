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
    let journald = stderr_is_the_journal();
    if log::set_boxed_logger(Box::new(StderrLog { level, journald })).is_ok() {
        log::set_max_level(level);
    }
}

/// Whether stderr is the stream systemd connected to the journal. systemd names it in
/// `JOURNAL_STREAM` as `DEVICE:INODE`; a program started from a unit with its stderr sent
/// elsewhere (a pipe, a file) still inherits the variable, so the stream itself is compared.
fn stderr_is_the_journal() -> bool {
    use std::os::fd::AsFd;
    let Some(value) = std::env::var_os("JOURNAL_STREAM") else {
        return false;
    };
    std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .ok()
        .and_then(|fd| std::fs::File::from(fd).metadata().ok())
        .is_some_and(|stderr| names_stream(&value, &stderr))
}

/// Whether a `JOURNAL_STREAM` value names the file (device and inode as decimal numbers).
fn names_stream(value: &std::ffi::OsStr, file: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some((dev, ino)) = value.to_str().and_then(|v| v.split_once(':')) else {
        return false;
    };
    dev.parse() == Ok(file.dev()) && ino.parse() == Ok(file.ino())
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
    fn the_journal_is_recognised_by_its_device_and_inode_not_by_the_variable_alone() {
        use std::os::unix::fs::MetadataExt;
        let file = tempfile::tempfile().unwrap();
        let meta = file.metadata().unwrap();
        let other = tempfile::tempfile().unwrap().metadata().unwrap();
        let value = format!("{}:{}", meta.dev(), meta.ino());
        assert!(names_stream(value.as_ref(), &meta));
        assert!(!names_stream(value.as_ref(), &other), "another file");
        for junk in ["", "1", "a:b", &format!("{}:", meta.dev())] {
            assert!(!names_stream(junk.as_ref(), &meta), "{junk:?}");
        }
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
