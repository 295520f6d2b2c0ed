use chrono::{NaiveDate, Weekday};

use super::columns::column_letter;
use super::*;
use crate::import::{read_all, Format, Report};
use crate::schedule::NthWeekday;

const EXAMPLE: &str = include_str!("../../../assets/examples/in-house.toml");

fn options() -> Options {
    Options {
        source: "in-house".into(),
        program: "In-house".into(),
        ..Options::default()
    }
}

fn import(bytes: &[u8]) -> Result<(Vec<Meeting>, Report), ImportError> {
    read_all(Format::InHouseCsv, "in-house.csv", bytes, &options())
}

fn notes(report: &Report) -> Vec<String> {
    report.notes.iter().map(|n| n.to_string()).collect()
}

fn toml_example() -> Vec<Meeting> {
    read_all(
        Format::InHouse,
        "in-house.toml",
        EXAMPLE.as_bytes(),
        &options(),
    )
    .unwrap()
    .0
}

const HEADER: &str = "Name,Days,Start,End,Repeats,ID\r\n";

#[test]
fn columns_are_listed_in_the_order_of_their_enum() {
    for (i, (column, _, _)) in COLUMNS.iter().enumerate() {
        assert_eq!(*column as usize, i, "{column:?}");
    }
}

#[test]
fn the_toml_example_goes_through_the_sheet_and_back_unchanged() {
    let first = toml_example();
    let sheet = export(&first);
    let (second, report) = import(&sheet).unwrap();
    assert_eq!(report.rows_dropped, 0, "{:?}", notes(&report));
    assert_eq!(second, first, "{}", String::from_utf8_lossy(&sheet));
    assert_eq!(export(&second), sheet, "the sheet is stable");
}

#[test]
fn every_field_of_a_meeting_survives_the_sheet_even_odd_ones() {
    let mut m = Meeting::new(
        "in-house",
        "odd-one",
        "The \"Odd\" One, Too",
        Recurrence::Weekly(vec![Weekday::Sun, Weekday::Sat]),
        NaiveTime::from_hms_opt(7, 5, 30).unwrap(),
    );
    m.program = "Alumni; Family".into();
    m.in_house = false;
    m.end = NaiveTime::from_hms_opt(0, 30, 0);
    m.timezone = Some(chrono_tz::America::Chicago);
    m.location = "  St. Mark's Hall ".into();
    m.location_notes = "Room 2\nside door".into();
    m.address = "1 Main St, Springfield".into();
    m.latitude = Some(39.123456789012);
    m.longitude = Some(-0.000001);
    m.approximate = true;
    m.region = "North > Riverside".into();
    m.notes = "Line one\r\nLine two, with \"quotes\"".into();
    m.types = vec!["12x12".into(), "XQ".into(), "Literature Study".into()];
    m.conference_url = "https://zoom.us/j/1".into();
    m.conference_url_notes = "Passcode: 1, 2, 3".into();
    m.conference_phone = "+16465588656,,1#".into();
    m.conference_phone_notes = "ID 1".into();
    m.updated = "2026-01-05 10:00:00".into();
    m.skipped = vec![
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
    ];
    let mut by_appointment = Meeting::new(
        "in-house",
        "talk-to-us",
        "Talk to us",
        Recurrence::ByAppointment,
        NaiveTime::MIN,
    );
    by_appointment.in_house = true;
    by_appointment.program = "In-house".into();
    let meetings = vec![m, by_appointment];
    let (back, report) = import(&export(&meetings)).unwrap();
    assert_eq!(report.rows_dropped, 0, "{:?}", notes(&report));
    assert_eq!(back, meetings);
}

#[test]
fn the_export_is_utf8_with_bom_crlf_and_headers_in_words() {
    let sheet = export(&toml_example());
    assert!(sheet.starts_with(b"\xef\xbb\xbfName,Days,Start,End,Repeats,Skip dates,Room,Program,Types,Notes,Online link,Phone,ID,Location,Address,Latitude,Longitude,Time zone,Online link notes,Phone notes,Region,Approximate location,In house,Updated\r\n"));
    let text = String::from_utf8(sheet).unwrap();
    assert_eq!(text.matches("\r\n").count(), 6, "header and five meetings");
    assert_eq!(text.matches('\n').count(), 6, "no bare LF");
    assert!(
        text.contains("\r\nThursday Alumni Group,Thursday,6:30 PM,8:00 PM,every week,\"2026-11-26, 2026-12-24\",\"Room 204, second floor\",Alumni,\"C, D\","),
        "{text}"
    );
    assert!(
        text.contains(",Tuesday,7:00 PM,8:30 PM,2nd Tuesday,"),
        "{text}"
    );
    assert!(
        text.contains(",every other week from 2026-01-06,"),
        "{text}"
    );
    assert!(text.contains(",\"Friday, Saturday\",10:00 PM,"), "{text}");
}

