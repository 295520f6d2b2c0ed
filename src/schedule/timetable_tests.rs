//! The timetable gives exactly the board the reference gives: [`board::board`](super::board),
//! which looks at every meeting, each of its candidate dates resolved on its own, its
//! attendance mode derived on the spot. Random schedules, zones, times around real DST
//! transitions and filters are compared with it entry by entry, offsets and distances
//! included; so are the real feeds of `../shared/data/` with the center's example schedule,
//! through the 2026 DST days of New York and London and the evening and midnight moments.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::select;

use super::board::{resolve_local, Board, BoardQuery, Filters, Group, State};
use super::{board, demo, Meeting, NthWeekday, ProviderList, Recurrence, Timetable};
use crate::import::{self, Format, Options};

/// Same entries in the same order, with the same offsets (`Debug` shows them; `==` on a
/// `DateTime` compares only the instant).
fn assert_same(fast: &Board<'_>, reference: &Board<'_>, context: &str) {
    assert_eq!(
        format!("{fast:#?}"),
        format!("{reference:#?}"),
        "{context}: {} entries vs {}",
        fast.entries.len(),
        reference.entries.len()
    );
}

const KIOSK: (f64, f64) = (39.9526, -75.1652);

/// Zones with DST at 02:00 (New York), 01:00 (London), at midnight (Santiago, Havana),
/// by half an hour (Lord Howe), across the date line (Auckland, Kiritimati) and without DST.
const ZONES: &[Tz] = &[
    chrono_tz::America::New_York,
    chrono_tz::Europe::London,
    chrono_tz::America::Santiago,
    chrono_tz::America::Havana,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Auckland,
    chrono_tz::Pacific::Kiritimati,
    chrono_tz::Pacific::Pago_Pago,
    chrono_tz::Asia::Kolkata,
];

/// Real 2026 transitions: New York March 8 / November 1, London March 29 / October 25,
/// Santiago April 5 / September 6, Havana March 8 / November 1, Lord Howe April 5 /
/// October 4, Auckland April 5 / September 27.
fn transition_dates() -> Vec<NaiveDate> {
    [
        (3, 8),
        (11, 1),
        (3, 29),
        (10, 25),
        (4, 5),
        (9, 6),
        (10, 4),
        (9, 27),
        (2, 28), // a month's end: "last Friday" and "5th Saturday" turn here
    ]
    .iter()
    .filter_map(|&(m, d)| NaiveDate::from_ymd_opt(2026, m, d))
    .collect()
}

fn time() -> impl Strategy<Value = NaiveTime> {
    // Half the starts in the hours DST and midnight make interesting.
    let hour = prop_oneof![0u32..24, select(vec![0u32, 1, 2, 3, 22, 23])];
    let minute = prop_oneof![select(vec![0u32, 15, 30, 45, 59]), 0u32..60];
    (hour, minute).prop_map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default())
}

fn weekday() -> impl Strategy<Value = Weekday> {
    (0u8..7).prop_map(|d| Weekday::try_from(d).unwrap_or(Weekday::Mon))
}

fn recurrence() -> impl Strategy<Value = Recurrence> {
    prop_oneof![
        6 => prop::collection::vec(weekday(), 1..4).prop_map(Recurrence::Weekly),
        1 => Just(Recurrence::ByAppointment),
        1 => (prop_oneof![(1u8..=5).prop_map(NthWeekday::Nth), Just(NthWeekday::Last)], weekday())
            .prop_map(|(nth, weekday)| Recurrence::Monthly { nth, weekday }),
        1 => (0i64..28).prop_map(|d| Recurrence::EveryOtherWeek {
            anchor: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default() + Duration::days(d),
        }),
    ]
}

