use super::codec::encode_time;
use super::*;
use crate::schedule::{NthWeekday, Recurrence};
use chrono::{NaiveTime, Weekday};

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}
fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
fn weekly(source: &str, slug: &str, start: NaiveTime) -> Meeting {
    Meeting::new(
        source,
        slug,
        &format!("{slug} group"),
        Recurrence::Weekly(vec![Weekday::Mon]),
        start,
    )
}

#[test]
fn open_sets_wal_and_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("kiosk.db")).unwrap();
    let mode: String = store
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    let version: i64 = store
        .conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let fk: i64 = store
        .conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    let sync: i64 = store
        .conn
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(version, MIGRATIONS.len() as i64);
    assert_eq!(fk, 1);
    assert_eq!(sync, 2, "synchronous=FULL");
}

#[test]
fn meetings_round_trip_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db")).unwrap();
    let mut full = Meeting::new(
        "aa",
        "full",
        "Full",
        Recurrence::Weekly(vec![Weekday::Sun, Weekday::Wed, Weekday::Sat]),
        t(19, 30),
    );
    full.program = "AA".into();
    full.in_house = true;
    full.end = Some(NaiveTime::from_hms_opt(20, 45, 30).unwrap());
    full.timezone = Some(chrono_tz::America::New_York);
    full.location = "Church hall".into();
    full.address = "1 Main St, Springfield".into();
    full.latitude = Some(40.712_776);
    full.longitude = Some(-74.005_974);
    full.approximate = true;
    full.region = "Downtown".into();
    full.notes = "Back door, ring twice".into();
    full.types = vec!["O".into(), "D".into(), "X-NEW".into()];
    full.conference_url = "https://zoom.us/j/123".into();
    full.conference_url_notes = "pw 1".into();
    full.conference_phone = "+1 555 123 4567".into();
    full.conference_phone_notes = "ext 9".into();
    full.updated = "2026-01-02 03:04:05".into();
    full.location_notes = "Room 204, side door".into();
    full.skipped = vec![
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
    ];
    let last_friday = Meeting::new(
        "aa",
        "lastfri",
        "Last Friday",
        Recurrence::Monthly {
            nth: NthWeekday::Last,
            weekday: Weekday::Fri,
        },
        t(18, 0),
    );
    let second_tue = Meeting::new(
        "aa",
        "2tue",
        "Second Tuesday",
        Recurrence::Monthly {
            nth: NthWeekday::Nth(2),
            weekday: Weekday::Tue,
        },
        t(17, 0),
    );
    let biweekly = Meeting::new(
        "aa",
        "bi",
        "Biweekly",
        Recurrence::EveryOtherWeek {
            anchor: d(2026, 1, 6),
        },
        t(7, 5),
    );
    let appt = Meeting::new(
        "aa",
        "appt",
        "By appointment",
        Recurrence::ByAppointment,
        t(0, 0),
    );
    let input = vec![full, last_friday, second_tue, biweekly, appt];
    let counts = store
        .replace_source("aa", &input, "2026-02-01T10:00:00Z")
        .unwrap();
    assert_eq!(
        counts,
        ReplaceCounts {
            added: 5,
            ..Default::default()
        }
    );

    let (got, warnings) = store.meetings().unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut expected = input.clone();
    expected.sort_by(|a, b| (encode_time(a.start), &a.id).cmp(&(encode_time(b.start), &b.id)));
    assert_eq!(got, expected);
    assert_eq!(store.meeting("aa:full").unwrap().as_ref(), Some(&input[0]));
    assert_eq!(store.meeting("aa:nope").unwrap(), None);
}

#[test]
fn replacing_a_source_leaves_other_sources_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db")).unwrap();
    store
        .replace_source(
            "aa",
            &[weekly("aa", "a1", t(9, 0)), weekly("aa", "a2", t(10, 0))],
            "t1",
        )
        .unwrap();
    store
        .replace_source("na", &[weekly("na", "n1", t(11, 0))], "t1")
        .unwrap();

    let mut a2 = weekly("aa", "a2", t(10, 0));
    a2.notes = "moved".into();
    let a1 = weekly("aa", "a1", t(9, 0));
    let counts = store
        .replace_source("aa", &[a2, weekly("aa", "a3", t(12, 0))], "t2")
        .unwrap();
    assert_eq!(
        counts,
        ReplaceCounts {
            added: 1,
            removed: 1,
            changed: 1,
            unchanged: 0
        }
    );
    assert_eq!(store.meeting(&a1.id).unwrap(), None);
    assert!(store.meeting("na:n1").unwrap().is_some());
    assert_eq!(
        store
            .sources()
            .unwrap()
            .iter()
            .map(|s| (s.name.as_str(), s.imported_at.as_str(), s.meetings))
            .collect::<Vec<_>>(),
        vec![("aa", "t2", 2), ("na", "t1", 1)]
    );
    let err = store
        .replace_source("aa", &[weekly("na", "x", t(1, 0))], "t3")
        .unwrap_err();
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(store.meetings().unwrap().0.len(), 3);
}

