//! The words the kiosk says, in English and Spanish from one catalogue: the vocabulary every
//! layer shares. Lower layers say what happened as a `Phrase` (the catalogue's English and its
//! values) and the screen says it in its language; `schedule` writes a meeting's recurrence,
//! distance and the footer's freshness. Nothing here knows Slint or the database.
//!
//! `assets/translations/es/LC_MESSAGES/lobby-kiosk.po` is keyed by the English text. build.rs
//! bundles it for the `.slint` files' `@tr` strings and, read by the same parser, as a table
//! for the words formatted in Rust, so one catalogue serves both. Dates and times are written
//! out by hand (weekday and month names) rather than through a locale crate.
//!
//! It does not pick the language: the kiosk does (`[display] language`, the board's button).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike};
use chrono_tz::Tz;

pub mod codes;
pub mod schedule;

/// A language the screen can show. Read from the config and `--lang` as "en" or "es".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(code: &str) -> Result<Lang, String> {
        Lang::from_code(code).ok_or_else(|| {
            format!("language = \"{code}\" must be \"en\" (English) or \"es\" (Spanish)")
        })
    }
}

impl TryFrom<String> for Lang {
    type Error = String;

    fn try_from(code: String) -> Result<Lang, String> {
        code.parse()
    }
}

/// How the screen writes times of day: "7:00 PM" or "19:00". Read as "12h" or "24h".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum ClockStyle {
    #[default]
    Hours12,
    Hours24,
}

impl TryFrom<String> for ClockStyle {
    type Error = String;

    fn try_from(style: String) -> Result<ClockStyle, String> {
        match style.as_str() {
            "12h" => Ok(ClockStyle::Hours12),
            "24h" => Ok(ClockStyle::Hours24),
            _ => Err(format!("clock = \"{style}\" must be \"12h\" or \"24h\"")),
        }
    }
}

impl Lang {
    /// "en" or "es", as in the config, `--lang` and the catalogue's folder name.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The other language, named in itself: what the board's language button says.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Es,
            Lang::Es => Lang::En,
        }
    }

    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }
}

/// The Spanish catalogue's translated entries, (English msgid, Spanish msgstr) sorted by the
/// English. build.rs reads the `.po` with rspolib, the parser Slint's compiler uses, and
/// keeps the entries Slint keeps, so Rust and Slint cannot read the catalogue differently.
pub const SPANISH: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

fn spanish(english: &str) -> Option<&'static str> {
    SPANISH
        .binary_search_by(|(id, _)| (*id).cmp(english))
        .ok()
        .map(|at| SPANISH[at].1)
}

/// `english` in `lang`; English when the catalogue has no translation.
pub fn tr(lang: Lang, english: &str) -> String {
    match lang {
        Lang::En => english.to_string(),
        Lang::Es => spanish(english).unwrap_or(english).to_string(),
    }
}

/// `tr`, then each `{}` replaced by the next argument, as Slint's `@tr` does.
pub fn trf(lang: Lang, english: &str, args: &[&dyn std::fmt::Display]) -> String {
    let template = tr(lang, english);
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template.as_str();
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// A sentence kept as the catalogue's English and the values for its `{}`, so that the part
/// of the program that says it (an update, a printer, a check of the clock) need not know
/// which language is on screen. `Display` writes the English (logs, reports, the command
/// line); `Locale::say` writes it in the screen's language. Values are shown as they are:
/// a path or an error from the system is not translated, the sentence around it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    english: &'static str,
    args: Vec<String>,
}

/// A `Phrase`; `english` is the catalogue's msgid (tests/translations.rs finds each one).
pub fn phrase(english: &'static str, args: &[&dyn std::fmt::Display]) -> Phrase {
    Phrase {
        english,
        args: args.iter().map(|a| a.to_string()).collect(),
    }
}

impl Phrase {
    pub fn in_lang(&self, lang: Lang) -> String {
        let args: Vec<&dyn std::fmt::Display> = self
            .args
            .iter()
            .map(|a| a as &dyn std::fmt::Display)
            .collect();
        trf(lang, self.english, &args)
    }
}

impl std::fmt::Display for Phrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_lang(Lang::En))
    }
}

/// How the screen writes words, dates and times: the language and the clock style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    pub lang: Lang,
    pub hours24: bool,
}

impl Locale {
    pub fn tr(&self, english: &str) -> String {
        tr(self.lang, english)
    }

    pub fn trf(&self, english: &str, args: &[&dyn std::fmt::Display]) -> String {
        trf(self.lang, english, args)
    }

    /// A `Phrase` in this language.
    pub fn say(&self, phrase: &Phrase) -> String {
        phrase.in_lang(self.lang)
    }

