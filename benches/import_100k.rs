//! 100,000 meetings of Meeting Guide JSON imported into a schedule database: time and peak
//! memory (VmHWM) of a child process that does nothing but the import, as
//! `lobby-kiosk import` would. The feed is the real southeastern Pennsylvania listing repeated
//! with unique slugs (about 110 MB), so rows carry real-sized notes and addresses.
//!
//! Run: `cargo bench --bench import_100k`

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use lobby_kiosk::import::{Format, Options};
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::apply;

const N: usize = 100_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(Path::new(&args[i + 1]), Path::new(&args[i + 2]));
        return;
    }
    if args.iter().any(|a| a == "--list") {
        println!("import_100k: bench");
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let feed = dir.path().join("feed-100k.json");
    common::write_sepia_feed(&feed, N, "");
    let size = std::fs::metadata(&feed).map(|m| m.len()).unwrap_or(0);
    println!("feed: {N} meetings, {:.1} MB", size as f64 / 1e6);
    for run in 1..=3 {
        // A fresh database each run: every meeting is an insert.
        let db = dir.path().join(format!("kiosk-{run}.db"));
        let out = Command::new(std::env::current_exe().expect("own path"))
            .args(["--child", feed.to_str().unwrap(), db.to_str().unwrap()])
            .output()
            .expect("child runs");
        print!("run {run}: {}", String::from_utf8_lossy(&out.stdout));
        if !out.status.success() {
            eprintln!("{}", String::from_utf8_lossy(&out.stderr));
            std::process::exit(1);
        }
    }
}

fn child(feed: &Path, db: &Path) {
    let mut store = Store::open(db).expect("database");
    let options = Options {
        source: "feed".into(),
        program: "AA".into(),
        ..Options::default()
    };
    let started = Instant::now();
    let outcome = apply::import_file(
        &mut store,
        feed,
        Some(Format::MeetingGuide),
        &options,
        "2026-11-22T10:00:00Z",
        false,
        &mut |_, _| {},
    )
    .expect("import");
    let elapsed = started.elapsed();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .unwrap_or("VmHWM: ?")
        .trim_start_matches("VmHWM:")
        .trim();
    println!(
        "{} meetings in {:.2} s, peak memory {peak}",
        outcome.report.meetings,
        elapsed.as_secs_f64()
    );
}
