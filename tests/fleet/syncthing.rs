//! A harness for real Syncthing instances (the installed `syncthing`, Debian's 1.19) on
//! 127.0.0.1, so the fleet tests can watch files travel between an office and its kiosks.
//!
//! Each instance gets its own home folder (keys, config, database, `syncthing.log`), its own
//! GUI/REST port and sync port, and talks to nobody but the devices it is introduced to: no
//! global or local discovery, no relays, no NAT traversal, no usage or crash reports, no
//! upgrades, no default folder. Folders rescan every 2 s and watch the filesystem with a 1 s
//! delay, so a change travels in about a second.
//!
//! A connection needs both sides: `office.introduce(&north)` and `north.introduce(&office)`
//! (the second call returns once they are connected). A folder syncs between devices that
//! both share it with each other, so introduce first, then `share` on both sides.

use std::cell::RefCell;
use std::fs::{self, OpenOptions};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The Syncthing binary, found on `PATH` (`/usr/bin/syncthing` from the Debian package).
const SYNCTHING: &str = "syncthing";
/// How long a started instance may take to answer on its REST API.
const API_UP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a single REST call may take.
const API_CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long two introduced instances may take to connect (on 127.0.0.1, well under a second).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an instance may take to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// How often `wait_until` and the start-up wait look again.
const POLL: Duration = Duration::from_millis(100);
/// How many lines of each instance's log a timeout's panic message carries.
const LOG_TAIL_LINES: usize = 25;
/// Folder settings that make a change travel fast.
const RESCAN_INTERVAL_S: u32 = 2;
const FS_WATCHER_DELAY_S: u32 = 1;
/// How often an instance redials a device it is not connected to (Syncthing's default: 60 s).
const RECONNECTION_INTERVAL_S: u32 = 2;

thread_local! {
    /// The logs of the instances started on this thread (a test's own instances), so that a
    /// `wait_until` timeout can show what they said.
    static LOGS_OF_THIS_THREAD: RefCell<Vec<(String, PathBuf)>> = const { RefCell::new(Vec::new()) };
}

/// How a folder behaves on one device.
pub enum Kind {
    /// Announces its local changes, never applies anyone else's.
    SendOnly,
    /// Applies the others' changes; its local changes stay local.
    ReceiveOnly,
}

impl Kind {
    fn config_value(&self) -> &'static str {
        match self {
            Kind::SendOnly => "sendonly",
            Kind::ReceiveOnly => "receiveonly",
        }
    }
}

/// One running (or stopped) Syncthing instance, stopped when dropped.
pub struct Syncthing {
    /// The name it was started with: its device name and the prefix of its home folder.
    pub name: String,
    /// Its device ID, as other devices know it.
    pub device_id: String,
    home: PathBuf,
    gui_port: u16,
    sync_port: u16,
    api_key: String,
    agent: ureq::Agent,
    child: Option<Child>,
}

impl Syncthing {
    /// Generates a new device with its home at `root/<name>-home` and starts it; returns once
    /// its REST API answers. `name` is a short word (letters, digits, `-`, `_`).
    pub fn start(name: &str, root: &Path) -> Syncthing {
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "a Syncthing instance's name must be a short word, not {name:?}"
        );
        let home = root.join(format!("{name}-home"));
        run_to_completion(
            Command::new(SYNCTHING)
                .arg("generate")
                .arg("--home")
                .arg(&home)
                .arg("--no-default-folder")
                .arg("--skip-port-probing"),
            &format!("generate the keys and config of {name}"),
        );
        let device_id = run_to_completion(
            Command::new(SYNCTHING)
                .arg("serve")
                .arg("--home")
                .arg(&home)
                .arg("--device-id"),
            &format!("read the device ID of {name}"),
        )
        .trim()
        .to_string();
        assert!(
            device_id.len() == 63 && device_id.matches('-').count() == 7,
            "`syncthing serve --device-id` printed {device_id:?} for {name}, not a device ID"
        );

