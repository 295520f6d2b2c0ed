//! The board's rules on real dates: midnight, DST transitions, recurrence, groups.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use super::board::{board, resolve_local, BoardQuery, Filters, Group, State};
use super::{Meeting, NthWeekday, ProviderList, Recurrence};

const NY: Tz = chrono_tz::America::New_York;
/// Riverside Recovery Center, Philadelphia.
const KIOSK: (f64, f64) = (39.9526, -75.1652);

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
    resolve_local(
        &NY,
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_time(t(h, mi)),
    )
}

fn query(now: chrono::DateTime<Utc>) -> BoardQuery {
    BoardQuery {
        now,
        timezone: NY,
        location: Some(KIOSK),
        radius_m: 40_000.0,
        filters: Filters::default(),
        providers: ProviderList::default(),
    }
}

fn in_person(slug: &str, days: &[Weekday], start: NaiveTime, end: Option<NaiveTime>) -> Meeting {
    let mut m = Meeting::new("aa", slug, slug, Recurrence::Weekly(days.to_vec()), start);
    m.end = end;
    m.address = "330 W Main St, Philadelphia, PA".into();
    m.latitude = Some(39.96);
    m.longitude = Some(-75.17);
    m
}

fn online(slug: &str, days: &[Weekday], start: NaiveTime) -> Meeting {
    let mut m = Meeting::new(
        "online",
        slug,
        slug,
        Recurrence::Weekly(days.to_vec()),
        start,
    );
    m.conference_url = "https://zoom.us/j/123456789".into();
    m
}

fn states(meetings: &[Meeting], now: chrono::DateTime<Utc>) -> Vec<(String, Group, State)> {
    board(meetings, &query(now))
        .entries
        .iter()
        .map(|e| (e.meeting.name.clone(), e.group, e.state))
        .collect()
}

#[test]
fn overnight_meeting_is_in_progress_after_midnight() {
    // Thursday 22:00–00:30; at 00:15 on Friday it is still running, listed from Thursday.
    let m = in_person("late-night", &[Weekday::Thu], t(22, 0), Some(t(0, 30)));
    let b = board(std::slice::from_ref(&m), &query(at(2026, 11, 20, 0, 15)));
    assert_eq!(b.entries.len(), 1);
    let e = &b.entries[0];
    assert_eq!(e.state, State::InProgress);
    assert_eq!(e.start.to_rfc3339(), "2026-11-19T22:00:00-05:00");
    assert_eq!(e.end.to_rfc3339(), "2026-11-20T00:30:00-05:00");
    // And gone at 00:30.
    assert!(states(&[m], at(2026, 11, 20, 0, 30)).is_empty());
}

#[test]
fn meeting_after_midnight_is_next_the_evening_before() {
    let m = in_person("midnight-owls", &[Weekday::Fri], t(0, 30), None);
    assert_eq!(
        states(std::slice::from_ref(&m), at(2026, 11, 19, 23, 30)),
        vec![("midnight-owls".to_string(), Group::Nearby, State::Next)]
    );
    // At 22:00 it is neither next (2h30 away) nor later today (it is tomorrow): it is
    // tomorrow morning, which the board looks ahead to from 21:00.
    assert_eq!(
        states(std::slice::from_ref(&m), at(2026, 11, 19, 22, 0)),
        vec![("midnight-owls".to_string(), Group::Nearby, State::Coming)]
    );
    // At 20:00 the group still has it as its only meeting of tomorrow morning, and nothing
    // more today: the look ahead shows it too.
    assert_eq!(
        states(&[m], at(2026, 11, 19, 20, 0)),
        vec![("midnight-owls".to_string(), Group::Nearby, State::Coming)]
    );
}

#[test]
fn meeting_without_end_lasts_sixty_minutes() {
    let m = in_person("noon", &[Weekday::Sat], t(12, 0), None);
    let b = board(std::slice::from_ref(&m), &query(at(2026, 11, 21, 12, 59)));
    assert_eq!(b.entries[0].state, State::InProgress);
    assert_eq!(b.entries[0].end.to_rfc3339(), "2026-11-21T13:00:00-05:00");
    assert!(states(&[m], at(2026, 11, 21, 13, 0)).is_empty());
}

