//! Crash safety: an import and a stream of sign-ins are killed with SIGKILL at random moments
//! in a child process, and after every kill the database passes `PRAGMA integrity_check` and
//! holds exactly the old schedule or exactly the new one (sign-ins: exactly the committed
//! count, or one more when the kill landed between the commit and its report).
//!
//! The child is this test binary run again (`--exact crash_child --ignored`) with
//! `LOBBY_KIOSK_CRASH_CHILD` saying what to do. SIGKILL leaves the operating system's page
//! cache intact, so this proves crash safety, not power-loss safety (see RELIABILITY.md).
//!
//! CI runs a few kills of each; the full run is
//! `LOBBY_KIOSK_CRASH_RUNS=500 cargo test --release --test crash -- --nocapture`.
//! `LOBBY_KIOSK_CRASH_MEETINGS` sets the size of the new schedule (default 20,000).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use lobby_kiosk::import::{Format, Options};
use lobby_kiosk::schedule::{Meeting, Recurrence};
use lobby_kiosk::store::{CardVisit, Store};
use lobby_kiosk::sync::apply;

const CHILD: &str = "LOBBY_KIOSK_CRASH_CHILD";
const CHILD_DB: &str = "LOBBY_KIOSK_CRASH_DB";
const CHILD_FEED: &str = "LOBBY_KIOSK_CRASH_FEED";

fn runs() -> usize {
    std::env::var("LOBBY_KIOSK_CRASH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12)
}

fn new_meetings() -> usize {
    std::env::var("LOBBY_KIOSK_CRASH_MEETINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// A small deterministic generator (xorshift64*): each run's kill moment is reproducible
/// from the seed printed with the results.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `0..=max`.
    fn below(&mut self, max: Duration) -> Duration {
        let us = max.as_micros().max(1) as u64;
        Duration::from_micros(self.next() % (us + 1))
    }
}

fn seed() -> u64 {
    std::env::var("LOBBY_KIOSK_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_1ab5)
}

/// The child side: does what `LOBBY_KIOSK_CRASH_CHILD` says and is killed by the parent.
/// Without that variable (a plain `cargo test -- --ignored`) it does nothing.
#[test]
#[ignore = "child process of the crash tests; run by them, not by hand"]
fn crash_child() {
    let Ok(mode) = std::env::var(CHILD) else {
        return;
    };
    let db = PathBuf::from(std::env::var(CHILD_DB).expect("database path"));
    let mut store = Store::open(&db).expect("database opens");
    let mut out = std::io::stdout().lock();
    match mode.as_str() {
        "import" => {
            let feed = PathBuf::from(std::env::var(CHILD_FEED).expect("feed path"));
            apply::import_file(
                &mut store,
                &feed,
                Some(Format::MeetingGuide),
                &feed_options(),
                "2026-11-22T10:00:00Z",
                false,
                &mut |_, _| {},
            )
            .expect("import");
            writeln!(out, "committed").unwrap();
            out.flush().unwrap();
        }
        "sign-in" => {
            let meeting = sign_in_meeting();
            for n in 1u64.. {
                let card = (n % 2 == 0).then(|| CardVisit { tag: sha_of(n) });
                store
                    .sign_in(&meeting, sign_in_day(), card.as_ref(), true)
                    .expect("sign-in");
                writeln!(out, "{n}").unwrap();
                out.flush().unwrap();
            }
        }
        other => panic!("unknown child mode {other}"),
    }
}

fn sha_of(n: u64) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(n.to_le_bytes()).into()
}

fn feed_options() -> Options {
    Options {
        source: "feed".into(),
        program: "AA".into(),
        ..Options::default()
    }
}

fn sign_in_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn sign_in_meeting() -> Meeting {
    Meeting::new(
        "in-house",
        "tuesday-night",
        "Tuesday Night Group",
        Recurrence::Weekly(vec![chrono::Weekday::Tue]),
        chrono::NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
    )
}

/// Starts this test binary as a child in `mode`.
fn spawn_child(mode: &str, db: &Path, feed: Option<&Path>) -> std::process::Child {
    let mut cmd = Command::new(std::env::current_exe().expect("own path"));
    cmd.args([
        "--exact",
        "crash_child",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
        "--quiet",
    ])
    .env(CHILD, mode)
    .env(CHILD_DB, db)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(feed) = feed {
        cmd.env(CHILD_FEED, feed);
    }
    cmd.spawn().expect("child starts")
}

/// `PRAGMA integrity_check` of the file, as a fresh process opening it would run it.
fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("database opens after the kill");
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.join("; ")
}

fn copy_database(from: &Path, to: &Path) {
    // The template is closed and checkpointed: the main file is the whole database.
    std::fs::copy(from, to).expect("copy the prepared database");
}

/// Closes the store after folding the WAL into the main file, so a plain copy is complete.
fn checkpoint(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
}

#[derive(Default, Debug)]
struct Tally {
    old: usize,
    new: usize,
}

#[test]
fn import_killed_at_any_moment_leaves_exactly_the_old_or_the_new_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let old_feed = dir.path().join("old.json");
    let new_feed = dir.path().join("new.json");
    common::write_sepia_feed(&old_feed, 1928, "old");
    common::write_sepia_feed(&new_feed, new_meetings(), "new");

    // The database as the kiosk had it before the import: the old schedule.
    let template = dir.path().join("template.db");
    {
        let mut store = Store::open(&template).unwrap();
        apply::import_file(
            &mut store,
            &old_feed,
            Some(Format::MeetingGuide),
            &feed_options(),
            "2026-11-21T10:00:00Z",
            false,
            &mut |_, _| {},
        )
        .unwrap();
    }
    checkpoint(&template);
    let old = Store::open(&template).unwrap().meetings().unwrap();
    checkpoint(&template);

    // One uninterrupted run: the new schedule and how long a whole child takes.
    let db = dir.path().join("kiosk.db");
    copy_database(&template, &db);
    let started = Instant::now();
    let out = spawn_child("import", &db, Some(&new_feed))
        .wait_with_output()
        .unwrap();
    let whole = started.elapsed();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("committed"),
        "the uninterrupted import commits"
    );
    let new = Store::open(&db).unwrap().meetings().unwrap();
    assert_eq!(new.0.len(), new_meetings());
    assert_ne!(old, new);

    let mut dice = Dice(seed());
    let mut tally = Tally::default();
    let mut reported_committed = 0;
    for run in 0..runs() {
        for f in ["kiosk.db", "kiosk.db-wal", "kiosk.db-shm"] {
            let _ = std::fs::remove_file(dir.path().join(f));
        }
        copy_database(&template, &db);
        // Kill moments cover start-up, parsing, writing, the commit and just after.
        let delay = dice.below(whole.mul_f64(1.1));
        let mut child = spawn_child("import", &db, Some(&new_feed));
        thread::sleep(delay);
        child.kill().expect("SIGKILL");
        let out = child.wait_with_output().unwrap();
        let committed = String::from_utf8_lossy(&out.stdout).contains("committed");
        reported_committed += usize::from(committed);

        assert_eq!(
            integrity(&db),
            "ok",
            "run {run}: integrity after a kill at {delay:?}"
        );
        let now = Store::open(&db).unwrap().meetings().unwrap();
        if now == old {
            assert!(
                !committed,
                "run {run}: the child reported a commit the file lost"
            );
            tally.old += 1;
        } else if now == new {
            tally.new += 1;
        } else {
            panic!(
                "run {run}: after a kill at {delay:?} the schedule is neither the old nor the new one ({} meetings)",
                now.0.len()
            );
        }
    }
    println!(
        "crash/import: {} kills (seed {:#x}), whole child {:.2} s, {} new meetings: \
         {} left the old schedule, {} the new one ({} after the child reported its commit); \
         integrity_check ok every time",
        runs(),
        seed(),
        whole.as_secs_f64(),
        new_meetings(),
        tally.old,
        tally.new,
        reported_committed
    );
}

