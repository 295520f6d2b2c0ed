//! The systemd watchdog heartbeat through a real notification socket and a real Slint event
//! loop (the testing backend with system time): it beats while the UI thread runs and stops
//! while the UI thread is blocked, which is what lets systemd restart a hung kiosk.
//!
//! No timing windows: the blocked stretch is marked by datagrams the UI thread itself sends
//! on the same socket just before and just after it blocks, and a socket's datagrams arrive in
//! the order they were sent. So "no heartbeat while blocked" holds exactly, however busy the
//! machine; the counts before and after only ask for a beat or two in a second or more.
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

    let blocked: Rc<Cell<bool>> = Rc::default();
    let hang = Timer::default();
    {
        let (blocked, notifier) = (blocked.clone(), notifier.clone());
        hang.start(
            TimerMode::SingleShot,
            Duration::from_millis(600),
            move || {
                notifier.send("TEST=hang-starts").unwrap();
                // A hung UI thread: a long computation, a deadlock, a stuck read.
                thread::sleep(Duration::from_millis(700));
                notifier.send("TEST=hang-ends").unwrap();
                blocked.set(true);
            },
        );
    }
    let quit = Timer::default();
    quit.start(TimerMode::SingleShot, Duration::from_millis(2600), || {
        let _ = slint::quit_event_loop();
    });
    slint::run_event_loop().unwrap();
    notifier.send("STOP").unwrap();
    listener.join().unwrap();

    assert!(blocked.get(), "the blocking timer ran");
    let messages: Vec<String> = received
        .lock()
        .unwrap()
        .iter()
        .map(|(_, m)| m.clone())
        .collect();
    assert_eq!(
        messages.first().map(String::as_str),
        Some("READY=1\nSTATUS=Showing the board")
    );
    let at = |marker: &str| {
        messages
            .iter()
            .position(|m| m == marker)
            .unwrap_or_else(|| panic!("{marker} was sent: {messages:?}"))
    };
    let (starts, ends) = (at("TEST=hang-starts"), at("TEST=hang-ends"));
    let beats = |range: std::ops::Range<usize>| {
        messages[range]
            .iter()
            .filter(|m| *m == "WATCHDOG=1")
            .count()
    };
    assert!(
        beats(0..starts) >= 2,
        "heartbeats in the 600 ms before the hang: {messages:?}"
    );
    assert_eq!(
        beats(starts..ends),
        0,
        "no heartbeat while the UI thread is blocked: {messages:?}"
    );
    assert!(
        beats(ends..messages.len()) >= 2,
        "heartbeats resume when the UI thread runs again (1.3 s): {messages:?}"
    );
}
