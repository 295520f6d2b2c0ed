//! The center's own meetings as a spreadsheet, as Excel and LibreOffice really save it
//! (`tests/data/in-house-csv/`, written byte for byte by its `make.py`): each file imports to
//! the meetings it lists, the TOML example survives the sheet unchanged, a bad row is named
//! and skipped, a sheet with no usable row changes nothing in a real store, and the command
//! line's export → import round trip on a database file is lossless.

mod common;

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime, Weekday};
use lobby_kiosk::import::{in_house_csv, read_all, Format, Options, Report};
use lobby_kiosk::schedule::{Meeting, NthWeekday, Recurrence};
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::apply;

use common::kiosk;

const IN_HOUSE_TOML: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/examples/in-house.toml");

fn sheet(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/in-house-csv")
        .join(name)
}

fn options() -> Options {
    Options {
        source: "in-house".into(),
        ..Options::default()
    }
}

/// Imports a fixture as the kiosk would pick its format: by name and first bytes.
fn import(name: &str) -> (Vec<Meeting>, Report) {
    let path = sheet(name);
    let bytes = std::fs::read(&path).unwrap();
    let format = Format::detect(&path, &bytes);
    assert_eq!(
        format,
        Some(Format::InHouseCsv),
        "{name} is found by its header"
    );
    read_all(Format::InHouseCsv, name, &bytes, &options()).unwrap()
}

fn by_id<'m>(meetings: &'m [Meeting], slug: &str) -> &'m Meeting {
    meetings
        .iter()
        .find(|m| m.id == format!("in-house:{slug}"))
        .unwrap_or_else(|| panic!("no meeting {slug}"))
}

fn by_name<'m>(meetings: &'m [Meeting], name: &str) -> &'m Meeting {
    meetings
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no meeting named {name}"))
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn notes(report: &Report) -> Vec<String> {
    report.notes.iter().map(|n| n.to_string()).collect()
}

#[test]
fn excel_csv_utf8_imports_every_meeting_with_its_accents_times_and_recurrences() {
    let (meetings, report) = import("excel-csv-utf8.csv");
    assert_eq!(meetings.len(), 7, "{:?}", notes(&report));
    assert_eq!(
        report.rows_read, 7,
        "the empty rows below the list are not rows"
    );
    assert_eq!(report.rows_dropped, 0, "{:?}", notes(&report));

    let alumni = by_id(&meetings, "alumni-thursday");
    assert_eq!(alumni.recurrence, Recurrence::Weekly(vec![Weekday::Thu]));
    assert_eq!((alumni.start, alumni.end), (hm(18, 30), Some(hm(20, 0))));
    assert_eq!(alumni.skipped, [date(2026, 11, 26), date(2026, 12, 24)]);
    assert_eq!(alumni.location_notes, "Room 204, second floor");
    assert_eq!(alumni.types, ["C", "D"]);
    assert_eq!(alumni.timezone, Some(chrono_tz::America::New_York));
    assert_eq!(alumni.latitude, Some(39.9626));
    assert!(alumni.in_house);

    let cafe = by_name(&meetings, "Café Recovery Circle");
    assert_eq!(
        cafe.recurrence,
        Recurrence::Weekly(vec![Weekday::Mon, Weekday::Wed])
    );
    assert_eq!(cafe.start, hm(18, 45));
    assert_eq!(cafe.location_notes, "Café — ground floor");
    assert_eq!(cafe.notes, "Coffee's on us.\nDoors open at 6:30.");
    assert_eq!(cafe.types, ["O", "D"], "\"Discussion\" is D");
    assert_eq!(cafe.skipped, [date(2026, 12, 24)]);
    assert_eq!(
        cafe.id, "in-house:caf-recovery-circle-mon-wed-1845",
        "no ID: derived as the TOML file derives it"
    );
    assert!(notes(&report)
        .iter()
        .any(|n| n.starts_with("row 4, column ID") && n.contains("caf-recovery-circle")));

    let ninos = by_id(&meetings, "grupo-ninos");
    assert_eq!(ninos.name, "Grupo de Niños y Familias");
    assert_eq!(
        ninos.recurrence,
        Recurrence::Monthly {
            nth: NthWeekday::Last,
            weekday: Weekday::Sat
        }
    );
    assert_eq!(ninos.types, ["S", "O"]);

    let family = by_id(&meetings, "family-night");
    assert_eq!(
        family.recurrence,
        Recurrence::Monthly {
            nth: NthWeekday::Nth(2),
            weekday: Weekday::Tue
        }
    );
    assert!(family.occurs_on(date(2026, 12, 8)) && !family.occurs_on(date(2026, 12, 1)));

    let circle = by_id(&meetings, "womens-circle");
    assert_eq!(
        circle.recurrence,
        Recurrence::EveryOtherWeek {
            anchor: date(2026, 1, 6)
        }
    );
    assert_eq!((circle.start, circle.end), (hm(12, 0), Some(hm(13, 0))));

    let step = by_id(&meetings, "sunday-step-study");
    assert_eq!(step.conference_url, "https://zoom.us/j/5551234567");
    assert_eq!(step.conference_phone, "+16465588656,,5551234567#");
    assert_eq!(step.conference_url_notes, "Passcode: 1234");
    assert_eq!(step.end, None);

    let intake = by_id(&meetings, "intake");
    assert_eq!(intake.recurrence, Recurrence::ByAppointment);
}

