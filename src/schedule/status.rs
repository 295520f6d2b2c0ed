//! Whether a listing says its meeting is not happening.
//!
//! Real feeds keep meetings that stopped: 831 of the 1928 in Philadelphia's feed are named
//! "(SUSPENDED) …"; others say "Meeting Cancelled 3-17-2020", "Closed until September 2023",
//! "TEMPORARILY CLOSED", or say it in the notes. A person leaving treatment must not walk to a
//! closed door, so such a meeting is not offered at all.
//!
//! "Closed" alone is a meeting type (members only, AA's `C`: "Closed Men's Meeting"), never a
//! status, and `TC` (location temporarily closed) keeps its own rule (the online part only):
//! neither is matched here. In a name, a status phrase anywhere counts. Notes talk about other
//! things too ("also 10am Sunday KU Med cafeteria is suspended until further notice", from
//! Kansas City's feed), so there the phrase must open a sentence, be written in capitals, or
//! follow "meeting", "group" or "this" in its sentence.

use std::fmt;

/// Why a listing is not offered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NotMeeting {
    Suspended,
    Cancelled,
    TemporarilyClosed,
    ClosedUntil,
    OnHiatus,
    NoLongerMeeting,
    /// The feed's own flag: Meeting Guide `attendance_option: inactive`.
    MarkedInactive,
    /// A phrase from the config (`[import] not_meeting_words`).
    Word(String),
}

impl NotMeeting {
    /// "say they are suspended", for a grouped report line ("42 meetings say they …").
    pub fn plural(&self) -> String {
        match self {
            NotMeeting::Suspended => "say they are suspended".into(),
            NotMeeting::Cancelled => "say they are cancelled".into(),
            NotMeeting::TemporarilyClosed => "say they are temporarily closed".into(),
            NotMeeting::ClosedUntil => "say they are closed until a later date".into(),
            NotMeeting::OnHiatus => "say they are on hiatus".into(),
            NotMeeting::NoLongerMeeting => "say they no longer meet".into(),
            NotMeeting::MarkedInactive => "are marked inactive by the feed".into(),
            NotMeeting::Word(w) => format!("say \"{w}\""),
        }
    }
}

impl fmt::Display for NotMeeting {
    /// "says it is suspended", for one row.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotMeeting::Suspended => f.write_str("says it is suspended"),
            NotMeeting::Cancelled => f.write_str("says it is cancelled"),
            NotMeeting::TemporarilyClosed => f.write_str("says it is temporarily closed"),
            NotMeeting::ClosedUntil => f.write_str("says it is closed until a later date"),
            NotMeeting::OnHiatus => f.write_str("says it is on hiatus"),
            NotMeeting::NoLongerMeeting => f.write_str("says it no longer meets"),
            NotMeeting::MarkedInactive => f.write_str("is marked inactive by the feed"),
            NotMeeting::Word(w) => write!(f, "says \"{w}\""),
        }
    }
}

/// Built-in phrases, English and Spanish, lower case, words separated by single spaces.
const PHRASES: &[(&str, NotMeeting)] = &[
    ("suspended", NotMeeting::Suspended),
    ("suspendida", NotMeeting::Suspended),
    ("suspendido", NotMeeting::Suspended),
    ("cancelled", NotMeeting::Cancelled),
    ("canceled", NotMeeting::Cancelled),
    ("cancelada", NotMeeting::Cancelled),
    ("cancelado", NotMeeting::Cancelled),
    ("temporarily closed", NotMeeting::TemporarilyClosed),
    ("closed temporarily", NotMeeting::TemporarilyClosed),
    ("cerrada temporalmente", NotMeeting::TemporarilyClosed),
    ("cerrado temporalmente", NotMeeting::TemporarilyClosed),
    ("temporalmente cerrada", NotMeeting::TemporarilyClosed),
    ("temporalmente cerrado", NotMeeting::TemporarilyClosed),
    ("closed until", NotMeeting::ClosedUntil),
    ("cerrada hasta", NotMeeting::ClosedUntil),
    ("cerrado hasta", NotMeeting::ClosedUntil),
    ("on hiatus", NotMeeting::OnHiatus),
    ("en pausa", NotMeeting::OnHiatus),
    ("no longer meeting", NotMeeting::NoLongerMeeting),
    ("no longer meets", NotMeeting::NoLongerMeeting),
    ("ya no se reune", NotMeeting::NoLongerMeeting),
];