#[test]
fn headers_are_matched_ignoring_case_spaces_and_punctuation() {
    let sheet =
        "NAME;days;START-TIME;Skip Dates;in-house\nFamily Night;Tuesday;19:00;12/8/2026;No\n";
    let (meetings, report) = import(sheet.as_bytes()).unwrap();
    assert_eq!(meetings.len(), 1, "{:?}", notes(&report));
    let m = &meetings[0];
    assert_eq!(m.start, NaiveTime::from_hms_opt(19, 0, 0).unwrap());
    assert_eq!(m.skipped, [NaiveDate::from_ymd_opt(2026, 12, 8).unwrap()]);
    assert!(!m.in_house, "In house says no");
}

#[test]
fn an_unknown_column_is_noted_once_and_ignored() {
    let sheet = "Name,Days,Start,Strat,Leader\r\nA,Monday,6 PM,x,Bob\r\nB,Monday,7 PM,y,Ann\r\n";
    let (meetings, report) = import(sheet.as_bytes()).unwrap();
    assert_eq!(meetings.len(), 2);
    let notes = notes(&report);
    let strat: Vec<_> = notes
        .iter()
        .filter(|n| n.contains("column Strat"))
        .collect();
    assert_eq!(strat.len(), 1, "{notes:?}");
    assert!(strat[0].contains("did you mean Start?"), "{notes:?}");
    assert!(notes
        .iter()
        .any(|n| n.contains("column Leader") && n.contains("ignored")));
    assert!(
        !notes.iter().any(|n| n.contains("Bob")),
        "a leader's name is not repeated"
    );
}

#[test]
fn a_value_under_no_column_name_is_noted_by_its_column_letter_without_repeating_it() {
    let sheet = "Name,Days,Start,,\nA,Monday,6 PM,,Bob\n";
    let (meetings, report) = import(sheet.as_bytes()).unwrap();
    assert_eq!(meetings.len(), 1);
    let notes = notes(&report);
    assert_eq!(
        notes[0],
        "row 2, column E: has a value but no column name in row 1: ignored"
    );
    assert!(!notes.iter().any(|n| n.contains("Bob")), "{notes:?}");
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
}

#[test]
fn a_sheet_without_name_start_or_when_is_refused_naming_what_is_missing() {
    let err = import(b"Group,Day of week,Time of day\nA,Monday,6 PM\n").unwrap_err();
    let text = err.to_string();
    assert_eq!(err.row.as_deref(), Some("row 1"));
    for missing in [
        "no column Name",
        "no column Start",
        "no column Days or Repeats",
    ] {
        assert!(text.contains(missing), "{text}");
    }
    assert!(text.contains("current schedule is kept"), "{text}");
    let err = import(b"Name,Days\nA,Monday\n").unwrap_err().to_string();
    assert!(
        err.contains("no column Start") && !err.contains("no column Name"),
        "{err}"
    );
}

#[test]
fn a_bad_row_is_dropped_naming_its_spreadsheet_row_column_and_fix_and_the_rest_imports() {
    // Row 1 is the header; row 3 is empty and still counts, as the spreadsheet shows it.
    let sheet = format!("{HEADER}Good,Monday,6:30 PM,,,good\r\n,,,,,\r\nBad,Monday,7.30,,,bad\r\nAlso good,Friday,18:00,,,also\r\n");
    let (meetings, report) = import(sheet.as_bytes()).unwrap();
    assert_eq!(meetings.len(), 2);
    assert_eq!(report.rows_read, 3, "the empty row is not a row read");
    assert_eq!(report.rows_dropped, 1);
    assert!(report.accounts_for_every_row());
    let notes = notes(&report);
    assert!(
        notes.contains(&"row 4, column Start \"7.30\": dropped the row: not a time; write it as 7:30 PM or 19:30".to_string()),
        "{notes:?}"
    );
}

