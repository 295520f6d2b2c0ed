//! The systemd watchdog heartbeat through a real notification socket and a real Slint event
//! loop (the testing backend with system time): it beats while the UI thread runs and stops
//! while the UI thread is blocked, which is what lets systemd restart a hung kiosk.
//!
//! Its own test binary: Slint's platform can be set once per process.

use std::cell::Cell;
use std::os::unix::net::UnixDatagram;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use lobby_kiosk::device::notify::Notifier;
use slint::{Timer, TimerMode};

#[test]
fn heartbeat_comes_from_the_event_loop_and_stops_while_it_is_blocked() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notify");
    let socket = UnixDatagram::bind(&path).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let received: Arc<Mutex<Vec<(Instant, String)>>> = Arc::default();
    let log = received.clone();
    let listener = thread::spawn(move || {
        let mut buf = [0u8; 256];
        while let Ok(n) = socket.recv(&mut buf) {
            let text = String::from_utf8_lossy(&buf[..n]).to_string();
            let done = text == "STOP";
            log.lock().unwrap().push((Instant::now(), text));
            if done {
                break;
            }
        }
    });

    // WATCHDOG_USEC = 100 ms → a heartbeat every 50 ms.
    let notifier = Notifier::new(path.to_str().unwrap(), Some("100000"), None, 1).unwrap();
    assert_eq!(
        notifier.heartbeat_interval(),
        Some(Duration::from_millis(50))
    );
    let _timers = notifier.start();

    let blocked: Rc<Cell<Option<(Instant, Instant)>>> = Rc::default();
    let hang = Timer::default();
    {
        let blocked = blocked.clone();
        hang.start(
            TimerMode::SingleShot,
            Duration::from_millis(400),
            move || {
                let start = Instant::now();
                // A hung UI thread: a long computation, a deadlock, a stuck read.
                thread::sleep(Duration::from_millis(700));
                blocked.set(Some((start, Instant::now())));
            },
        );
    }
    let quit = Timer::default();
    quit.start(TimerMode::SingleShot, Duration::from_millis(1600), || {
        let _ = slint::quit_event_loop();
    });
    slint::run_event_loop().unwrap();
    notifier.send("STOP").unwrap();
    listener.join().unwrap();

    let (start, end) = blocked.get().expect("the blocking timer ran");
    let messages = received.lock().unwrap().clone();
    assert_eq!(
        messages.first().map(|(_, m)| m.as_str()),
        Some("READY=1\nSTATUS=Showing the board")
    );
    let beats = |from: Instant, to: Instant| {
        messages
            .iter()
            .filter(|(t, m)| m == "WATCHDOG=1" && *t > from && *t < to)
            .count()
    };
    let first = messages[0].0;
    assert!(
        beats(first, start) >= 4,
        "heartbeats before the hang: {messages:?}"
    );
    // A datagram sent just before the hang may arrive a moment into it.
    assert_eq!(
        beats(start + Duration::from_millis(30), end),
        0,
        "no heartbeat while the UI thread is blocked"
    );
    assert!(
        beats(end, end + Duration::from_secs(2)) >= 3,
        "heartbeats resume when the UI thread runs again"
    );
}
