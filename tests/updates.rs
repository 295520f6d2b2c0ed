//! Schedule updates as staff make them: signed bundles (USB stick, sync folder, `import DIR`),
//! HTTP feeds against a real server on 127.0.0.1, and the import/export command line. Every
//! refusal is checked to leave the schedule in use exactly as it was.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use lobby_kiosk::config::Feed;
use lobby_kiosk::import::bundle::{self, FileOptions, PublicKey};
use lobby_kiosk::import::Rules;
use lobby_kiosk::schedule::Meeting;
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::bundles::apply_bundle;
use lobby_kiosk::sync::feeds::{self, Refreshed};
use lobby_kiosk::sync::folder::FolderWatcher;
use lobby_kiosk::sync::http::Limits;
use lobby_kiosk::sync::usb::{self, UsbWatcher};

use common::{kiosk, response, serve, Reply};

const IN_HOUSE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/examples/in-house.toml");

/// A staff laptop: a key pair in a temporary folder.
struct Laptop {
    dir: tempfile::TempDir,
}

impl Laptop {
    fn new() -> Laptop {
        let dir = tempfile::tempdir().unwrap();
        bundle::keygen(dir.path()).unwrap();
        Laptop { dir }
    }
    fn secret(&self) -> PathBuf {
        self.dir.path().join(bundle::SECRET_KEY_FILE)
    }
    fn public(&self) -> PathBuf {
        self.dir.path().join(bundle::PUBLIC_KEY_FILE)
    }
    fn key(&self) -> PublicKey {
        PublicKey::load(&self.public()).unwrap()
    }
    /// Bundles `files` (path, format, source) as `version` into `out`.
    fn bundle(&self, version: u64, files: &[(&Path, &str, &str)], out: &Path) {
        let files: Vec<_> = files
            .iter()
            .map(|(path, format, source)| {
                (
                    path.to_path_buf(),
                    FileOptions {
                        format: format.to_string(),
                        source: source.to_string(),
                        program: String::new(),
                        in_house: false,
                    },
                )
            })
            .collect();
        bundle::create(&self.secret(), version, &files, out).unwrap();
    }
}

/// A kiosk's data folder: the live database and the staging folder.
struct KioskDisk {
    dir: tempfile::TempDir,
}

impl KioskDisk {
    fn new() -> KioskDisk {
        KioskDisk {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("kiosk.db")
    }
    fn store(&self) -> Store {
        Store::open(&self.db()).unwrap()
    }
    fn staging(&self) -> PathBuf {
        self.dir.path().join("staging")
    }
    fn outbox(&self) -> PathBuf {
        self.dir.path().join(usb::OUTBOX)
    }
    fn meetings(&self) -> Vec<Meeting> {
        self.store().meetings().unwrap().0
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

/// A small Meeting Guide feed with `n` weekly meetings, named with `tag`.
fn meeting_guide_feed(n: usize, tag: &str) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name": "{tag} Group {i}", "slug": "{tag}-{i}", "day": {}, "time": "19:00",
                   "location": "Church Hall", "formatted_address": "1 Main St, Hudson, NY",
                   "latitude": 42.25, "longitude": -73.79, "types": ["O", "D"]}}"#,
                i % 7
            )
        })
        .collect();
    format!("[{}]", items.join(",\n"))
}

const NOW: &str = "2026-11-22T10:00:00Z";

