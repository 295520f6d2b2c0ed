use super::*;
use crate::schedule::Recurrence;
use chrono::{NaiveTime, TimeZone, Weekday};
use chrono_tz::America::New_York;

fn alumni() -> Meeting {
    let mut m = Meeting::new(
        "in-house",
        "alumni",
        "Thursday Alumni Group",
        Recurrence::Weekly(vec![Weekday::Thu]),
        NaiveTime::from_hms_opt(22, 0, 0).unwrap(),
    );
    m.end = Some(NaiveTime::from_hms_opt(0, 30, 0).unwrap());
    m.in_house = true;
    m
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    New_York
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn sign_in_opens_thirty_minutes_before_and_closes_at_the_end() {
    let m = alumni();
    // Thursday 2026-11-19, 22:00 – 00:30.
    assert_eq!(
        open_occurrence(&m, at(2026, 11, 19, 21, 29), New_York),
        None
    );
    let o = open_occurrence(&m, at(2026, 11, 19, 21, 30), New_York).unwrap();
    assert_eq!(o.local_date, NaiveDate::from_ymd_opt(2026, 11, 19).unwrap());
    // After midnight the overnight meeting still counts for the Thursday it started.
    let late = open_occurrence(&m, at(2026, 11, 20, 0, 29), New_York).unwrap();
    assert_eq!(
        late.local_date,
        NaiveDate::from_ymd_opt(2026, 11, 19).unwrap()
    );
    assert_eq!(open_occurrence(&m, at(2026, 11, 20, 0, 30), New_York), None);
}

#[test]
fn community_meetings_and_closed_windows_are_refused_with_a_reason() {
    let mut store = Store::open_in_memory().unwrap();
    let mut m = alumni();
    let err = sign_in(
        &mut store,
        &m,
        at(2026, 11, 19, 12, 0),
        New_York,
        None,
        true,
    )
    .unwrap_err();
    assert!(err.to_string().contains("30 minutes before"), "{err}");
    m.in_house = false;
    let err = sign_in(
        &mut store,
        &m,
        at(2026, 11, 19, 22, 5),
        New_York,
        None,
        true,
    )
    .unwrap_err();
    assert!(err.to_string().contains("in-house"), "{err}");
}

#[test]
fn one_sign_in_per_card_per_occurrence_and_streaks_count_weeks() {
    let mut store = Store::open_in_memory().unwrap();
    let m = alumni();
    let card = CardVisit { tag: [7; 32] };
    let thursday = |day| at(2026, 11, day, 22, 10);
    let first = sign_in(&mut store, &m, thursday(5), New_York, Some(&card), true).unwrap();
    assert_eq!(
        first,
        SignedIn::Thanks(Some(CardStats {
            visits_this_month: 1,
            streak_weeks: 1
        }))
    );
    let again = sign_in(&mut store, &m, thursday(5), New_York, Some(&card), true).unwrap();
    assert!(matches!(again, SignedIn::AlreadyWithThisCard(_)));
    let date = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    assert_eq!(
        store.attendance_count(&m.id, date(5)).unwrap(),
        1,
        "counted once"
    );
    sign_in(&mut store, &m, thursday(12), New_York, Some(&card), true).unwrap();
    let third = sign_in(&mut store, &m, thursday(19), New_York, Some(&card), true).unwrap();
    assert_eq!(
        third,
        SignedIn::Thanks(Some(CardStats {
            visits_this_month: 3,
            streak_weeks: 3
        }))
    );
    // A missed week restarts the streak; a new month restarts the month's visits.
    let dec = sign_in(
        &mut store,
        &m,
        at(2026, 12, 3, 22, 10),
        New_York,
        Some(&card),
        true,
    )
    .unwrap();
    assert_eq!(
        dec,
        SignedIn::Thanks(Some(CardStats {
            visits_this_month: 1,
            streak_weeks: 1
        }))
    );
    assert_eq!(
        store.card_month(date(19)).unwrap(),
        (1, 0),
        "first time in November"
    );
    assert_eq!(
        store
            .card_month(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
            .unwrap(),
        (0, 1),
        "returning in December"
    );
}

#[test]
fn a_card_after_an_anonymous_tap_adds_the_streak_not_another_count() {
    let mut store = Store::open_in_memory().unwrap();
    let m = alumni();
    let now = at(2026, 11, 19, 22, 10);
    sign_in(&mut store, &m, now, New_York, None, true).unwrap();
    let card = CardVisit { tag: [9; 32] };
    sign_in(&mut store, &m, now, New_York, Some(&card), false).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 19).unwrap();
    assert_eq!(store.attendance_count(&m.id, date).unwrap(), 1);
}

#[test]
fn a_card_signs_in_to_the_meeting_on_screen_or_the_only_one_open() {
    let alumni = alumni(); // Thursdays 22:00 – 00:30, open for sign-in from 21:30.
    let mut family = alumni.clone();
    family.id = "in-house:family".into();
    family.start = NaiveTime::from_hms_opt(19, 0, 0).unwrap();
    family.end = Some(NaiveTime::from_hms_opt(22, 0, 0).unwrap());
    let mut community = alumni.clone();
    community.id = "aa:community".into();
    community.in_house = false;
    let meetings = [alumni, family, community];
    let browsing = |open| CardMoment::Browsing { open };
    let card = |moment, h, mi| card_meeting(&meetings, moment, at(2026, 11, 19, h, mi), New_York);
    // 19:30: only the family group is open.
    assert_eq!(
        card(browsing(None), 19, 30).as_deref(),
        Some("in-house:family")
    );
    // The detail screen of a meeting not open yet does not take the card: the open one does.
    let on_alumni = browsing(Some("in-house:alumni"));
    assert_eq!(card(on_alumni, 19, 30).as_deref(), Some("in-house:family"));
    // 21:45: both are open; the one on screen takes it, else the person must choose.
    assert_eq!(card(on_alumni, 21, 45).as_deref(), Some("in-house:alumni"));
    assert_eq!(card(browsing(None), 21, 45), None);
    // A community meeting on screen is never signed in to; nothing open: tap first.
    assert_eq!(card(browsing(Some("aa:community")), 21, 45), None);
    assert_eq!(card(browsing(None), 12, 0), None);
    // After a tap, the thank-you screen offering a card adds it to that visit; another
    // thank-you screen takes no card.
    let welcome = CardMoment::Welcome {
        meeting: "in-house:family",
    };
    assert_eq!(card(welcome, 12, 0).as_deref(), Some("in-house:family"));
    assert_eq!(card(CardMoment::Thanks, 19, 30), None);
}
