//! The kiosk through its real Slint UI, headless (i-slint-backend-testing): what a tap does,
//! what the QR code on screen says, and what idle time does.
//!
//! Slint's platform can be set once per process, so the scenarios run one after the other in
//! this binary's `main` (each reported as its own test), each on a fresh kiosk.

mod common;

use common::alumni_evening_kiosk;
use common::touch::{controls, row_names, tap};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use i_slint_backend_testing::{mock_elapsed_time, AccessibleRole, ElementHandle};
use lobby_kiosk::config::Config;
use lobby_kiosk::kiosk::ui::{BoardAdapter, DetailAdapter, KioskState, LineKind, Screen};
use lobby_kiosk::kiosk::{Kiosk, ScheduleSource};
use slint::platform::PointerEventButton;
use slint::{ComponentHandle, Model};

/// Saturday 2026-11-21, 19:10 in New York.
fn evening() -> DateTime<Utc> {
    chrono_tz::America::New_York
        .with_ymd_and_hms(2026, 11, 21, 19, 10, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn demo_kiosk(now: Rc<Cell<DateTime<Utc>>>) -> Kiosk {
    let kiosk = Kiosk::new(
        Config::default(),
        ScheduleSource::Demo,
        Rc::new(move || now.get()),
    )
    .unwrap();
    kiosk
        .window
        .window()
        .set_size(slint::LogicalSize::new(1280.0, 800.0));
    kiosk.window.show().unwrap();
    kiosk
}

/// Every control has words a screen reader says, and so a label the tests find it by.
/// Called on each screen, since each shows different controls.
fn assert_every_control_is_labelled(kiosk: &Kiosk, screen: &str) {
    let controls = controls(kiosk);
    assert!(!controls.is_empty(), "{screen}: controls found");
    for c in controls {
        let label = c.accessible_label().unwrap_or_default();
        assert!(
            !label.trim().is_empty(),
            "{screen}: a {:?} at {:?} has no accessible label",
            c.accessible_role(),
            c.absolute_position()
        );
    }
}

fn decode_qr(image: &slint::Image) -> String {
    let buffer = image.to_rgba8().expect("the QR code is a pixel image");
    let (w, h) = (buffer.width() as usize, buffer.height() as usize);
    let pixels = buffer.as_slice();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x].r);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code in the image");
    grids[0].decode().expect("the QR code decodes").1
}

fn main() -> std::process::ExitCode {
    common::run_scenarios(scenarios![
        board_lists_the_in_progress_in_house_meeting,
        tapping_a_meeting_opens_its_detail_and_back_returns,
        online_meeting_qr_on_screen_decodes_to_its_url,
        idle_time_returns_to_a_reset_board,
        tabs_and_filter_chips_change_what_is_listed,
        the_clock_and_the_day_turn_over_at_midnight,
        a_schedule_written_by_another_process_appears_without_a_restart,
        touch_targets_are_at_least_64_px_high,
        an_update_notice_shows_until_tapped_and_the_footer_says_how_fresh,
        an_in_house_meeting_shows_its_room_and_coming_holidays_not_a_distance,
        im_here_thanks_absorbs_repeat_taps_takes_a_card_and_returns_to_the_board,
        staff_entry_needs_a_long_press_and_the_right_pin,
        print_shows_only_with_a_printer_and_says_when_to_take_the_slip,
        the_language_button_shows_spanish_until_idle_returns_english,
        staff_can_switch_high_contrast_and_large_text,
    ])
}