#[test]
fn accepted_bundle_replaces_its_sources_records_its_version_and_keeps_attendance() {
    let laptop = Laptop::new();
    let disk = KioskDisk::new();
    let files = tempfile::tempdir().unwrap();
    let feed = write(files.path(), "aa.json", &meeting_guide_feed(4, "aa"));
    let out = files.path().join("v1");
    laptop.bundle(
        1,
        &[
            (Path::new(IN_HOUSE), "in-house", "in-house"),
            (&feed, "meeting-guide", "aa"),
        ],
        &out,
    );
    let mut store = disk.store();
    let alumni = {
        let outcome = apply_bundle(
            &mut store,
            &out,
            &[laptop.key()],
            &Rules::default(),
            &disk.staging(),
            NOW,
            false,
        )
        .unwrap();
        assert_eq!(outcome.summary(), "Schedule updated — 5 in-house, 4 nearby");
        store.meeting("in-house:alumni-thursday").unwrap().unwrap()
    };
    assert_eq!(store.bundle_version().unwrap(), Some(1));
    store
        .add_attendance(
            &alumni,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
            7,
        )
        .unwrap();

    // Version 2 carries a different aa feed and no in-house file: only "aa" changes.
    let feed2 = write(files.path(), "aa.json", &meeting_guide_feed(2, "aa"));
    let out2 = files.path().join("v2");
    laptop.bundle(2, &[(&feed2, "meeting-guide", "aa")], &out2);
    let outcome = apply_bundle(
        &mut store,
        &out2,
        &[laptop.key()],
        &Rules::default(),
        &disk.staging(),
        NOW,
        false,
    )
    .unwrap();
    assert_eq!(outcome.sources[0].counts.removed, 2);
    assert_eq!(outcome.sources[0].counts.unchanged, 2);
    let meetings = disk.meetings();
    assert_eq!(meetings.iter().filter(|m| m.source == "aa").count(), 2);
    assert_eq!(
        meetings.iter().filter(|m| m.source == "in-house").count(),
        5
    );
    assert_eq!(
        store
            .attendance_count(
                &alumni.id,
                chrono::NaiveDate::from_ymd_opt(2026, 11, 19).unwrap()
            )
            .unwrap(),
        7,
        "attendance history is untouched by imports"
    );
    assert!(
        fs::read_dir(disk.staging()).map_or(true, |mut d| d.next().is_none()),
        "the staged copy is removed"
    );
}

#[test]
fn tampered_unsigned_foreign_and_replayed_bundles_are_refused_and_change_nothing() {
    let laptop = Laptop::new();
    let stranger = Laptop::new();
    let disk = KioskDisk::new();
    let files = tempfile::tempdir().unwrap();
    let feed = write(files.path(), "aa.json", &meeting_guide_feed(3, "aa"));
    let v1 = files.path().join("v1");
    laptop.bundle(1, &[(&feed, "meeting-guide", "aa")], &v1);
    let mut store = disk.store();
    apply_bundle(
        &mut store,
        &v1,
        &[laptop.key()],
        &Rules::default(),
        &disk.staging(),
        NOW,
        false,
    )
    .unwrap();
    let before = disk.meetings();
    let keys = [laptop.key()];
    let refuse = |store: &mut Store, dir: &Path| {
        apply_bundle(
            store,
            dir,
            &keys,
            &Rules::default(),
            &disk.staging(),
            NOW,
            false,
        )
        .expect_err("the bundle is refused")
        .describe()
    };

    let newer = write(files.path(), "aa.json", &meeting_guide_feed(5, "aa"));
    // One byte changed in a data file after signing.
    let tampered = files.path().join("tampered");
    laptop.bundle(2, &[(&newer, "meeting-guide", "aa")], &tampered);
    let data = tampered.join("aa.json");
    let mut bytes = fs::read(&data).unwrap();
    bytes[10] ^= 0x01;
    fs::write(&data, bytes).unwrap();
    let why = refuse(&mut store, &tampered);
    assert!(why.contains("aa.json") && why.contains("checksum"), "{why}");

    // One byte changed in the manifest.
    let edited = files.path().join("edited");
    laptop.bundle(3, &[(&newer, "meeting-guide", "aa")], &edited);
    let manifest = edited.join("manifest.toml");
    let text = fs::read_to_string(&manifest)
        .unwrap()
        .replace("version = 3", "version = 9");
    fs::write(&manifest, text).unwrap();
    let why = refuse(&mut store, &edited);
    assert!(why.contains("signature"), "{why}");

    // Unsigned.
    let unsigned = files.path().join("unsigned");
    laptop.bundle(4, &[(&newer, "meeting-guide", "aa")], &unsigned);
    fs::remove_file(unsigned.join("manifest.toml.minisig")).unwrap();
    let why = refuse(&mut store, &unsigned);
    assert!(
        why.to_lowercase().contains("unsigned") || why.contains("signature"),
        "{why}"
    );

    // Signed by a key this kiosk does not trust.
    let foreign = files.path().join("foreign");
    stranger.bundle(5, &[(&newer, "meeting-guide", "aa")], &foreign);
    let why = refuse(&mut store, &foreign);
    assert!(why.contains(stranger.key().key_id()), "{why}");

    // An older bundle replayed after a newer one was accepted.
    let v6 = files.path().join("v6");
    laptop.bundle(6, &[(&newer, "meeting-guide", "aa")], &v6);
    apply_bundle(
        &mut store,
        &v6,
        &keys,
        &Rules::default(),
        &disk.staging(),
        NOW,
        false,
    )
    .unwrap();
    let after_v6 = disk.meetings();
    assert_eq!(after_v6.len(), 5);
    let why = refuse(&mut store, &v1);
    assert!(why.contains("not newer"), "{why}");
    assert_eq!(disk.meetings(), after_v6, "the replay changed nothing");
    assert_eq!(store.bundle_version().unwrap(), Some(6));
    assert_ne!(before, after_v6);
}

