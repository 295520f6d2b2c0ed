//! The shared real feeds through the importer, the board, the detail screen and the CLI, read
//! as a visitor would: no meeting whose listing says it stopped is offered, "Closed" meetings
//! (members only) still are, every call-in code dials a number that exists, and what the
//! detail screen shows as QR codes is what `board --format json` says it offers.

mod common;

use std::path::Path;

use chrono::{TimeZone, Utc};
use chrono_tz::America::New_York;
use lobby_kiosk::config::Config;
use lobby_kiosk::import::{self, Format, Options, Report};
use lobby_kiosk::schedule::{board, BoardQuery, Filters, Meeting, ProviderList};
use serde_json::Value;

use common::{fixture, kiosk};

const FEEDS: &[(&str, &str, Format)] = include!("common/real_feeds.rs");

/// Moments of a week in the kiosk's zone (Philadelphia, as the default config): evening,
/// Saturday morning, early Sunday, a weekday noon, late Friday night.
const MOMENTS: &[(u32, u32, u32)] = &[(1, 19, 0), (5, 10, 0), (6, 7, 30), (2, 12, 15), (4, 23, 30)];

fn read_feed(source: &str, file: &str, format: Format) -> (Vec<Meeting>, Report) {
    let bytes = std::fs::read(fixture(file)).expect("shared feed");
    let options = Options {
        source: source.into(),
        program: "AA".into(),
        ..Options::default()
    };
    import::read_all(format, file, &bytes, &options).expect("real feed imports")
}

/// An independent reading of "this listing says it stopped", for names only: the words the
/// real feeds use ("(SUSPENDED) …", "Meeting Cancelled 3-17-2020").
fn name_says_stopped(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "suspended" | "cancelled" | "canceled"))
        || lower.contains("temporarily closed")
        || lower.contains("closed until")
}