#[test]
fn replacing_a_source_keeps_attendance_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db")).unwrap();
    let m = weekly("in-house", "morning", t(8, 0));
    store
        .replace_source("in-house", std::slice::from_ref(&m), "t1")
        .unwrap();
    store.add_attendance(&m, d(2026, 3, 2), 3).unwrap();
    store.add_attendance(&m, d(2026, 3, 2), 2).unwrap();
    store.replace_source("in-house", &[], "t2").unwrap();
    assert_eq!(store.attendance_count(&m.id, d(2026, 3, 2)).unwrap(), 5);
    store
        .replace_source("in-house", std::slice::from_ref(&m), "t3")
        .unwrap();
    assert_eq!(store.attendance_count(&m.id, d(2026, 3, 2)).unwrap(), 5);
    assert_eq!(store.attendance_count(&m.id, d(2026, 3, 3)).unwrap(), 0);
}

#[test]
fn second_connection_sees_data_version_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let mut writer = Store::open(&path).unwrap();
    let reader = Store::open(&path).unwrap();
    let before = reader.data_version().unwrap();
    assert_eq!(
        reader.data_version().unwrap(),
        before,
        "stable without writes"
    );
    writer
        .replace_source("aa", &[weekly("aa", "a1", t(9, 0))], "t1")
        .unwrap();
    assert_ne!(reader.data_version().unwrap(), before);
    assert_eq!(reader.meetings().unwrap().0.len(), 1);
}

#[test]
fn reopening_runs_no_migration_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    Store::open(&path)
        .unwrap()
        .replace_source("aa", &[weekly("aa", "a1", t(9, 0))], "t1")
        .unwrap();
    let store = Store::open(&path).unwrap();
    let version: i64 = store
        .conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
    assert_eq!(store.meetings().unwrap().0.len(), 1);
    drop(store);

    let raw = Connection::open(&path).unwrap();
    raw.pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1)
        .unwrap();
    drop(raw);
    let err = Store::open(&path)
        .err()
        .expect("a newer schema must be refused");
    assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");
    assert!(err.to_string().contains("newer kiosk"), "{err}");
}

#[test]
fn undecodable_row_is_skipped_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let mut store = Store::open(&path).unwrap();
    store
        .replace_source("aa", &[weekly("aa", "good", t(9, 0))], "t1")
        .unwrap();
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch(
        "INSERT INTO meeting(id, source, recurrence, start_time) VALUES ('aa:bad', 'aa', 'fortnightly:7', '10:00');
         INSERT INTO meeting(id, source, recurrence, start_time, timezone) VALUES ('aa:tz', 'aa', 'weekly:1', '11:00', 'Mars/Olympus');
         INSERT INTO meeting(id, source, recurrence, start_time, name) VALUES ('aa:latin1', 'aa', 'weekly:1', '12:00', CAST(x'436166e9' AS TEXT));",
    )
    .unwrap();
    let (meetings, warnings) = store.meetings().unwrap();
    assert_eq!(
        meetings.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        ["aa:good"]
    );
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings[0].contains("aa:bad") && warnings[0].contains("fortnightly"),
        "{warnings:?}"
    );
    assert!(warnings[1].contains("Mars/Olympus"), "{warnings:?}");
    assert!(
        warnings[2].contains("aa:latin1")
            && warnings[2].contains("name holds text that is not UTF-8"),
        "{warnings:?}"
    );
    assert!(matches!(
        store.meeting("aa:latin1"),
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        store.meeting("aa:bad"),
        Err(StoreError::Invalid { .. })
    ));
    // A re-import repairs the file: a bad row the feed still has is rewritten, the others
    // are removed.
    let latin1 = weekly("aa", "latin1", t(12, 0));
    let counts = store
        .replace_source("aa", &[weekly("aa", "good", t(9, 0)), latin1.clone()], "t2")
        .unwrap();
    assert_eq!(
        counts,
        ReplaceCounts {
            unchanged: 1,
            changed: 1,
            removed: 2,
            ..Default::default()
        }
    );
    let (meetings, warnings) = store.meetings().unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(meetings, [weekly("aa", "good", t(9, 0)), latin1]);
}