#[test]
fn bundle_with_one_bad_file_changes_nothing_not_even_its_good_files() {
    let laptop = Laptop::new();
    let disk = KioskDisk::new();
    let files = tempfile::tempdir().unwrap();
    let good = write(files.path(), "aa.json", &meeting_guide_feed(3, "aa"));
    let v1 = files.path().join("v1");
    laptop.bundle(1, &[(&good, "meeting-guide", "aa")], &v1);
    let mut store = disk.store();
    apply_bundle(
        &mut store,
        &v1,
        &[laptop.key()],
        &Rules::default(),
        &disk.staging(),
        NOW,
        false,
    )
    .unwrap();
    let before = disk.meetings();

    let good2 = write(files.path(), "aa.json", &meeting_guide_feed(6, "aa"));
    let truncated = write(files.path(), "na.json", &meeting_guide_feed(2, "na")[..60]);
    let v2 = files.path().join("v2");
    laptop.bundle(
        2,
        &[
            (&good2, "meeting-guide", "aa"),
            (&truncated, "meeting-guide", "na"),
        ],
        &v2,
    );
    let refusal = apply_bundle(
        &mut store,
        &v2,
        &[laptop.key()],
        &Rules::default(),
        &disk.staging(),
        NOW,
        false,
    )
    .unwrap_err();
    assert!(
        refusal.describe().contains("na.json"),
        "{}",
        refusal.describe()
    );
    assert_eq!(disk.meetings(), before);
    assert_eq!(
        store.bundle_version().unwrap(),
        Some(1),
        "the version is not recorded"
    );
}

#[test]
fn no_public_keys_configured_refuses_every_bundle_saying_so() {
    let refusal = lobby_kiosk::sync::bundles::load_keys(&[]).unwrap_err();
    assert!(
        refusal.describe().contains("public_keys"),
        "{}",
        refusal.describe()
    );
}

/// The main office's schedule database, as it ships it to every site: the in-house example.
fn office_schedule(path: &Path) {
    {
        let mut source = Store::open(path).unwrap();
        let text = fs::read_to_string(IN_HOUSE).unwrap();
        let options = lobby_kiosk::import::Options {
            source: "in-house".into(),
            ..Default::default()
        };
        let (meetings, _) = lobby_kiosk::import::read_all(
            lobby_kiosk::import::Format::InHouse,
            "in-house.toml",
            text.as_bytes(),
            &options,
        )
        .unwrap();
        source.replace_source("in-house", &meetings, NOW).unwrap();
    }
    // Checkpoint so the single file holds everything (as a sync tool would copy it).
    Store::open(path).unwrap();
}

/// Ships a schedule database as bundle `version` (beside the database, in `v<version>`) and
/// applies it to the kiosk's store.
fn ship_sqlite(
    laptop: &Laptop,
    disk: &KioskDisk,
    store: &mut Store,
    database: &Path,
    version: u64,
) -> Result<lobby_kiosk::sync::bundles::BundleOutcome, lobby_kiosk::sync::bundles::Refusal> {
    let folder = database.with_file_name(format!("v{version}"));
    laptop.bundle(version, &[(database, "sqlite", "")], &folder);
    apply_bundle(
        store,
        &folder,
        &[laptop.key()],
        &Rules::default(),
        &disk.staging(),
        NOW,
        false,
    )
}