fn board_lists_the_in_progress_in_house_meeting() {
    let kiosk = demo_kiosk(Rc::new(Cell::new(evening())));
    let lines = kiosk.window.global::<BoardAdapter>().get_lines();
    let first = lines
        .iter()
        .find(|l| l.kind == LineKind::Meeting)
        .expect("the board lists meetings");
    assert_eq!(first.row.name, "Alumni Group");
    assert!(first.row.in_progress);
    assert_eq!(first.row.when, "now");
    assert_eq!(lines.row_data(0).unwrap().text, "HAPPENING NOW");
    // The row is on screen as a tap target with the meeting's name.
    assert!(
        ElementHandle::find_by_accessible_label(&kiosk.window, "Alumni Group")
            .next()
            .is_some()
    );
    assert!(
        kiosk.window.global::<BoardAdapter>().get_sample(),
        "the demo is marked as a sample"
    );
}

fn tapping_a_meeting_opens_its_detail_and_back_returns() {
    let kiosk = demo_kiosk(Rc::new(Cell::new(evening())));
    tap(&kiosk, "Family Circle");
    assert_eq!(
        kiosk.window.global::<KioskState>().get_screen(),
        Screen::Detail,
        "detail screen shown"
    );
    let detail = kiosk.window.global::<DetailAdapter>();
    assert_eq!(detail.get_name(), "Family Circle");
    assert!(
        detail.get_when().starts_with("Today 8:20"),
        "{}",
        detail.get_when()
    );
    assert_eq!(detail.get_place(), "Library");
    assert_every_control_is_labelled(&kiosk, "detail screen");
    tap(&kiosk, "Back");
    assert_eq!(
        kiosk.window.global::<KioskState>().get_screen(),
        Screen::Board,
        "board again"
    );
}

fn online_meeting_qr_on_screen_decodes_to_its_url() {
    let kiosk = demo_kiosk(Rc::new(Cell::new(evening())));
    tap(&kiosk, "Online · 5");
    assert!(
        row_names(&kiosk).contains(&"Online Big Book Study".to_string()),
        "{:?}",
        row_names(&kiosk)
    );
    tap(&kiosk, "Online Big Book Study");
    let codes = kiosk.window.global::<DetailAdapter>().get_codes();
    assert_eq!(codes.row_count(), 1);
    let code = codes.row_data(0).unwrap();
    assert_eq!(code.caption, "Scan to join on Zoom");
    assert_eq!(code.note, "Passcode: 1935");
    assert_eq!(
        decode_qr(&code.image),
        "https://us02web.zoom.us/j/85512345678"
    );
    // The image is on screen, labelled for what it does, in the language on screen.
    assert!(ElementHandle::find_by_accessible_label(
        &kiosk.window,
        "QR code: Scan to join on Zoom"
    )
    .next()
    .is_some());
    kiosk.set_language(lobby_kiosk::words::Lang::Es);
    assert!(ElementHandle::find_by_accessible_label(
        &kiosk.window,
        "Código QR: Escanee para unirse en Zoom"
    )
    .next()
    .is_some());
}

fn idle_time_returns_to_a_reset_board() {
    let kiosk = demo_kiosk(Rc::new(Cell::new(evening())));
    tap(&kiosk, "Nearby · 5");
    tap(&kiosk, "Open");
    tap(&kiosk, "Lunch Bunch");
    assert_eq!(
        kiosk.window.global::<KioskState>().get_screen(),
        Screen::Detail
    );
    mock_elapsed_time(Duration::from_secs(59));
    assert_eq!(
        kiosk.window.global::<KioskState>().get_screen(),
        Screen::Detail,
        "still there after 59 s"
    );
    mock_elapsed_time(Duration::from_secs(2));
    let adapter = kiosk.window.global::<BoardAdapter>();
    assert_eq!(
        kiosk.window.global::<KioskState>().get_screen(),
        Screen::Board,
        "back to the board after 60 s"
    );
    assert_eq!(adapter.get_current_tab(), 0, "first tab again");
    assert!(
        adapter.get_chips().iter().all(|c| !c.selected),
        "filters cleared"
    );
    assert_eq!(row_names(&kiosk)[0], "Alumni Group");
}

