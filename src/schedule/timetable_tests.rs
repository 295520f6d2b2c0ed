//! The timetable gives exactly the board the straightforward computation gives: every meeting,
//! each of its candidate dates resolved on its own, its attendance mode derived on the spot.
//! `reference_board` is that computation as the board did it before the timetable existed;
//! random schedules, zones, times around real DST transitions and filters are compared with it
//! entry by entry, offsets and distances included.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::select;

use super::board::{
    haversine_m, resolve_local, Board, BoardEntry, BoardQuery, Filters, Group, State,
    NEXT_WINDOW_MINUTES,
};
use super::{demo, Meeting, NthWeekday, ProviderList, Recurrence, Timetable};

/// The board as computed before the timetable: per meeting, per call, nothing kept.
fn reference_board<'a>(meetings: &'a [Meeting], query: &BoardQuery) -> Board<'a> {
    let now = query.now.with_timezone(&query.timezone);
    let today = now.date_naive();
    let midnight = resolve_local(
        &query.timezone,
        (today + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default(),
    );
    let next_until = query.now + Duration::minutes(NEXT_WINDOW_MINUTES);
    let mut entries = Vec::new();

    let mut listed = vec![false; meetings.len()];
    for (i, m) in meetings.iter().enumerate() {
        let mode = m.attendance_mode(&query.providers);
        if mode == super::AttendanceMode::Inactive || !query.filters.admits(m, mode) {
            continue;
        }
        let Some((start, end, state, cancelled)) =
            reference_occurrence(m, query, today, midnight, next_until)
        else {
            continue;
        };
        listed[i] = true;
        let distance_m = match (query.location, m.latitude, m.longitude) {
            (Some((lat, lon)), Some(mlat), Some(mlon)) if !m.approximate => {
                Some(haversine_m(lat, lon, mlat, mlon))
            }
            _ => None,
        };
        let mut push = |group: Group, distance_m: Option<f64>| {
            entries.push(BoardEntry {
                meeting: m,
                group,
                state,
                mode,
                start: start.with_timezone(&query.timezone),
                end: end.with_timezone(&query.timezone),
                distance_m,
                cancelled,
            })
        };
        if m.in_house {
            push(Group::InHouse, distance_m);
            continue;
        }
        if mode.is_in_person() && distance_m.is_none_or(|d| d <= query.radius_m) {
            push(Group::Nearby, distance_m);
        }
        if mode.is_online() {
            push(
                Group::Online,
                if mode.is_in_person() {
                    distance_m
                } else {
                    None
                },
            );
        }
    }

    // The look ahead is the same function in both: its rules are tested in board_tests.rs.
    let busy: Vec<Group> = entries.iter().map(|e| e.group).collect();
    super::board::coming(
        meetings,
        &|i| meetings[i].attendance_mode(&query.providers),
        &listed,
        &busy,
        query,
        |_, e| entries.push(e),
    );
    entries.sort_by(|a, b| {
        (a.group, a.state, a.start)
            .cmp(&(b.group, b.state, b.start))
            .then_with(|| reference_distance_order(a.distance_m, b.distance_m))
            .then_with(|| a.meeting.name.cmp(&b.meeting.name))
            .then_with(|| a.meeting.id.cmp(&b.meeting.id))
    });
    Board { now, entries }
}

fn reference_distance_order(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

fn reference_occurrence(
    m: &Meeting,
    query: &BoardQuery,
    today: NaiveDate,
    midnight: DateTime<Utc>,
    next_until: DateTime<Utc>,
) -> Option<(DateTime<Utc>, DateTime<Utc>, State, bool)> {
    let tz = m.timezone.unwrap_or(query.timezone);
    let duration = m.duration();
    (-2..=2)
        .map(|d| today + Duration::days(d))
        .filter(|date| super::board::occurs_on(&m.recurrence, *date))
        .filter_map(|date| {
            let cancelled = m.skipped.contains(&date);
            let start = resolve_local(&tz, date.and_time(m.start));
            let end = start + duration;
            let state = if start <= query.now && query.now < end {
                State::InProgress
            } else if query.now < start && start <= next_until {
                State::Next
            } else if query.now < start && start < midnight {
                State::Later
            } else {
                return None;
            };
            Some((start, end, state, cancelled))
        })
        .min_by_key(|&(start, _, state, _)| (state, start))
}

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
    fn timetable_board_equals_the_per_meeting_computation(
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
            let reference = reference_board(&meetings, &query);
            let context = format!("{kiosk_zone} at {local}");
            assert_same(&timetable.board(&query), &reference, &context);
            assert_same(&super::board(&meetings, &query), &reference, &context);
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
fn timetable_board_equals_the_per_meeting_computation_on_a_large_feed_through_dst_days() {
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
                &reference_board(&meetings, &query),
                &format!("{tz} at {}", query.now),
            );
        }
    }
}

#[test]
fn timetable_board_equals_the_per_meeting_computation_on_the_sample_schedule() {
    let tz = chrono_tz::America::New_York;
    let loaded = tz.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let meetings = demo::demo_schedule(loaded, KIOSK);
    let timetable = Timetable::new(meetings.clone(), &ProviderList::default());
    for minute in (0..48 * 60).step_by(11) {
        let query = unfiltered(loaded.with_timezone(&Utc) + Duration::minutes(minute), tz);
        assert_same(
            &timetable.board(&query),
            &reference_board(&meetings, &query),
            &format!("at {}", query.now),
        );
    }
}