        let gui_port = free_port();
        let sync_port = free_port();
        let config_path = home.join("config.xml");
        let mut config = fs::read_to_string(&config_path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", config_path.display()));
        let api_key = element_text(&config, "<gui ", "apikey").to_string();
        assert!(
            !api_key.is_empty(),
            "{} has no GUI API key",
            config_path.display()
        );
        set_self_name(&mut config, &device_id, name);
        set_element(
            &mut config,
            "<gui ",
            "address",
            &format!("127.0.0.1:{gui_port}"),
        );
        for (option, value) in [
            ("listenAddress", format!("tcp://127.0.0.1:{sync_port}")),
            ("globalAnnounceEnabled", "false".to_string()),
            ("localAnnounceEnabled", "false".to_string()),
            ("relaysEnabled", "false".to_string()),
            ("natEnabled", "false".to_string()),
            ("urAccepted", "-1".to_string()),
            ("crashReportingEnabled", "false".to_string()),
            ("autoUpgradeIntervalH", "0".to_string()),
            ("startBrowser", "false".to_string()),
            ("reconnectionIntervalS", RECONNECTION_INTERVAL_S.to_string()),
        ] {
            set_element(&mut config, "<options>", option, &value);
        }
        fs::write(&config_path, config)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", config_path.display()));

        let agent = ureq::Agent::config_builder()
            .proxy(None)
            .timeout_global(Some(API_CALL_TIMEOUT))
            .http_status_as_error(false)
            .build()
            .into();
        let mut syncthing = Syncthing {
            name: name.to_string(),
            device_id,
            home,
            gui_port,
            sync_port,
            api_key,
            agent,
            child: None,
        };
        LOGS_OF_THIS_THREAD
            .with_borrow_mut(|logs| logs.push((syncthing.name.clone(), syncthing.log_path())));
        syncthing.spawn();
        syncthing
    }