fn tabs_and_filter_chips_change_what_is_listed() {
    let kiosk = demo_kiosk(Rc::new(Cell::new(evening())));
    tap(&kiosk, "Nearby · 5");
    let all = row_names(&kiosk);
    assert!(
        all.contains(&"Night Owls".to_string()) && all.contains(&"Grupo Nueva Vida".to_string()),
        "{all:?}"
    );
    tap(&kiosk, "Spanish");
    assert_eq!(row_names(&kiosk), ["Grupo Nueva Vida"]);
    tap(&kiosk, "Spanish");
    tap(&kiosk, "NA");
    assert_eq!(row_names(&kiosk), ["Night Owls"]);
}

fn the_clock_and_the_day_turn_over_at_midnight() {
    let tz = chrono_tz::America::New_York;
    let now = Rc::new(Cell::new(
        tz.with_ymd_and_hms(2026, 11, 21, 23, 59, 30)
            .unwrap()
            .with_timezone(&Utc),
    ));
    let kiosk = demo_kiosk(now.clone());
    let adapter = kiosk.window.global::<BoardAdapter>();
    assert_eq!(adapter.get_clock(), "11:59 PM");
    assert_eq!(adapter.get_date(), "Saturday, November 21");
    // The kiosk's clock and Slint's timers move on together by 31 s.
    now.set(now.get() + chrono::Duration::seconds(31));
    mock_elapsed_time(Duration::from_secs(31));
    assert_eq!(adapter.get_clock(), "12:00 AM");
    assert_eq!(adapter.get_date(), "Sunday, November 22");
}

fn a_schedule_written_by_another_process_appears_without_a_restart() {
    use chrono::{NaiveTime, Weekday};
    use lobby_kiosk::schedule::{Meeting, Recurrence};
    use lobby_kiosk::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let meeting = |name: &str| {
        let mut m = Meeting::new(
            "in-house",
            "alumni",
            name,
            Recurrence::Weekly(vec![Weekday::Sat]),
            NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
        );
        m.in_house = true;
        m.location = "Room 2B".into();
        m
    };
    let mut writer = Store::open(&path).unwrap();
    writer
        .replace_source(
            "in-house",
            &[meeting("Alumni Group")],
            "2026-11-20 09:00:00",
        )
        .unwrap();
    let now = evening();
    let kiosk = Kiosk::new(
        Config::default(),
        ScheduleSource::Store(Store::open(&path).unwrap()),
        Rc::new(move || now),
    )
    .unwrap();
    kiosk.window.show().unwrap();
    assert_eq!(row_names(&kiosk), ["Alumni Group"]);
    assert!(
        !kiosk.window.global::<BoardAdapter>().get_sample(),
        "a real schedule is not marked as a sample"
    );
    writer
        .replace_source(
            "in-house",
            &[meeting("Alumni Group (renamed)")],
            "2026-11-21 18:00:00",
        )
        .unwrap();
    mock_elapsed_time(Duration::from_secs(5));
    assert_eq!(row_names(&kiosk), ["Alumni Group (renamed)"]);
}

fn touch_targets_are_at_least_64_px_high() {
    let kiosk = demo_kiosk(Rc::new(Cell::new(evening())));
    let controls = controls(&kiosk);
    assert!(
        controls.len() >= 10,
        "rows, tabs and chips found: {}",
        controls.len()
    );
    for c in controls {
        assert!(
            c.size().height >= 64.0,
            "{:?} is {} px high",
            c.accessible_label(),
            c.size().height
        );
    }
}

