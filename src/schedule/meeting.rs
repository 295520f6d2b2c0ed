//! A meeting as the kiosk keeps it: what the public listings say that a lobby screen can use,
//! and its recurrence — on which local dates it meets.
//!
//! Contact names, emails and phones of members are deliberately absent: the importers drop
//! them, so nothing downstream can show them by mistake. Nothing here knows about instants,
//! zones or the board: a date is a local date, and what happens at which moment is decided in
//! `board.rs`.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

/// Length of a meeting that gives no end time (Meeting Guide convention).
pub const DEFAULT_DURATION_MINUTES: i64 = 60;

/// Which Nth weekday of a month a monthly meeting falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NthWeekday {
    /// 1 = first … 5 = fifth (a month without a fifth has no meeting that month).
    Nth(u8),
    /// The last one in the month, whether it is the fourth or the fifth.
    Last,
}

/// When a meeting repeats. Monthly and every-other-week exist for the center's own
/// (in-house) meetings; the public feeds only know weekly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recurrence {
    /// No day or time in the listing: "by appointment". Never on the board.
    ByAppointment,
    /// Every week on each of these days.
    Weekly(Vec<Weekday>),
    /// Once a month, e.g. "2nd Tuesday" or "last Friday".
    Monthly { nth: NthWeekday, weekday: Weekday },
    /// Every other week on the weekday of `anchor`, starting from `anchor`.
    EveryOtherWeek { anchor: NaiveDate },
}

impl Recurrence {
    /// Whether a meeting with this recurrence meets on this local date (skipped dates aside:
    /// see [`Meeting::occurs_on`]).
    pub fn occurs_on(&self, date: NaiveDate) -> bool {
        match self {
            Recurrence::ByAppointment => false,
            Recurrence::Weekly(days) => days.contains(&date.weekday()),
            Recurrence::Monthly { nth, weekday } => {
                date.weekday() == *weekday && is_nth(*nth, date)
            }
            Recurrence::EveryOtherWeek { anchor } => {
                let days = date.signed_duration_since(*anchor).num_days();
                days >= 0 && days % 14 == 0
            }
        }
    }
}

/// Whether `date` is the `nth` of its weekday in its month.
fn is_nth(nth: NthWeekday, date: NaiveDate) -> bool {
    match nth {
        NthWeekday::Nth(n) => (date.day() - 1) / 7 + 1 == u32::from(n),
        NthWeekday::Last => (date + Duration::days(7)).month() != date.month(),
    }
}

/// Weekday from the Meeting Guide number: 0 = Sunday … 6 = Saturday.
pub fn weekday_from_number(n: u32) -> Option<Weekday> {
    match n {
        0 => Some(Weekday::Sun),
        1..=6 => Weekday::try_from((n - 1) as u8).ok(),
        _ => None,
    }
}

/// How a person can attend, derived from the listing's data rather than trusted from a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendanceMode {
    InPerson,
    Online,
    Hybrid,
    /// Neither an exact place nor a usable link: shown nowhere, no QR code.
    Inactive,
}