#[test]
fn later_today_stops_at_midnight_and_today_flips_at_midnight() {
    let sat_evening = in_person("saturday-evening", &[Weekday::Sat], t(20, 0), None);
    let sun_evening = in_person("sunday-evening", &[Weekday::Sun], t(20, 0), None);
    let meetings = [sat_evening, sun_evening];
    // Saturday 23:59: nothing left today, Sunday 20:00 is not "later today".
    assert!(states(&meetings, at(2026, 11, 21, 23, 59)).is_empty());
    // Saturday 09:00: the Saturday meeting is later today, Sunday's is not.
    assert_eq!(
        states(&meetings, at(2026, 11, 21, 9, 0)),
        vec![("saturday-evening".to_string(), Group::Nearby, State::Later)]
    );
    // One minute after midnight it is Sunday: the Sunday meeting is later today.
    assert_eq!(
        states(&meetings, at(2026, 11, 22, 0, 1)),
        vec![("sunday-evening".to_string(), Group::Nearby, State::Later)]
    );
}

#[test]
fn spring_forward_gap_start_moves_forward_by_the_gap() {
    // 2026-03-08, New York: 02:00 EST jumps to 03:00 EDT. A 02:30 meeting happens at 03:30 EDT.
    let m = in_person("gap", &[Weekday::Sun], t(2, 30), None);
    let b = board(std::slice::from_ref(&m), &query(at(2026, 3, 8, 1, 45)));
    assert_eq!(b.entries.len(), 1, "the meeting in the gap is still shown");
    assert_eq!(b.entries[0].state, State::Next);
    assert_eq!(b.entries[0].start.to_rfc3339(), "2026-03-08T03:30:00-04:00");
    assert_eq!(b.entries[0].end.to_rfc3339(), "2026-03-08T04:30:00-04:00");
    // 03:15 EDT: not yet started.
    let at_315 = Utc.with_ymd_and_hms(2026, 3, 8, 7, 15, 0).unwrap();
    assert_eq!(
        board(std::slice::from_ref(&m), &query(at_315)).entries[0].state,
        State::Next
    );
    let at_340 = Utc.with_ymd_and_hms(2026, 3, 8, 7, 40, 0).unwrap();
    assert_eq!(
        board(&[m], &query(at_340)).entries[0].state,
        State::InProgress
    );
}

#[test]
fn fall_back_repeated_hour_start_happens_once_at_first_occurrence() {
    // 2026-11-01, New York: 01:00–02:00 EDT, then 01:00–02:00 EST again.
    let m = in_person("repeat", &[Weekday::Sun], t(1, 30), None);
    let first_0145 = Utc.with_ymd_and_hms(2026, 11, 1, 5, 45, 0).unwrap(); // 01:45 EDT
    let b = board(std::slice::from_ref(&m), &query(first_0145));
    assert_eq!(b.entries[0].state, State::InProgress);
    assert_eq!(b.entries[0].start.to_rfc3339(), "2026-11-01T01:30:00-04:00");
    assert_eq!(
        b.entries[0].end.to_rfc3339(),
        "2026-11-01T01:30:00-05:00",
        "one hour of real time"
    );
    // At the second 01:15 (EST) it is still in progress (started 01:30 EDT = 00:30 EST).
    let second_0115 = Utc.with_ymd_and_hms(2026, 11, 1, 6, 15, 0).unwrap();
    assert_eq!(
        board(std::slice::from_ref(&m), &query(second_0115)).entries[0].state,
        State::InProgress
    );
    // At the second 01:45 (EST) it is over and does not start again.
    let second_0145 = Utc.with_ymd_and_hms(2026, 11, 1, 6, 45, 0).unwrap();
    assert!(board(&[m], &query(second_0145)).entries.is_empty());
}

#[test]
fn overnight_meeting_across_fall_back_keeps_its_wall_clock_length() {
    // Saturday 2026-10-31 23:00–01:00 in New York: two hours of meeting.
    let m = in_person("halloween", &[Weekday::Sat], t(23, 0), Some(t(1, 0)));
    let meetings = [m];
    let b = board(&meetings, &query(at(2026, 10, 31, 23, 30)));
    assert_eq!(b.entries[0].end.to_rfc3339(), "2026-11-01T01:00:00-04:00");
}

#[test]
fn online_only_meetings_have_no_distance_and_hybrid_shows_in_both_groups() {
    let zoom = online("zoom", &[Weekday::Sat], t(19, 0));
    let mut hybrid = in_person("hybrid", &[Weekday::Sat], t(19, 0), None);
    hybrid.conference_url = "https://us02web.zoom.us/j/999".into();
    let meetings = [zoom, hybrid];
    let b = board(&meetings, &query(at(2026, 11, 21, 18, 0)));
    let groups: Vec<(&str, Group, Option<bool>)> = b
        .entries
        .iter()
        .map(|e| (e.meeting.slug(), e.group, e.distance_m.map(|d| d > 0.0)))
        .collect();
    assert_eq!(
        groups,
        vec![
            ("hybrid", Group::Nearby, Some(true)),
            ("hybrid", Group::Online, Some(true)),
            ("zoom", Group::Online, None)
        ]
    );
}

