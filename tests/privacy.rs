//! The privacy guarantee, checked end to end: a scripted day of sign-ins (anonymous and with
//! cards, through the library and the command line), then every table of the database, its
//! raw bytes and every export file are searched for what must never be there.

mod common;

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::America::New_York;
use lobby_kiosk::attendance::{self, cards};
use lobby_kiosk::store::{CardVisit, Store};
use rusqlite::types::Value;

fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    New_York
        .with_ymd_and_hms(2026, 11, d, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// The center's schedule in a database file, and a card key beside it.
fn setup(dir: &Path) -> (Store, [u8; 32]) {
    let meetings = common::example_in_house_meetings();
    let mut store = Store::open(&dir.join("kiosk.db")).unwrap();
    store
        .replace_source("in-house", &meetings, "2026-11-01T09:00:00Z")
        .unwrap();
    let key = cards::load_or_create_key(&cards::key_path(&dir.join("kiosk.db"))).unwrap();
    (store, key)
}

/// Looks like a time of day ("18:40", "6:40") or a timestamp ("2026-11-19T18:40").
fn has_time_of_day(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(2))
        .any(|i| b[i].is_ascii_digit() && b[i + 1] == b':' && b[i + 2].is_ascii_digit())
}

#[test]
fn a_day_of_sign_ins_leaves_counts_dates_and_tags_only_and_exports_hide_small_cells() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let (mut store, key) = setup(dir.path());
    let meeting = |id: &str| store.meeting(id).unwrap().unwrap();
    let alumni = meeting("in-house:alumni-thursday");
    let step = meeting("in-house:sunday-step-study");

    // Three people with cards and their codes, as printed.
    let codes: Vec<String> = (0..3).map(|_| cards::generate().unwrap()).collect();
    let visit = |code: &str| CardVisit {
        tag: cards::tag(&key, code),
    };
    // Thursdays in November: a few anonymous taps at different minutes, cards now and then.
    for (day, anonymous) in [(5, 14u32), (12, 3), (19, 12)] {
        for i in 0..anonymous {
            attendance::sign_in(
                &mut store,
                &alumni,
                at(day, 18, 5 + i),
                New_York,
                None,
                true,
            )
            .unwrap();
        }
        for code in &codes[..(day as usize % 3) + 1] {
            attendance::sign_in(
                &mut store,
                &alumni,
                at(day, 18, 50),
                New_York,
                Some(&visit(code)),
                true,
            )
            .unwrap();
            // The same card again: absorbed, nothing added.
            attendance::sign_in(
                &mut store,
                &alumni,
                at(day, 19, 10),
                New_York,
                Some(&visit(code)),
                true,
            )
            .unwrap();
        }
    }
    for day in [8, 15, 22] {
        attendance::sign_in(&mut store, &step, at(day, 10, 15), New_York, None, true).unwrap();
    }
    drop(store);
    // Staff enter a head count taken on paper, with the command line.
    let db_arg = db.to_str().unwrap();
    let out = common::kiosk(&[
        "sign-in",
        "--db",
        db_arg,
        "--meeting",
        "in-house:sunday-step-study",
        "--count",
        "4",
        "--at",
        "2026-11-22T10:20",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "no log line per sign-in");
    let out = common::kiosk(&[
        "sign-in",
        "--db",
        db_arg,
        "--meeting",
        "in-house:alumni-thursday",
        "--card",
        &codes[0],
        "--at",
        "2026-11-19T19:00",
    ]);
    assert!(!out.status.success(), "a card signs in once per occurrence");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("already signed in"), "{stderr}");
    assert!(
        !stderr.contains(codes[0].as_str()),
        "the code is not echoed"
    );

    // 1. Every table: sign-in data holds no time of day, and no card code anywhere.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let tables: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let sign_in_tables = ["attendance", "card", "card_occurrence", "card_month"];
    for name in sign_in_tables {
        let (_, sql) = tables
            .iter()
            .find(|(n, _)| n == name)
            .expect("table exists");
        assert!(
            sql.contains("WITHOUT ROWID"),
            "{name} has no row ids: nothing orders the taps"
        );
    }
    let forms = |code: &String| vec![code.clone(), code.to_lowercase(), cards::grouped(code)];
    for (name, _) in &tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
        let columns = stmt.column_count();
        let rows: Vec<Vec<Value>> = stmt
            .query_map([], |r| (0..columns).map(|i| r.get::<_, Value>(i)).collect())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for row in &rows {
            for value in row {
                let text = match value {
                    Value::Text(t) => t.clone(),
                    Value::Blob(b) => String::from_utf8_lossy(b).into_owned(),
                    _ => continue,
                };
                for code in &codes {
                    for form in forms(code) {
                        assert!(!text.contains(&form), "a card code in clear in {name}");
                    }
                }
                if sign_in_tables.contains(&name.as_str()) {
                    assert!(
                        !has_time_of_day(&text),
                        "{name} holds a time of day: {text}"
                    );
                }
            }
        }
        if name == "attendance" {
            // One row per meeting and date: a count, not a log of taps.
            assert_eq!(rows.len(), 6, "{rows:?}");
        }
    }
    let counts: Vec<(String, String, i64)> = conn
        .prepare("SELECT meeting_key, local_date, count FROM attendance ORDER BY 1, 2")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(counts.contains(&(
        "in-house:alumni-thursday".into(),
        "2026-11-05".into(),
        14 + 3
    )));
    assert!(counts.contains(&(
        "in-house:alumni-thursday".into(),
        "2026-11-12".into(),
        3 + 1
    )));
    assert!(counts.contains(&(
        "in-house:sunday-step-study".into(),
        "2026-11-22".into(),
        1 + 4
    )));
    // Card occurrences are kept only for today and yesterday.
    let old: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM card_occurrence WHERE local_date < '2026-11-18'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(old, 0, "earlier card sign-ins are forgotten");
    drop(conn);

    // 2. The raw bytes of the database and its WAL never hold a code.
    for file in ["kiosk.db", "kiosk.db-wal"] {
        let Ok(bytes) = std::fs::read(dir.path().join(file)) else {
            continue;
        };
        for code in &codes {
            for form in forms(code) {
                assert!(
                    !bytes.windows(form.len()).any(|w| w == form.as_bytes()),
                    "{file} holds a card code"
                );
            }
        }
    }

    // 3. Every export: no cell between 1 and k−1, exact totals only where nothing is hidden.
    let mut exports = Vec::new();
    for (grain, k) in [("week", "11"), ("month", "11"), ("week", "5")] {
        for format in ["csv", "json"] {
            let out_file = dir.path().join(format!("report-{grain}-{k}.{format}"));
            let out = common::kiosk(&[
                "report",
                "--db",
                db_arg,
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--grain",
                grain,
                "--min-cell",
                k,
                "--format",
                format,
                "--out",
                out_file.to_str().unwrap(),
            ]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            exports.push((out_file, k.parse::<u32>().unwrap(), format));
        }
    }
    let mut checked_cells = 0;
    for (file, k, format) in &exports {
        let text = std::fs::read_to_string(file).unwrap();
        for code in &codes {
            assert!(!text.contains(code.as_str()));
        }
        if *format != "csv" {
            continue;
        }
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        let (totals, rows) = rows.split_last().unwrap();
        assert_eq!(totals[0], "total");
        for col in 2..header.len() - 1 {
            let hidden = rows.iter().filter(|r| r[col].starts_with('<')).count();
            assert!(
                hidden != 1 || rows.len() == 1,
                "a lone hidden cell in column {col}"
            );
            if hidden > 0 {
                assert!(
                    totals[col].starts_with('≥'),
                    "column total over hidden cells"
                );
            }
        }
        for cells in rows {
            let line = cells.join(",");
            assert_eq!(cells.len(), header.len(), "{line}");
            let values = &cells[2..cells.len() - 1];
            let hidden = values.iter().filter(|v| v.starts_with('<')).count();
            for v in values {
                checked_cells += 1;
                if let Ok(n) = v.parse::<u32>() {
                    assert!(
                        n == 0 || n >= *k,
                        "{} shows {n} with k = {k}",
                        file.display()
                    );
                } else {
                    assert_eq!(*v, format!("<{k}"));
                }
            }
            assert!(
                hidden != 1 || values.len() == 1,
                "a lone hidden cell: {line}"
            );
            let total = cells[cells.len() - 1];
            if hidden > 0 {
                assert!(
                    total.starts_with('≥'),
                    "total over hidden cells must not be exact: {line}"
                );
            }
        }
    }
    assert!(checked_cells > 20);

    // 4. Two overlapping exports show the same cells for the weeks they share: widened to
    // whole weeks, neither holds part of a week the other could subtract.
    let weekly = |from: &str, to: &str| -> Vec<Vec<String>> {
        let out = common::kiosk(&[
            "report", "--db", db_arg, "--from", from, "--to", to, "--grain", "week",
        ]);
        assert!(out.status.success());
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l.split(',').map(String::from).collect())
            .collect()
    };
    let a = weekly("2026-11-10", "2026-11-20");
    let b = weekly("2026-11-16", "2026-11-30");
    let week = "week of 2026-11-16";
    let column = |t: &Vec<Vec<String>>| -> Vec<(String, String)> {
        let c = t[0]
            .iter()
            .position(|h| h == week)
            .expect("the shared week is a column");
        t[1..]
            .iter()
            .map(|row| (row[0].clone(), row[c].clone()))
            .collect()
    };
    assert_eq!(
        a[0][2], "week of 2026-11-09",
        "a range starting on a Tuesday widens to Monday"
    );
    assert_eq!(column(&a), column(&b));
}