    /// "7:42 PM", "7:42 p. m." or "19:42".
    pub fn clock(&self, t: &DateTime<Tz>) -> String {
        if self.hours24 {
            format!("{}:{:02}", t.hour(), t.minute())
        } else {
            format!("{} {}", self.hour_minute(t), self.half_of_day(t))
        }
    }

    /// A time of day without a date, as a meeting's start: "7:00 PM", "7:00 p. m." or "19:00".
    pub fn clock_of_day(&self, t: chrono::NaiveTime) -> String {
        let (pm, hour) = t.hour12();
        match (self.hours24, self.lang, pm) {
            (true, _, _) => format!("{}:{:02}", t.hour(), t.minute()),
            (false, Lang::En, false) => format!("{hour}:{:02} AM", t.minute()),
            (false, Lang::En, true) => format!("{hour}:{:02} PM", t.minute()),
            (false, Lang::Es, false) => format!("{hour}:{:02} a. m.", t.minute()),
            (false, Lang::Es, true) => format!("{hour}:{:02} p. m.", t.minute()),
        }
    }

    /// "Saturday, November 21" or "sábado, 21 de noviembre".
    pub fn date(&self, t: &DateTime<Tz>) -> String {
        self.day_date(t.date_naive())
    }

    /// A calendar day: "Thursday, November 26" or "jueves, 26 de noviembre".
    pub fn day_date(&self, d: NaiveDate) -> String {
        let weekday = d.weekday().num_days_from_monday() as usize;
        let month = d.month0() as usize;
        match self.lang {
            Lang::En => format!("{}, {} {}", WEEKDAYS_EN[weekday], MONTHS_EN[month], d.day()),
            Lang::Es => format!(
                "{}, {} de {}",
                WEEKDAYS_ES[weekday],
                d.day(),
                MONTHS_ES[month]
            ),
        }
    }

    /// A date with its year, as printed on a slip: "November 22, 2026" or "22 de noviembre de
    /// 2026".
    pub fn long_date(&self, d: NaiveDate) -> String {
        let month = d.month0() as usize;
        match self.lang {
            Lang::En => format!("{} {}, {}", MONTHS_EN[month], d.day(), d.year()),
            Lang::Es => format!("{} de {} de {}", d.day(), MONTHS_ES[month], d.year()),
        }
    }

    /// "Tuesday" or "martes".
    /// "at 7:00 PM", "a las 7:00 p. m.", "a la 1:00 p. m.": in Spanish the article agrees
    /// with the hour shown (one o'clock is singular).
    pub fn at_clock(&self, t: chrono::NaiveTime) -> String {
        let clock = self.clock_of_day(t);
        let hour_shown = if self.hours24 { t.hour() } else { t.hour12().1 };
        match (self.lang, hour_shown) {
            (Lang::En, _) => format!("at {clock}"),
            (Lang::Es, 1) => format!("a la {clock}"),
            (Lang::Es, _) => format!("a las {clock}"),
        }
    }

    /// "Monday", "Monday and Thursday", "lunes, miércoles y viernes".
    pub fn list(&self, items: &[&str]) -> String {
        let and = match self.lang {
            Lang::En => "and",
            Lang::Es => "y",
        };
        match items {
            [] => String::new(),
            [one] => one.to_string(),
            [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
        }
    }

    pub fn weekday(&self, d: chrono::Weekday) -> &'static str {
        let i = d.num_days_from_monday() as usize;
        match self.lang {
            Lang::En => WEEKDAYS_EN[i],
            Lang::Es => WEEKDAYS_ES[i],
        }
    }

    /// "7:00 – 8:30 PM" (the half of day once unless it changes), or "19:00 – 20:30".
    pub fn time_range(&self, start: &DateTime<Tz>, end: &DateTime<Tz>) -> String {
        if !self.hours24 && self.half_of_day(start) == self.half_of_day(end) {
            format!("{} – {}", self.hour_minute(start), self.clock(end))
        } else {
            format!("{} – {}", self.clock(start), self.clock(end))
        }
    }

    /// "in 18 min", "en 1 h 5 min", "starting".
    pub fn starts_in(&self, now: &DateTime<Tz>, start: &DateTime<Tz>) -> String {
        let minutes = (start.signed_duration_since(*now) + Duration::seconds(59))
            .num_minutes()
            .max(0);
        match minutes {
            0 => self.tr("starting"),
            m if m < 60 => self.trf("in {} min", &[&m]),
            m if m % 60 == 0 => self.trf("in {} h", &[&(m / 60)]),
            m => self.trf("in {} h {} min", &[&(m / 60), &(m % 60)]),
        }
    }