#[test]
fn nearby_sorts_by_start_then_distance_unknown_last_and_radius_excludes() {
    let near = in_person("near", &[Weekday::Sat], t(19, 0), None);
    let mut far = in_person("far", &[Weekday::Sat], t(19, 0), None);
    far.latitude = Some(40.10); // ~17 km north
    let mut unknown = in_person("unknown", &[Weekday::Sat], t(19, 0), None);
    unknown.latitude = None;
    unknown.longitude = None;
    let mut earlier_far = in_person("earlier-far", &[Weekday::Sat], t(18, 30), None);
    earlier_far.latitude = Some(40.10);
    let mut too_far = in_person("new-york-city", &[Weekday::Sat], t(19, 0), None);
    too_far.latitude = Some(40.71);
    too_far.longitude = Some(-74.0);
    let meetings = [unknown, too_far, far, near, earlier_far];
    let names: Vec<String> = states(&meetings, at(2026, 11, 21, 17, 0))
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
    assert_eq!(names, ["earlier-far", "near", "far", "unknown"]);
}

#[test]
fn appointment_only_temporarily_closed_and_unknown_link_meetings_are_not_shown() {
    let appointment = Meeting::new(
        "aa",
        "call-us",
        "By appointment",
        Recurrence::ByAppointment,
        t(0, 0),
    );
    let mut closed = in_person("tc", &[Weekday::Sat], t(19, 0), None);
    closed.types = vec!["TC".into()];
    let mut unknown_host = online("odd-host", &[Weekday::Sat], t(19, 0));
    unknown_host.conference_url = "https://example.org/room".into();
    assert!(states(
        &[appointment, closed, unknown_host],
        at(2026, 11, 21, 18, 0)
    )
    .is_empty());
}

#[test]
fn in_house_meetings_form_their_own_group() {
    let mut alumni = Meeting::new(
        "in-house",
        "alumni",
        "Alumni Group",
        Recurrence::Weekly(vec![Weekday::Sat]),
        t(18, 0),
    );
    alumni.in_house = true;
    alumni.location = "Room 2B".into();
    alumni.end = Some(t(19, 30));
    assert_eq!(
        states(&[alumni], at(2026, 11, 21, 18, 10)),
        vec![(
            "Alumni Group".to_string(),
            Group::InHouse,
            State::InProgress
        )]
    );
}

#[test]
fn second_tuesday_lands_on_the_second_tuesday() {
    let r = Recurrence::Monthly {
        nth: NthWeekday::Nth(2),
        weekday: Weekday::Tue,
    };
    let hits: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2026, 12, 1)
        .unwrap()
        .iter_days()
        .take(62)
        .filter(|d| r.occurs_on(*d))
        .collect();
    assert_eq!(
        hits,
        [
            NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
            NaiveDate::from_ymd_opt(2027, 1, 12).unwrap()
        ]
    );
}

#[test]
fn last_friday_lands_on_the_last_friday_of_four_and_five_friday_months() {
    let r = Recurrence::Monthly {
        nth: NthWeekday::Last,
        weekday: Weekday::Fri,
    };
    let hits: Vec<NaiveDate> = NaiveDate::from_ymd_opt(2026, 1, 1)
        .unwrap()
        .iter_days()
        .take(59)
        .filter(|d| r.occurs_on(*d))
        .collect();
    // January 2026 has five Fridays (30th is the last), February four (27th).
    assert_eq!(
        hits,
        [
            NaiveDate::from_ymd_opt(2026, 1, 30).unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 27).unwrap()
        ]
    );
}

#[test]
fn every_other_week_counts_from_its_anchor() {
    let anchor = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(); // a Tuesday
    let r = Recurrence::EveryOtherWeek { anchor };
    let hits: Vec<String> = NaiveDate::from_ymd_opt(2026, 10, 20)
        .unwrap()
        .iter_days()
        .take(45)
        .filter(|d| r.occurs_on(*d))
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        hits,
        ["2026-11-03", "2026-11-17", "2026-12-01"],
        "nothing before the anchor"
    );
}

