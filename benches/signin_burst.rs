//! The sign-in burst as a frame-time measurement: taps on "I'm here" through the real Slint
//! UI (i-slint-backend-testing), each followed by a full software-rendered frame at 1280×800,
//! so a figure is what a visitor waits for between touching the button and seeing "Thanks".
//!
//! Each round is three frames: the tap (callback, SQLite commit with `synchronous=FULL`, model
//! update, render), the same person's repeat tap while "Thanks" shows (absorbed in memory,
//! render), and the idle timeout back to the board (render). Prints the worst, 99th
//! percentile and median of each, and the stored count, which must equal the rounds.
//!
//! `cargo bench --bench signin_burst` (10,000 taps; `LOBBY_KIOSK_BURST_TAPS=N` for fewer).
//! The database lives in a temporary folder under `TMPDIR`: on a device, point that at the
//! SD card (a RAM `/tmp` would not measure its fsync).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use i_slint_backend_testing::{mock_elapsed_time, AccessibleRole, ElementHandle};
use lobby_kiosk::kiosk::ui::{KioskState, Screen};
use lobby_kiosk::store::Store;
use slint::platform::PointerEventButton;
use slint::ComponentHandle;

struct Frames(Vec<Duration>);

impl Frames {
    fn summary(&mut self) -> String {
        self.0.sort();
        let at = |q: f64| self.0[((self.0.len() - 1) as f64 * q).round() as usize];
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        format!(
            "worst {:.2} ms, p99 {:.2} ms, median {:.2} ms",
            ms(*self.0.last().unwrap()),
            ms(at(0.99)),
            ms(at(0.5))
        )
    }
}

fn main() {
    let taps: usize = std::env::var("LOBBY_KIOSK_BURST_TAPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    // The testing backend with its software renderer: mock time (the idle timeout is
    // advanced, not waited for) and real pixels.
    slint::platform::set_platform(Box::new(i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: true,
            threading: true,
            renderer_name: Some("software".into()),
        },
    )))
    .expect("the first platform of this process");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let kiosk = common::alumni_evening_kiosk(&db);
    let state = kiosk.window.global::<KioskState>();
    let frame = || {
        kiosk
            .window
            .window()
            .take_snapshot()
            .expect("the software renderer draws a frame")
    };
    frame();

    let rounds = taps / 2;
    let (mut tap, mut repeat, mut back) = (Frames(vec![]), Frames(vec![]), Frames(vec![]));
    let mut handled = Frames(vec![]);
    for n in 0..rounds {
        let button = ElementHandle::find_by_accessible_label(&kiosk.window, "I'm here")
            .find(|e| e.accessible_role() != Some(AccessibleRole::Text))
            .expect("I'm here on the board");
        let t = Instant::now();
        button.mock_single_click(PointerEventButton::Left);
        handled.0.push(t.elapsed());
        frame();
        tap.0.push(t.elapsed());
        assert_eq!(
            state.get_screen(),
            Screen::Thanks,
            "round {n}: the thank-you screen"
        );

        // The same person taps the same spot again while "Thanks" shows.
        let t = Instant::now();
        button.mock_single_click(PointerEventButton::Left);
        frame();
        repeat.0.push(t.elapsed());

        let t = Instant::now();
        mock_elapsed_time(Duration::from_secs(21));
        frame();
        back.0.push(t.elapsed());
        assert_eq!(
            state.get_screen(),
            Screen::Board,
            "round {n}: back to the board"
        );
    }
    let stored = Store::open(&db)
        .unwrap()
        .attendance_count(
            "in-house:alumni-thursday",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
        )
        .unwrap();
    assert_eq!(stored as usize, rounds, "one sign-in per thank-you screen");
    println!("sign-in burst, {taps} taps ({rounds} sign-ins stored), 1280×800 full frames:");
    println!("  tap → \"Thanks\" frame:     {}", tap.summary());
    println!("    of which the tap itself: {}", handled.summary());
    println!("  repeat tap (absorbed):     {}", repeat.summary());
    println!("  idle → board frame:        {}", back.summary());
}
