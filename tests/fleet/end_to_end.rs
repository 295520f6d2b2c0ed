//! One office and three kiosks, each with its own real Syncthing on 127.0.0.1, and each kiosk
//! running the kiosk's own updater and fleet threads (`sync::service::spawn`, as `lobby-kiosk
//! run` starts them) on its own database. The office uses the command line, as staff would.
//!
//! Checked end to end: a signed bundle reaches all three kiosks and is applied once; a kiosk
//! whose Syncthing was stopped catches up to the newest bundle when it starts again; the merged
//! report equals the sum of what the kiosks recorded, suppressed after merging; `fleet status`
//! flags the kiosk whose schedule is old.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use chrono::{Datelike, Duration as Days, NaiveDate, Utc};

use lobby_kiosk::config::Config;
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::Notice;

use crate::syncthing::{wait_until, Kind, Syncthing};

/// Longest any one step may take before the test gives up, saying which.
const STEP: Duration = Duration::from_secs(120);

/// The center's schedule: one weekly group, every Thursday (no holidays skipped, so any
/// Thursday the test picks is a meeting).
const IN_HOUSE: &str = r#"[defaults]
timezone = "America/New_York"
location = "Riverside Recovery Center"
address = "1500 Spring Garden St, Philadelphia, PA 19130"

[[meeting]]
slug = "alumni-thursday"
name = "Thursday Alumni Group"
days = ["Thursday"]
start = "18:30"
end = "20:00"
"#;

