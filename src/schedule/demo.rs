//! The built-in sample schedule: what the kiosk shows with no configuration, so a newcomer
//! sees a living board at any hour. Always marked on screen as a sample.
//!
//! Times are laid out around the start of the current hour (the "anchor"), so the schedule
//! stays the same for a whole hour while the minutes tick: one meeting per group is in
//! progress, one is next, and — while the day has more than three hours left (until 21:00) —
//! one is later today. After 21:00 nothing can be "later today": it would have to start more
//! than two hours from now and still before midnight.

use chrono::{DateTime, Datelike, Duration, DurationRound, NaiveDateTime, Weekday};
use chrono_tz::Tz;

use super::{Meeting, Recurrence};

struct Sample {
    source: &'static str,
    slug: &'static str,
    name: &'static str,
    program: &'static str,
    /// Minutes from the anchor.
    offset: i64,
    minutes: i64,
    place: Place,
    types: &'static [&'static str],
    notes: &'static str,
}

enum Place {
    /// A room at the center.
    Room(&'static str),
    /// A hall nearby: name, address, north and east offset from the kiosk in km.
    Hall(&'static str, &'static str, f64, f64),
    Zoom(&'static str, &'static str),
    Phone(&'static str, &'static str),
    Hybrid(&'static str, &'static str, f64, f64, &'static str),
}

const SAMPLES: &[Sample] = &[
    Sample {
        source: "in-house",
        slug: "alumni-group",
        name: "Alumni Group",
        program: "In-house",
        offset: -30,
        minutes: 105,
        place: Place::Room("Room 2B"),
        types: &["O", "D"],
        notes: "Peer-led. Coffee from 15 minutes before.",
    },
    Sample {
        source: "in-house",
        slug: "family-circle",
        name: "Family Circle",
        program: "In-house",
        offset: 80,
        minutes: 60,
        place: Place::Room("Library"),
        types: &["O", "AL-AN"],
        notes: "For family and friends of people in recovery.",
    },
    Sample {
        source: "in-house",
        slug: "candlelight-meditation",
        name: "Candlelight Meditation",
        program: "In-house",
        offset: 190,
        minutes: 60,
        place: Place::Room("Room 1A"),
        types: &["MED", "CAN"],
        notes: "",
    },
    Sample {
        source: "nearby",
        slug: "lunch-bunch",
        name: "Lunch Bunch",
        program: "AA",
        offset: -20,
        minutes: 90,
        place: Place::Hall("St. Luke's Hall", "330 W Main St", 0.9, -0.6),
        types: &["O", "D", "X"],
        notes: "Use the side door on Elm St.",
    },
    Sample {
        source: "nearby",
        slug: "night-owls",
        name: "Night Owls",
        program: "NA",
        offset: 85,
        minutes: 90,
        place: Place::Hall("Grace Church basement", "1201 Spruce St", -1.4, 0.8),
        types: &["O", "JFT", "X"],
        notes: "",
    },
    Sample {
        source: "nearby",
        slug: "hope-for-today",
        name: "Hope for Today",
        program: "Al-Anon",
        offset: 95,
        minutes: 60,
        place: Place::Hybrid(
            "Community Center",
            "45 Market St",
            2.5,
            1.1,
            "https://zoom.us/j/81234567890",
        ),
        types: &["O", "X"],
        notes: "",
    },
    Sample {
        source: "nearby",
        slug: "smart-recovery",
        name: "SMART Recovery",
        program: "SMART",
        offset: 200,
        minutes: 90,
        place: Place::Hall("Public Library, Room 3", "1901 Vine St", 1.8, -2.2),
        types: &["O"],
        notes: "",
    },
    Sample {
        source: "nearby",
        slug: "grupo-nueva-vida",
        name: "Grupo Nueva Vida",
        program: "AA",
        offset: 230,
        minutes: 90,
        place: Place::Hall("Centro Comunitario", "2800 N 5th St", 4.3, 0.4),
        types: &["S", "C", "X"],
        notes: "",
    },
    Sample {
        source: "online",
        slug: "online-big-book",
        name: "Online Big Book Study",
        program: "AA",
        offset: -40,
        minutes: 120,
        place: Place::Zoom("https://us02web.zoom.us/j/85512345678", "Passcode: 1935"),
        types: &["O", "B"],
        notes: "",
    },
    Sample {
        source: "online",
        slug: "women-in-recovery",
        name: "Women in Recovery",
        program: "NA",
        offset: 70,
        minutes: 60,
        place: Place::Zoom("https://meet.google.com/abc-defg-hij", ""),
        types: &["W", "C"],
        notes: "",
    },
    Sample {
        source: "online",
        slug: "phone-meeting",
        name: "Daily Reflections by Phone",
        program: "AA",
        offset: 110,
        minutes: 60,
        place: Place::Phone(
            "+16465588656,,85512345678#,,,,*1935#",
            "Dial in; the code is included.",
        ),
        types: &["O", "DR"],
        notes: "",
    },
    Sample {
        source: "online",
        slug: "smart-online",
        name: "SMART Online",
        program: "SMART",
        offset: 185,
        minutes: 90,
        place: Place::Zoom("https://zoom.us/j/89876543210", "Passcode: smart"),
        types: &["O"],
        notes: "",
    },
];

/// The sample schedule around `now`, for a kiosk at `location` (latitude, longitude).
pub fn demo_schedule(now: DateTime<Tz>, location: (f64, f64)) -> Vec<Meeting> {
    let anchor = now
        .naive_local()
        .duration_trunc(Duration::hours(1))
        .unwrap_or(now.naive_local());
    SAMPLES
        .iter()
        .map(|s| sample_meeting(s, anchor, location))
        .collect()
}

fn sample_meeting(s: &Sample, anchor: NaiveDateTime, (lat, lon): (f64, f64)) -> Meeting {
    let start = anchor + Duration::minutes(s.offset);
    let end = start + Duration::minutes(s.minutes);
    let weekday: Weekday = start.weekday();
    let mut m = Meeting::new(
        s.source,
        s.slug,
        s.name,
        Recurrence::Weekly(vec![weekday]),
        start.time(),
    );
    m.end = Some(end.time());
    m.program = s.program.to_string();
    m.types = s.types.iter().map(|t| t.to_string()).collect();
    m.notes = s.notes.to_string();
    let at_offset = |north_km: f64, east_km: f64| {
        (
            lat + north_km / 111.0,
            lon + east_km / (111.0 * lat.to_radians().cos().max(0.1)),
        )
    };
    match s.place {
        Place::Room(room) => {
            m.in_house = true;
            m.location = room.to_string();
        }
        Place::Hall(name, address, n, e) => {
            m.location = name.to_string();
            m.address = address.to_string();
            (m.latitude, m.longitude) = {
                let (a, b) = at_offset(n, e);
                (Some(a), Some(b))
            };
        }
        Place::Hybrid(name, address, n, e, url) => {
            m.location = name.to_string();
            m.address = address.to_string();
            (m.latitude, m.longitude) = {
                let (a, b) = at_offset(n, e);
                (Some(a), Some(b))
            };
            m.conference_url = url.to_string();
            m.conference_url_notes = "Passcode: hope".to_string();
        }
        Place::Zoom(url, notes) => {
            m.conference_url = url.to_string();
            m.conference_url_notes = notes.to_string();
            m.approximate = true;
        }
        Place::Phone(phone, notes) => {
            m.conference_phone = phone.to_string();
            m.conference_phone_notes = notes.to_string();
            m.approximate = true;
        }
    }
    m
}

/// A large synthetic feed for benchmarks and load tests: `n` weekly meetings spread over the
/// week, the day and about 60 km around `location`, a third of them online. Not shown to anyone.
pub fn synthetic_feed(n: usize, (lat, lon): (f64, f64)) -> Vec<Meeting> {
    (0..n)
        .map(|i| {
            let start =
                chrono::NaiveTime::from_hms_opt((i * 7 % 24) as u32, (i * 13 % 4 * 15) as u32, 0)
                    .unwrap_or_default();
            let mut m = Meeting::new(
                "feed",
                &format!("m{i}"),
                &format!("Meeting {i}"),
                Recurrence::Weekly(vec![
                    super::weekday_from_number((i % 7) as u32).unwrap_or(Weekday::Sun)
                ]),
                start,
            );
            m.program = ["AA", "NA", "Al-Anon", "SMART"][i % 4].into();
            m.types = vec!["O".into(), "D".into()];
            if i % 3 == 0 {
                m.conference_url = format!("https://zoom.us/j/{i}");
                m.approximate = true;
            } else {
                m.location = format!("Hall {i}");
                m.address = format!("{i} Main St");
                m.latitude = Some(lat + ((i * 37 % 100) as f64 - 50.0) / 100.0);
                m.longitude = Some(lon + ((i * 53 % 100) as f64 - 50.0) / 100.0);
            }
            m
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{board, BoardQuery, Filters, Group, ProviderList, State};
    use chrono::{TimeZone, Timelike};

    #[test]
    fn every_group_has_in_progress_and_next_at_every_minute_of_a_day_and_later_until_nine_pm() {
        let tz = chrono_tz::America::New_York;
        let location = (39.9526, -75.1652);
        let start = tz.with_ymd_and_hms(2026, 11, 21, 0, 0, 0).unwrap();
        for minute in (0..24 * 60).step_by(7) {
            let now = start + Duration::minutes(minute);
            let meetings = demo_schedule(now, location);
            let q = BoardQuery {
                now: now.with_timezone(&chrono::Utc),
                timezone: tz,
                location: Some(location),
                radius_m: 40_000.0,
                filters: Filters::default(),
                providers: ProviderList::default(),
            };
            let b = board(&meetings, &q);
            for group in [Group::InHouse, Group::Nearby, Group::Online] {
                let has = |state| b.group(group).any(|e| e.state == state);
                assert!(has(State::InProgress), "{group:?} in progress at {now}");
                assert!(has(State::Next), "{group:?} next at {now}");
                if now.hour() < 21 {
                    assert!(has(State::Later), "{group:?} later at {now}");
                }
            }
        }
    }
}