fn an_update_notice_shows_until_tapped_and_the_footer_says_how_fresh() {
    use lobby_kiosk::store::Store;
    use lobby_kiosk::sync::Notice;
    use lobby_kiosk::words::phrase;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiosk.db");
    let mut store = Store::open(&path).unwrap();
    let meeting = lobby_kiosk::schedule::Meeting::new(
        "aa-feed",
        "x",
        "Any Meeting",
        lobby_kiosk::schedule::Recurrence::Weekly(vec![chrono::Weekday::Mon]),
        chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
    );
    // Imported three days before "now": the footer names the stale source.
    store
        .replace_source("aa-feed", &[meeting], "2026-11-18T20:00:00Z")
        .unwrap();
    let now = evening();
    let kiosk = Kiosk::new(
        Config::default(),
        ScheduleSource::Store(store),
        Rc::new(move || now),
    )
    .unwrap();
    kiosk.window.show().unwrap();
    let adapter = kiosk.window.global::<BoardAdapter>();
    assert_eq!(
        adapter.get_footer(),
        "Schedule not updated lately: aa-feed 3 days old"
    );
    let (tx, rx) = std::sync::mpsc::channel();
    kiosk.receive_notices(rx);
    let text = "Schedule updated — 5 in-house, 340 nearby, 3 warnings";
    tx.send(Notice::new(
        phrase(
            "Schedule updated — {} in-house, {} nearby, {} warnings",
            &[&5, &340, &3],
        ),
        false,
    ))
    .unwrap();
    assert_eq!(adapter.get_notice(), "", "not before the next check");
    mock_elapsed_time(Duration::from_secs(4));
    assert_eq!(adapter.get_notice(), text);
    // The same notice in the language on screen, the numbers as they were.
    tap(&kiosk, "Español");
    let spanish = "Horario actualizado — 5 del centro, 340 cercanas, 3 advertencias";
    assert_eq!(adapter.get_notice(), spanish);
    tap(&kiosk, spanish);
    assert_eq!(adapter.get_notice(), "", "a tap puts it away");
}

fn an_in_house_meeting_shows_its_room_and_coming_holidays_not_a_distance() {
    use lobby_kiosk::store::Store;
    let meetings = common::example_in_house_meetings();
    let mut store = Store::open_in_memory().unwrap();
    store
        .replace_source("in-house", &meetings, "2026-11-19T09:00:00Z")
        .unwrap();
    let mut config = Config::default();
    // Far from the center's own address: a distance would show if it were computed.
    config.center.latitude = Some(40.7);
    config.center.longitude = Some(-74.0);
    // Thursday 2026-11-19, 18:40: the alumni group is on; next week's is Thanksgiving.
    let now = chrono_tz::America::New_York
        .with_ymd_and_hms(2026, 11, 19, 18, 40, 0)
        .unwrap()
        .with_timezone(&Utc);
    let kiosk = Kiosk::new(config, ScheduleSource::Store(store), Rc::new(move || now)).unwrap();
    kiosk.window.show().unwrap();
    let lines = kiosk.window.global::<BoardAdapter>().get_lines();
    let row = lines
        .iter()
        .find(|l| l.row.name == "Thursday Alumni Group")
        .expect("the alumni group is on the board");
    assert_eq!(row.row.place, "Room 204, second floor");
    assert!(kiosk.open_meeting("in-house:alumni-thursday"));
    let detail = kiosk.window.global::<DetailAdapter>();
    assert_eq!(
        detail.get_place(),
        "Riverside Recovery Center · Room 204, second floor"
    );
    assert!(
        detail
            .get_notes()
            .contains("No meeting on Thursday, November 26 or Thursday, December 24."),
        "{}",
        detail.get_notes()
    );
}