    /// Stops the instance (SIGTERM to the process it started, killed if it does not exit in
    /// 10 s) and waits for it to exit. Does nothing if it is not running.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if let Ok(None) = child.try_wait() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let deadline = Instant::now() + STOP_TIMEOUT;
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
        }
        let _ = child.wait();
    }

    /// Starts a stopped instance again: same home, same ports, same device ID. Returns once
    /// its REST API answers.
    pub fn start_again(&mut self) {
        assert!(
            self.child.is_none(),
            "start_again: Syncthing {} is still running",
            self.name
        );
        self.spawn();
    }

    /// Adds `other` as a known device. Both must be running. The second of the two calls
    /// (`a.introduce(&b)`, then `b.introduce(&a)`) connects them and returns once they are
    /// connected; from then on each knows the other at its exact `tcp://127.0.0.1:PORT`
    /// address and redials it there.
    ///
    /// The first call adds `other` without an address (`dynamic`, and discovery is off), so
    /// this instance does not dial a device that does not know it yet: Syncthing 1.19 rejects
    /// such a connection, and the rejection now and then stalls the dialler's connection
    /// handling for 20 s.
    pub fn introduce(&self, other: &Syncthing) {
        let known_by_other = other.knows(self);
        let address = if known_by_other {
            other.address()
        } else {
            "dynamic".to_string()
        };
        self.send(
            "POST",
            "/rest/config/devices",
            &json!({
                "deviceID": other.device_id,
                "name": other.name,
                "addresses": [address],
            }),
        );
        if known_by_other {
            wait_until(
                &format!("{} to connect to {}", self.name, other.name),
                CONNECT_TIMEOUT,
                || self.is_connected_to(other),
            );
            // Connected, so this does not make `other` dial.
            other.send(
                "PATCH",
                &format!("/rest/config/devices/{}", self.device_id),
                &json!({ "addresses": [self.address()] }),
            );
        }
    }

    /// Whether this instance has a connection to `other` right now.
    pub fn is_connected_to(&self, other: &Syncthing) -> bool {
        self.get("/rest/system/connections")["connections"][&other.device_id]["connected"]
            .as_bool()
            .unwrap_or(false)
    }

    /// Adds the folder `folder_id` at `path` (created if missing), shared with `with`, each of
    /// whom must have been introduced to this instance. It syncs with those that share it back.
    pub fn share(&self, folder_id: &str, path: &Path, kind: Kind, with: &[&Syncthing]) {
        assert!(
            path.is_absolute(),
            "share {folder_id} on {}: the path must be absolute, not {}",
            self.name,
            path.display()
        );
        fs::create_dir_all(path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        let path_text = path
            .to_str()
            .unwrap_or_else(|| panic!("share {folder_id}: {} is not UTF-8", path.display()));
        let devices: Vec<Value> = std::iter::once(self)
            .chain(with.iter().copied())
            .map(|device| json!({ "deviceID": device.device_id }))
            .collect();
        self.send(
            "POST",
            "/rest/config/folders",
            &json!({
                "id": folder_id,
                "label": folder_id,
                "path": path_text,
                "type": kind.config_value(),
                "devices": devices,
                "rescanIntervalS": RESCAN_INTERVAL_S,
                "fsWatcherEnabled": true,
                "fsWatcherDelayS": FS_WATCHER_DELAY_S,
            }),
        );
        // Syncthing silently drops the devices of a folder that it does not know.
        let folder = self.get(&format!("/rest/config/folders/{folder_id}"));
        for other in with {
            let shared = folder["devices"]
                .as_array()
                .is_some_and(|ds| ds.iter().any(|d| d["deviceID"] == other.device_id));
            assert!(
                shared,
                "share {folder_id} on {}: {} is not among the folder's devices; \
                 introduce {} to {} first",
                self.name, other.name, other.name, self.name
            );
        }
    }

    /// The folder's state on this instance (`GET /rest/db/status?folder=ID`): `globalFiles`,
    /// `localFiles`, `needFiles`, `state`, ...
    pub fn folder_status(&self, folder_id: &str) -> Value {
        self.get(&format!("/rest/db/status?folder={folder_id}"))
    }

    /// Whether `other` is among this instance's devices.
    fn knows(&self, other: &Syncthing) -> bool {
        self.get("/rest/config/devices")
            .as_array()
            .is_some_and(|devices| devices.iter().any(|d| d["deviceID"] == other.device_id))
    }

    /// Where other devices reach this one.
    fn address(&self) -> String {
        format!("tcp://127.0.0.1:{}", self.sync_port)
    }

    fn log_path(&self) -> PathBuf {
        self.home.join("syncthing.log")
    }

    /// Starts `syncthing serve` with its output appended to the log, and waits for its REST
    /// API to answer with its device ID.
    fn spawn(&mut self) {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", self.log_path().display()));
        let log_for_stderr = log
            .try_clone()
            .expect("cannot duplicate the log file's handle");
        let child = Command::new(SYNCTHING)
            .arg("serve")
            .arg("--home")
            .arg(&self.home)
            .args([
                "--no-browser",
                "--no-restart",
                "--no-upgrade",
                "--logflags=3",
            ])
            .env("STNORESTART", "1")
            .env("STNOUPGRADE", "1")
            .env("STNODEFAULTFOLDER", "1")
            // Skips the start-up benchmark of SHA-256 implementations (about a second).
            .env("STHASHING", "standard")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_for_stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{SYNCTHING} serve` for {}: {e}", self.name));
        self.child = Some(child);

        let deadline = Instant::now() + API_UP_TIMEOUT;
        loop {
            let child = self.child.as_mut().expect("the child was just started");
            if let Ok(Some(status)) = child.try_wait() {
                self.child = None;
                panic!(
                    "Syncthing {} exited ({status}) before its REST API came up{}",
                    self.name,
                    log_tail(&self.name, &self.log_path())
                );
            }
            let up = self
                .try_get("/rest/system/status")
                .is_ok_and(|status| status["myID"] == self.device_id);
            if up {
                return;
            }
            if Instant::now() >= deadline {
                panic!(
                    "Syncthing {} did not answer on 127.0.0.1:{} within {} s{}",
                    self.name,
                    self.gui_port,
                    API_UP_TIMEOUT.as_secs(),
                    log_tail(&self.name, &self.log_path())
                );
            }
            thread::sleep(POLL);
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.gui_port)
    }

    /// A GET that may fail (the API is not up yet): the answer's JSON, or why not.
    fn try_get(&self, path: &str) -> Result<Value, String> {
        let mut response = self
            .agent
            .get(&self.url(path))
            .header("X-API-Key", &self.api_key)
            .call()
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("{status}: {body}"));
        }
        serde_json::from_str(&body).map_err(|e| format!("not JSON ({e}): {body}"))
    }

    fn get(&self, path: &str) -> Value {
        self.try_get(path)
            .unwrap_or_else(|e| panic!("GET {path} on Syncthing {}: {e}", self.name))
    }

    /// A POST or PATCH of `body` as JSON; panics unless Syncthing accepts it.
    fn send(&self, method: &str, path: &str, body: &Value) {
        let fail =
            |why: String| -> ! { panic!("{method} {path} on Syncthing {}: {why}", self.name) };
        let url = self.url(path);
        let request = match method {
            "POST" => self.agent.post(&url),
            "PATCH" => self.agent.patch(&url),
            _ => fail("not POST or PATCH".to_string()),
        };
        let mut response = request
            .header("X-API-Key", &self.api_key)
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .unwrap_or_else(|e| fail(e.to_string()));
        let status = response.status();
        if !status.is_success() {
            let answer = response.body_mut().read_to_string().unwrap_or_default();
            fail(format!("{status}: {answer}"));
        }
    }
}

impl Drop for Syncthing {
    fn drop(&mut self) {
        self.stop();
        let log = self.log_path();
        LOGS_OF_THIS_THREAD.with_borrow_mut(|logs| logs.retain(|(_, path)| *path != log));
    }
}

/// Calls `done` every 100 ms until it returns true; after `timeout`, panics with
/// "gave up after N s waiting for: {what}" and the last lines of the logs of the Syncthing
/// instances this thread started.
pub fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        if start.elapsed() >= timeout {
            let logs = LOGS_OF_THIS_THREAD.with_borrow(|logs| {
                logs.iter()
                    .map(|(name, path)| log_tail(name, path))
                    .collect::<String>()
            });
            panic!(
                "gave up after {} s waiting for: {what}{logs}",
                timeout.as_secs()
            );
        }
        thread::sleep(POLL);
    }
}

/// Runs a short Syncthing command; its standard output, or a panic saying what failed.
fn run_to_completion(command: &mut Command, what: &str) -> String {
    let output = command.stdin(Stdio::null()).output().unwrap_or_else(|e| {
        panic!("cannot run `{SYNCTHING}` to {what} (apt-get install syncthing): {e}")
    });
    assert!(
        output.status.success(),
        "`{SYNCTHING}` failed to {what} ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("cannot bind a TCP port on 127.0.0.1")
        .port()
}

/// Where the text of the first `<tag>` after `section` starts and ends in `config`.
fn element_range(config: &str, section: &str, tag: &str) -> (usize, usize) {
    let missing = || panic!("the generated config.xml has no <{tag}> in {section}...>");
    let section_at = config.find(section).unwrap_or_else(missing);
    let open = format!("<{tag}>");
    let start = section_at + config[section_at..].find(&open).unwrap_or_else(missing) + open.len();
    let end = start
        + config[start..]
            .find(&format!("</{tag}>"))
            .unwrap_or_else(missing);
    (start, end)
}

fn element_text<'a>(config: &'a str, section: &str, tag: &str) -> &'a str {
    let (start, end) = element_range(config, section, tag);
    &config[start..end]
}

fn set_element(config: &mut String, section: &str, tag: &str, value: &str) {
    let (start, end) = element_range(config, section, tag);
    config.replace_range(start..end, value);
}

/// Names the device itself `name` (generate names it after the host).
fn set_self_name(config: &mut String, device_id: &str, name: &str) {
    let prefix = format!("<device id=\"{device_id}\" name=\"");
    let start = config
        .find(&prefix)
        .unwrap_or_else(|| panic!("the generated config.xml has no device {device_id}"))
        + prefix.len();
    let end = start
        + config[start..]
            .find('"')
            .expect("the device's name attribute is not closed");
    config.replace_range(start..end, name);
}

/// The last lines of an instance's log, as a section of a panic message.
fn log_tail(name: &str, log: &Path) -> String {
    let text = match fs::read(log) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => return format!("\n--- {name}: cannot read {}: {e}", log.display()),
    };
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.contains("Running database migration"))
        .collect();
    let tail = &lines[lines.len().saturating_sub(LOG_TAIL_LINES)..];
    format!(
        "\n--- last {} lines of {name}'s log ({}):\n{}",
        tail.len(),
        log.display(),
        tail.join("\n")
    )
}