#[test]
fn biweekly_meeting_is_on_the_board_only_in_its_week() {
    let mut m = Meeting::new(
        "in-house",
        "family",
        "Family Group",
        Recurrence::EveryOtherWeek {
            anchor: NaiveDate::from_ymd_opt(2026, 11, 7).unwrap(),
        },
        t(18, 0),
    );
    m.in_house = true;
    assert_eq!(
        states(std::slice::from_ref(&m), at(2026, 11, 21, 9, 0)).len(),
        1
    );
    assert!(states(&[m], at(2026, 11, 14, 9, 0)).is_empty());
}

#[test]
fn meeting_in_its_own_time_zone_is_placed_by_that_zone() {
    // A Los Angeles 18:00 online meeting is 21:00 in New York.
    let mut m = online("la", &[Weekday::Sat], t(18, 0));
    m.timezone = Some(chrono_tz::America::Los_Angeles);
    let meetings = [m];
    let b = board(&meetings, &query(at(2026, 11, 21, 20, 0)));
    assert_eq!(b.entries[0].start.to_rfc3339(), "2026-11-21T21:00:00-05:00");
    assert_eq!(b.entries[0].state, State::Next);
}

#[test]
fn filters_narrow_by_program_type_and_mode() {
    let mut aa = in_person("aa-open", &[Weekday::Sat], t(19, 0), None);
    aa.program = "AA".into();
    aa.types = vec!["O".into(), "X".into()];
    let mut na = in_person("na-closed", &[Weekday::Sat], t(19, 0), None);
    na.program = "NA".into();
    na.types = vec!["C".into(), "S".into()];
    let zoom = online("zoom", &[Weekday::Sat], t(19, 0));
    let meetings = [aa, na, zoom];
    let slugs = |f: Filters| -> Vec<String> {
        let mut q = query(at(2026, 11, 21, 18, 0));
        q.filters = f;
        board(&meetings, &q)
            .entries
            .iter()
            .map(|e| e.meeting.slug().to_string())
            .collect()
    };
    assert_eq!(
        slugs(Filters {
            programs: vec!["na".into()],
            ..Default::default()
        }),
        ["na-closed"]
    );
    assert_eq!(
        slugs(Filters {
            open: Some(true),
            ..Default::default()
        }),
        ["aa-open"]
    );
    assert_eq!(
        slugs(Filters {
            wheelchair: true,
            ..Default::default()
        }),
        ["aa-open"]
    );
    assert_eq!(
        slugs(Filters {
            language: Some("S".into()),
            ..Default::default()
        }),
        ["na-closed"]
    );
    assert_eq!(
        slugs(Filters {
            online: Some(true),
            ..Default::default()
        }),
        ["zoom"]
    );
}

/// One of the center's own meetings, with this recurrence.
fn here(slug: &str, recurrence: Recurrence, start: NaiveTime) -> Meeting {
    let mut m = Meeting::new("in-house", slug, slug, recurrence, start);
    m.in_house = true;
    m.end = Some(start + chrono::Duration::minutes(90));
    m
}

/// The look-ahead entries (`State::Coming`): slug, group and local start.
fn coming(meetings: &[Meeting], now: chrono::DateTime<Utc>) -> Vec<(String, Group, String)> {
    board(meetings, &query(now))
        .entries
        .iter()
        .filter(|e| e.state == State::Coming)
        .map(|e| {
            (
                e.meeting.slug().to_string(),
                e.group,
                e.start.format("%a %Y-%m-%d %H:%M %Z").to_string(),
            )
        })
        .collect()
}

