//! A read-only disk — SD cards near the end of their life turn read-only, and a wrong mount
//! or permissions look the same to the kiosk: the board still shows the schedule as it was
//! (even one left in the `-wal` by a crash), imports and sign-ins are refused with a clear
//! message, and nothing changes.
//!
//! The commands run as an unprivileged user: root writes through any permission, so when the
//! tests run as root (as in CI) the child processes drop to `nobody`.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::rc::Rc;

use chrono::{NaiveDate, TimeZone, Utc};
use lobby_kiosk::config::Config;
use lobby_kiosk::kiosk::ui::{BoardAdapter, DetailAdapter};
use lobby_kiosk::kiosk::{Kiosk, ScheduleSource};
use lobby_kiosk::store::Store;
use slint::{ComponentHandle, Model};

const NOBODY: u32 = 65534;
const ALUMNI: &str = "in-house:alumni-thursday";
/// Thursday 2026-11-19, 18:40 in New York: the alumni meeting is open for sign-in.
const AT: &str = "2026-11-19T18:40";

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    // /proc/self belongs to the process's effective user.
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A folder the unprivileged user may enter (tempdir makes it 0700).
fn open_tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    set_mode(dir.path(), 0o755);
    dir
}

/// The kiosk binary where the unprivileged user can run it: in place when the path allows,
/// else a copy in `spare`.
fn binary(spare: &Path) -> PathBuf {
    let built = PathBuf::from(env!("CARGO_BIN_EXE_lobby-kiosk"));
    if !is_root() {
        return built;
    }
    let runs = Command::new(&built)
        .arg("--help")
        .uid(NOBODY)
        .gid(NOBODY)
        .output()
        .is_ok_and(|o| o.status.success());
    if runs {
        return built;
    }
    let copy = spare.join("lobby-kiosk");
    std::fs::copy(&built, &copy).unwrap();
    set_mode(&copy, 0o755);
    copy
}

/// Runs the kiosk binary as the unprivileged user.
fn as_reader(bin: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(bin);
    cmd.args(args).env("HOME", "/nonexistent");
    if is_root() {
        cmd.uid(NOBODY).gid(NOBODY);
    }
    cmd.output().expect("the binary runs")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// The folder and database file as a read-only disk leaves them.
fn make_read_only(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        set_mode(&entry.unwrap().path(), 0o444);
    }
    set_mode(dir, 0o555);
}

fn make_writable(dir: &Path) {
    set_mode(dir, 0o755);
    for entry in std::fs::read_dir(dir).unwrap() {
        set_mode(&entry.unwrap().path(), 0o644);
    }
}

#[test]
fn a_read_only_disk_still_shows_the_board_and_refuses_changes_clearly() {
    let tmp = open_tempdir();
    let bin = binary(tmp.path());
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db = data.join("kiosk.db");
    let db_arg = db.to_str().unwrap();
    drop(common::example_store(&db));
    let before = common::kiosk(&["board", "--db", db_arg, "--at", AT]);
    assert!(before.status.success(), "{}", text(&before.stderr));
    assert!(text(&before.stdout).contains("Thursday Alumni Group"));

    make_read_only(&data);
    let board = as_reader(&bin, &["board", "--db", db_arg, "--at", AT]);
    assert!(board.status.success(), "{}", text(&board.stderr));
    assert_eq!(text(&board.stdout), text(&before.stdout), "the same board");
    assert!(
        text(&board.stderr).contains("cannot be written")
            && text(&board.stderr).contains("sign-ins and updates are off"),
        "staff are told: {}",
        text(&board.stderr)
    );

    let feed = common::fixture("meetingguide_sepia_1928_meetings.json");
    let import = as_reader(
        &bin,
        &[
            "import",
            "--db",
            db_arg,
            "--source",
            "sepia",
            feed.to_str().unwrap(),
        ],
    );
    assert!(!import.status.success(), "an import cannot succeed");
    let why = text(&import.stderr);
    assert!(
        why.contains(db_arg) && why.contains("readonly") && why.contains("may read and write"),
        "names the file, the cause and what to check: {why}"
    );

    let sign_in = as_reader(
        &bin,
        &["sign-in", "--db", db_arg, "--meeting", ALUMNI, "--at", AT],
    );
    assert!(!sign_in.status.success(), "a sign-in cannot be kept");
    assert!(
        text(&sign_in.stderr).contains("readonly"),
        "{}",
        text(&sign_in.stderr)
    );

    make_writable(&data);
    let store = Store::open(&db).unwrap();
    let (meetings, _) = store.meetings().unwrap();
    assert_eq!(meetings.len(), 5, "the schedule is as it was");
    let thursday = NaiveDate::from_ymd_opt(2026, 11, 19).unwrap();
    assert_eq!(store.attendance_count(ALUMNI, thursday).unwrap(), 0);
}

