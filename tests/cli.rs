//! The command line as staff and scripts use it: `board` and `screenshot` on the built-in
//! sample schedule and on a real database file.

use std::path::Path;
use std::process::Command;

use chrono::{NaiveTime, Weekday};
use lobby_kiosk::schedule::{Meeting, Recurrence};
use lobby_kiosk::store::Store;

fn kiosk(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lobby-kiosk"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = kiosk(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("board --format json prints JSON")
}

fn write_config(dir: &Path, db: &Path) -> std::path::PathBuf {
    let path = dir.join("kiosk.toml");
    std::fs::write(
        &path,
        format!(
            "[center]\nname = \"Riverside Recovery Center\"\ntimezone = \"America/New_York\"\nlatitude = 39.9526\nlongitude = -75.1652\n[board]\nradius = 25\ndistance_unit = \"mi\"\n[database]\npath = \"{}\"\n",
            db.display()
        ),
    )
    .unwrap();
    path
}

fn late_night_db(path: &Path) {
    let mut store = Store::open(path).unwrap();
    let mut m = Meeting::new(
        "aa-intergroup",
        "late-night",
        "Late Night",
        Recurrence::Weekly(vec![Weekday::Thu]),
        NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
    );
    m.end = NaiveTime::from_hms_opt(0, 30, 0);
    m.address = "330 W Main St".into();
    m.latitude = Some(39.96);
    m.longitude = Some(-75.17);
    store
        .replace_source("aa-intergroup", &[m], "2026-11-20 09:00:00")
        .unwrap();
}

#[test]
fn demo_board_json_has_in_progress_next_and_later() {
    let v = json(&["board", "--at", "2026-11-21T14:10", "--format", "json"]);
    assert_eq!(v["now"], "2026-11-21T14:10:00-05:00");
    let meetings = v["meetings"].as_array().unwrap();
    for state in ["in_progress", "next", "later"] {
        assert!(
            meetings.iter().any(|m| m["state"] == state),
            "no {state} meeting"
        );
    }
    let online = meetings
        .iter()
        .find(|m| m["group"] == "online" && m["id"] == "online:online-big-book")
        .unwrap();
    assert!(
        online["distance_m"].is_null(),
        "online-only meetings have no distance"
    );
}

#[test]
fn board_reads_a_database_and_shows_the_overnight_meeting_after_midnight() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    late_night_db(&db);
    let config = write_config(dir.path(), &db);
    let config = config.to_str().unwrap();
    // Global options after the subcommand, as well as before.
    let v = json(&[
        "board",
        "--config",
        config,
        "--at",
        "2026-11-20T00:15",
        "--format",
        "json",
    ]);
    let m = &v["meetings"][0];
    assert_eq!(m["id"], "aa-intergroup:late-night");
    assert_eq!(m["group"], "nearby");
    assert_eq!(m["state"], "in_progress");
    assert_eq!(m["start"], "2026-11-19T22:00:00-05:00");
    assert_eq!(m["end"], "2026-11-20T00:30:00-05:00");
    assert!(m["distance_m"].as_f64().unwrap() > 500.0);
    let v = json(&[
        "--db",
        db.to_str().unwrap(),
        "board",
        "--at",
        "2026-11-20T00:30:00",
        "--format",
        "json",
    ]);
    assert_eq!(v["meetings"].as_array().unwrap().len(), 0, "over at 00:30");
}

#[test]
fn at_accepts_an_offset_to_name_the_second_hour_of_a_fall_back_night() {
    let v = json(&[
        "board",
        "--at",
        "2026-11-01T01:30:00-05:00",
        "--format",
        "json",
    ]);
    assert_eq!(v["now"], "2026-11-01T01:30:00-05:00");
    let v = json(&["board", "--at", "2026-11-01T01:30", "--format", "json"]);
    assert_eq!(
        v["now"], "2026-11-01T01:30:00-04:00",
        "a local time names the first 01:30"
    );
}

#[test]
fn a_config_that_cannot_be_read_is_an_error_naming_it() {
    let out = kiosk(&["board", "--config", "/nonexistent/kiosk.toml"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/kiosk.toml"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[center]\ntimezone = \"Mars/Olympus\"\n").unwrap();
    let out = kiosk(&["board", "--config", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("[center] timezone"));
}

fn png_size_and_colours(path: &Path) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let mut colours: Vec<&[u8]> = buf[..info.buffer_size()].chunks(3).collect();
    colours.sort();
    colours.dedup();
    (info.width, info.height, colours.len())
}

#[test]
fn screenshot_writes_a_png_of_the_requested_size_that_is_not_blank() {
    let dir = tempfile::tempdir().unwrap();
    for (size, w, h) in [
        ("1280x800", 1280, 800),
        ("800x480", 800, 480),
        ("1080x1920", 1080, 1920),
    ] {
        let out = dir.path().join(format!("board-{size}.png"));
        let status = kiosk(&[
            "screenshot",
            "--out",
            out.to_str().unwrap(),
            "--at",
            "2026-11-21T19:10",
            "--size",
            size,
        ]);
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let (pw, ph, colours) = png_size_and_colours(&out);
        assert_eq!((pw, ph), (w, h));
        assert!(
            colours > 50,
            "a board with text has many colours, got {colours}"
        );
    }
    let out = dir.path().join("detail.png");
    let status = kiosk(&[
        "screenshot",
        "--out",
        out.to_str().unwrap(),
        "--at",
        "2026-11-21T19:10",
        "--screen",
        "detail:online:online-big-book",
    ]);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let out = kiosk(&[
        "screenshot",
        "--out",
        "/tmp/x.png",
        "--screen",
        "detail:nope:missing",
    ]);
    assert!(!out.status.success());
}

#[test]
fn screenshot_can_show_large_text_and_high_contrast_as_staff_switch_them() {
    let dir = tempfile::tempdir().unwrap();
    let shot = |name: &str, flags: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec![
            "screenshot",
            "--out",
            out.to_str().unwrap(),
            "--at",
            "2026-11-21T19:10",
            "--size",
            "800x480",
        ];
        args.extend_from_slice(flags);
        let status = kiosk(&args);
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        std::fs::read(out).unwrap()
    };
    let plain = shot("plain.png", &[]);
    assert_ne!(plain, shot("large.png", &["--large-text"]));
    assert_ne!(plain, shot("contrast.png", &["--high-contrast"]));
}