#[test]
fn the_centers_meetings_not_on_today_show_their_next_date_this_week() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let mut alumni = here("alumni", Recurrence::Weekly(vec![Weekday::Thu]), t(18, 30));
    alumni.skipped = vec![d(2026, 11, 26)]; // Thanksgiving
    let family = here(
        "family",
        Recurrence::Monthly {
            nth: NthWeekday::Nth(2),
            weekday: Weekday::Tue,
        },
        t(19, 0),
    );
    let last_friday = here(
        "last-friday",
        Recurrence::Monthly {
            nth: NthWeekday::Last,
            weekday: Weekday::Fri,
        },
        t(12, 0),
    );
    let circle = here(
        "circle",
        Recurrence::EveryOtherWeek {
            anchor: d(2026, 1, 6),
        },
        t(12, 0),
    );
    let all = [alumni.clone(), family, last_friday, circle];
    // Tuesday 2026-11-24, 14:00. The circle meets every other Tuesday from Jan 6: Nov 24 is
    // one (46 weeks later), so at 14:00 it is over for today and its next date is Dec 8,
    // beyond the week. Family night (2nd Tuesday) is Dec 8 too: beyond. Last Friday: Nov 27.
    // The alumni group's Thursday is Thanksgiving, skipped: Dec 3 is beyond the 7 days.
    assert_eq!(
        coming(&all, at(2026, 11, 24, 14, 0)),
        vec![(
            "last-friday".to_string(),
            Group::InHouse,
            "Fri 2026-11-27 12:00 EST".to_string()
        )]
    );
    // Saturday 2026-11-28, 10:00: alumni Thursday Dec 3, family night Tuesday Dec 8 is 10
    // days away (not listed), the circle Dec 8 (not listed), last Friday Dec 25 (not listed).
    assert_eq!(
        coming(&all, at(2026, 11, 28, 10, 0)),
        vec![(
            "alumni".to_string(),
            Group::InHouse,
            "Thu 2026-12-03 18:30 EST".to_string()
        )]
    );
    // Thursday Dec 3 at 18:40 the alumni group is on now: listed once, not also as coming.
    let b = board(&all, &query(at(2026, 12, 3, 18, 40)));
    let alumni_entries: Vec<State> = b
        .entries
        .iter()
        .filter(|e| e.meeting.slug() == "alumni")
        .map(|e| e.state)
        .collect();
    assert_eq!(alumni_entries, vec![State::InProgress], "listed once");
    // After it ends (20:00), its next date is a week on: Dec 10.
    assert_eq!(
        coming(std::slice::from_ref(&alumni), at(2026, 12, 3, 20, 5)),
        vec![(
            "alumni".to_string(),
            Group::InHouse,
            "Thu 2026-12-10 18:30 EST".to_string()
        )]
    );
}

#[test]
fn next_dates_cross_midnight_and_a_dst_change_in_local_time() {
    // Sunday 2026-11-01 is the fall-back night in New York. On Saturday Oct 31 at 23:30 a
    // Sunday 10:00 meeting is tomorrow at 10:00 EST (not 09:00 or 11:00).
    let sunday = here(
        "step-study",
        Recurrence::Weekly(vec![Weekday::Sun]),
        t(10, 0),
    );
    assert_eq!(
        coming(std::slice::from_ref(&sunday), at(2026, 10, 31, 23, 30)),
        vec![(
            "step-study".to_string(),
            Group::InHouse,
            "Sun 2026-11-01 10:00 EST".to_string()
        )]
    );
    // Spring forward, Sunday 2026-03-08: from Saturday night, 10:00 EDT.
    assert_eq!(
        coming(std::slice::from_ref(&sunday), at(2026, 3, 7, 22, 0)),
        vec![(
            "step-study".to_string(),
            Group::InHouse,
            "Sun 2026-03-08 10:00 EDT".to_string()
        )]
    );
}

#[test]
fn tomorrow_morning_shows_from_21_00_or_once_a_group_is_done_for_today() {
    // Thursday 2026-11-19. Tomorrow (Friday) morning: a 07:00 nearby meeting, a 09:00 online
    // one, and a 12:00 one that is not "morning". Tonight a 20:30 nearby meeting and a 22:30
    // online one.
    let early = in_person("early-bird", &[Weekday::Fri], t(7, 0), None);
    let zoom = online("morning-zoom", &[Weekday::Fri], t(9, 0));
    let noon = in_person("noon", &[Weekday::Fri], t(12, 0), None);
    let tonight = in_person("tonight", &[Weekday::Thu], t(20, 30), None);
    let late_zoom = online("late-zoom", &[Weekday::Thu], t(22, 30));
    let all = [early, zoom, noon, tonight, late_zoom];
    // 19:00: both groups have more today; no look ahead.
    assert!(coming(&all, at(2026, 11, 19, 19, 0)).is_empty());
    // 20:45: nearby has "tonight" on now, online has 22:30 later: still none.
    assert!(coming(&all, at(2026, 11, 19, 20, 45)).is_empty());
    // 21:00: both groups look ahead to tomorrow before noon, whatever is left today.
    assert_eq!(
        coming(&all, at(2026, 11, 19, 21, 0)),
        vec![
            (
                "early-bird".to_string(),
                Group::Nearby,
                "Fri 2026-11-20 07:00 EST".to_string()
            ),
            (
                "morning-zoom".to_string(),
                Group::Online,
                "Fri 2026-11-20 09:00 EST".to_string()
            ),
        ]
    );
    // 20:45 without tonight's meetings: nothing more today in either group, so the look
    // ahead comes early.
    let mornings = &all[..3];
    assert_eq!(coming(mornings, at(2026, 11, 19, 20, 45)).len(), 2);
}