#[test]
fn excel_in_a_european_locale_with_semicolons_windows_1252_and_decimal_commas_is_read() {
    let (meetings, report) = import("excel-european.csv");
    assert_eq!(meetings.len(), 4, "{:?}", notes(&report));
    assert_eq!(report.rows_dropped, 0, "{:?}", notes(&report));

    let cafe = by_id(&meetings, "cafe-circle");
    assert_eq!(cafe.name, "Café Recovery Circle");
    assert_eq!(
        cafe.location_notes, "Café – ground floor",
        "en dash from 0x96"
    );
    assert_eq!(
        cafe.recurrence,
        Recurrence::Weekly(vec![Weekday::Mon, Weekday::Wed]),
        "a comma inside a ; sheet stays in its cell"
    );
    assert_eq!((cafe.start, cafe.end), (hm(18, 45), Some(hm(19, 45))));
    assert_eq!(cafe.skipped, [date(2026, 12, 24)], "24.12.2026");
    assert_eq!(
        (cafe.latitude, cafe.longitude),
        (Some(39.9626), Some(-75.1631))
    );

    let ninos = by_id(&meetings, "ninos");
    assert_eq!(ninos.name, "Niños y Familias");
    assert_eq!(ninos.notes, "Traiga a sus niños – hay juegos.");

    let circle = by_id(&meetings, "womens-circle");
    assert_eq!(
        circle.name, "Women’s Circle",
        "right single quote from 0x92"
    );
    assert_eq!(circle.skipped, [date(2026, 11, 26), date(2026, 12, 24)]);

    let step = by_id(&meetings, "sunday-step-study");
    assert_eq!(step.conference_phone, "+16465588656,,5551234567#");
    assert_eq!(step.program, "AA");

    let encoding: Vec<String> = report
        .notes
        .iter()
        .filter(|n| n.field == "encoding")
        .map(|n| n.to_string())
        .collect();
    assert_eq!(encoding.len(), 1, "one note for the file");
    assert!(encoding[0].contains("Windows-1252"), "{encoding:?}");
}

#[test]
fn libreoffice_defaults_without_bom_with_lf_and_its_own_time_and_date_shapes_are_read() {
    let (meetings, report) = import("libreoffice.csv");
    assert_eq!(meetings.len(), 4, "{:?}", notes(&report));
    assert_eq!(report.rows_dropped, 0, "{:?}", notes(&report));
    let alumni = by_id(&meetings, "alumni-thursday");
    assert_eq!((alumni.start, alumni.end), (hm(18, 30), Some(hm(20, 0))));
    let late = by_id(&meetings, "late-night-online");
    assert_eq!(
        late.recurrence,
        Recurrence::Weekly(vec![Weekday::Fri, Weekday::Sat])
    );
    assert_eq!(late.skipped, [date(2026, 12, 31)], "12/31/26");
    assert!(late.approximate);
    assert_eq!(late.address, "");
    let family = by_id(&meetings, "family-night");
    assert_eq!(
        family.recurrence,
        Recurrence::Monthly {
            nth: NthWeekday::Nth(2),
            weekday: Weekday::Tue
        },
        "Days empty: Repeats names the weekday"
    );
    let noon = by_id(&meetings, "noon-meditation");
    assert_eq!(
        noon.recurrence,
        Recurrence::Weekly(vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri
        ]),
        "Repeats empty: weekly on Days"
    );
    assert_eq!(noon.types, ["MED", "O"]);
}

#[test]
fn excel_unicode_text_in_utf16_with_tabs_is_read() {
    let (meetings, report) = import("excel-unicode-text.txt");
    assert_eq!(report.rows_dropped, 0, "{:?}", notes(&report));
    let names: Vec<&str> = meetings.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Café Recovery Circle", "Niños y Familias"]);
    assert_eq!(
        meetings[0].recurrence,
        Recurrence::Weekly(vec![Weekday::Mon, Weekday::Wed])
    );
    assert_eq!(meetings[1].start, hm(10, 0));
}

#[test]
fn the_toml_example_goes_through_the_sheet_and_comes_back_the_same() {
    let toml = std::fs::read(IN_HOUSE_TOML).unwrap();
    let (first, _) = read_all(Format::InHouse, "in-house.toml", &toml, &options()).unwrap();
    assert_eq!(first.len(), 5);
    let csv = in_house_csv::export(&first);
    assert!(csv.starts_with(b"\xef\xbb\xbfName,Days,Start,End,Repeats,Skip dates,Room,Program,Types,Notes,Online link,Phone,ID,"));
    let (second, report) = read_all(Format::InHouseCsv, "in-house.csv", &csv, &options()).unwrap();
    assert_eq!(report.rows_dropped, 0, "{:?}", notes(&report));
    assert_eq!(second, first, "{}", String::from_utf8_lossy(&csv));
    assert_eq!(in_house_csv::export(&second), csv, "CSV → CSV is stable");
}