#[test]
fn spanish_board_text_lines_up_its_columns_by_characters() {
    let out = kiosk(&["board", "--at", "2026-11-21T19:10", "--lang", "es"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("p. m."), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("  [")).collect();
    assert!(rows.len() > 3, "{text}");
    for row in rows {
        let chars: Vec<char> = row.chars().collect();
        // "  " + state padded to 11 + " " + time padded to 22 + " ": the name starts at 37,
        // however many bytes "–" and accented letters take.
        assert_eq!(chars[36], ' ', "{row:?}");
        assert_ne!(chars[37], ' ', "{row:?}");
        assert_eq!(chars[13], ' ', "{row:?}");
        assert_ne!(chars[14], ' ', "{row:?}");
    }
}

#[test]
fn board_piped_into_a_reader_that_stops_early_exits_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_lobby-kiosk"))
        .args(["board", "--at", "2026-11-21T19:10"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Like `| head -0`: the reader is gone before the board is written (the binary takes
    // longer to start than this takes), so every write meets a closed pipe.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr, "", "nothing to say about a closed pipe");
    assert!(status.success(), "{status:?}");
}

/// `staff cancel` is the staff screen's "Cancel this date": the board keeps the meeting in its
/// place with `"cancelled": true`, the next week is untouched, `staff restore` undoes it, and
/// a date the meeting does not meet on (or a nearby group's meeting) is refused, naming why.
#[test]
fn staff_cancel_marks_one_date_on_the_board_and_restore_takes_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let mut store = Store::open(&db).unwrap();
    let mut alumni = Meeting::new(
        "in-house",
        "alumni",
        "Thursday Alumni Group",
        Recurrence::Weekly(vec![Weekday::Thu]),
        NaiveTime::from_hms_opt(18, 30, 0).unwrap(),
    );
    alumni.in_house = true;
    store
        .replace_source("in-house", &[alumni], "2026-11-20 09:00:00")
        .unwrap();
    drop(store);
    late_night_db(&db);
    let config = write_config(dir.path(), &db);
    let config = config.to_str().unwrap();
    let db = db.to_str().unwrap();
    let board = |at: &str| {
        let b = json(&["--config", config, "board", "--format", "json", "--at", at]);
        b["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == "in-house:alumni")
            .cloned()
            .expect("the alumni group is on the board")
    };
    assert_eq!(board("2026-12-03T18:00")["cancelled"], false);
    // `staff cancel|restore` with these arguments; the output, which must be a success.
    let staff = |verb: &str, args: &[&str]| {
        let mut all = vec!["--config", config, "--db", db, "staff", verb];
        all.extend(args);
        kiosk(&all)
    };
    let tonight_alumni = ["--meeting", "in-house:alumni", "--date", "2026-12-03"];

    let out = staff("cancel", &tonight_alumni);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Thursday 2026-12-03 is cancelled"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let tonight = board("2026-12-03T18:00");
    assert_eq!(tonight["cancelled"], true, "{tonight}");
    assert_eq!(tonight["state"], "next", "kept in its place");
    assert_eq!(
        board("2026-12-10T18:00")["cancelled"],
        false,
        "next week is on"
    );

    for (args, why) in [
        (
            vec!["--meeting", "in-house:alumni", "--date", "2026-12-02"],
            "does not meet on Wednesday 2026-12-02",
        ),
        (
            vec![
                "--meeting",
                "aa-intergroup:late-night",
                "--date",
                "2026-12-03",
            ],
            "not one of the center's own meetings",
        ),
        (
            vec!["--meeting", "in-house:alumni", "--date", "12/03/2026"],
            "expected YYYY-MM-DD",
        ),
    ] {
        let out = staff("cancel", &args);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(why), "{why:?} in {stderr}");
    }

    let out = staff("restore", &tonight_alumni);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(board("2026-12-03T18:00")["cancelled"], false);

    // The day after, the center's group is listed at its next date: "coming", next Thursday.
    let friday = board("2026-12-04T10:00");
    assert_eq!(friday["state"], "coming", "{friday}");
    assert_eq!(friday["start"], "2026-12-10T18:30:00-05:00");
    assert_eq!(friday["cancelled"], false);
}
