//! Shared pieces of the integration tests: a real HTTP server on 127.0.0.1, fixture paths,
//! the kiosk binary, and the simulated weeks' oracle.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub mod oracle;
pub mod touch;

/// A file of `../shared/data/`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data")).join(name)
}

pub fn kiosk(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lobby-kiosk"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// What the server does with one request.
pub enum Reply {
    /// A whole HTTP response.
    Send(Vec<u8>),
    /// Accept and never answer.
    Silence,
}

pub fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut bytes = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        bytes.push_str(&format!("{k}: {v}\r\n"));
    }
    bytes.push_str("\r\n");
    let mut bytes = bytes.into_bytes();
    bytes.extend_from_slice(body);
    Reply::Send(bytes)
}

/// A real HTTP/1.1 server on 127.0.0.1 answering request `n` (from 1) with `reply`.
pub struct Server {
    pub url: String,
    /// Request heads received, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
}

pub fn serve(reply: impl Fn(usize, &str) -> Reply + Send + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let head = read_head(&mut stream);
            let n = {
                let mut list = seen.lock().unwrap();
                list.push(head.clone());
                list.len()
            };
            match reply(n, &head) {
                Reply::Send(bytes) => {
                    let _ = stream.write_all(&bytes);
                    let _ = stream.flush();
                }
                Reply::Silence => held.push(stream),
            }
        }
    });
    Server {
        url: format!("http://{addr}/meetings.json"),
        requests,
    }
}

fn read_head(stream: &mut TcpStream) -> String {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// The real southeastern Pennsylvania listing repeated with unique slugs (each gets
/// `-{suffix}{i}`) into a Meeting Guide JSON file of `n` meetings: a large, real-sized feed.
/// Only the listings that are meeting are repeated (the feed's "(SUSPENDED) …" ones are
/// not imported), so the file imports as `n` meetings.
pub fn write_sepia_feed(path: &std::path::Path, n: usize, suffix: &str) {
    use std::io::BufWriter;
    let text =
        std::fs::read_to_string(fixture("meetingguide_sepia_1928_meetings.json")).expect("fixture");
    let words = lobby_kiosk::schedule::status::StatusWords::default();
    let items: Vec<serde_json::Value> = serde_json::from_str::<Vec<serde_json::Value>>(&text)
        .expect("fixture is JSON")
        .into_iter()
        .filter(|m| {
            let text = |k: &str| m[k].as_str().unwrap_or_default().to_string();
            words.check(&text("name"), &text("notes")).is_none()
        })
        .collect();
    let mut out = BufWriter::new(std::fs::File::create(path).expect("feed file"));
    out.write_all(b"[").unwrap();
    for i in 0..n {
        let mut item = items[i % items.len()].clone();
        let slug = format!("{}-{suffix}{i}", item["slug"].as_str().unwrap_or("m"));
        item["slug"] = serde_json::Value::String(slug);
        if i > 0 {
            out.write_all(b",\n").unwrap();
        }
        serde_json::to_writer(&mut out, &item).unwrap();
    }
    out.write_all(b"]\n").unwrap();
    out.flush().unwrap();
}

/// The center's example schedule (assets/examples/in-house.toml) as source "in-house".
pub fn example_in_house_meetings() -> Vec<lobby_kiosk::schedule::Meeting> {
    use lobby_kiosk::import::{read_all, Format, Options};
    let text = include_str!("../../assets/examples/in-house.toml");
    let options = Options {
        source: "in-house".into(),
        ..Options::default()
    };
    read_all(Format::InHouse, "in-house.toml", text.as_bytes(), &options)
        .unwrap()
        .0
}

/// A database file holding the center's example schedule, imported 2026-11-19 09:00 UTC.
pub fn example_store(db: &std::path::Path) -> lobby_kiosk::store::Store {
    let mut store = lobby_kiosk::store::Store::open(db).unwrap();
    store
        .replace_source(
            "in-house",
            &example_in_house_meetings(),
            "2026-11-19T09:00:00Z",
        )
        .unwrap();
    store
}

/// A kiosk on a database file with the center's example schedule, at Thursday 2026-11-19
/// 18:40 in New York: the Thursday Alumni Group (18:30–20:00) is open for sign-in.
pub fn alumni_evening_kiosk(db: &std::path::Path) -> lobby_kiosk::kiosk::Kiosk {
    let mut config = lobby_kiosk::config::Config::default();
    config.idle.result_seconds = 20;
    alumni_evening_kiosk_with(db, config)
}

/// `alumni_evening_kiosk` with this configuration.
pub fn alumni_evening_kiosk_with(
    db: &std::path::Path,
    config: lobby_kiosk::config::Config,
) -> lobby_kiosk::kiosk::Kiosk {
    use chrono::{TimeZone, Utc};
    use lobby_kiosk::kiosk::{Kiosk, ScheduleSource};
    use slint::ComponentHandle;
    use std::rc::Rc;
    let store = example_store(db);
    // As `lobby-kiosk run` sets up the UI thread's connection.
    store.defer_checkpoints().unwrap();
    let now = chrono_tz::America::New_York
        .with_ymd_and_hms(2026, 11, 19, 18, 40, 0)
        .unwrap()
        .with_timezone(&Utc);
    let kiosk = Kiosk::new(config, ScheduleSource::Store(store), Rc::new(move || now)).unwrap();
    kiosk
        .window
        .window()
        .set_size(slint::LogicalSize::new(1280.0, 800.0));
    kiosk.window.show().unwrap();
    kiosk
}

/// The `main` of a headless UI test binary (`harness = false`): each scenario is its own test,
/// reported on its own; they run one after the other on the main thread, where Slint's
/// platform is set once for the process. `scenarios![f, g]` names them after their functions.
pub fn run_scenarios(scenarios: Vec<(&'static str, fn())>) -> std::process::ExitCode {
    let mut args = libtest_mimic::Arguments::from_args();
    args.test_threads = Some(1);
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let trials = scenarios
        .into_iter()
        .map(|(name, scenario)| {
            libtest_mimic::Trial::test(name, move || {
                scenario();
                Ok(())
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

/// `(name, function)` for each scenario function, for `run_scenarios`.
#[macro_export]
macro_rules! scenarios {
    ($($f:ident),* $(,)?) => {
        vec![$((stringify!($f), $f as fn())),*]
    };
}