#[test]
fn schedule_sqlite_in_a_bundle_is_copied_into_the_live_database() {
    let laptop = Laptop::new();
    let disk = KioskDisk::new();
    let files = tempfile::tempdir().unwrap();
    // The center's main office keeps a schedule database and ships it to every site.
    let office = files.path().join("schedule.sqlite");
    office_schedule(&office);
    let mut store = disk.store();
    let outcome = ship_sqlite(&laptop, &disk, &mut store, &office, 1).unwrap();
    assert_eq!(outcome.summary(), "Schedule updated — 5 in-house, 0 nearby");
    let family = store.meeting("in-house:family-night").unwrap().unwrap();
    assert_eq!(family.location_notes, "Dining hall");

    // A damaged database is refused before any row is read.
    let damaged = files.path().join("damaged").join("schedule.sqlite");
    fs::create_dir_all(damaged.parent().unwrap()).unwrap();
    let mut bytes = fs::read(&office).unwrap();
    let page = 4096.min(bytes.len() / 2);
    for b in &mut bytes[page..page + 200] {
        *b = 0xA5;
    }
    fs::write(&damaged, bytes).unwrap();
    let before = disk.meetings();
    let refusal = ship_sqlite(&laptop, &disk, &mut store, &damaged, 2).unwrap_err();
    assert!(
        refusal.describe().contains("schedule.sqlite"),
        "{}",
        refusal.describe()
    );
    assert_eq!(disk.meetings(), before);
}

/// The kiosk's SQLite has no full-text search, R-trees or extension loading
/// (`.cargo/config.toml`). A shipped database whose schema also holds such a table (an
/// office's own search index) still gives its meetings; the table is never opened.
#[test]
fn schedule_sqlite_with_a_table_the_kiosk_cannot_open_still_gives_its_meetings() {
    let lacks = rusqlite::Connection::open_in_memory()
        .unwrap()
        .execute_batch("CREATE VIRTUAL TABLE t USING fts5(body)")
        .unwrap_err();
    assert!(
        lacks.to_string().contains("no such module: fts5"),
        "{lacks}"
    );

    let laptop = Laptop::new();
    let disk = KioskDisk::new();
    let files = tempfile::tempdir().unwrap();
    let office = files.path().join("schedule.sqlite");
    office_schedule(&office);
    {
        // As a file made by another SQLite would say it: the schema row alone.
        let raw = rusqlite::Connection::open(&office).unwrap();
        raw.execute_batch(
            "UPDATE meeting SET location_notes = 'Chapel' WHERE id = 'in-house:family-night';
             PRAGMA writable_schema = ON;
             INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql)
             VALUES ('table', 'notes', 'notes', 0,
                     'CREATE VIRTUAL TABLE notes USING fts5(body)');
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
    }
    let mut store = disk.store();
    let outcome = ship_sqlite(&laptop, &disk, &mut store, &office, 1).unwrap();
    assert_eq!(outcome.summary(), "Schedule updated — 5 in-house, 0 nearby");
    let family = store.meeting("in-house:family-night").unwrap().unwrap();
    assert_eq!(family.location_notes, "Chapel");
}

