//! The staff screen's ways to change the schedule without a terminal, through the real Slint
//! UI (headless) on a real database file and a stick folder under a mount root: schedule files
//! without a signature previewed and applied only after the PIN and Apply; Cancel and a pulled
//! stick change nothing; one date of one of the center's meetings cancelled and restored;
//! a signing key trusted from the stick and removed again.
//!
//! Slint's platform can be set once per process, so the scenarios run one after the other in
//! this binary's `main` (each reported as its own test), each on a fresh kiosk.

mod common;

use std::fs;
use std::path::PathBuf;
use std::time::Duration;

use i_slint_backend_testing::{mock_elapsed_time, AccessibleRole, ElementHandle};
use lobby_kiosk::config::Config;
use lobby_kiosk::kiosk::ui::{
    BoardAdapter, KeypadAdapter, KioskState, LineKind, Screen, StaffAdapter,
};
use lobby_kiosk::kiosk::Kiosk;
use lobby_kiosk::store::Store;
use slint::platform::{PointerEventButton, WindowEvent};
use slint::{ComponentHandle, Model};

const PIN: &str = "482913";
const EXAMPLE: &str = include_str!("../assets/examples/in-house.toml");

/// A kiosk on a database file with the center's example schedule and a staff PIN, at Thursday
/// 2026-11-19 18:40 in New York, watching `media` for sticks.
struct Lobby {
    kiosk: Kiosk,
    db: PathBuf,
    media: PathBuf,
    _dir: tempfile::TempDir,
}

impl Lobby {
    fn new() -> Lobby {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("state").join("kiosk.db");
        fs::create_dir_all(db.parent().unwrap()).unwrap();
        let media = dir.path().join("media");
        fs::create_dir_all(&media).unwrap();
        let mut config = Config::default();
        config.usb.mount_roots = vec![media.clone()];
        let kiosk = common::alumni_evening_kiosk_with(&db, config);
        Store::open(&db)
            .unwrap()
            .set_staff_pin(&lobby_kiosk::attendance::pin::hash(PIN).unwrap())
            .unwrap();
        Lobby {
            kiosk,
            db,
            media,
            _dir: dir,
        }
    }

    /// A stick mounted at `<media>/<label>` with these files in its `lobby-kiosk/` folder.
    fn plug(&self, label: &str, files: &[(&str, &[u8])]) -> PathBuf {
        let folder = self.media.join(label).join("lobby-kiosk");
        fs::create_dir_all(&folder).unwrap();
        for (name, bytes) in files {
            fs::write(folder.join(name), bytes).unwrap();
        }
        folder
    }

    fn pull(&self, label: &str) {
        fs::remove_dir_all(self.media.join(label)).unwrap();
    }

    /// The meetings in the database, by (id, name).
    fn stored(&self) -> Vec<(String, String)> {
        let (meetings, _) = Store::open(&self.db).unwrap().meetings().unwrap();
        let mut names: Vec<_> = meetings.into_iter().map(|m| (m.id, m.name)).collect();
        names.sort();
        names
    }

    fn screen(&self) -> Screen {
        self.kiosk.window.global::<KioskState>().get_screen()
    }

    fn staff(&self) -> StaffAdapter<'_> {
        self.kiosk.window.global::<StaffAdapter>()
    }

    fn tap(&self, label: &str) {
        let element = ElementHandle::find_by_accessible_label(&self.kiosk.window, label)
            .find(|e| e.accessible_role() != Some(AccessibleRole::Text))
            .unwrap_or_else(|| panic!("nothing labelled {label:?} on screen"));
        element.mock_single_click(PointerEventButton::Left);
    }

    fn has(&self, label: &str) -> bool {
        ElementHandle::find_by_accessible_label(&self.kiosk.window, label)
            .any(|e| e.accessible_role() != Some(AccessibleRole::Text))
    }

    /// The hidden entry: the clock held for 6 s, then a PIN typed on the keypad.
    fn log_in(&self, pin: &str) {
        let clock = self.kiosk.window.global::<BoardAdapter>().get_clock();
        let element = ElementHandle::find_by_accessible_label(&self.kiosk.window, &clock)
            .next()
            .expect("the clock is on screen");
        let (origin, size) = (element.absolute_position(), element.size());
        let at =
            slint::LogicalPosition::new(origin.x + size.width / 2.0, origin.y + size.height / 2.0);
        let window = self.kiosk.window.window();
        window.dispatch_event(WindowEvent::PointerPressed {
            position: at,
            button: PointerEventButton::Left,
        });
        mock_elapsed_time(Duration::from_secs(6));
        window.dispatch_event(WindowEvent::PointerReleased {
            position: at,
            button: PointerEventButton::Left,
        });
        assert_eq!(self.screen(), Screen::Keypad, "the PIN pad");
        for c in pin.chars() {
            self.tap(&c.to_string());
        }
        self.tap("OK");
    }

    fn stick_files(&self) -> Vec<(String, String, bool)> {
        self.staff()
            .get_stick_files()
            .iter()
            .map(|f| (f.title.to_string(), f.body.to_string(), f.problem))
            .collect()
    }

    fn board_row(&self, name: &str) -> Option<lobby_kiosk::kiosk::ui::MeetingRow> {
        self.kiosk
            .window
            .global::<BoardAdapter>()
            .get_lines()
            .iter()
            .find(|l| l.kind == LineKind::Meeting && l.row.name == name)
            .map(|l| l.row)
    }
}