fn raw_names(file: &str) -> Vec<String> {
    let v: Value = serde_json::from_slice(&std::fs::read(fixture(file)).unwrap()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn query(day: u32, h: u32, m: u32) -> BoardQuery {
    let config = Config::default();
    BoardQuery {
        now: New_York
            .with_ymd_and_hms(2026, 12, day, h, m, 0)
            .unwrap()
            .with_timezone(&Utc),
        timezone: New_York,
        location: config.location(),
        radius_m: config.radius_m(),
        filters: Filters::default(),
        providers: ProviderList::default(),
    }
}

#[test]
fn no_meeting_whose_listing_says_it_stopped_is_on_the_board_at_any_moment() {
    let mut all = Vec::new();
    for (source, file, format) in FEEDS {
        all.extend(read_feed(source, file, *format).0);
    }
    let mut shown = 0;
    for &(day, h, m) in MOMENTS {
        let b = board(&all, &query(day, h, m));
        shown += b.entries.len();
        for e in &b.entries {
            assert!(
                !name_says_stopped(&e.meeting.name),
                "on the board on Dec {day} {h}:{m:02}: {}",
                e.meeting.name
            );
        }
    }
    assert!(shown > 100, "the real feeds still fill the board: {shown}");
}

#[test]
fn closed_meetings_for_members_stay_on_the_board() {
    let (sepia, _) = read_feed("sepia", FEEDS[0].1, Format::MeetingGuide);
    let closed_on_board = MOMENTS
        .iter()
        .flat_map(|&(day, h, m)| {
            board(&sepia, &query(day, h, m))
                .entries
                .into_iter()
                .filter(|e| e.meeting.has_type("C"))
                .map(|e| e.meeting.id.clone())
                .collect::<Vec<_>>()
        })
        .count();
    assert!(
        closed_on_board > 10,
        "closed (C) meetings shown: {closed_on_board}"
    );
    // San Jose's sheet writes the type as a word ("Closed, Women"): still a meeting.
    let (sanjose, _) = read_feed("sanjose", FEEDS[4].1, Format::TsmlCsv);
    let monday_evening = BoardQuery {
        now: chrono_tz::America::Los_Angeles
            .with_ymd_and_hms(2026, 11, 30, 17, 0, 0)
            .unwrap()
            .with_timezone(&Utc),
        timezone: chrono_tz::America::Los_Angeles,
        location: Some((37.3382, -121.8863)),
        ..query(1, 0, 0)
    };
    let b = board(&sanjose, &monday_evening);
    assert!(
        b.entries.iter().any(|e| e.meeting.has_type("C")),
        "{:?}",
        b.entries
            .iter()
            .map(|e| &e.meeting.name)
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_report_counts_the_hidden_meetings_the_feed_has() {
    for (source, file, format) in &FEEDS[..4] {
        let (_, report) = read_feed(source, file, *format);
        let stopped = raw_names(file)
            .iter()
            .filter(|n| name_says_stopped(n))
            .count();
        assert_eq!(report.rows_not_meeting, stopped, "{file}");
        assert!(report.accounts_for_every_row(), "{file}");
    }
    let (_, report) = read_feed("sepia", FEEDS[0].1, Format::MeetingGuide);
    let suspended = raw_names(FEEDS[0].1)
        .iter()
        .filter(|n| n.to_lowercase().contains("suspended"))
        .count();
    let lines = report.grouped_notes();
    let expected = format!("{suspended} meetings say they are suspended: not shown");
    assert!(
        lines.iter().any(|l| l.starts_with(&expected)),
        "{expected} not in {lines:#?}"
    );
}

/// Every `tel:` code the shared feeds give: `+` and a country code, a US number of the right
/// length, then only pauses, digits and tones.
#[test]
fn every_call_in_code_from_the_real_feeds_dials_a_whole_number() {
    let rules = Config::default().code_rules();
    let mut codes = 0;
    for (source, file, format) in FEEDS {
        for m in read_feed(source, file, *format).0 {
            for uri in lobby_kiosk::schedule::codes::offered(&m, &rules)
                .uris()
                .into_iter()
                .filter(|u| u.starts_with("tel:"))
            {
                codes += 1;
                let dial = uri.strip_prefix("tel:+1").expect("a +1 number");
                let number: String = dial.chars().take_while(char::is_ascii_digit).collect();
                assert_eq!(number.len(), 10, "{uri} ({})", m.conference_phone);
                assert!(
                    dial[10..].starts_with(',') || dial.len() == 10,
                    "a pause follows the number: {uri}"
                );
                assert!(
                    dial.chars()
                        .all(|c| c.is_ascii_digit() || matches!(c, ',' | '#' | '*')),
                    "{uri}"
                );
            }
        }
    }
    assert!(codes > 200, "the feeds have many call-in codes: {codes}");
}

fn import_cli(db: &Path, file: &Path, source: &str) -> std::process::Output {
    kiosk(&[
        "--db",
        db.to_str().unwrap(),
        "import",
        file.to_str().unwrap(),
        "--source",
        source,
        "--program",
        "AA",
    ])
}

fn board_json(db: &Path, at: &str) -> Value {
    let out = kiosk(&[
        "--db",
        db.to_str().unwrap(),
        "board",
        "--format",
        "json",
        "--at",
        at,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("board JSON")
}

fn decode_qr_codes(png: &Path) -> Vec<String> {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let channels = info.line_size / w;
    let grey: Vec<u8> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| p[0])
        .collect();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| grey[y * w + x]);
    let mut grids = img.detect_grids();
    // Screen order: left to right, then top to bottom.
    grids.sort_by_key(|g| (g.bounds[0].y / 200, g.bounds[0].x));
    grids
        .iter()
        .map(|g| g.decode().expect("a QR code on screen decodes").1)
        .collect()
}

#[test]
fn the_detail_screen_shows_exactly_the_codes_the_board_json_lists() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let out = import_cli(&db, &fixture(FEEDS[0].1), "sepia");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Tuesday evening: the board has online meetings with call-in numbers.
    let b = board_json(&db, "2026-12-01T19:00");
    let meetings = b["meetings"].as_array().unwrap();
    let codes_of = |e: &Value| -> Vec<String> {
        e["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let with_call = meetings
        .iter()
        .find(|e| {
            codes_of(e)
                .iter()
                .any(|c| c.starts_with("tel:") && c.contains(",,"))
        })
        .expect("a meeting with a one-tap call-in code");
    let in_person = meetings
        .iter()
        .find(|e| e["group"] == "nearby" && !codes_of(e).is_empty())
        .expect("a nearby meeting with a directions code");
    for entry in [with_call, in_person] {
        let id = entry["id"].as_str().unwrap();
        let png = dir.path().join("detail.png");
        let shot = kiosk(&[
            "--db",
            db.to_str().unwrap(),
            "screenshot",
            "--out",
            png.to_str().unwrap(),
            "--at",
            "2026-12-01T19:00",
            "--screen",
            &format!("detail:{id}"),
        ]);
        assert!(
            shot.status.success(),
            "{}",
            String::from_utf8_lossy(&shot.stderr)
        );
        assert_eq!(decode_qr_codes(&png), codes_of(entry), "meeting {id}");
    }
}

#[test]
fn a_csv_whose_time_header_is_damaged_is_refused_naming_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let good = fixture(FEEDS[4].1);
    assert!(import_cli(&db, &good, "sanjose").status.success());
    let before = board_json(&db, "2026-11-30T18:00")["meetings"].clone();

    // The plugin's own sample once shipped with `:q` where "Time" belongs.
    let text = std::fs::read_to_string(&good).unwrap();
    let damaged = dir.path().join("sanjose.csv");
    std::fs::write(&damaged, text.replacen("\"Time\"", "\":q\"", 1)).unwrap();
    let out = import_cli(&db, &damaged, "sanjose");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Time") && err.contains("\":q\""), "{err}");
    assert_eq!(board_json(&db, "2026-11-30T18:00")["meetings"], before);
}

#[test]
fn a_json_feed_with_no_usable_day_and_time_is_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.json");
    std::fs::write(
        &feed,
        r#"[{"name":"Early Birds","slug":"eb","day":1,"tiem":"07:00"},
            {"name":"Noon","slug":"noon","day":2,"tiem":"12:00"}]"#,
    )
    .unwrap();
    let out = import_cli(&dir.path().join("kiosk.db"), &feed, "feed");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("\"time\"") && err.contains("\"tiem\""),
        "{err}"
    );
}