#[test]
fn usb_stick_bundle_is_applied_once_and_gets_its_report_back() {
    let laptop = Laptop::new();
    let disk = KioskDisk::new();
    let media = tempfile::tempdir().unwrap();
    let roots = vec![media.path().to_path_buf()];
    let mut watcher = UsbWatcher::default();
    assert!(watcher.poll(&roots).is_empty(), "no stick yet");

    // udisks mounts sticks as /media/<user>/<label>.
    let stick = media
        .path()
        .join("kiosk")
        .join("SCHEDULE")
        .join(usb::BUNDLE_FOLDER);
    laptop.bundle(1, &[(Path::new(IN_HOUSE), "in-house", "in-house")], &stick);
    let inserted = watcher.poll(&roots);
    assert_eq!(inserted, vec![stick.clone()]);
    let keys = Ok(vec![laptop.key()]);
    let mut store = disk.store();
    let notice = usb::handle_stick(
        &mut store,
        &stick,
        &keys,
        &Rules::default(),
        &disk.staging(),
        &disk.outbox(),
        NOW,
    );
    assert!(!notice.problem);
    assert_eq!(
        notice.to_string(),
        "Schedule updated — 5 in-house, 0 nearby"
    );
    let report = fs::read_to_string(stick.join(usb::REPORT_FILE)).unwrap();
    assert!(
        report.contains("5 rows read: 5 imported, 0 dropped"),
        "{report}"
    );
    assert!(
        watcher.poll(&roots).is_empty(),
        "the same stick is handled once"
    );

    // Pulled and plugged in again: the bundle is already in use, which is no problem.
    let pocket = tempfile::tempdir().unwrap();
    fs::rename(media.path().join("kiosk"), pocket.path().join("kiosk")).unwrap();
    assert!(watcher.poll(&roots).is_empty());
    fs::rename(pocket.path().join("kiosk"), media.path().join("kiosk")).unwrap();
    assert_eq!(watcher.poll(&roots), vec![stick.clone()]);
    let again = usb::handle_stick(
        &mut store,
        &stick,
        &keys,
        &Rules::default(),
        &disk.staging(),
        &disk.outbox(),
        NOW,
    );
    assert!(!again.problem, "{}", again.to_string());
    assert!(
        again.to_string().contains("already in use"),
        "{}",
        again.to_string()
    );

    // A stick signed by someone else: refused, said on screen and on the stick.
    let other = Laptop::new();
    let stick2 = media.path().join("OTHER").join(usb::BUNDLE_FOLDER);
    other.bundle(7, &[(Path::new(IN_HOUSE), "in-house", "in-house")], &stick2);
    assert_eq!(watcher.poll(&roots), vec![stick2.clone()]);
    let refused = usb::handle_stick(
        &mut store,
        &stick2,
        &keys,
        &Rules::default(),
        &disk.staging(),
        &disk.outbox(),
        NOW,
    );
    assert!(refused.problem);
    assert!(
        refused.to_string().starts_with("Schedule NOT updated"),
        "{}",
        refused.to_string()
    );
    let report = fs::read_to_string(stick2.join(usb::REPORT_FILE)).unwrap();
    assert!(report.contains(other.key().key_id()), "{report}");

    // A stick the kiosk cannot write to (read-only on the device): the report is queued for
    // the root helper, with the target it belongs to.
    let stick3 = media.path().join("RO").join(usb::BUNDLE_FOLDER);
    laptop.bundle(8, &[(Path::new(IN_HOUSE), "in-house", "in-house")], &stick3);
    fs::create_dir_all(stick3.join(usb::REPORT_FILE)).unwrap(); // cannot be replaced by a file
    let queued = usb::handle_stick(
        &mut store,
        &stick3,
        &keys,
        &Rules::default(),
        &disk.staging(),
        &disk.outbox(),
        NOW,
    );
    assert!(
        queued.to_string().contains("safe to remove"),
        "{}",
        queued.to_string()
    );
    let entries: Vec<_> = fs::read_dir(disk.outbox())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1);
    let entry = fs::read_to_string(&entries[0]).unwrap();
    let first = entry.lines().next().unwrap();
    assert_eq!(
        first,
        format!("# target: {}", stick3.join(usb::REPORT_FILE).display())
    );
    assert!(
        entry.contains("Schedule unchanged") || entry.contains("Schedule updated"),
        "{entry}"
    );
}

