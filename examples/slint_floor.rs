//! What a bare Slint board costs on this machine: the floor under the kiosk's start-up figures
//! (BENCHMARKS.md, "The floor"). One window with the kiosk's font, a heading and twelve rows,
//! drawn by the same backend and software renderer as the kiosk, no database, no timetable.
//!
//! ```sh
//! cargo build --release --locked --example slint_floor
//! DISPLAY=:99 hyperfine -N -w 3 -r 30 'target/release/examples/slint_floor --exit-after-first-frame'
//! ```
//! Without `--exit-after-first-frame` it stays open, for its memory to be read.

use std::time::{Duration, Instant};

slint::slint! {
    import "assets/fonts/Inter-Regular.otf";

    export component Floor inherits Window {
        default-font-family: "Inter";
        background: #10243a;
        preferred-width: 1280px;
        preferred-height: 800px;
        VerticalLayout {
            padding: 32px;
            spacing: 12px;
            Text {
                text: "Meetings today";
                font-size: 40px;
                color: white;
            }
            for i in 12: Rectangle {
                height: 44px;
                background: #1d3a5c;
                Text {
                    x: 16px;
                    text: "7:00 PM   Meeting number " + (i + 1) + "   Main Street Hall";
                    font-size: 24px;
                    color: white;
                }
            }
        }
    }
}

fn main() -> Result<(), slint::PlatformError> {
    let started = Instant::now();
    let exit = std::env::args().any(|a| a == "--exit-after-first-frame");
    let window = Floor::new()?;
    window.show()?;
    let first_frame = slint::Timer::default();
    first_frame.start(slint::TimerMode::SingleShot, Duration::ZERO, move || {
        println!("first-frame-ms: {}", started.elapsed().as_millis());
        if exit {
            let _ = slint::quit_event_loop();
        }
    });
    slint::run_event_loop()
}