#[test]
fn each_kind_of_bad_cell_says_which_column_and_what_to_write() {
    for (row, column, says) in [
        (
            ",Monday,6 PM,,,",
            "column Name",
            "every meeting needs a name",
        ),
        ("A,Mo,6 PM,,,", "column Days", "write the day's name"),
        ("A,,6 PM,,,", "column Days", "write the day it meets"),
        ("A,Monday,,,,", "column Start", "write when it starts"),
        (
            "A,Monday,6 PM,late,,",
            "column End",
            "or leave it empty for one hour",
        ),
        (
            "A,Monday,6 PM,,2nd Tuesday,",
            "column Days",
            "write Tuesday here",
        ),
        (
            "A,,6 PM,,fortnightly,",
            "column Repeats",
            "every other week from 2026-01-06",
        ),
    ] {
        let sheet = format!("{HEADER}{row}\r\nFine,Monday,6 PM,,,fine\r\n");
        let (_, report) = import(sheet.as_bytes()).unwrap();
        let notes = notes(&report);
        assert_eq!(report.rows_dropped, 1, "{row}: {notes:?}");
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with(&format!("row 2, {column}")) && n.contains(says)),
            "{row}: {notes:?}"
        );
    }
    let sheet = "Name,Days,Start,Time zone,In house\nA,Monday,6 PM,Eastern,\nB,Monday,6 PM,,maybe\nC,Monday,6 PM,,\n";
    let (meetings, report) = import(sheet.as_bytes()).unwrap();
    assert_eq!(meetings.len(), 1);
    let notes = notes(&report);
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("row 2, column Time zone \"Eastern\"")
                && n.contains("America/New_York")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("row 3, column In house \"maybe\"") && n.contains("yes or no")),
        "{notes:?}"
    );
}

#[test]
fn a_sheet_with_no_usable_row_is_refused_saying_the_schedule_is_kept() {
    let sheet = format!("{HEADER}Bad,Mondays and so on,6 PM,,,\r\nWorse,Monday,soon,,,\r\n");
    let err = import(sheet.as_bytes()).unwrap_err().to_string();
    assert!(err.contains("none of its 2 rows could be used"), "{err}");
    assert!(
        err.contains("row 2, column Days"),
        "the first problem: {err}"
    );
    assert!(err.contains("current schedule is kept"), "{err}");
    let err = import(format!("{HEADER},,,,,\r\n\r\n").as_bytes())
        .unwrap_err()
        .to_string();
    assert!(err.contains("no meetings below its header row"), "{err}");
    let err = import(b"").unwrap_err().to_string();
    assert!(err.contains("is empty"), "{err}");
}

#[test]
fn a_row_without_an_id_gets_the_slug_the_toml_file_would_give_it_with_a_note() {
    let sheet = format!("{HEADER}Men's Stag,\"Tuesday, Friday\",7:00 AM,,,\r\n");
    let (meetings, report) = import(sheet.as_bytes()).unwrap();
    assert_eq!(meetings[0].id, "in-house:men-s-stag-tue-fri-0700");
    let toml =
        "[[meeting]]\nname = \"Men's Stag\"\ndays = [\"Tuesday\", \"Friday\"]\nstart = \"07:00\"\n";
    let (from_toml, _) = read_all(
        Format::InHouse,
        "in-house.toml",
        toml.as_bytes(),
        &options(),
    )
    .unwrap();
    assert_eq!(meetings[0].id, from_toml[0].id);
    let notes = notes(&report);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("column ID") && n.contains("men-s-stag-tue-fri-0700")),
        "{notes:?}"
    );
}

#[test]
fn meetings_are_in_house_unless_the_row_says_no_and_programs_default_to_the_source() {
    let sheet = "Name,Days,Start,In house,Program\nOurs,Monday,6 PM,,\nListed,Monday,7 PM,no,AA\n";
    let (meetings, _) = import(sheet.as_bytes()).unwrap();
    assert!(meetings[0].in_house);
    assert_eq!(meetings[0].program, "In-house", "from the options");
    assert!(!meetings[1].in_house);
    assert_eq!(meetings[1].program, "AA");
    let forced = Options {
        in_house: true,
        ..options()
    };
    let (meetings, _) = read_all(Format::InHouseCsv, "x.csv", sheet.as_bytes(), &forced).unwrap();
    assert!(meetings[1].in_house, "--in-house marks every meeting");
}