#[test]
fn sign_ins_killed_at_any_moment_keep_every_committed_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut dice = Dice(seed() ^ 0x51_6e);
    let mut total_printed = 0;
    let mut one_more = 0;
    for run in 0..runs() {
        for f in ["kiosk.db", "kiosk.db-wal", "kiosk.db-shm"] {
            let _ = std::fs::remove_file(dir.path().join(f));
        }
        Store::open(&db).unwrap();
        let delay = dice.below(Duration::from_millis(400));
        let mut child = spawn_child("sign-in", &db, None);
        let stdout = child.stdout.take().unwrap();
        // Read as the child writes, so a full pipe never stalls it.
        // Only the child's numbered lines count, not the test harness's own output.
        let reader = thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter(|l| l.parse::<u64>().is_ok())
                .count()
        });
        thread::sleep(delay);
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        let printed = reader.join().unwrap() as u32;

        assert_eq!(
            integrity(&db),
            "ok",
            "run {run}: integrity after a kill at {delay:?}"
        );
        let stored = Store::open(&db)
            .unwrap()
            .attendance_count("in-house:tuesday-night", sign_in_day())
            .unwrap();
        assert!(
            stored == printed || stored == printed + 1,
            "run {run}: {printed} sign-ins were reported committed, {stored} are stored"
        );
        total_printed += printed as usize;
        one_more += usize::from(stored == printed + 1);
    }
    println!(
        "crash/sign-in: {} kills (seed {:#x}), {} sign-ins committed in all; every one kept, \
         {} kills fell between a commit and its report",
        runs(),
        seed() ^ 0x51_6e,
        total_printed,
        one_more
    );
}