#[test]
fn sync_folder_picks_up_a_new_bundle_and_waits_for_a_half_synced_one() {
    let laptop = Laptop::new();
    let disk = KioskDisk::new();
    let files = tempfile::tempdir().unwrap();
    let synced = tempfile::tempdir().unwrap();
    let folder = synced.path().join("bundle");
    let keys = Ok(vec![laptop.key()]);
    let mut store = disk.store();
    let mut watcher = FolderWatcher::new(folder.clone(), Duration::from_millis(300));
    assert_eq!(
        watcher.poll(&mut store, &keys, &Rules::default(), &disk.staging(), NOW),
        None,
        "empty folder"
    );

    let feed = write(files.path(), "aa.json", &meeting_guide_feed(3, "aa"));
    laptop.bundle(1, &[(&feed, "meeting-guide", "aa")], &folder);
    let notice = watcher
        .poll(&mut store, &keys, &Rules::default(), &disk.staging(), NOW)
        .unwrap();
    assert_eq!(
        notice.to_string(),
        "Schedule updated — 0 in-house, 3 nearby"
    );
    assert_eq!(
        watcher.poll(&mut store, &keys, &Rules::default(), &disk.staging(), NOW),
        None,
        "applied once"
    );

    // Version 2 arrives file by file: the new manifest before the new data file.
    let staged_v2 = files.path().join("v2");
    let feed2 = write(files.path(), "aa.json", &meeting_guide_feed(4, "aa"));
    laptop.bundle(2, &[(&feed2, "meeting-guide", "aa")], &staged_v2);
    for name in ["manifest.toml", "manifest.toml.minisig"] {
        fs::copy(staged_v2.join(name), folder.join(name)).unwrap();
    }
    // Syncthing's own files sit beside it meanwhile: its folder marker and a temporary copy.
    fs::create_dir_all(folder.join(".stfolder")).unwrap();
    fs::write(folder.join(".syncthing.aa.json.tmp"), "[{\"half\":").unwrap();
    fs::write(folder.join("~syncthing~aa.json.tmp"), "[{\"half\":").unwrap();
    assert_eq!(
        watcher.poll(&mut store, &keys, &Rules::default(), &disk.staging(), NOW),
        None,
        "a half-arrived bundle is not reported at once"
    );
    assert_eq!(disk.meetings().len(), 3);
    fs::copy(staged_v2.join("aa.json"), folder.join("aa.json")).unwrap();
    let notice = watcher
        .poll(&mut store, &keys, &Rules::default(), &disk.staging(), NOW)
        .unwrap();
    assert_eq!(
        notice.to_string(),
        "Schedule updated — 0 in-house, 4 nearby"
    );

    // A bundle that stays broken is reported once it has had time to arrive.
    let v3 = files.path().join("v3");
    laptop.bundle(3, &[(&feed2, "meeting-guide", "aa")], &v3);
    for name in ["manifest.toml", "manifest.toml.minisig"] {
        fs::copy(v3.join(name), folder.join(name)).unwrap();
    }
    fs::write(folder.join("aa.json"), "[]").unwrap();
    assert_eq!(
        watcher.poll(&mut store, &keys, &Rules::default(), &disk.staging(), NOW),
        None
    );
    std::thread::sleep(Duration::from_millis(350));
    let notice = watcher
        .poll(&mut store, &keys, &Rules::default(), &disk.staging(), NOW)
        .unwrap();
    assert!(notice.problem);
    assert!(
        notice.to_string().contains("aa.json"),
        "{}",
        notice.to_string()
    );
    assert_eq!(disk.meetings().len(), 4, "the good schedule stays");
    assert_eq!(
        watcher.poll(&mut store, &keys, &Rules::default(), &disk.staging(), NOW),
        None,
        "a refused bundle is reported once"
    );

    // The sync tool was stopped with the data file half-done; days later the rest arrives.
    // Its signature did not change, but its files did: it is tried again, and applied.
    fs::copy(v3.join("aa.json"), folder.join("aa.json")).unwrap();
    let notice = watcher
        .poll(&mut store, &keys, &Rules::default(), &disk.staging(), NOW)
        .unwrap();
    assert!(!notice.problem, "{notice}");
    assert_eq!(
        notice.to_string(),
        "Schedule updated — 0 in-house, 4 nearby"
    );
    assert_eq!(disk.store().bundle_version().unwrap(), Some(3));
    let staged_left = fs::read_dir(disk.staging()).map(|d| d.count()).unwrap_or(0);
    assert_eq!(staged_left, 0, "staged copies are removed");
}

fn feed_config(url: &str) -> Feed {
    Feed {
        name: "aa-intergroup".into(),
        url: url.into(),
        format: lobby_kiosk::import::Format::MeetingGuide,
        program: "AA".into(),
        in_house: false,
        refresh_minutes: 60,
        insecure: true,
    }
}

fn quick() -> Limits {
    Limits {
        connect_timeout: Duration::from_millis(500),
        read_timeout: Duration::from_millis(500),
        max_bytes: 1_000_000,
        retries: 1,
        backoff: Duration::from_millis(10),
    }
}