/// Words in notes that make a phrase later in the same sentence be about this meeting.
const SUBJECTS: &[&str] = &["meeting", "group", "this", "reunion", "grupo", "esta"];

/// The phrases that mark a listing as not meeting: the built-in ones plus the config's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusWords {
    extra: Vec<String>,
}

impl StatusWords {
    /// The built-in phrases and `extra` (from `[import] not_meeting_words`): added, never
    /// replacing the built-in ones.
    pub fn with_extra<I: IntoIterator<Item = S>, S: AsRef<str>>(extra: I) -> Self {
        let extra = extra
            .into_iter()
            .map(|w| normalise(w.as_ref()).trim().to_string())
            .filter(|w| !w.is_empty())
            .collect();
        StatusWords { extra }
    }

    /// Why a meeting with this name and these notes is not happening, if it says so.
    pub fn check(&self, name: &str, notes: &str) -> Option<NotMeeting> {
        self.in_name(name).or_else(|| self.in_notes(notes))
    }

    /// Each phrase with what it says; `None` for the config's own words (`Word`). Nothing is
    /// cloned until a phrase is found: every sentence of every listing is checked.
    fn phrases(&self) -> impl Iterator<Item = (&str, Option<&NotMeeting>)> {
        PHRASES
            .iter()
            .map(|(p, why)| (*p, Some(why)))
            .chain(self.extra.iter().map(|w| (w.as_str(), None)))
    }

    /// Why a listing with this name is not happening, if its name says so.
    pub fn in_name(&self, name: &str) -> Option<NotMeeting> {
        let text = normalise(name);
        let starts = word_starts(&text);
        self.phrases()
            .find(|(p, _)| find_words(&text, &starts, p).is_some())
            .map(|(p, why)| said(p, why))
    }

    /// Why a listing with these notes is not happening, if the notes say so of it.
    pub fn in_notes(&self, notes: &str) -> Option<NotMeeting> {
        for sentence in notes.split(['.', '!', '?', '\n', ';', '|']) {
            let text = normalise(sentence);
            let starts = word_starts(&text);
            for (phrase, why) in self.phrases() {
                let Some(at) = find_words(&text, &starts, phrase) else {
                    continue;
                };
                let before = &text[..at];
                let opens = before.trim().is_empty();
                let about_this = before.split_whitespace().any(|w| SUBJECTS.contains(&w));
                if opens || about_this || in_capitals(sentence, phrase) {
                    return Some(said(phrase, why));
                }
            }
        }
        None
    }
}

/// Lower case, accents on Spanish vowels folded, everything but letters and digits a space,
/// padded with a space at each end so whole words can be found as " word ".
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for c in text.chars() {
        let c = match c {
            'á' | 'Á' => 'a',
            'é' | 'É' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'Ó' => 'o',
            'ú' | 'Ú' | 'ü' | 'Ü' => 'u',
            'ñ' | 'Ñ' => 'n',
            c if c.is_alphanumeric() => c.to_lowercase().next().unwrap_or(c),
            _ => ' ',
        };
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        out.push(c);
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

fn said(phrase: &str, why: Option<&NotMeeting>) -> NotMeeting {
    why.cloned()
        .unwrap_or_else(|| NotMeeting::Word(phrase.to_string()))
}

/// Where each word of `text` (as `normalise` made it: " word word ") starts.
fn word_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    (1..bytes.len())
        .filter(|&i| bytes[i - 1] == b' ' && bytes[i] != b' ')
        .collect()
}

