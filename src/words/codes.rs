//! The codes a meeting offers, worded: the caption above each QR code and the links that may
//! only be shown as text, in the screen's (or the slip's) language. Which codes there are is
//! `schedule::codes::offered`'s decision; the detail screen, the slip and `board --format
//! json` all start from it.

use super::schedule as format;
use super::{Lang, Locale};
use crate::schedule::codes::{self, CodeKind, CodeRules};
use crate::schedule::Meeting;

/// A QR code as the detail screen lists it, before it becomes pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeSpec {
    pub uri: String,
    pub caption: String,
    pub text: String,
    pub note: String,
}

/// The codes a meeting may offer, in the order they are shown, and the links that may only
/// be shown as text, captioned in English (`board --format json`, tests).
pub fn codes_for(m: &Meeting, rules: &CodeRules) -> (Vec<CodeSpec>, Vec<String>) {
    let english = Locale {
        lang: Lang::En,
        hours24: false,
    };
    codes_in(m, rules, &english)
}

/// `codes_for` with captions in the screen's language (or the slip's).
pub fn codes_in(m: &Meeting, rules: &CodeRules, locale: &Locale) -> (Vec<CodeSpec>, Vec<String>) {
    let offer = codes::offered(m, rules);
    let specs = offer
        .codes
        .into_iter()
        .map(|code| {
            let (caption, text) = match &code.kind {
                CodeKind::Join { .. } => (
                    locale.trf("Scan to join on {}", &[&format::provider_name(&code.uri)]),
                    String::new(),
                ),
                // The number to read out; the pauses and codes after it are in the QR code.
                CodeKind::Call { number } => (locale.tr("Scan to call in"), number.clone()),
                CodeKind::Directions => (locale.tr("Scan for directions"), String::new()),
            };
            CodeSpec {
                uri: code.uri,
                caption,
                text,
                note: code.note,
            }
        })
        .collect();
    let mut plain = Vec::new();
    if let Some(url) = offer.link_text {
        plain.push(locale.trf("Online link: {}", &[&url]));
    }
    if let Some(phone) = offer.phone_text {
        plain.push(locale.trf("Call-in (no number a phone can dial): {}", &[&phone]));
    }
    (specs, plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Recurrence;
    use chrono::{NaiveTime, Weekday};

    fn meeting() -> Meeting {
        Meeting::new(
            "aa",
            "x",
            "X",
            Recurrence::Weekly(vec![Weekday::Mon]),
            NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
        )
    }

    #[test]
    fn unknown_hosts_and_plain_http_are_text_never_codes() {
        let mut m = meeting();
        m.conference_url = "http://zoom.us/j/1".into();
        let (codes, plain) = codes_for(&m, &CodeRules::default());
        assert!(codes.is_empty());
        assert_eq!(plain, ["Online link: http://zoom.us/j/1"]);
    }

    #[test]
    fn the_call_in_code_says_the_number_and_an_undiallable_phone_is_text() {
        let mut m = meeting();
        m.conference_phone = "1-646-558-8656  ID: 869 126 579  Password: 085729".into();
        let (codes, _) = codes_for(&m, &CodeRules::default());
        assert_eq!(codes[0].caption, "Scan to call in");
        assert_eq!(codes[0].text, "(646) 558-8656");
        assert_eq!(codes[0].uri, "tel:+16465588656,,869126579#,,,,085729#");
        m.conference_phone = "ID: 372 734 770  Password serenity".into();
        let (codes, plain) = codes_for(&m, &CodeRules::default());
        assert!(codes.is_empty());
        assert_eq!(
            plain,
            ["Call-in (no number a phone can dial): ID: 372 734 770  Password serenity"]
        );
    }
}