fn im_here_thanks_absorbs_repeat_taps_takes_a_card_and_returns_to_the_board() {
    use lobby_kiosk::kiosk::ui::ThanksAdapter;
    use lobby_kiosk::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let kiosk = alumni_evening_kiosk(&db);
    kiosk.enable_cards([42; 32]);
    let count = || {
        Store::open(&db)
            .unwrap()
            .attendance_count(
                "in-house:alumni-thursday",
                chrono::NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
            )
            .unwrap()
    };
    tap(&kiosk, "I'm here");
    let state = kiosk.window.global::<KioskState>();
    assert_eq!(state.get_screen(), Screen::Thanks, "the thank-you screen");
    let thanks = kiosk.window.global::<ThanksAdapter>();
    assert_eq!(thanks.get_title(), "Thanks for coming.");
    assert!(thanks.get_offer_card());
    assert_eq!(count(), 1);
    // A second tap arriving while "Thanks" shows is absorbed, in memory.
    kiosk
        .window
        .global::<BoardAdapter>()
        .invoke_sign_in("in-house:alumni-thursday".into());
    assert_eq!(count(), 1);

    // A mistyped card code is named; the right one adds the streak, not another count.
    tap(&kiosk, "Type my card code");
    assert_eq!(state.get_screen(), Screen::Keypad);
    let code = lobby_kiosk::attendance::cards::generate().unwrap();
    let mut wrong = code.clone().into_bytes();
    wrong[0] = if wrong[0] == b'7' { b'8' } else { b'7' };
    for c in String::from_utf8(wrong).unwrap().chars() {
        tap(&kiosk, &c.to_string());
    }
    tap(&kiosk, "OK");
    let keypad = kiosk
        .window
        .global::<lobby_kiosk::kiosk::ui::KeypadAdapter>();
    assert!(
        keypad.get_message().contains("mistyped"),
        "{}",
        keypad.get_message()
    );
    for _ in 0..11 {
        tap(&kiosk, "Erase");
    }
    for c in code.chars() {
        tap(&kiosk, &c.to_string());
    }
    tap(&kiosk, "OK");
    assert_eq!(state.get_screen(), Screen::Thanks);
    assert_eq!(
        thanks.get_detail(),
        "Visits this month: 1 · Weekly streak: 1"
    );
    assert_eq!(count(), 1, "the card joined the sign-in already counted");

    // Left alone, the thank-you screen gives way to a fresh board after result_seconds.
    mock_elapsed_time(Duration::from_secs(21));
    assert_eq!(state.get_screen(), Screen::Board);

    // Scanned on the board with one meeting open: signs in with the card, once.
    kiosk.card_scanned(&code.to_lowercase());
    assert_eq!(state.get_screen(), Screen::Thanks);
    assert_eq!(thanks.get_title(), "You're already signed in.");
    assert_eq!(count(), 1);
}

