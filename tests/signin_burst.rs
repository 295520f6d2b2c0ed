//! A burst of sign-in taps through the real Slint UI, headless (i-slint-backend-testing):
//! every tap on "I'm here" followed by a repeat tap while the thank-you screen shows (the
//! debounce rule absorbs it), then the idle timeout back to the board. The stored count must
//! be exactly the number of thank-you screens. The worst time to handle one tap (callback,
//! SQLite commit, model update; no pixels are drawn by this backend) is printed, not asserted.
//!
//! CI taps 200 times; the full burst:
//! `LOBBY_KIOSK_BURST_TAPS=10000 cargo test --release --test signin_burst -- --nocapture`.

mod common;

use std::time::{Duration, Instant};

use i_slint_backend_testing::{mock_elapsed_time, AccessibleRole, ElementHandle};
use lobby_kiosk::kiosk::ui::{BoardAdapter, KioskState, Screen};
use lobby_kiosk::store::Store;
use slint::platform::PointerEventButton;
use slint::ComponentHandle;

fn taps() -> usize {
    std::env::var("LOBBY_KIOSK_BURST_TAPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

#[test]
fn a_burst_of_taps_counts_exactly_one_sign_in_per_thank_you_screen() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    // Thursday 2026-11-19, 18:40 in New York: the alumni meeting is on the board.
    let kiosk = common::alumni_evening_kiosk(&db);
    let state = kiosk.window.global::<KioskState>();

    let mut worst = Duration::ZERO;
    let mut screens = 0u32;
    let started = Instant::now();
    for n in 0..taps() {
        let t = Instant::now();
        if n % 2 == 0 {
            let button = ElementHandle::find_by_accessible_label(&kiosk.window, "I'm here")
                .find(|e| e.accessible_role() != Some(AccessibleRole::Text))
                .expect("I'm here on the board");
            button.mock_single_click(PointerEventButton::Left);
            assert_eq!(
                state.get_screen(),
                Screen::Thanks,
                "tap {n}: the thank-you screen"
            );
            screens += 1;
        } else {
            // The same person's second tap while "Thanks" shows.
            kiosk
                .window
                .global::<BoardAdapter>()
                .invoke_sign_in("in-house:alumni-thursday".into());
        }
        worst = worst.max(t.elapsed());
        if n % 2 == 1 {
            mock_elapsed_time(Duration::from_secs(21));
            assert_eq!(
                state.get_screen(),
                Screen::Board,
                "tap {n}: back to the board"
            );
        }
    }
    let stored = Store::open(&db)
        .unwrap()
        .attendance_count(
            "in-house:alumni-thursday",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
        )
        .unwrap();
    assert_eq!(stored, screens);
    println!(
        "sign-in burst: {} taps, {screens} thank-you screens, {stored} stored; worst tap {:.1} ms, all in {:.1} s",
        taps(),
        worst.as_secs_f64() * 1e3,
        started.elapsed().as_secs_f64()
    );
}