#[test]
fn repeated_quirks_are_one_line_and_verbose_lists_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.json");
    let rows: Vec<String> = (0..40)
        .map(|i| {
            format!(
                r#"{{"name":"Group {i}","slug":"g{i}","day":1,"time":"19:00","types":["[open]","C,M","Literature Study","XQ"],"updated":"8/25/2022 11:17:07 AM","address":"1 Main St, Philadelphia, PA"}}"#
            )
        })
        .collect();
    std::fs::write(&feed, format!("[{}]", rows.join(","))).unwrap();
    let db = dir.path().join("kiosk.db");
    let out = import_cli(&db, &feed, "feed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(
            "40 rows: updated as M/D/YYYY h:mm:ss AM — read as such (row 1, row 2, row 3 …)"
        ),
        "{text}"
    );
    assert!(
        text.contains("40 rows: type code \"XQ\" is not one the kiosk knows — not shown"),
        "{text}"
    );
    assert!(!text.contains("row 17"), "grouped, not listed: {text}");
    let verbose = kiosk(&[
        "--db",
        db.to_str().unwrap(),
        "import",
        feed.to_str().unwrap(),
        "--source",
        "feed",
        "--verbose",
    ]);
    assert!(String::from_utf8_lossy(&verbose.stdout).contains("row 17 (slug \"g16\")"));

    let (meetings, _) = import::read_all(
        Format::MeetingGuide,
        "feed.json",
        &std::fs::read(&feed).unwrap(),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(meetings[0].types, ["O", "C", "M", "Literature Study"]);
    assert_eq!(meetings[0].updated, "2022-08-25 11:17:07");
}

#[test]
fn config_words_hide_more_but_never_fewer() {
    let text = r#"[{"name":"Noon Group - closed for renovation","slug":"a","day":1,"time":"12:00","address":"1 Main St"},
                   {"name":"(SUSPENDED) Paoli","slug":"b","day":1,"time":"12:00","address":"1 Main St"},
                   {"name":"Closed Men's Meeting","slug":"c","day":1,"time":"12:00","address":"1 Main St"}]"#;
    let mut config = Config::default();
    config.import.not_meeting_words = vec!["closed for renovation".into()];
    let options = Options {
        source: "f".into(),
        rules: config.import_rules(),
        ..Options::default()
    };
    let (meetings, report) =
        import::read_all(Format::MeetingGuide, "f.json", text.as_bytes(), &options).unwrap();
    let names: Vec<&str> = meetings.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Closed Men's Meeting"]);
    assert_eq!(report.rows_not_meeting, 2);
}