#[test]
fn a_reimport_writes_only_the_meetings_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db")).unwrap();
    let (a1, a2, a3) = (
        weekly("aa", "a1", t(9, 0)),
        weekly("aa", "a2", t(10, 0)),
        weekly("aa", "a3", t(11, 0)),
    );
    store
        .replace_source("aa", &[a1.clone(), a2.clone(), a3], "t1")
        .unwrap();
    store
        .replace_source("na", &[weekly("na", "n1", t(9, 30))], "t1")
        .unwrap();
    let mut moved = a2;
    moved.location = "Room 4".into();
    let a4 = weekly("aa", "a4", t(12, 0));
    let before = store.conn.total_changes();
    let counts = store
        .replace_source("aa", &[a1.clone(), moved.clone(), a4.clone()], "t2")
        .unwrap();
    assert_eq!(
        counts,
        ReplaceCounts {
            added: 1,
            removed: 1,
            changed: 1,
            unchanged: 1
        }
    );
    // The source's row, a4 inserted, a2 rewritten, a3 deleted; a1 is left as it was.
    assert_eq!(store.conn.total_changes() - before, 4);
    let (meetings, warnings) = store.meetings().unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        meetings,
        [
            a1.clone(),
            weekly("na", "n1", t(9, 30)),
            moved.clone(),
            a4.clone()
        ]
    );

    // The daily update of a feed that did not change writes only the source's row.
    let before = store.conn.total_changes();
    let counts = store.replace_source("aa", &[a4, a1, moved], "t3").unwrap();
    assert_eq!(
        counts,
        ReplaceCounts {
            unchanged: 3,
            ..Default::default()
        }
    );
    assert_eq!(store.conn.total_changes() - before, 1);
    assert_eq!(store.meetings().unwrap().0.len(), 4);
}

/// The WAL's length in frames (pages written), from its file size.
fn wal_frames(db: &std::path::Path) -> u64 {
    let wal = std::fs::metadata(db.with_extension("db-wal")).map_or(0, |m| m.len());
    wal.saturating_sub(32) / (4096 + 24)
}

#[test]
fn a_connection_that_defers_checkpoints_leaves_them_to_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    // Every round renames every meeting, so each import rewrites all of its rows.
    let feed = |n, round: usize| {
        let mut all = crate::schedule::demo::synthetic_feed(n, (39.95, -75.16));
        for m in &mut all {
            m.name = format!("{} (round {round})", m.name);
        }
        all
    };
    let (deferred, automatic) = (dir.path().join("deferred.db"), dir.path().join("auto.db"));
    let mut d = Store::open(&deferred).unwrap();
    d.defer_checkpoints().unwrap();
    let mut a = Store::open(&automatic).unwrap();
    for round in 0..5 {
        let meetings = feed(8_000, round);
        d.replace_source("feed", &meetings, "2026-11-22T00:00:00Z")
            .unwrap();
        a.replace_source("feed", &meetings, "2026-11-22T00:00:00Z")
            .unwrap();
    }
    // SQLite's automatic checkpoint restarts the WAL once it passes 1,000 pages.
    let (grown, bounded) = (wal_frames(&deferred), wal_frames(&automatic));
    assert!(
        grown > 1_500 && bounded < 1_500,
        "deferred {grown} frames, automatic {bounded}"
    );
    d.checkpoint().unwrap();
    d.replace_source("feed", &feed(1_400, 5), "2026-11-22T00:00:00Z")
        .unwrap();
    assert_eq!(
        wal_frames(&deferred),
        grown,
        "after the checkpoint the WAL is reused from its start, not grown"
    );
    assert_eq!(d.meetings().unwrap().0.len(), 1_400);
}

#[test]
fn a_frozen_store_reads_the_previous_schema_and_refuses_older_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let mut store = Store::open(&path).unwrap();
    store
        .replace_source("a", &[weekly("a", "one", t(19, 0))], "2026-11-22T00:00:00Z")
        .unwrap();
    // As a kiosk of the release before display choices left it.
    store
        .conn
        .execute_batch("DROP TABLE display_choice; PRAGMA user_version = 3;")
        .unwrap();
    drop(store);
    let frozen = Store::open_frozen(&path).unwrap();
    assert!(frozen.is_read_only());
    assert_eq!(frozen.meetings().unwrap().0.len(), 1);
    assert!(
        frozen.display_choice().is_err(),
        "no such table: the kiosk uses the config"
    );
    drop(frozen);

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA user_version = 2;").unwrap();
    drop(conn);
    let refused = Store::open_frozen(&path)
        .err()
        .expect("schema 2 is refused");
    assert!(
        refused.to_string().contains("schema version 2"),
        "{refused}"
    );
}