fn kiosk_cli(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lobby-kiosk"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One lobby: its folders, its config, its database, its Syncthing, and the kiosk's threads.
struct Lobby {
    name: &'static str,
    dir: PathBuf,
    config: PathBuf,
    syncthing: Syncthing,
    /// The kiosk's notices; kept so its updater keeps running.
    notices: Option<Receiver<Notice>>,
}

impl Lobby {
    fn new(root: &Path, name: &'static str, public_key: &Path) -> Lobby {
        let dir = root.join(name);
        for folder in ["schedule", "reports"] {
            fs::create_dir_all(dir.join(folder)).unwrap();
        }
        let config = dir.join("config.toml");
        fs::write(
            &config,
            format!(
                r#"[center]
name = "{name}"
timezone = "America/New_York"

[database]
path = "{db}"

[bundles]
public_keys = ["{key}"]

[usb]
enabled = false

[sync]
folder = "{schedule}"

[fleet]
name = "{name}"
reports_folder = "{reports}"
"#,
                db = dir.join("kiosk.db").display(),
                key = public_key.display(),
                schedule = dir.join("schedule").display(),
                reports = dir.join("reports").display(),
            ),
        )
        .unwrap();
        Lobby {
            name,
            syncthing: Syncthing::start(name, root),
            dir,
            config,
            notices: None,
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.join("kiosk.db")
    }

    fn cli(&self, args: &[&str]) -> String {
        let mut all = vec!["--config", self.config.to_str().unwrap()];
        all.extend_from_slice(args);
        ok(
            kiosk_cli(&all),
            &format!("{}: lobby-kiosk {}", self.name, args.join(" ")),
        )
    }

    /// Starts the kiosk's background threads, exactly as `lobby-kiosk run` does.
    fn start_kiosk(&mut self) {
        let config = Config::load(&self.config).expect("the kiosk's config");
        self.notices = Some(lobby_kiosk::sync::service::spawn(config, self.db()));
    }

    /// What the kiosk told staff so far.
    fn notices(&self) -> Vec<String> {
        self.notices
            .as_ref()
            .map(|rx| rx.try_iter().map(|n| n.to_string()).collect())
            .unwrap_or_default()
    }

    fn bundle_version(&self) -> Option<u64> {
        Store::open(&self.db()).ok()?.bundle_version().ok()?
    }
}

/// The Thursday of the week `weeks_ago` weeks before this one, at 18:45, during the group.
fn thursday(weeks_ago: i64) -> (NaiveDate, String) {
    let today = Utc::now()
        .with_timezone(&chrono_tz::America::New_York)
        .date_naive();
    let monday = today - Days::days(i64::from(today.weekday().num_days_from_monday()));
    let day = monday - Days::weeks(weeks_ago) + Days::days(3);
    (day, format!("{day}T18:45"))
}

#[test]
fn an_office_and_three_kiosks_over_syncthing() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    let keys = root.join("keys");
    ok(
        kiosk_cli(&["keygen", "--out", keys.to_str().unwrap()]),
        "keygen",
    );
    let key = keys.join("kiosk-bundle.key");
    let in_house = root.join("in-house.toml");
    fs::write(&in_house, IN_HOUSE).unwrap();
    let in_house = in_house.to_str().unwrap();
    let public = keys.join("kiosk-bundle.pub");
    let office_dir = root.join("office");
    let office_schedule = office_dir.join("schedule");
    let office_reports = office_dir.join("reports");
    fs::create_dir_all(&office_schedule).unwrap();
    fs::create_dir_all(&office_reports).unwrap();
    let office = Syncthing::start("office", root);
    let mut lobbies: Vec<Lobby> = ["north", "south", "east"]
        .into_iter()
        .map(|name| Lobby::new(root, name, &public))
        .collect();

    // Before joining the fleet, each lobby had its schedule from a stick and signed people in
    // at the alumni group two weeks ago and last week (counts as taken on paper).
    let (week1, at1) = thursday(2);
    let (week2, at2) = thursday(1);
    let counts = [("north", 12, 15), ("south", 14, 3), ("east", 20, 25)];
    for (lobby, (_, first, second)) in lobbies.iter().zip(counts) {
        lobby.cli(&["import", in_house, "--source", "in-house", "--in-house"]);
        for (at, n) in [(&at1, first), (&at2, second)] {
            let n = n.to_string();
            lobby.cli(&[
                "sign-in",
                "--meeting",
                "in-house:alumni-thursday",
                "--at",
                at,
                "--count",
                &n,
            ]);
        }
    }
    // East also shows a nearby source nobody has refreshed for nine days.
    let feed = root.join("nearby.json");
    fs::write(
        &feed,
        r#"[{"name":"Old Nearby Group","slug":"old-nearby","day":2,"time":"19:00","address":"1 Main St","city":"Philadelphia","state":"PA","latitude":39.95,"longitude":-75.16}]"#,
    )
    .unwrap();
    lobbies[2].cli(&["import", feed.to_str().unwrap(), "--source", "nearby"]);
    let nine_days_ago = (Utc::now() - Days::days(9)).to_rfc3339();
    rusqlite_set_imported_at(&lobbies[2].db(), "nearby", &nine_days_ago);

    // The office knows every kiosk; each kiosk knows only the office.
    for lobby in &lobbies {
        office.introduce(&lobby.syncthing);
        lobby.syncthing.introduce(&office);
    }
    let kiosk_devices: Vec<&Syncthing> = lobbies.iter().map(|l| &l.syncthing).collect();
    office.share("schedule", &office_schedule, Kind::SendOnly, &kiosk_devices);
    office.share(
        "reports",
        &office_reports,
        Kind::ReceiveOnly,
        &kiosk_devices,
    );
    for lobby in &lobbies {
        lobby.syncthing.share(
            "schedule",
            &lobby.dir.join("schedule"),
            Kind::ReceiveOnly,
            &[&office],
        );
        lobby.syncthing.share(
            "reports",
            &lobby.dir.join("reports"),
            Kind::SendOnly,
            &[&office],
        );
    }
    for lobby in &mut lobbies {
        lobby.start_kiosk();
    }

    // 1. Schedule out: the office signs version 1 straight into its schedule folder.
    let try_publish = |version: u32| {
        kiosk_cli(&[
            "bundle",
            "--key",
            key.to_str().unwrap(),
            "--version",
            &version.to_string(),
            "--source",
            "in-house",
            "--out",
            office_schedule.to_str().unwrap(),
            "--replace",
            in_house,
        ])
    };
    let publish = |version: u32| ok(try_publish(version), &format!("bundle version {version}"));
    let sent = Instant::now();
    publish(1);
    let mut reached = Vec::new();
    for lobby in &lobbies {
        wait_until(
            &format!("{} to apply bundle version 1", lobby.name),
            STEP,
            || lobby.bundle_version() == Some(1),
        );
        reached.push(format!(
            "{} {:.1} s",
            lobby.name,
            sent.elapsed().as_secs_f64()
        ));
    }
    eprintln!("bundle version 1 applied at: {}", reached.join(", "));

    // 2. A kiosk whose Syncthing is stopped misses versions 2 and 3, then catches up to 3.
    lobbies[2].syncthing.stop();
    publish(2);
    for lobby in &lobbies[..2] {
        wait_until(
            &format!("{} to apply bundle version 2", lobby.name),
            STEP,
            || lobby.bundle_version() == Some(2),
        );
    }
    publish(3);
    for lobby in &lobbies[..2] {
        wait_until(
            &format!("{} to apply bundle version 3", lobby.name),
            STEP,
            || lobby.bundle_version() == Some(3),
        );
    }
    assert_eq!(lobbies[2].bundle_version(), Some(1), "east heard nothing");
    let restarted = Instant::now();
    lobbies[2].syncthing.start_again();
    wait_until("east to catch up to bundle version 3", STEP, || {
        lobbies[2].bundle_version() == Some(3)
    });
    eprintln!(
        "east caught up {:.1} s after its Syncthing started again",
        restarted.elapsed().as_secs_f64()
    );

    // 3. Counts back: every kiosk's weeks reach the office, exactly as recorded.
    let week_file = |name: &str, day: NaiveDate| {
        let week = day.iso_week();
        office_reports.join(name).join(format!(
            "attendance-{}-W{:02}.json",
            week.year(),
            week.week()
        ))
    };
    for (name, first, second) in counts {
        for (day, n) in [(week1, first), (week2, second)] {
            let path = week_file(name, day);
            wait_until(&format!("{} at the office", path.display()), STEP, || {
                path.is_file()
            });
            let text = fs::read_to_string(&path).unwrap();
            let week: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(week["kiosk"], name);
            let occurrences = week["occurrences"].as_array().unwrap();
            assert_eq!(occurrences.len(), 1, "{text}");
            assert_eq!(occurrences[0]["meeting"], "in-house:alumni-thursday");
            assert_eq!(occurrences[0]["date"], day.to_string());
            assert_eq!(occurrences[0]["count"], n, "{text}");
            for private in ["tag", "card", "time", "18:45", "T18"] {
                assert!(!text.contains(private), "{private} in {text}");
            }
        }
    }
    // The same meeting at three sites is three rows. South's 3 is hidden; its row and the
    // columns each take a partner, so no hidden cell can be worked out from the totals.
    let csv = ok(
        kiosk_cli(&[
            "report",
            "--merge",
            office_reports.to_str().unwrap(),
            "--grain",
            "week",
        ]),
        "report --merge",
    );
    let w = |d: NaiveDate| {
        let monday = d - Days::days(i64::from(d.weekday().num_days_from_monday()));
        format!("week of {monday}")
    };
    assert_eq!(
        csv,
        format!(
            "site,meeting,name,{},{},total\n\
             east,in-house:alumni-thursday,Thursday Alumni Group,20,25,45\n\
             north,in-house:alumni-thursday,Thursday Alumni Group,<11,<11,≥0\n\
             south,in-house:alumni-thursday,Thursday Alumni Group,<11,<11,≥0\n\
             total,,,≥20,≥25,≥45\n",
            w(week1),
            w(week2)
        )
    );

    // 4. Health back: every kiosk's status arrives; east's old nearby source is flagged.
    for lobby in &lobbies {
        let path = office_reports.join(lobby.name).join("status.json");
        wait_until(
            &format!(
                "{}'s status with bundle version 3 at the office",
                lobby.name
            ),
            STEP,
            || {
                fs::read_to_string(&path)
                    .ok()
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                    .is_some_and(|s| s["bundle_version"] == 3)
            },
        );
    }
    // Each bundle was applied once, and only the ones a kiosk saw: east missed version 2.
    for (lobby, applied) in lobbies.iter().zip([3, 3, 2]) {
        let notices = lobby.notices();
        let updated = notices
            .iter()
            .filter(|n| n.starts_with("Schedule updated"))
            .count();
        assert_eq!(updated, applied, "{}: {notices:?}", lobby.name);
        assert!(
            notices.iter().all(|n| n.starts_with("Schedule updated")),
            "{}: {notices:?}",
            lobby.name
        );
    }
    // The office cannot publish an old version by mistake: the folder says which it holds.
    let again = try_publish(3);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("give --version 4 or higher"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    let status = kiosk_cli(&["fleet", "status", office_reports.to_str().unwrap()]);
    let lines = String::from_utf8_lossy(&status.stdout).into_owned();
    assert_eq!(status.status.code(), Some(1), "{lines}");
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        lines[0], "east: schedule \"nearby\" 9 days old",
        "{lines:?}"
    );
    for (line, name) in lines[1..].iter().zip(["north", "south"]) {
        assert!(
            line.starts_with(&format!("{name}: ok (schedule version 3, updated ")),
            "{line}"
        );
    }
    assert!(
        String::from_utf8_lossy(&status.stderr).contains("1 of 3 kiosks need a look"),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// Makes a source look last imported at `when` (RFC 3339), as if nobody had refreshed it since.
fn rusqlite_set_imported_at(db: &Path, source: &str, when: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let changed = conn
        .execute(
            "UPDATE source SET imported_at = ?1 WHERE name = ?2",
            [when, source],
        )
        .unwrap();
    assert_eq!(changed, 1, "source {source} is stored");
}