fn meeting() -> impl Strategy<Value = Meeting> {
    (
        (
            select(vec![
                "Serenity",
                "Step Study",
                "Big Book",
                "Daily Reflections",
            ]),
            0u8..6,
            recurrence(),
            time(),
            prop::option::of(time()),
            prop::option::weighted(0.3, select(ZONES.to_vec())),
        ),
        (
            any::<bool>(),
            select(vec!["", "330 W Main St", "  "]),
            prop::option::of((-0.6f64..0.6, -0.6f64..0.6)),
            prop::bool::weighted(0.2),
            select(vec![
                "",
                "https://us02web.zoom.us/j/123",
                "https://zoom.us.evil.example/j/1",
                "https://video.riverside.example/room",
            ]),
            select(vec!["", "+1 215 555 0100", "555"]),
            prop::collection::vec(select(vec!["O", "C", "X", "S", "TC", "EN"]), 0..3),
            select(vec!["AA", "NA", "Al-Anon", "SMART"]),
            prop::collection::vec(select(transition_dates()), 0..2),
        ),
    )
        .prop_map(
            |(
                (name, slug, recurrence, start, end, timezone),
                (in_house, address, offset, approximate, url, phone, types, program, mut skipped),
            )| {
                // Few slugs, so that equal names and even equal ids happen.
                let mut m = Meeting::new("feed", &format!("m{slug}"), name, recurrence, start);
                m.end = end;
                m.timezone = timezone;
                m.in_house = in_house;
                m.address = address.into();
                m.latitude = offset.map(|(dlat, _)| KIOSK.0 + dlat);
                m.longitude = offset.map(|(_, dlon)| KIOSK.1 + dlon);
                m.approximate = approximate;
                m.conference_url = url.into();
                m.conference_phone = phone.into();
                m.types = types.into_iter().map(String::from).collect();
                m.program = program.into();
                skipped.sort();
                skipped.dedup();
                m.skipped = skipped;
                m
            },
        )
}

fn filters() -> impl Strategy<Value = Filters> {
    (
        prop::collection::vec(select(vec!["AA", "na", "SMART"]), 0..2),
        prop::option::of(select(vec!["S", "EN"])),
        prop::option::of(any::<bool>()),
        prop::bool::weighted(0.2),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(programs, language, open, wheelchair, online)| Filters {
            programs: programs.into_iter().map(String::from).collect(),
            language: language.map(String::from),
            open,
            wheelchair,
            online,
        })
        .boxed()
}

