//! What goes on a take-away slip, laid out once as a small document (lines of text, one QR
//! code, rules) that both the ESC/POS encoder and the PNG preview draw, so the two cannot
//! drift apart.
//!
//! The slip says what the detail screen says and nothing more: name, day and time, place or
//! "Online", one QR code chosen by the screen's own rules (`schedule::codes::offered`), the
//! passcode note and the date it was printed — in the language the screen was showing when
//! Print was tapped. Nothing about the person who printed it.
//! Text is folded to the printer's code page and wrapped here, not in the encoders.

use chrono::DateTime;
use chrono_tz::Tz;

use super::settings::PrinterConfig;
use super::text::fold;
use crate::schedule::{links, BoardEntry, CodeRules, Meeting};
use crate::words::codes::codes_in;
use crate::words::schedule as format;
use crate::words::Locale;

/// Width of one character of the printer's standard font (Font A, 12 × 24 dots).
pub const CHAR_DOTS: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Double width and height, bold: the meeting's name.
    Title,
    /// Bold: when, and the passcode.
    Strong,
    Body,
}

impl Style {
    /// How many dots wide one character is in this style.
    pub fn char_dots(self) -> u32 {
        match self {
            Style::Title => 2 * CHAR_DOTS,
            Style::Strong | Style::Body => CHAR_DOTS,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// One printed line: already in the code page and short enough for the paper.
    Text {
        text: String,
        style: Style,
        align: Align,
    },
    /// A QR code, centred.
    Qr { payload: String },
    /// A thin horizontal line across the paper.
    Rule,
    /// An empty line.
    Gap,
}

/// A slip ready to be encoded or previewed.
#[derive(Debug, Clone, PartialEq)]
pub struct Slip {
    /// Printable width in dots (384 on 58 mm paper, 576 on 80 mm).
    pub width_dots: u32,
    pub blocks: Vec<Block>,
}

impl Slip {
    /// The QR code's text, if the slip has one.
    pub fn qr_payload(&self) -> Option<&str> {
        self.blocks.iter().find_map(|b| match b {
            Block::Qr { payload } => Some(payload.as_str()),
            _ => None,
        })
    }

    /// All text lines, top to bottom (for tests and logs-free checks).
    pub fn text_lines(&self) -> Vec<&str> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Lays out the slip for meeting `m`; `entry` is today's occurrence if it has one (as the
/// detail screen has it), `now` the kiosk's local time (only its date is printed).
pub fn layout(
    m: &Meeting,
    entry: Option<&BoardEntry>,
    now: &DateTime<Tz>,
    printer: &PrinterConfig,
    rules: &CodeRules,
    locale: &Locale,
) -> Slip {
    let mut slip = Writer::new(printer);
    slip.text(&m.name, Style::Title, Align::Center);
    slip.gap();

    // Day and time: the kiosk's, and the meeting's own when it keeps another zone.
    let kiosk_tz = now.timezone();
    let own_tz = m.timezone.filter(|tz| *tz != kiosk_tz);
    match entry {
        Some(e) => {
            slip.text(&locale.date(&e.start), Style::Strong, Align::Left);
            let mut time = locale.time_range(&e.start, &e.end);
            if let Some(tz) = own_tz {
                let own = e.start.with_timezone(&tz);
                time = format!(
                    "{time} {} ({} {})",
                    e.start.format("%Z"),
                    locale.clock(&own),
                    own.format("%Z")
                );
            }
            slip.text(&time, Style::Strong, Align::Left);
            slip.text(&format::recurrence(m, locale), Style::Body, Align::Left);
        }
        None => {
            let mut when = format::recurrence(m, locale);
            if let Some(tz) = own_tz {
                when = format!("{when} {}", now.with_timezone(&tz).format("%Z"));
            }
            slip.text(&when, Style::Strong, Align::Left);
        }
    }

    // Where: the building and address, or "Online".
    let mode = m.attendance_mode(&rules.providers);
    if mode.is_in_person() {
        // Free text follows the screen's privacy rule: no emails or personal numbers.
        let room = links::redact_contacts(&m.location_notes);
        for part in [&m.location, &room, &m.address] {
            if !part.trim().is_empty() {
                slip.text(part, Style::Body, Align::Left);
            }
        }
        if mode.is_online() {
            slip.text(&locale.tr("Also online"), Style::Body, Align::Left);
        }
    } else if mode.is_online() {
        slip.text(&locale.tr("Online"), Style::Body, Align::Left);
    }

    // One code: the conference link, else directions, else the phone line — the same codes,
    // by the same rules, as on the screen.
    let (codes, plain) = codes_in(m, rules, locale);
    let url = m.conference_url.trim();
    let chosen = codes
        .iter()
        .position(|c| !url.is_empty() && c.uri == url)
        .or_else(|| codes.iter().position(|c| !c.uri.starts_with("tel:")))
        .or(if codes.is_empty() { None } else { Some(0) });
    if let Some(i) = chosen {
        let code = &codes[i];
        slip.rule();
        slip.blocks.push(Block::Qr {
            payload: code.uri.clone(),
        });
        slip.text(&code.caption, Style::Body, Align::Center);
        if !code.text.is_empty() {
            slip.text(&code.text, Style::Body, Align::Center);
        }
        if !code.note.trim().is_empty() {
            slip.text(&code.note, Style::Strong, Align::Center);
        }
        // A phone line besides the chosen code is still worth having in the pocket.
        for other in codes.iter().filter(|c| c.uri.starts_with("tel:")) {
            if other.uri != code.uri {
                slip.text(
                    &locale.trf("Or call {}", &[&other.text]),
                    Style::Body,
                    Align::Center,
                );
                if !other.note.trim().is_empty() {
                    slip.text(&other.note, Style::Body, Align::Center);
                }
            }
        }
    }
    for link in &plain {
        slip.text(link, Style::Body, Align::Left);
    }
    slip.rule();
    slip.text(
        &locale.trf("Printed {}", &[&locale.long_date(now.date_naive())]),
        Style::Body,
        Align::Center,
    );
    Slip {
        width_dots: printer.paper_dots(),
        blocks: slip.blocks,
    }
}

/// Collects blocks, folding and wrapping text for the paper.
struct Writer<'a> {
    printer: &'a PrinterConfig,
    blocks: Vec<Block>,
}

impl<'a> Writer<'a> {
    fn new(printer: &'a PrinterConfig) -> Self {
        Writer {
            printer,
            blocks: Vec::new(),
        }
    }

    fn text(&mut self, text: &str, style: Style, align: Align) {
        let columns = (self.printer.paper_dots() / style.char_dots()) as usize;
        let folded = fold(text, self.printer.code_page);
        for line in folded.lines().flat_map(|l| wrap(l, columns)) {
            self.blocks.push(Block::Text {
                text: line,
                style,
                align,
            });
        }
    }

    fn gap(&mut self) {
        self.blocks.push(Block::Gap);
    }

    fn rule(&mut self) {
        self.blocks.push(Block::Rule);
    }
}

/// Word-wraps one line to `columns` characters; a word longer than a line is split.
pub fn wrap(line: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut len = 0;
    for word in line.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > columns {
            if len > 0 {
                lines.push(std::mem::take(&mut current));
                len = 0;
            }
            lines.push(word[..columns].iter().collect());
            word.drain(..columns);
        }
        if word.is_empty() {
            continue;
        }
        if len > 0 && len + 1 + word.len() > columns {
            lines.push(std::mem::take(&mut current));
            len = 0;
        }
        if len > 0 {
            current.push(' ');
            len += 1;
        }
        current.extend(word.iter());
        len += word.len();
    }
    if len > 0 {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::schedule::Recurrence;
    use crate::words::Lang;
    use chrono::{NaiveTime, TimeZone, Weekday};

    fn meeting() -> Meeting {
        let mut m = Meeting::new(
            "aa",
            "night-owls",
            "Night Owls — “Open” Discussion",
            Recurrence::Weekly(vec![Weekday::Mon]),
            NaiveTime::from_hms_opt(21, 30, 0).unwrap(),
        );
        m.location = "St. Luke's Hall".into();
        m.address = "330 W Main St, Philadelphia, PA 19104".into();
        m.latitude = Some(39.95);
        m.longitude = Some(-75.16);
        m.conference_phone = "+1 646 558 8656,,123#".into();
        m
    }

    const ENGLISH: Locale = Locale {
        lang: Lang::En,
        hours24: false,
    };

    fn monday_evening() -> DateTime<Tz> {
        chrono_tz::America::New_York
            .with_ymd_and_hms(2026, 11, 23, 19, 10, 0)
            .unwrap()
    }

    #[test]
    fn wrapping_keeps_words_whole_and_splits_only_overlong_ones() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij x", 4), ["abcd", "efgh", "ij x"]);
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn an_in_person_meeting_gets_directions_and_the_phone_as_text() {
        let m = meeting();
        let slip = layout(
            &m,
            None,
            &monday_evening(),
            &Config::default().printer,
            &Config::default().code_rules(),
            &ENGLISH,
        );
        // The directions link both iPhone and Android cameras open.
        assert_eq!(
            slip.qr_payload(),
            Some("https://www.google.com/maps/search/?api=1&query=39.950000%2C-75.160000")
        );
        let lines = slip.text_lines();
        assert!(lines.contains(&"Scan for directions"), "{lines:?}");
        // A US number at a US center, as it is read aloud.
        assert!(lines.contains(&"Or call (646) 558-8656"), "{lines:?}");
        assert!(lines.contains(&"330 W Main St, Philadelphia, PA 19104"));
        assert_eq!(lines.last(), Some(&"Printed November 23, 2026"));
        assert_eq!(slip.width_dots, 576);
    }

    #[test]
    fn every_line_fits_the_paper_and_is_in_the_code_page() {
        let mut config = Config::default();
        config.printer.paper_mm = 58;
        let slip = layout(
            &meeting(),
            None,
            &monday_evening(),
            &config.printer,
            &config.code_rules(),
            &ENGLISH,
        );
        assert_eq!(slip.width_dots, 384);
        for block in &slip.blocks {
            if let Block::Text { text, style, .. } = block {
                let width = text.chars().count() as u32 * style.char_dots();
                assert!(width <= 384, "{text:?} is {width} dots");
                assert!(!text.contains(['—', '“', '”']), "{text:?}");
            }
        }
        // The title is double width: 16 characters a line on 58 mm paper.
        assert_eq!(slip.text_lines()[..2], ["Night Owls -", "\"Open\""]);
    }

    #[test]
    fn an_online_meeting_gets_its_link_and_passcode_and_says_online() {
        let mut m = meeting();
        m.address.clear();
        m.latitude = None;
        m.longitude = None;
        m.location.clear();
        m.conference_url = "https://us02web.zoom.us/j/85512345678".into();
        m.conference_url_notes = "Passcode: 1935".into();
        m.conference_phone.clear();
        let slip = layout(
            &m,
            None,
            &monday_evening(),
            &Config::default().printer,
            &Config::default().code_rules(),
            &ENGLISH,
        );
        assert_eq!(
            slip.qr_payload(),
            Some("https://us02web.zoom.us/j/85512345678")
        );
        let lines = slip.text_lines();
        assert!(lines.contains(&"Online"), "{lines:?}");
        assert!(lines.contains(&"Passcode: 1935"), "{lines:?}");
    }

    #[test]
    fn a_link_to_an_unknown_host_is_text_never_a_code() {
        let mut m = meeting();
        m.latitude = None;
        m.longitude = None;
        m.conference_phone.clear();
        m.conference_url = "https://example.org/meet".into();
        let slip = layout(
            &m,
            None,
            &monday_evening(),
            &Config::default().printer,
            &Config::default().code_rules(),
            &ENGLISH,
        );
        assert_eq!(slip.qr_payload(), None);
        assert!(slip
            .text_lines()
            .contains(&"Online link: https://example.org/meet"));
    }

    #[test]
    fn a_meeting_in_another_zone_says_both_zones() {
        let mut m = meeting();
        m.timezone = Some(chrono_tz::America::Los_Angeles);
        let slip = layout(
            &m,
            None,
            &monday_evening(),
            &Config::default().printer,
            &Config::default().code_rules(),
            &ENGLISH,
        );
        assert!(
            slip.text_lines().contains(&"Every Monday at 9:30 PM PST"),
            "{:?}",
            slip.text_lines()
        );
    }

    #[test]
    fn a_slip_printed_from_the_spanish_screen_is_in_spanish() {
        let spanish = Locale {
            lang: Lang::Es,
            hours24: false,
        };
        let slip = layout(
            &meeting(),
            None,
            &monday_evening(),
            &Config::default().printer,
            &Config::default().code_rules(),
            &spanish,
        );
        let lines = slip.text_lines();
        assert!(lines.contains(&"Cada lunes a las 9:30 p. m."), "{lines:?}");
        assert!(lines.contains(&"Escanee para ver cómo llegar"), "{lines:?}");
        assert!(lines.contains(&"O llame al (646) 558-8656"), "{lines:?}");
        assert_eq!(lines.last(), Some(&"Impreso el 23 de noviembre de 2026"));
    }
}