    /// "Today", "Tomorrow", "Yesterday" or the date, in the language.
    pub fn day_word(&self, today: NaiveDate, day: NaiveDate) -> String {
        match day.signed_duration_since(today).num_days() {
            0 => self.tr("Today"),
            1 => self.tr("Tomorrow"),
            -1 => self.tr("Yesterday"),
            _ => self.day_date(day),
        }
    }

    fn hour_minute(&self, t: &DateTime<Tz>) -> String {
        let (_, hour) = t.hour12();
        format!("{hour}:{:02}", t.minute())
    }

    fn half_of_day(&self, t: &DateTime<Tz>) -> &'static str {
        match (self.lang, t.hour12().0) {
            (Lang::En, false) => "AM",
            (Lang::En, true) => "PM",
            (Lang::Es, false) => "a. m.",
            (Lang::Es, true) => "p. m.",
        }
    }
}

const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WEEKDAYS_ES: [&str; 7] = [
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Tz> {
        chrono_tz::America::New_York
            .with_ymd_and_hms(2026, 11, 19, h, m, 0)
            .unwrap()
    }

    #[test]
    fn spanish_dates_and_times_are_written_the_spanish_way() {
        let es = Locale {
            lang: Lang::Es,
            hours24: false,
        };
        assert_eq!(es.date(&at(19, 42)), "jueves, 19 de noviembre");
        assert_eq!(es.clock(&at(19, 42)), "7:42 p. m.");
        assert_eq!(es.time_range(&at(19, 0), &at(20, 30)), "7:00 – 8:30 p. m.");
        assert_eq!(es.starts_in(&at(19, 0), &at(19, 18)), "en 18 min");
        let es24 = Locale {
            hours24: true,
            ..es
        };
        assert_eq!(es24.time_range(&at(9, 5), &at(20, 30)), "9:05 – 20:30");
    }

    #[test]
    fn one_oclock_is_singular_in_spanish_and_lists_end_with_and() {
        let time = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let es = Locale {
            lang: Lang::Es,
            hours24: false,
        };
        assert_eq!(es.at_clock(time(13, 0)), "a la 1:00 p. m.");
        assert_eq!(es.at_clock(time(1, 30)), "a la 1:30 a. m.");
        assert_eq!(es.at_clock(time(19, 0)), "a las 7:00 p. m.");
        let es24 = Locale {
            hours24: true,
            ..es
        };
        assert_eq!(es24.at_clock(time(13, 0)), "a las 13:00");
        assert_eq!(es24.at_clock(time(1, 0)), "a la 1:00");
        let en = Locale {
            lang: Lang::En,
            hours24: false,
        };
        assert_eq!(en.at_clock(time(13, 0)), "at 1:00 PM");
        assert_eq!(en.list(&["Monday"]), "Monday");
        assert_eq!(en.list(&["Monday", "Thursday"]), "Monday and Thursday");
        assert_eq!(
            es.list(&["lunes", "miércoles", "viernes"]),
            "lunes, miércoles y viernes"
        );
    }

    #[test]
    fn english_twelve_hour_matches_the_board_format() {
        let en = Locale {
            lang: Lang::En,
            hours24: false,
        };
        assert_eq!(en.date(&at(19, 42)), "Thursday, November 19");
        assert_eq!(en.clock(&at(0, 5)), "12:05 AM");
        assert_eq!(
            en.time_range(&at(11, 0), &at(12, 30)),
            "11:00 AM – 12:30 PM"
        );
        assert_eq!(en.starts_in(&at(19, 0), &at(20, 5)), "in 1 h 5 min");
    }

    #[test]
    fn the_catalogue_table_is_sorted_and_read_whole() {
        assert!(
            SPANISH.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, one entry per msgid"
        );
        assert!(SPANISH
            .iter()
            .all(|(en, es)| !en.is_empty() && !es.is_empty()));
        assert_eq!(tr(Lang::Es, "Nearby"), "Cerca");
        // Escaped quotes in both strings come through as quotes.
        assert_eq!(
            trf(
                Lang::Es,
                "\"{}\" is not on a card; please check the code",
                &[&"12"]
            ),
            "\"12\" no aparece en ninguna tarjeta; revise el código"
        );
        assert_eq!(tr(Lang::Es, "no such words"), "no such words");
    }

    #[test]
    fn a_phrase_is_english_until_said_in_a_language() {
        let p = phrase("Or call {}", &[&"+1 646 558 8656"]);
        assert_eq!(p.to_string(), "Or call +1 646 558 8656");
        let es = Locale {
            lang: Lang::Es,
            hours24: false,
        };
        assert_eq!(es.say(&p), "O llame al +1 646 558 8656");
    }

    #[test]
    fn missing_translations_fall_back_to_english() {
        assert_eq!(tr(Lang::Es, "no such words here"), "no such words here");
        assert_eq!(trf(Lang::En, "in {} min", &[&5]), "in 5 min");
    }
}