#[test]
fn feed_refresh_applies_new_data_then_sends_its_etag_and_keeps_data_on_304() {
    let body = meeting_guide_feed(3, "aa");
    let server = serve(move |n, head| {
        if n > 1 && head.to_ascii_lowercase().contains("if-none-match: \"v1\"") {
            response("304 Not Modified", &[("ETag", "\"v1\"")], b"")
        } else {
            response(
                "200 OK",
                &[("ETag", "\"v1\""), ("Content-Type", "application/json")],
                body.as_bytes(),
            )
        }
    });
    let disk = KioskDisk::new();
    let mut store = disk.store();
    let feed = feed_config(&server.url);
    let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
    assert!(feeds::is_due(&store, &feed, t0), "never fetched");
    match feeds::refresh(&mut store, &feed, t0, &quick(), &Rules::default()).unwrap() {
        Refreshed::Applied(outcome) => assert_eq!(outcome.report.meetings, 3),
        other => panic!("expected new data, got {other:?}"),
    }
    let m = store.meeting("aa-intergroup:aa-1").unwrap().unwrap();
    assert_eq!(m.program, "AA");
    assert!(!feeds::is_due(
        &store,
        &feed,
        t0 + chrono::Duration::minutes(30)
    ));
    let t1 = t0 + chrono::Duration::minutes(61);
    assert!(feeds::is_due(&store, &feed, t1));
    assert!(matches!(
        feeds::refresh(&mut store, &feed, t1, &quick(), &Rules::default()).unwrap(),
        Refreshed::NotModified
    ));
    let requests = server.requests.lock().unwrap().clone();
    assert!(
        requests[1]
            .to_ascii_lowercase()
            .contains("if-none-match: \"v1\""),
        "{}",
        requests[1]
    );
    let state = store.feed_state("aa-intergroup").unwrap();
    assert_eq!(
        state.last_success, "2026-11-22T11:01:00Z",
        "a 304 counts as fresh"
    );
    assert_eq!(disk.meetings().len(), 3);
}

#[test]
fn feed_server_error_empty_answer_or_silence_keeps_the_last_good_schedule() {
    let disk = KioskDisk::new();
    let mut store = disk.store();
    let good = serve({
        let body = meeting_guide_feed(2, "aa");
        move |_, _| response("200 OK", &[], body.as_bytes())
    });
    let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
    feeds::refresh(
        &mut store,
        &feed_config(&good.url),
        t0,
        &quick(),
        &Rules::default(),
    )
    .unwrap();
    let before = disk.meetings();
    assert_eq!(before.len(), 2);

    let failing = serve(|_, _| response("500 Internal Server Error", &[], b"oops"));
    let err = feeds::refresh(
        &mut store,
        &feed_config(&failing.url),
        t0,
        &quick(),
        &Rules::default(),
    )
    .unwrap_err();
    assert!(err.contains("500"), "{err}");
    assert_eq!(failing.requests.lock().unwrap().len(), 2, "retried once");
    assert_eq!(disk.meetings(), before);
    let state = store.feed_state("aa-intergroup").unwrap();
    assert!(state.last_error.contains("500"));
    assert!(
        feeds::is_due(
            &store,
            &feed_config(&failing.url),
            t0 + chrono::Duration::minutes(16)
        ),
        "a failed feed is retried sooner than its refresh interval"
    );

    let empty = serve(|_, _| response("200 OK", &[], b"[]"));
    let err = feeds::refresh(
        &mut store,
        &feed_config(&empty.url),
        t0,
        &quick(),
        &Rules::default(),
    )
    .unwrap_err();
    assert!(err.contains("no meetings") && err.contains("kept"), "{err}");
    assert_eq!(disk.meetings(), before);

    let silent = serve(|_, _| Reply::Silence);
    let started = std::time::Instant::now();
    let err = feeds::refresh(
        &mut store,
        &feed_config(&silent.url),
        t0,
        &quick(),
        &Rules::default(),
    )
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "gave up in time"
    );
    assert!(err.contains("did not answer"), "{err}");
    assert_eq!(disk.meetings(), before);
}