#[test]
fn a_schedule_left_in_the_wal_by_a_crash_is_shown_from_a_read_only_disk() {
    let tmp = open_tempdir();
    let bin = binary(tmp.path());
    let live = tmp.path().join("live");
    let frozen = tmp.path().join("frozen");
    std::fs::create_dir(&live).unwrap();
    std::fs::create_dir(&frozen).unwrap();
    let store = common::example_store(&live.join("kiosk.db"));
    // The files as a power cut leaves them: the import committed to the -wal, which was
    // never checkpointed into the database file.
    for name in ["kiosk.db", "kiosk.db-wal", "kiosk.db-shm"] {
        std::fs::copy(live.join(name), frozen.join(name)).unwrap();
    }
    drop(store);
    assert!(
        std::fs::metadata(frozen.join("kiosk.db-wal"))
            .unwrap()
            .len()
            > 0
    );

    make_read_only(&frozen);
    let db = frozen.join("kiosk.db");
    let board = as_reader(&bin, &["board", "--db", db.to_str().unwrap(), "--at", AT]);
    assert!(board.status.success(), "{}", text(&board.stderr));
    assert!(
        text(&board.stdout).contains("Thursday Alumni Group"),
        "the committed import is read from the -wal: {}",
        text(&board.stdout)
    );
    assert!(
        text(&board.stderr).contains("sign-ins and updates are off"),
        "staff are told: {}",
        text(&board.stderr)
    );
    make_writable(&frozen);
}

#[test]
fn on_a_read_only_database_the_kiosk_offers_no_sign_in_and_says_why() {
    i_slint_backend_testing::init_no_event_loop();
    let tmp = open_tempdir();
    let db = tmp.path().join("kiosk.db");
    let store = common::example_store(&db);
    let now = chrono_tz::America::New_York
        .with_ymd_and_hms(2026, 11, 19, 18, 40, 0)
        .unwrap()
        .with_timezone(&Utc);
    let alumni_row = |kiosk: &Kiosk| {
        kiosk
            .window
            .global::<BoardAdapter>()
            .get_lines()
            .iter()
            .find(|l| l.row.id == ALUMNI)
            .expect("the alumni meeting is on the board")
            .row
    };

    // The same schedule, writable: "I'm here" is offered.
    let writable = Kiosk::new(
        Config::default(),
        ScheduleSource::Store(store),
        Rc::new(move || now),
    )
    .unwrap();
    assert!(alumni_row(&writable).sign_in);
    drop(writable);

    let frozen = Store::open_frozen(&db).unwrap();
    assert!(frozen.is_read_only());
    let kiosk = Kiosk::new(
        Config::default(),
        ScheduleSource::Store(frozen),
        Rc::new(move || now),
    )
    .unwrap();
    let row = alumni_row(&kiosk);
    assert_eq!(row.name, "Thursday Alumni Group");
    assert!(row.in_progress, "still shown as happening now");
    assert!(!row.sign_in, "no \"I'm here\" that could not be counted");
    let footer = kiosk.window.global::<BoardAdapter>().get_footer();
    assert!(
        footer.contains("Disk read-only: sign-ins and updates are off"),
        "footer: {footer}"
    );
    assert!(kiosk.open_meeting(ALUMNI));
    assert!(!kiosk.window.global::<DetailAdapter>().get_can_sign_in());
}

#[test]
fn staff_can_still_log_in_when_the_database_can_only_be_read() {
    use lobby_kiosk::attendance::pin::{self, Entry};
    let tmp = open_tempdir();
    let db = tmp.path().join("kiosk.db");
    Store::open(&db)
        .unwrap()
        .set_staff_pin(&pin::hash("482913").unwrap())
        .unwrap();
    let mut frozen = Store::open_frozen(&db).unwrap();
    let now = Utc::now();
    assert!(matches!(
        pin::enter(&mut frozen, "111111", now).unwrap(),
        Entry::Wrong { .. }
    ));
    assert!(matches!(
        pin::enter(&mut frozen, "482913", now).unwrap(),
        Entry::Accepted
    ));
}