fn staff_entry_needs_a_long_press_and_the_right_pin() {
    use lobby_kiosk::kiosk::ui::{KeypadAdapter, StaffAdapter};
    use lobby_kiosk::store::Store;
    use slint::platform::WindowEvent;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let kiosk = alumni_evening_kiosk(&db);
    assert_every_control_is_labelled(&kiosk, "board");
    tap(&kiosk, "I'm here");
    assert_every_control_is_labelled(&kiosk, "thank-you screen");
    tap(&kiosk, "Done");
    let state = kiosk.window.global::<KioskState>();
    assert_eq!(state.get_screen(), Screen::Board);
    let clock = kiosk.window.global::<BoardAdapter>().get_clock();
    let element = ElementHandle::find_by_accessible_label(&kiosk.window, &clock)
        .next()
        .expect("the clock is on screen");
    let (origin, size) = (element.absolute_position(), element.size());
    let at = slint::LogicalPosition::new(origin.x + size.width / 2.0, origin.y + size.height / 2.0);
    let hold = |seconds: u64| {
        kiosk
            .window
            .window()
            .dispatch_event(WindowEvent::PointerPressed {
                position: at,
                button: PointerEventButton::Left,
            });
        mock_elapsed_time(Duration::from_secs(seconds));
        kiosk
            .window
            .window()
            .dispatch_event(WindowEvent::PointerReleased {
                position: at,
                button: PointerEventButton::Left,
            });
    };
    // No PIN set: no staff screen at all.
    hold(6);
    assert_eq!(state.get_screen(), Screen::Board);
    Store::open(&db)
        .unwrap()
        .set_staff_pin(&lobby_kiosk::attendance::pin::hash("482913").unwrap())
        .unwrap();
    hold(2);
    assert_eq!(
        state.get_screen(),
        Screen::Board,
        "a short press does nothing"
    );
    hold(6);
    assert_eq!(state.get_screen(), Screen::Keypad, "the PIN pad");
    assert_every_control_is_labelled(&kiosk, "PIN pad");
    let keypad = kiosk.window.global::<KeypadAdapter>();
    for c in "111111".chars() {
        tap(&kiosk, &c.to_string());
    }
    assert_eq!(keypad.get_shown(), "●●●●●●", "a PIN is never shown");
    tap(&kiosk, "OK");
    assert_eq!(keypad.get_message(), "Wrong PIN.");
    for c in "482913".chars() {
        tap(&kiosk, &c.to_string());
    }
    tap(&kiosk, "OK");
    assert_eq!(state.get_screen(), Screen::Staff, "the staff screen");
    assert_every_control_is_labelled(&kiosk, "staff screen");
    let staff = kiosk.window.global::<StaffAdapter>();
    let rows: Vec<(String, i32)> = staff
        .get_rows()
        .iter()
        .map(|r| (r.name.to_string(), r.count))
        .collect();
    assert_eq!(rows, [("Thursday Alumni Group".to_string(), 1)]);
    // Staff who read Spanish get the figures, sources and messages in Spanish too.
    kiosk.set_language(lobby_kiosk::words::Lang::Es);
    assert_eq!(
        staff.get_cards(),
        "Tarjetas este mes: 0 por primera vez · 0 que regresan"
    );
    let source = staff.get_sources().row_data(0).unwrap();
    assert!(
        source.starts_with("in-house — ") && source.contains(" reuniones ("),
        "{source}"
    );
    tap(&kiosk, "Fijar fecha y hora");
    tap(&kiosk, "2");
    tap(&kiosk, "Aceptar");
    assert_eq!(
        keypad.get_message(),
        "Escriba 12 dígitos: año, mes, día, hora (de 24 horas), minuto."
    );
    tap(&kiosk, "Cancelar");
    assert_eq!(
        state.get_screen(),
        Screen::Staff,
        "back on the staff screen"
    );
    // The staff session ends after 60 s without a touch.
    mock_elapsed_time(Duration::from_secs(61));
    assert_eq!(state.get_screen(), Screen::Board);
}