fn providers(extra: bool) -> ProviderList {
    if extra {
        ProviderList::with_extra(["video.riverside.example".to_string()])
    } else {
        ProviderList::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn timetable_board_equals_the_reference_board(
        meetings in prop::collection::vec(meeting(), 0..40),
        kiosk_zone in select(ZONES.to_vec()),
        around in select(transition_dates()),
        minutes in prop::collection::vec(-3 * 24 * 60i64..3 * 24 * 60, 1..8),
        filters in prop_oneof![3 => Just(Filters::default()), 2 => filters()],
        location in prop::option::of(Just(KIOSK)),
        radius_m in select(vec![5_000.0, 40_000.0]),
        built_with_extra in any::<bool>(),
        asked_with_extra in any::<bool>(),
    ) {
        let timetable = Timetable::new(meetings.clone(), &providers(built_with_extra));
        for minute in minutes {
            let local = around.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(minute);
            let query = BoardQuery {
                now: resolve_local(&kiosk_zone, local),
                timezone: kiosk_zone,
                location,
                radius_m,
                filters: filters.clone(),
                providers: providers(asked_with_extra),
            };
            let context = format!("{kiosk_zone} at {local}");
            assert_same(&timetable.board(&query), &board(&meetings, &query), &context);
        }
    }
}

/// The board at `now` from the kiosk's place, 40 km around, no filters.
fn unfiltered(now: DateTime<Utc>, tz: Tz) -> BoardQuery {
    BoardQuery {
        now,
        timezone: tz,
        location: Some(KIOSK),
        radius_m: 40_000.0,
        filters: Filters::default(),
        providers: ProviderList::default(),
    }
}

#[test]
fn timetable_board_equals_the_reference_board_on_a_large_feed_through_dst_days() {
    let meetings = demo::synthetic_feed(3_000, KIOSK);
    let timetable = Timetable::new(meetings.clone(), &ProviderList::default());
    for (tz, y, m, d) in [
        (chrono_tz::America::New_York, 2026, 3, 8),
        (chrono_tz::America::New_York, 2026, 11, 1),
        (chrono_tz::Europe::London, 2026, 3, 29),
        (chrono_tz::Europe::London, 2026, 10, 25),
    ] {
        let midnight = tz
            .with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        for minute in (-6 * 60..30 * 60).step_by(37) {
            let query = unfiltered(midnight + Duration::minutes(minute), tz);
            assert_same(
                &timetable.board(&query),
                &board(&meetings, &query),
                &format!("{tz} at {}", query.now),
            );
        }
    }
}

#[test]
fn timetable_board_equals_the_reference_board_on_the_sample_schedule() {
    let tz = chrono_tz::America::New_York;
    let loaded = tz.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let meetings = demo::demo_schedule(loaded, KIOSK);
    let timetable = Timetable::new(meetings.clone(), &ProviderList::default());
    for minute in (0..48 * 60).step_by(11) {
        let query = unfiltered(loaded.with_timezone(&Utc) + Duration::minutes(minute), tz);
        assert_same(
            &timetable.board(&query),
            &board(&meetings, &query),
            &format!("at {}", query.now),
        );
    }
}

/// The real feeds of `../shared/data/` (Philadelphia's SEPIA, Kansas City, Ben Lomond's
/// online meetings, Atlanta, San José's TSML sheet, upstate New York's BMLT server) and the
/// center's example schedule, as one schedule of some 1,450 meetings (what the importers keep).
fn real_schedule() -> Vec<Meeting> {
    const FEEDS: &[(&str, &str, Format)] = include!("../../tests/common/real_feeds.rs");
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let mut all = Vec::new();
    for &(source, file, format) in FEEDS {
        let bytes = std::fs::read(data.join(file)).expect("a shared feed");
        let options = Options {
            source: source.into(),
            program: "AA".into(),
            ..Options::default()
        };
        let (meetings, _) = import::read_all(format, file, &bytes, &options).expect("imports");
        all.extend(meetings);
    }
    let example = include_str!("../../assets/examples/in-house.toml");
    let options = Options {
        source: "in-house".into(),
        in_house: true,
        ..Options::default()
    };
    let (in_house, _) = import::read_all(
        Format::InHouse,
        "in-house.toml",
        example.as_bytes(),
        &options,
    )
    .expect("the example imports");
    all.extend(in_house);
    all
}

#[test]
fn timetable_board_equals_the_reference_board_on_the_real_feeds_through_dst_days_and_evenings() {
    let meetings = real_schedule();
    assert!(meetings.len() > 1_400, "{} meetings", meetings.len());
    let timetable = Timetable::new(meetings.clone(), &ProviderList::default());
    let spanish_online = Filters {
        language: Some("S".into()),
        online: Some(true),
        ..Filters::default()
    };
    let in_person_open = Filters {
        open: Some(true),
        online: Some(false),
        ..Filters::default()
    };
    let moments = |date: NaiveDate| {
        // Across the day every 37 minutes, and the minutes where the board's rules turn: the
        // look ahead from 21:00, "next" reaching past midnight at 23:30, midnight itself.
        let mut local: Vec<_> = (-6 * 60..30 * 60)
            .step_by(37)
            .map(|m| date.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(m))
            .collect();
        for day in [date - Duration::days(1), date] {
            for (h, m) in [(20, 59), (21, 0), (23, 30), (23, 59)] {
                local.push(day.and_hms_opt(h, m, 0).unwrap_or_default());
            }
            for (h, m) in [(0, 0), (0, 1), (0, 15)] {
                local.push(
                    (day + Duration::days(1))
                        .and_hms_opt(h, m, 0)
                        .unwrap_or_default(),
                );
            }
        }
        local
    };
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
    let mut shown = std::collections::HashSet::new();
    for (tz, date) in [
        (chrono_tz::America::New_York, day(3, 8)),
        (chrono_tz::America::New_York, day(11, 1)),
        (chrono_tz::America::New_York, day(12, 3)), // an ordinary Thursday: the alumni group
        (chrono_tz::Europe::London, day(3, 29)),
        (chrono_tz::Europe::London, day(10, 25)),
    ] {
        for local in moments(date) {
            let mut query = unfiltered(resolve_local(&tz, local), tz);
            let reference = board(&meetings, &query);
            shown.extend(reference.entries.iter().map(|e| (e.group, e.state)));
            assert_same(
                &timetable.board(&query),
                &reference,
                &format!("{tz} at {local}"),
            );
            for filters in [&spanish_online, &in_person_open] {
                query.filters = filters.clone();
                assert_same(
                    &timetable.board(&query),
                    &board(&meetings, &query),
                    &format!("{tz} at {local}, {filters:?}"),
                );
            }
        }
    }
    // Not a comparison of empty boards: every group, every state came up.
    for group in [Group::InHouse, Group::Nearby, Group::Online] {
        for state in [State::InProgress, State::Next, State::Later, State::Coming] {
            assert!(
                shown.contains(&(group, state)),
                "{group:?} {state:?} never shown"
            );
        }
    }
}