/// Where `phrase` starts in `text` (as `normalise` made it) as whole words.
fn find_words(text: &str, starts: &[usize], phrase: &str) -> Option<usize> {
    starts.iter().copied().find(|&at| {
        text[at..]
            .strip_prefix(phrase)
            .is_some_and(|after| after.starts_with(' '))
    })
}

/// Whether the phrase is written in capitals in the original sentence ("… TEMPORARILY CLOSED").
fn in_capitals(sentence: &str, phrase: &str) -> bool {
    let first = phrase.split(' ').next().unwrap_or(phrase);
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.len() > 2 && w.eq_ignore_ascii_case(first) && w == w.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, notes: &str) -> Option<NotMeeting> {
        StatusWords::default().check(name, notes)
    }

    #[test]
    fn names_that_say_the_meeting_stopped_are_not_meetings() {
        for (name, why) in [
            ("(SUSPENDED) Paoli (ONLINE)", NotMeeting::Suspended),
            (
                "Heading Home Group (Meeting Cancelled 3-17-2020)",
                NotMeeting::Cancelled,
            ),
            ("City Line Step - Meeting Canceled", NotMeeting::Cancelled),
            (
                "Keep It Simple - TEMPORARILY CLOSED",
                NotMeeting::TemporarilyClosed,
            ),
            (
                "Noon Group - Closed until September 2023",
                NotMeeting::ClosedUntil,
            ),
            ("Grupo Esperanza (suspendida)", NotMeeting::Suspended),
            (
                "Grupo Luz - cerrada temporalmente",
                NotMeeting::TemporarilyClosed,
            ),
            ("Grupo Nueva Vida CANCELADA", NotMeeting::Cancelled),
            ("Women's Step Study (on hiatus)", NotMeeting::OnHiatus),
            (
                "Tuesday Night - no longer meeting",
                NotMeeting::NoLongerMeeting,
            ),
        ] {
            assert_eq!(check(name, ""), Some(why), "{name}");
        }
    }

    #[test]
    fn closed_alone_is_a_meeting_type_never_a_status() {
        for name in [
            "Closed Men's Meeting",
            "Big Book Closed Discussion",
            "Sober & Gay - Active Temporarily Mtg. at Ethical Society",
            "REBOS (Temporary Location)",
        ] {
            assert_eq!(check(name, ""), None, "{name}");
        }
        assert_eq!(check("Early Birds", "Closed on holidays"), None);
        assert_eq!(
            check("Early Birds", "Closed meeting--for alcoholics only"),
            None
        );
    }

    #[test]
    fn notes_count_when_they_speak_of_this_meeting() {
        assert_eq!(
            check("Early Birds", "Suspended until further notice."),
            Some(NotMeeting::Suspended)
        );
        assert_eq!(
            check(
                "Early Birds",
                "Side door. This meeting is temporarily closed"
            ),
            Some(NotMeeting::TemporarilyClosed)
        );
        assert_eq!(
            check("Early Birds", "Parking in back; MEETING CANCELLED"),
            Some(NotMeeting::Cancelled)
        );
        // Kansas City's feed: another meeting's news in this one's notes.
        assert_eq!(
            check(
                "Serenity",
                "also 10am Sunday KU Med cafeteria is suspended until further notice"
            ),
            None
        );
    }

    #[test]
    fn config_words_add_to_the_built_in_ones() {
        let words = StatusWords::with_extra(["Closed for renovation"]);
        assert_eq!(
            words.check("Noon - closed for renovation", ""),
            Some(NotMeeting::Word("closed for renovation".into()))
        );
        assert_eq!(
            words.check("(SUSPENDED) Noon", ""),
            Some(NotMeeting::Suspended)
        );
    }
}