fn print_shows_only_with_a_printer_and_says_when_to_take_the_slip() {
    let kiosk = demo_kiosk(Rc::new(Cell::new(evening())));
    tap(&kiosk, "Online · 5");
    tap(&kiosk, "Online Big Book Study");
    assert!(
        ElementHandle::find_by_accessible_label(&kiosk.window, "Print")
            .next()
            .is_none(),
        "no printer configured, no Print button"
    );

    // A printer that is a file: the slip's bytes land there.
    let dir = tempfile::tempdir().unwrap();
    let spool = dir.path().join("printer.bin");
    let mut config = Config::default();
    config.printer.uri = Some(lobby_kiosk::printer::PrinterUri::File(spool.clone()));
    let now = evening();
    let kiosk = Kiosk::new(config, ScheduleSource::Demo, Rc::new(move || now)).unwrap();
    kiosk
        .window
        .window()
        .set_size(slint::LogicalSize::new(1280.0, 800.0));
    kiosk.window.show().unwrap();
    tap(&kiosk, "Online · 5");
    tap(&kiosk, "Online Big Book Study");
    let button = ElementHandle::find_by_accessible_label(&kiosk.window, "Print")
        .find(|e| e.accessible_role() == Some(AccessibleRole::Button))
        .expect("a Print button");
    assert!(button.size().height >= 64.0, "{}", button.size().height);
    let detail = kiosk.window.global::<DetailAdapter>();
    let wait_for_result = || {
        // The slip is printed on a worker thread; the screen polls with a timer.
        for _ in 0..500 {
            mock_elapsed_time(Duration::from_millis(200));
            if detail.get_print_status() != "Printing…" {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    tap(&kiosk, "Print");
    assert_eq!(detail.get_print_status(), "Printing…");
    wait_for_result();
    assert_eq!(
        detail.get_print_status(),
        "Take your slip from the printer."
    );
    assert!(std::fs::metadata(&spool).unwrap().len() > 1000);
    // Leaving the meeting clears what the print said.
    tap(&kiosk, "Back");
    tap(&kiosk, "Online Big Book Study");
    assert_eq!(detail.get_print_status(), "");
    // So does the idle reset.
    tap(&kiosk, "Print");
    wait_for_result();
    assert_eq!(
        detail.get_print_status(),
        "Take your slip from the printer."
    );
    mock_elapsed_time(Duration::from_secs(61));
    assert_eq!(
        kiosk.window.global::<KioskState>().get_screen(),
        Screen::Board
    );
    assert_eq!(detail.get_print_status(), "");
}

fn the_language_button_shows_spanish_until_idle_returns_english() {
    let kiosk = demo_kiosk(Rc::new(Cell::new(evening())));
    tap(&kiosk, "Español");
    let adapter = kiosk.window.global::<BoardAdapter>();
    assert_eq!(adapter.get_tabs().row_data(1).unwrap(), "Cerca · 5");
    assert_eq!(adapter.get_lines().row_data(0).unwrap().text, "AHORA MISMO");
    assert_eq!(
        adapter.get_footer(),
        "Horario de ejemplo incluido — personal: vea el README para cargar el suyo"
    );
    // A `@tr` string from the .slint files, through the bundled Spanish catalogue.
    assert!(
        ElementHandle::find_by_accessible_label(&kiosk.window, "Estoy aquí")
            .next()
            .is_some(),
        "the row's I'm here button is in Spanish"
    );
    tap(&kiosk, "Cerca · 5");
    mock_elapsed_time(Duration::from_secs(61));
    assert_eq!(
        adapter.get_tabs().row_data(1).unwrap(),
        "Nearby · 5",
        "idle reset returns to the configured language"
    );
    assert!(
        ElementHandle::find_by_accessible_label(&kiosk.window, "I'm here")
            .next()
            .is_some(),
        "the Slint strings are English again"
    );
    assert_eq!(adapter.get_other_language(), "Español");
    assert_eq!(
        adapter.get_footer(),
        "Sample schedule built in — staff: see README to load yours"
    );
}

fn staff_can_switch_high_contrast_and_large_text() {
    use lobby_kiosk::kiosk::ui::Theme;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let kiosk = alumni_evening_kiosk(&db);
    kiosk
        .window
        .global::<KioskState>()
        .set_screen(Screen::Staff);
    let theme = kiosk.window.global::<Theme>();
    let normal_ink = theme.get_ink();
    let normal_body = theme.get_body_size();
    tap(&kiosk, "High contrast");
    tap(&kiosk, "Large text");
    assert!(theme.get_high_contrast() && theme.get_large_text());
    assert_ne!(theme.get_ink(), normal_ink);
    assert!(theme.get_body_size() > normal_body);
    drop(kiosk);

    // The next start (a power cut, the nightly reboot) keeps what staff chose.
    let kiosk = alumni_evening_kiosk(&db);
    let theme = kiosk.window.global::<Theme>();
    assert!(theme.get_high_contrast() && theme.get_large_text());
    kiosk
        .window
        .global::<KioskState>()
        .set_screen(Screen::Staff);
    tap(&kiosk, "High contrast");
    tap(&kiosk, "Large text");
    assert_eq!(theme.get_ink(), normal_ink);
    assert_eq!(theme.get_body_size(), normal_body);
    drop(kiosk);
    let kiosk = alumni_evening_kiosk(&db);
    let theme = kiosk.window.global::<Theme>();
    assert!(!theme.get_high_contrast() && !theme.get_large_text());
}