#[test]
fn a_sheet_with_one_bad_row_imports_the_rest_and_names_the_row_column_and_fix() {
    let (meetings, report) = import("one-bad-row.csv");
    let ids: Vec<&str> = meetings.iter().map(|m| m.slug()).collect();
    assert_eq!(ids, ["alumni-thursday", "family-night", "womens-circle"]);
    assert_eq!((report.rows_read, report.rows_dropped), (4, 1));
    assert!(
        notes(&report).contains(
            &"row 4, column Start \"7.30\": dropped the row: not a time; write it as 7:30 PM or 19:30"
                .to_string()
        ),
        "{:?}",
        notes(&report)
    );
}

#[test]
fn a_sheet_with_no_usable_row_is_refused_and_the_store_keeps_its_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("kiosk.db")).unwrap();
    let import_file = |store: &mut Store, path: &Path| {
        apply::import_file(
            store,
            path,
            None,
            &options(),
            "2026-11-22T10:00:00Z",
            false,
            &mut |_, _| {},
        )
    };
    import_file(&mut store, Path::new(IN_HOUSE_TOML)).unwrap();
    let before = store.meetings().unwrap().0;
    assert_eq!(before.len(), 5);

    let err = import_file(&mut store, &sheet("no-usable-row.csv")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("none of its 2 rows could be used"), "{text}");
    assert!(text.contains("row 2, column Start \"7.30\""), "{text}");
    assert!(text.contains("the current schedule is kept"), "{text}");
    assert_eq!(store.meetings().unwrap().0, before);

    // And the same sheet with one row mended replaces the source.
    let mended = std::fs::read_to_string(sheet("no-usable-row.csv"))
        .unwrap()
        .replace("7.30", "7:30 AM");
    let path = dir.path().join("mended.csv");
    std::fs::write(&path, mended).unwrap();
    let outcome = import_file(&mut store, &path).unwrap();
    assert_eq!(outcome.report.format, Format::InHouseCsv);
    let after = store.meetings().unwrap().0;
    let ids: Vec<&str> = after.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["in-house:morning-reflection"]);
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn command_line_export_then_import_of_the_sheet_on_a_database_file_is_lossless() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let db = db.to_str().unwrap();
    ok(&kiosk(&["import", IN_HOUSE_TOML, "--db", db]));
    let first = Store::open(Path::new(db)).unwrap().meetings().unwrap().0;

    let csv = dir.path().join("in-house.csv");
    let csv = csv.to_str().unwrap();
    ok(&kiosk(&[
        "export",
        "--format",
        "in-house-csv",
        "--db",
        db,
        "--out",
        csv,
    ]));
    let written = std::fs::read(csv).unwrap();
    assert!(written.starts_with(b"\xef\xbb\xbfName,"), "UTF-8 with BOM");
    let stdout = kiosk(&["export", "--format", "in-house-csv", "--db", db]);
    assert_eq!(
        ok(&stdout).as_bytes(),
        &written[..],
        "stdout is the same file"
    );

    // The same file back into the same database changes nothing …
    let stdout = ok(&kiosk(&["import", csv, "--source", "in-house", "--db", db]));
    assert!(
        stdout.contains("(in-house-csv)"),
        "found by its header: {stdout}"
    );
    assert!(
        stdout.contains("0 added, 0 changed, 0 removed, 5 unchanged"),
        "{stdout}"
    );
    // … and into a new one gives the same meetings.
    let other = dir.path().join("other.db");
    let other = other.to_str().unwrap();
    ok(&kiosk(&[
        "import", csv, "--source", "in-house", "--db", other,
    ]));
    let second = Store::open(Path::new(other)).unwrap().meetings().unwrap().0;
    assert_eq!(second, first, "export → import is lossless");

    // The TOML form still works beside it.
    let toml = ok(&kiosk(&["export", "--format", "in-house", "--db", db]));
    assert!(toml.contains("[[meeting]]"), "{toml}");
}

#[test]
fn command_line_picks_the_european_sheet_by_its_header_and_format_forces_a_txt_one() {
    let european = sheet("excel-european.csv");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiosk.db");
    let db = db.to_str().unwrap();
    let stdout = ok(&kiosk(&[
        "import",
        european.to_str().unwrap(),
        "--source",
        "in-house",
        "--db",
        db,
        "--dry-run",
    ]));
    assert!(stdout.contains("(in-house-csv)"), "{stdout}");
    assert!(stdout.contains("4 imported, 0 dropped"), "{stdout}");

    // Excel's "Unicode Text" is a .txt; --format says what it is.
    let unicode = sheet("excel-unicode-text.txt");
    let stdout = ok(&kiosk(&[
        "import",
        unicode.to_str().unwrap(),
        "--format",
        "in-house-csv",
        "--source",
        "in-house",
        "--db",
        db,
    ]));
    assert!(stdout.contains("2 added"), "{stdout}");
}
