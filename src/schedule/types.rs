//! Human labels for Meeting Guide type codes (`reference/meeting-formats.md`).
//! Unknown codes are shown as they came: never dropped, never an error.

const LABELS: &[(&str, &str)] = &[
    ("11", "11th Step Meditation"),
    ("12x12", "12 Steps & 12 Traditions"),
    ("A", "Secular"),
    ("ABSI", "As Bill Sees It"),
    ("AL", "Concurrent with Alateen"),
    ("AL-AN", "Concurrent with Al-Anon"),
    ("ASL", "American Sign Language"),
    ("B", "Big Book"),
    ("BA", "Babysitting Available"),
    ("BE", "Newcomer"),
    ("BI", "Bisexual"),
    ("BRK", "Breakfast"),
    ("C", "Closed"),
    ("CAN", "Candlelight"),
    ("CF", "Child-Friendly"),
    ("D", "Discussion"),
    ("DB", "Digital Basket"),
    ("DD", "Dual Diagnosis"),
    ("DR", "Daily Reflections"),
    ("FF", "Fragrance Free"),
    ("G", "Gay"),
    ("GR", "Grapevine"),
    ("H", "Birthday"),
    ("L", "Lesbian"),
    ("LGBTQ", "LGBTQ"),
    ("LIT", "Literature"),
    ("LS", "Living Sober"),
    ("M", "Men"),
    ("MED", "Meditation"),
    ("N", "Native American"),
    ("NB", "Non-Binary"),
    ("NDG", "Indigenous"),
    ("O", "Open"),
    ("OUT", "Outdoor"),
    ("P", "Professionals"),
    ("POA", "Proof of Attendance"),
    ("POC", "People of Color"),
    ("SEN", "Seniors"),
    ("SM", "Smoking Permitted"),
    ("SP", "Speaker"),
    ("ST", "Step Study"),
    ("T", "Transgender"),
    ("TC", "Location Temporarily Closed"),
    ("TR", "Tradition Study"),
    ("W", "Women"),
    ("X", "Wheelchair Access"),
    ("XB", "Wheelchair-Accessible Bathroom"),
    ("XT", "Cross Talk Permitted"),
    ("Y", "Young People"),
    ("ONL", "Online"),
    // NA-flavoured codes used by TSML for NA sites.
    ("BEG", "Beginner"),
    ("BT", "Basic Text"),
    ("CPT", "12 Concepts"),
    ("CW", "Children Welcome"),
    ("DISC", "Discussion"),
    ("GL", "Gay/Lesbian"),
    ("IP", "IP Study"),
    ("IW", "It Works Study"),
    ("JFT", "Just For Today"),
    ("LC", "Living Clean"),
    ("NS", "Non-Smoking"),
    ("QA", "Q&A"),
    ("RA", "Restricted Access"),
    ("SMOK", "Smoking"),
    ("SPAD", "Spiritual Principle a Day"),
    ("SPK", "Speaker"),
    ("STEP", "Step Study"),
    ("SWG", "Step Working Guide"),
    ("TOP", "Topic"),
    ("TRAD", "Tradition"),
    ("VAR", "Format Varies"),
];

/// Language codes (languages are types too in Meeting Guide).
const LANGUAGES: &[(&str, &str)] = &[
    ("EN", "English"),
    ("S", "Spanish"),
    ("FR", "French"),
    ("DE", "German"),
    ("ITA", "Italian"),
    ("POR", "Portuguese"),
    ("RUS", "Russian"),
    ("POL", "Polish"),
    ("KOR", "Korean"),
    ("JA", "Japanese"),
    ("AR", "Arabic"),
    ("FA", "Persian"),
    ("HI", "Hindi"),
    ("PUN", "Punjabi"),
    ("TL", "Tagalog"),
    ("UK", "Ukrainian"),
    ("TUR", "Turkish"),
    ("HE", "Hebrew"),
    ("NL", "Dutch"),
    ("EL", "Greek"),
];

/// The label for a type code, e.g. `X` → "Wheelchair Access"; an unknown code as given.
pub fn label(code: &str) -> String {
    LABELS
        .iter()
        .chain(LANGUAGES)
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Every label, types and languages: what the screen may need in Spanish.
pub fn all_labels() -> impl Iterator<Item = String> {
    LABELS.iter().chain(LANGUAGES).map(|(_, l)| l.to_string())
}

/// The language a type code names, if it is a language code.
pub fn language(code: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, l)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_spelled_out_and_unknown_codes_kept() {
        assert_eq!(label("X"), "Wheelchair Access");
        assert_eq!(label("onl"), "Online");
        assert_eq!(label("S"), "Spanish");
        assert_eq!(label("ZZZ"), "ZZZ");
        assert_eq!(language("S"), Some("Spanish"));
        assert_eq!(language("O"), None);
    }
}