#[test]
fn repeats_days_and_times_in_other_words_make_the_same_meetings() {
    let sheet = "Name,Days,Start,End,Repeats,Skip dates,Types\n\
        Family,,7 PM,0.854166666666667,2nd Tuesday,,Open\n\
        Circle,Tuesday,noon,1 PM,every other week from 1/6/2026,\"46380; 11/26/2026\",\"Women, Cerrada\"\n\
        Weekday,Mon-Fri,07:00:00,,,,c\n";
    let (meetings, report) = import(sheet.as_bytes()).unwrap();
    assert_eq!(report.rows_dropped, 0, "{:?}", notes(&report));
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(
        meetings[0].recurrence,
        Recurrence::Monthly {
            nth: NthWeekday::Nth(2),
            weekday: Weekday::Tue
        }
    );
    assert_eq!(
        meetings[0].end,
        Some(hm(20, 30)),
        "Excel's fraction of a day"
    );
    assert_eq!(meetings[0].types, ["O"]);
    assert_eq!(
        meetings[1].recurrence,
        Recurrence::EveryOtherWeek {
            anchor: NaiveDate::from_ymd_opt(2026, 1, 6).unwrap()
        }
    );
    assert_eq!(meetings[1].start, hm(12, 0));
    assert_eq!(
        meetings[1].skipped,
        [
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 24).unwrap()
        ]
    );
    assert_eq!(meetings[1].types, ["W", "C"]);
    assert_eq!(
        meetings[2].recurrence.clone(),
        Recurrence::Weekly(vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri
        ])
    );
    assert_eq!(meetings[2].types, ["C"]);
}

#[test]
fn a_skip_date_that_cannot_be_read_is_noted_and_the_meeting_still_imports() {
    let sheet = "Name,Days,Start,Skip dates\nA,Thursday,6 PM,\"2026-11-26, 26/11/2026\"\n";
    let (meetings, report) = import(sheet.as_bytes()).unwrap();
    assert_eq!(
        meetings[0].skipped,
        [NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()]
    );
    let notes = notes(&report);
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("row 2, column Skip dates") && n.contains("month first")),
        "{notes:?}"
    );
}

#[test]
fn a_type_the_kiosk_does_not_know_is_kept_and_noted() {
    let sheet = "Name,Days,Start,Types\nA,Thursday,6 PM,\"C, Lit Stdy\"\n";
    let (meetings, report) = import(sheet.as_bytes()).unwrap();
    assert_eq!(meetings[0].types, ["C", "Lit Stdy"]);
    assert!(notes(&report)
        .iter()
        .any(|n| n.contains("\"Lit Stdy\"") && n.contains("not a type")));
}

#[test]
fn windows_1252_is_noted_once_for_the_file() {
    let (meetings, report) =
        import(b"Name;Days;Start\r\nCaf\xe9;Monday;6 PM\r\nNi\xf1os;Friday;6 PM\r\n").unwrap();
    assert_eq!(meetings[0].name, "Café");
    assert_eq!(meetings[1].name, "Niños");
    let encoding: Vec<_> = report
        .notes
        .iter()
        .filter(|n| n.field == "encoding")
        .collect();
    assert_eq!(encoding.len(), 1);
}

#[test]
fn its_header_is_recognised_in_each_encoding_and_separator_but_not_tsml_csv() {
    assert!(is_its_header(&export(&toml_example())[..300]));
    assert!(is_its_header(b"Name;Days;Start;Caf\xe9\r\n"));
    assert!(is_its_header(b"name\trepeats\tstart\n"));
    let mut utf16 = vec![0xff, 0xfe];
    for unit in "Name\tDays\tStart\r\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    assert!(is_its_header(&utf16));
    assert!(
        !is_its_header(b"Day,Time,End Time,Name,Location\n"),
        "TSML CSV"
    );
    assert!(
        !is_its_header(b"Name,Day,Start Time\n"),
        "TSML CSV with its aliases"
    );
    assert!(!is_its_header(b"[{\"name\": \"x\"}]"));
}

#[test]
fn the_readme_tells_staff_what_to_do_with_the_id_and_where_to_put_the_file() {
    for words in [
        "KEEP IT AS IT IS",
        "leave it empty",
        "lobby-kiosk folder",
        "staff PIN",
        "CSV UTF-8",
    ] {
        assert!(README.contains(words), "{words}");
    }
    for (_, header, _) in COLUMNS {
        assert!(README.contains(header), "README.txt explains {header}");
    }
}
