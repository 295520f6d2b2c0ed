use std::io::{Seek, SeekFrom, Write};

use chrono::{Duration, TimeZone};

use super::*;
use crate::schedule::demo::synthetic_feed;
use crate::schedule::Meeting;

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 3, 0, 0).unwrap()
}

fn store_with(path: &Path, n: usize) -> Store {
    let mut store = Store::open(path).unwrap();
    store
        .replace_source(
            "feed",
            &synthetic_feed(n, (40.0, -75.0)),
            "2026-11-01T00:00:00Z",
        )
        .unwrap();
    store
}

fn meetings(store: &Store) -> Vec<Meeting> {
    store.meetings().unwrap().0
}

/// Overwrites `len` bytes at `offset` with garbage, as a failing SD card might.
fn scribble(path: &Path, offset: u64, len: usize) {
    let mut f = fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start(offset)).unwrap();
    f.write_all(&vec![0xA5; len]).unwrap();
    f.sync_all().unwrap();
}

#[test]
fn snapshot_holds_the_same_schedule_and_only_the_newest_seven_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let store = store_with(&db, 50);
    let folder = snapshots_folder(&db);
    for day in 1..=9 {
        store.snapshot(&folder, at(day)).unwrap();
    }
    let kept = list(&folder);
    assert_eq!(kept.len(), KEEP);
    assert_eq!(kept[0].0, at(9));
    assert_eq!(kept[KEEP - 1].0, at(3));
    assert_eq!(
        fs::read_dir(&folder).unwrap().count(),
        KEEP,
        "no temporary file left"
    );
    let copy = Store::open(&kept[0].1).unwrap();
    assert_eq!(meetings(&copy), meetings(&store));
}

#[test]
fn damaged_database_at_start_is_replaced_by_the_newest_good_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let folder = snapshots_folder(&db);
    let expected = {
        let mut store = store_with(&db, 400);
        store.snapshot(&folder, at(20)).unwrap();
        let expected = meetings(&store);
        // Changes after the snapshot are what the notice says is lost.
        store
            .replace_source("feed", &synthetic_feed(10, (40.0, -75.0)), "x")
            .unwrap();
        expected
    };
    // Pages 3 to 6 of the b-trees overwritten.
    scribble(&db, 2 * 4096, 4 * 4096);

    let (store, notice) = Store::open_or_recover(&db, &folder, at(21)).unwrap();
    assert_eq!(meetings(&store), expected);
    let notice = notice.expect("staff are told").to_string();
    assert!(notice.contains("damaged"), "{notice}");
    assert!(notice.contains("2026-11-20 03:00 UTC"), "{notice}");
    let kept = dir.path().join("kiosk.db.damaged-20261121T030000Z");
    assert!(kept.exists(), "the damaged file is kept: {notice}");
    assert!(notice.contains(&kept.display().to_string()));
}

#[test]
fn file_that_is_not_a_database_is_set_aside_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let folder = snapshots_folder(&db);
    let expected = {
        let store = store_with(&db, 20);
        store.snapshot(&folder, at(20)).unwrap();
        meetings(&store)
    };
    scribble(&db, 0, 100);
    let (store, notice) = Store::open_or_recover(&db, &folder, at(21)).unwrap();
    assert_eq!(meetings(&store), expected);
    assert!(notice.is_some());
}

#[test]
fn damaged_newest_snapshot_is_skipped_for_an_older_good_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let folder = snapshots_folder(&db);
    let expected = {
        let mut store = store_with(&db, 300);
        store.snapshot(&folder, at(19)).unwrap();
        let expected = meetings(&store);
        store
            .replace_source("feed", &synthetic_feed(5, (40.0, -75.0)), "x")
            .unwrap();
        let newest = store.snapshot(&folder, at(20)).unwrap();
        scribble(&newest, 0, 100);
        expected
    };
    scribble(&db, 0, 100);
    let (store, notice) = Store::open_or_recover(&db, &folder, at(21)).unwrap();
    assert_eq!(meetings(&store), expected);
    assert!(notice.unwrap().to_string().contains("2026-11-19 03:00 UTC"));
}

#[test]
fn damaged_database_without_snapshot_starts_empty_and_says_to_import_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    drop(store_with(&db, 20));
    scribble(&db, 0, 100);
    let (store, notice) = Store::open_or_recover(&db, &snapshots_folder(&db), at(21)).unwrap();
    assert!(meetings(&store).is_empty());
    assert!(notice
        .unwrap()
        .to_string()
        .contains("Import the schedule again"));
}

#[test]
fn missing_database_is_created_empty_without_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let (store, notice) = Store::open_or_recover(&db, &snapshots_folder(&db), at(21)).unwrap();
    assert!(meetings(&store).is_empty());
    assert_eq!(notice, None);
    assert!(db.exists());
}

#[test]
fn missing_database_with_snapshots_is_restored_from_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let folder = snapshots_folder(&db);
    let expected = {
        let store = store_with(&db, 20);
        store.snapshot(&folder, at(20)).unwrap();
        meetings(&store)
    };
    for f in ["kiosk.db", "kiosk.db-wal", "kiosk.db-shm"] {
        let _ = fs::remove_file(dir.path().join(f));
    }
    let (store, notice) = Store::open_or_recover(&db, &folder, at(21)).unwrap();
    assert_eq!(meetings(&store), expected);
    assert!(notice.unwrap().to_string().contains("missing"));
}

#[test]
fn database_in_a_missing_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("no-such-folder").join("kiosk.db");
    let e = Store::open_or_recover(&db, &snapshots_folder(&db), at(21))
        .err()
        .expect("refused");
    assert!(
        e.to_string().contains("Check that its directory exists"),
        "{e}"
    );
}

#[test]
fn full_disk_refuses_the_import_and_keeps_the_schedule() {
    // SQLite's page limit stands in for a full SD card: both end in SQLITE_FULL.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut store = store_with(&db, 20);
    let before = meetings(&store);
    let pages: i64 = store
        .conn
        .pragma_query_value(None, "page_count", |r| r.get(0))
        .unwrap();
    store
        .conn
        .pragma_update(None, "max_page_count", pages + 2)
        .unwrap();
    let e = store
        .replace_source("feed", &synthetic_feed(5000, (40.0, -75.0)), "x")
        .expect_err("the disk is full");
    assert!(e.to_string().contains("The disk is full"), "{e}");
    assert_eq!(meetings(&store), before);
    let folder = snapshots_folder(&db);
    assert!(store.snapshot(&folder, at(21) + Duration::hours(1)).is_ok());
}

#[test]
fn snapshot_is_due_once_per_local_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let store = store_with(&db, 5);
    let folder = snapshots_folder(&db);
    let ny = chrono_tz::America::New_York;
    // 03:00 UTC on the 21st is 22:00 on the 20th in New York.
    assert!(due(&folder, at(21).with_timezone(&ny)));
    store.snapshot(&folder, at(21)).unwrap();
    assert!(!due(
        &folder,
        (at(21) + Duration::minutes(90)).with_timezone(&ny)
    ));
    assert!(due(
        &folder,
        (at(21) + Duration::hours(2)).with_timezone(&ny)
    ));
}