/// The example schedule with one meeting renamed, one added and one taken out: what staff
/// bring after editing it on a laptop.
fn edited_schedule() -> String {
    let renamed = EXAMPLE.replace(
        "name = \"Thursday Alumni Group\"",
        "name = \"Thursday Alumni Circle\"",
    );
    assert_ne!(renamed, EXAMPLE, "the example names the alumni group");
    let start = renamed
        .find("[[meeting]]\nslug = \"family-night\"")
        .expect("the example has family night");
    let end = renamed[start + 10..]
        .find("[[meeting]]")
        .map_or(renamed.len(), |i| start + 10 + i);
    let mut edited = format!("{}{}", &renamed[..start], &renamed[end..]);
    edited.push_str(
        "\n[[meeting]]\nslug = \"friday-fellowship\"\nname = \"Friday Fellowship\"\ndays = [\"Friday\"]\nstart = \"19:00\"\nend = \"20:00\"\nroom = \"Library\"\n",
    );
    edited
}

fn main() -> std::process::ExitCode {
    common::run_scenarios(scenarios![
        schedule_files_on_a_plain_stick_change_nothing_until_the_pin_and_apply,
        cancel_and_a_pulled_stick_change_nothing,
        a_wrong_pin_shows_no_preview_and_changes_nothing,
        a_date_cancelled_on_screen_stays_on_the_board_marked_cancelled,
        a_key_on_the_stick_is_trusted_on_screen_and_removed_again,
    ])
}

fn schedule_files_on_a_plain_stick_change_nothing_until_the_pin_and_apply() {
    let lobby = Lobby::new();
    let before = lobby.stored();
    let edited = edited_schedule();
    let folder = lobby.plug(
        "STICK",
        &[
            ("in-house.toml", edited.as_bytes()),
            ("holiday-photo.jpg", b"\xff\xd8\xff\xe0\0\x10JFIF\0"),
        ],
    );
    // Plugged in: the board is as it was (the notice comes from the updater thread).
    mock_elapsed_time(Duration::from_secs(4));
    assert_eq!(lobby.stored(), before);
    assert!(lobby.board_row("Thursday Alumni Group").is_some());

    lobby.log_in(PIN);
    assert_eq!(lobby.screen(), Screen::Staff, "the staff screen");
    let files = lobby.stick_files();
    assert_eq!(files.len(), 2, "{files:?}");
    let (photo, toml) = (&files[0], &files[1]);
    assert!(photo.0.starts_with("holiday-photo.jpg"), "{photo:?}");
    assert!(photo.2, "a photo is not a schedule: {photo:?}");
    assert!(photo.0.contains("not used"), "{photo:?}");
    assert!(!toml.2, "{toml:?}");
    assert!(
        toml.0.starts_with(
            "in-house.toml — 5 meetings; replaces source \"in-house\" (5 meetings now)"
        ),
        "{toml:?}"
    );
    assert!(
        toml.1
            .starts_with("1 added, 1 changed, 1 removed, 3 unchanged"),
        "{}",
        toml.1
    );
    for line in [
        "Added: Friday Fellowship — Every Friday at 7:00 PM",
        "Changed: Thursday Alumni Circle",
        "Removed: Family Night",
    ] {
        assert!(toml.1.contains(line), "{line:?} in {}", toml.1);
    }
    assert_eq!(lobby.stored(), before, "a preview changes nothing");
    assert!(!folder.join("import-report.txt").exists());

    lobby.tap("Apply");
    let after = lobby.stored();
    let names: Vec<&str> = after.iter().map(|(_, n)| n.as_str()).collect();
    assert!(names.contains(&"Thursday Alumni Circle"), "{names:?}");
    assert!(names.contains(&"Friday Fellowship"), "{names:?}");
    assert!(!names.contains(&"Family Night"), "{names:?}");
    assert!(
        after
            .iter()
            .any(|(id, n)| id == "in-house:alumni-thursday" && n == "Thursday Alumni Circle"),
        "the slug keeps the meeting (and its sign-ins) through the rename"
    );
    let status = lobby.staff().get_export_status().to_string();
    assert!(
        status.starts_with("Schedule updated — 5 in-house, 0 nearby"),
        "{status}"
    );
    let report = fs::read_to_string(folder.join("import-report.txt")).unwrap();
    assert!(report.contains("approved by staff"), "{report}");
    assert!(report.contains("in-house.toml"), "{report}");
    assert!(report.contains("1 added, 1 changed, 1 removed"), "{report}");
    assert!(report.contains("not used: holiday-photo.jpg"), "{report}");
    assert!(lobby.stick_files().is_empty(), "the preview is closed");
    // The same stick is not offered again while it stays in.
    mock_elapsed_time(Duration::from_secs(4));
    assert!(lobby.stick_files().is_empty());
    let sources = Store::open(&lobby.db).unwrap().sources().unwrap();
    assert!(sources.iter().any(|s| s.name == "in-house"), "{sources:?}");
    lobby.tap("Log out");
    assert!(
        lobby.board_row("Thursday Alumni Circle").is_some(),
        "the board shows it"
    );
    assert!(lobby.board_row("Thursday Alumni Group").is_none());
}