impl AttendanceMode {
    pub fn is_in_person(self) -> bool {
        matches!(self, AttendanceMode::InPerson | AttendanceMode::Hybrid)
    }
    pub fn is_online(self) -> bool {
        matches!(self, AttendanceMode::Online | AttendanceMode::Hybrid)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    /// `<source>:<slug>`; stable across re-imports of the same feed.
    pub id: String,
    /// The source the meeting came from ("in-house", "aa-intergroup" …); a re-import of a
    /// source replaces exactly that source's meetings.
    pub source: String,
    pub name: String,
    /// AA, NA, Al-Anon, SMART, In-house … (set per source: feeds carry no program).
    pub program: String,
    /// Hosted by the center itself.
    pub in_house: bool,
    pub recurrence: Recurrence,
    /// Local start time in `timezone`.
    pub start: NaiveTime,
    /// Local end time; `None` means start + 60 min; an end not after the start is the next day.
    pub end: Option<NaiveTime>,
    /// The meeting's own zone; `None` means the kiosk's.
    pub timezone: Option<Tz>,
    pub location: String,
    /// Where inside the building: "Room 204", "side door, downstairs" (Meeting Guide
    /// `location_notes`; the in-house file calls it `room`).
    pub location_notes: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Coordinates are city-level only (typical for online meetings): not a place to go to.
    pub approximate: bool,
    pub region: String,
    pub notes: String,
    /// Meeting Guide type codes as given (upper-cased); unknown codes are kept.
    pub types: Vec<String>,
    pub conference_url: String,
    pub conference_url_notes: String,
    pub conference_phone: String,
    pub conference_phone_notes: String,
    /// When the listing last changed, as the feed says it ("YYYY-MM-DD HH:MM:SS" UTC).
    pub updated: String,
    /// Local dates on which the meeting does not take place (holidays), sorted, no repeats.
    pub skipped: Vec<NaiveDate>,
}

impl Meeting {
    /// A meeting with only the essentials set; the rest empty. Used by the demo schedule,
    /// the importers and tests.
    pub fn new(
        source: &str,
        slug: &str,
        name: &str,
        recurrence: Recurrence,
        start: NaiveTime,
    ) -> Self {
        Meeting {
            id: format!("{source}:{slug}"),
            source: source.to_string(),
            name: name.to_string(),
            program: String::new(),
            in_house: false,
            recurrence,
            start,
            end: None,
            timezone: None,
            location: String::new(),
            location_notes: String::new(),
            address: String::new(),
            latitude: None,
            longitude: None,
            approximate: false,
            region: String::new(),
            notes: String::new(),
            types: Vec::new(),
            conference_url: String::new(),
            conference_url_notes: String::new(),
            conference_phone: String::new(),
            conference_phone_notes: String::new(),
            updated: String::new(),
            skipped: Vec::new(),
        }
    }

    /// The slug: the part of the id after the source.
    pub fn slug(&self) -> &str {
        self.id
            .strip_prefix(&self.source)
            .and_then(|s| s.strip_prefix(':'))
            .unwrap_or(&self.id)
    }

    /// Whether the meeting takes place on this local date: its recurrence says so and the
    /// date is not one of its skipped dates.
    pub fn occurs_on(&self, date: NaiveDate) -> bool {
        self.recurrence.occurs_on(date) && self.skipped.binary_search(&date).is_err()
    }

    /// Whether the date is one its recurrence falls on but is skipped (a holiday, or a date
    /// staff cancelled on the kiosk): the board shows it as cancelled.
    pub fn is_cancelled_on(&self, date: NaiveDate) -> bool {
        self.skipped.binary_search(&date).is_ok() && self.recurrence.occurs_on(date)
    }

    pub fn has_type(&self, code: &str) -> bool {
        self.types.iter().any(|t| t.eq_ignore_ascii_case(code))
    }

    /// Wall-clock length: end − start, plus a day when the end is not after the start.
    pub fn duration(&self) -> chrono::Duration {
        match self.end {
            None => chrono::Duration::minutes(DEFAULT_DURATION_MINUTES),
            Some(end) => {
                let d = end.signed_duration_since(self.start);
                if d <= chrono::Duration::zero() {
                    d + chrono::Duration::days(1)
                } else {
                    d
                }
            }
        }
    }

    /// Whether the conference phone holds a number a phone can dial. The importers store it as
    /// `+<E.164>` and its one-tap pauses (checked by shape, without parsing); other text, from
    /// a database written before they did, is read as a US number.
    pub fn has_dialable_phone(&self) -> bool {
        let phone = self.conference_phone.trim();
        if phone.is_empty() {
            return false;
        }
        let dial_string = phone.strip_prefix('+').is_some_and(|rest| {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            (8..=15).contains(&digits)
                && rest[digits..]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'#' | b'*'))
        });
        dial_string || super::phone::read(phone, super::phone::Region::default()).is_some()
    }

    /// Attendance mode as `reference/meeting-formats.md` derives it:
    /// online with a usable link (https, known provider) or a phone number that can be dialled;
    /// in person with an exact address (not approximate) unless temporarily closed (`TC`).
    /// An in-house meeting without an address is at the center itself.
    pub fn attendance_mode(&self, providers: &super::links::ProviderList) -> AttendanceMode {
        let online =
            providers.is_usable_conference_url(&self.conference_url) || self.has_dialable_phone();
        let has_place = !self.address.trim().is_empty() || self.in_house;
        let in_person = has_place && !self.approximate && !self.has_type("TC");
        match (in_person, online) {
            (true, true) => AttendanceMode::Hybrid,
            (true, false) => AttendanceMode::InPerson,
            (false, true) => AttendanceMode::Online,
            (false, false) => AttendanceMode::Inactive,
        }
    }
}