#[test]
fn import_export_import_round_trip_on_the_command_line() {
    let disk = KioskDisk::new();
    let db = disk.db();
    let db = db.to_str().unwrap();
    let out = kiosk(&["import", IN_HOUSE, "--db", db]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("5 added, 0 changed, 0 removed, 0 unchanged"),
        "{stdout}"
    );
    let first = disk.meetings();

    let exported = disk.dir.path().join("exported.toml");
    let out = kiosk(&[
        "export",
        "--format",
        "in-house",
        "--db",
        db,
        "--out",
        exported.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let other = KioskDisk::new();
    let out = kiosk(&[
        "import",
        exported.to_str().unwrap(),
        "--source",
        "in-house",
        "--db",
        other.db().to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        other.meetings(),
        first,
        "import → export → import is lossless"
    );

    let out = kiosk(&["export", "--format", "meeting-guide", "--db", db]);
    assert!(out.status.success());
    let feed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        feed.as_array().unwrap().len(),
        3,
        "the three weekly meetings"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("family-night") && stderr.contains("monthly"),
        "{stderr}"
    );
}

#[test]
fn bad_files_are_refused_with_a_reason_and_the_schedule_stays() {
    let disk = KioskDisk::new();
    let db = disk.db();
    let db = db.to_str().unwrap();
    assert!(kiosk(&["import", IN_HOUSE, "--db", db]).status.success());
    let before = disk.meetings();
    let dir = tempfile::tempdir().unwrap();

    let huge = dir.path().join("huge.json");
    fs::File::create(&huge)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let truncated = write(
        dir.path(),
        "truncated.json",
        &meeting_guide_feed(3, "x")[..120],
    );
    let junk = dir.path().join("junk.json");
    fs::write(&junk, [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 254]).unwrap();
    let dry = write(dir.path(), "in-house.json", &meeting_guide_feed(1, "x"));
    let cases: [(&Path, &[&str], &str); 4] = [
        (&huge, &[], "200 MB"),
        (&truncated, &[], "truncated.json"),
        (&junk, &[], "binary"),
        (&dry, &["--source", "in-house", "--dry-run"], "dry run"),
    ];
    for (path, extra, expect) in cases {
        let mut args = vec!["import", path.to_str().unwrap(), "--db", db];
        args.extend_from_slice(extra);
        let out = kiosk(&args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains(expect), "{}: {text}", path.display());
        if !extra.contains(&"--dry-run") {
            assert!(!out.status.success(), "{}: refused", path.display());
            assert_eq!(text.trim().lines().count(), 1, "one line: {text}");
        }
        assert_eq!(
            disk.meetings(),
            before,
            "{} changed nothing",
            path.display()
        );
    }
}

/// A stick folder without a signature is plain files for staff: the watcher reports it once
/// per insertion on its own list (the board asks staff to review it), never as a bundle to
/// apply; a signed folder is never plain.
#[test]
fn a_stick_of_plain_files_is_announced_once_and_never_applied_on_its_own() {
    let laptop = Laptop::new();
    let disk = KioskDisk::new();
    let media = tempfile::tempdir().unwrap();
    let roots = vec![media.path().to_path_buf()];
    let mut watcher = UsbWatcher::default();
    let plain = media.path().join("STICK").join(usb::BUNDLE_FOLDER);
    fs::create_dir_all(&plain).unwrap();
    fs::copy(IN_HOUSE, plain.join("in-house.toml")).unwrap();
    let signed = media.path().join("SIGNED").join(usb::BUNDLE_FOLDER);
    laptop.bundle(1, &[(Path::new(IN_HOUSE), "in-house", "in-house")], &signed);
    assert_eq!(
        watcher.poll(&roots),
        vec![signed.clone()],
        "only the signed one is a bundle"
    );
    assert_eq!(watcher.poll_plain(&roots), vec![plain.clone()]);
    assert!(watcher.poll_plain(&roots).is_empty(), "announced once");
    assert_eq!(
        lobby_kiosk::sync::plain::notice().to_string(),
        "Schedule files on the USB stick — staff, hold the clock to review them"
    );
    // Only the kiosk's own files (a report, a key): nothing to review.
    let own = media.path().join("OWN").join(usb::BUNDLE_FOLDER);
    fs::create_dir_all(&own).unwrap();
    fs::write(own.join(usb::REPORT_FILE), "lobby-kiosk import report").unwrap();
    assert!(watcher.poll_plain(&roots).is_empty());
    assert!(
        disk.store().meetings().unwrap().0.is_empty(),
        "nothing applied"
    );
}