fn cancel_and_a_pulled_stick_change_nothing() {
    let lobby = Lobby::new();
    let before = lobby.stored();
    let edited = edited_schedule();
    let folder = lobby.plug("STICK", &[("in-house.toml", edited.as_bytes())]);
    lobby.log_in(PIN);
    assert_eq!(lobby.stick_files().len(), 1);
    lobby.tap("Cancel");
    assert!(lobby.stick_files().is_empty());
    assert_eq!(lobby.stored(), before, "Cancel changes nothing");
    assert!(!folder.join("import-report.txt").exists());
    assert!(
        lobby
            .staff()
            .get_export_status()
            .starts_with("Cancelled: the schedule was not changed"),
        "{}",
        lobby.staff().get_export_status()
    );

    // Pulled and put back in: previewed again; pulled before Apply, nothing changes.
    lobby.pull("STICK");
    mock_elapsed_time(Duration::from_secs(4));
    lobby.plug("STICK", &[("in-house.toml", edited.as_bytes())]);
    mock_elapsed_time(Duration::from_secs(4));
    assert_eq!(
        lobby.stick_files().len(),
        1,
        "a stick put back is previewed again"
    );
    lobby.pull("STICK");
    mock_elapsed_time(Duration::from_secs(4));
    assert!(
        lobby.stick_files().is_empty(),
        "the preview went with the stick"
    );
    assert!(!lobby.has("Apply"));
    assert_eq!(
        lobby.staff().get_export_status(),
        "The USB stick was removed before Apply: nothing was changed."
    );
    assert_eq!(lobby.stored(), before);
    // Nothing is left in staging.
    let staging = lobby.db.parent().unwrap().join("staging");
    let left: Vec<_> = fs::read_dir(&staging)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

fn a_wrong_pin_shows_no_preview_and_changes_nothing() {
    let lobby = Lobby::new();
    let before = lobby.stored();
    let edited = edited_schedule();
    lobby.plug("STICK", &[("in-house.toml", edited.as_bytes())]);
    lobby.log_in("111111");
    assert_eq!(lobby.screen(), Screen::Keypad, "still the PIN pad");
    assert_eq!(
        lobby.kiosk.window.global::<KeypadAdapter>().get_message(),
        "Wrong PIN."
    );
    assert!(lobby.stick_files().is_empty());
    assert!(!lobby.has("Apply"));
    mock_elapsed_time(Duration::from_secs(61));
    assert_eq!(lobby.screen(), Screen::Board, "back to the board");
    assert_eq!(lobby.stored(), before);
}

fn a_date_cancelled_on_screen_stays_on_the_board_marked_cancelled() {
    let lobby = Lobby::new();
    let alumni = "Thursday Alumni Group";
    let row = lobby.board_row(alumni).expect("on the board");
    assert!(row.sign_in && !row.cancelled);
    lobby.log_in(PIN);
    let occurrences: Vec<(String, bool)> = lobby
        .staff()
        .get_occurrences()
        .iter()
        .map(|o| (o.label.to_string(), o.cancelled))
        .collect();
    assert_eq!(
        occurrences.first(),
        Some(&(
            "Thursday, November 19 · 6:30 PM · Thursday Alumni Group".to_string(),
            false
        )),
        "{occurrences:?}"
    );
    // Thanksgiving, a holiday in the center's file, shows as cancelled and can be restored.
    assert!(
        occurrences.contains(&(
            "Thursday, November 26 · 6:30 PM · Thursday Alumni Group — Cancelled".to_string(),
            true
        )),
        "{occurrences:?}"
    );
    lobby.tap("Cancel this date");
    let status = lobby.staff().get_export_status().to_string();
    assert_eq!(
        status,
        "Thursday Alumni Group on Thursday, November 19 is cancelled: the board shows it as Cancelled."
    );
    let m = Store::open(&lobby.db)
        .unwrap()
        .meeting("in-house:alumni-thursday")
        .unwrap()
        .unwrap();
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    assert!(!m.occurs_on(day(19)), "stored as a skipped date");
    assert!(m.occurs_on(chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()));
    lobby.tap("Log out");
    let row = lobby.board_row(alumni).expect("kept in its place");
    assert!(row.cancelled);
    assert_eq!(row.when, "Cancelled");
    assert!(!row.sign_in, "no I'm here for a cancelled meeting");
    assert!(!lobby.has("I'm here"));
    lobby.kiosk.set_language(lobby_kiosk::words::Lang::Es);
    assert_eq!(lobby.board_row(alumni).unwrap().when, "Cancelada");
    lobby.kiosk.set_language(lobby_kiosk::words::Lang::En);

    lobby.log_in(PIN);
    lobby.tap("Restore");
    lobby.tap("Log out");
    let row = lobby.board_row(alumni).expect("on the board");
    assert!(
        !row.cancelled && row.sign_in,
        "restored: open for sign-in again"
    );
    let m = Store::open(&lobby.db)
        .unwrap()
        .meeting("in-house:alumni-thursday")
        .unwrap()
        .unwrap();
    assert!(m.occurs_on(day(19)));
    assert!(!m.occurs_on(day(26)), "the holiday stays");
}

fn a_key_on_the_stick_is_trusted_on_screen_and_removed_again() {
    let lobby = Lobby::new();
    let laptop = tempfile::tempdir().unwrap();
    let (_, public) = lobby_kiosk::import::bundle::keygen(laptop.path()).unwrap();
    let key = lobby_kiosk::import::bundle::PublicKey::load(&public).unwrap();
    let stick = lobby.media.join("KEY");
    fs::create_dir_all(&stick).unwrap();
    fs::copy(&public, stick.join("kiosk-bundle.pub")).unwrap();
    lobby.log_in(PIN);
    let offered: Vec<String> = lobby
        .staff()
        .get_stick_keys()
        .iter()
        .map(|k| k.label.to_string())
        .collect();
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert!(offered[0].contains(key.key_id()), "{offered:?}");
    assert!(Store::open(&lobby.db)
        .unwrap()
        .trusted_keys()
        .unwrap()
        .is_empty());
    lobby.tap("Trust this key");
    let trusted = Store::open(&lobby.db).unwrap().trusted_keys().unwrap();
    assert_eq!(trusted.len(), 1);
    assert_eq!(trusted[0].key_id, key.key_id());
    assert!(lobby.staff().get_stick_keys().iter().next().is_none());
    let listed: Vec<(String, bool)> = lobby
        .staff()
        .get_trusted_keys()
        .iter()
        .map(|k| (k.label.to_string(), k.removable))
        .collect();
    assert_eq!(
        listed,
        [(
            format!("Key {} — trusted here on 2026-11-19", key.key_id()),
            true
        )]
    );
    // Bundles signed with it are now accepted, as the updater loads keys.
    let keys =
        lobby_kiosk::sync::bundles::trusted_keys(&[], &Store::open(&lobby.db).unwrap()).unwrap();
    assert_eq!(keys.len(), 1);
    // The key list is at the end of the staff screen: a tall window shows all of it (the
    // testing backend finds only what is inside the scrolled view).
    lobby
        .kiosk
        .window
        .window()
        .set_size(slint::LogicalSize::new(1280.0, 2400.0));
    lobby.tap("Remove");
    assert!(Store::open(&lobby.db)
        .unwrap()
        .trusted_keys()
        .unwrap()
        .is_empty());
    assert!(
        lobby_kiosk::sync::bundles::trusted_keys(&[], &Store::open(&lobby.db).unwrap()).is_err()
    );
    // Still on the stick: offered again.
    assert_eq!(lobby.staff().get_stick_keys().iter().count(), 1);
}
