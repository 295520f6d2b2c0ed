//! Text for the printer's code page: characters the page has are kept, the rest become
//! sensible ASCII (é → e, “ ” → ", — → -), and anything left over a `?`.
//!
//! Receipt printers do not understand UTF-8: raw UTF-8 bytes print as two or three wrong
//! symbols each. Which characters a page has is the `escpos` crate's table (see
//! `escpos::page_has`), so the two cannot disagree.

/// The code pages the kiosk can print with. PC437 is every ESC/POS printer's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodePage {
    #[default]
    Pc437,
    Pc850,
    Pc858,
    Wpc1252,
}

impl CodePage {
    pub fn from_name(name: &str) -> Option<CodePage> {
        match name
            .trim()
            .to_ascii_uppercase()
            .replace(['-', ' '], "")
            .as_str()
        {
            "PC437" | "CP437" => Some(CodePage::Pc437),
            "PC850" | "CP850" => Some(CodePage::Pc850),
            "PC858" | "CP858" => Some(CodePage::Pc858),
            "WPC1252" | "CP1252" | "WINDOWS1252" => Some(CodePage::Wpc1252),
            _ => None,
        }
    }
}

/// `text` with every character either printable ASCII or one the page has.
pub fn fold(text: &str, page: CodePage) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' || c.is_ascii_graphic() {
            out.push(c);
        } else if c.is_whitespace() {
            // Tabs, no-break and thin spaces: a printer knows one space.
            out.push(' ');
        } else if c.is_control() {
            continue;
        } else if super::escpos::page_has(page, c) {
            out.push(c);
        } else {
            out.push_str(ascii_for(c));
        }
    }
    out
}

/// The nearest plain ASCII for a character a code page lacks.
fn ascii_for(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'š' | 'ś' => "s",
        'Š' | 'Ś' => "S",
        'ž' | 'ź' | 'ż' => "z",
        'Ž' | 'Ź' | 'Ż' => "Z",
        'ł' => "l",
        'Ł' => "L",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        '‘' | '’' | '‚' | '′' | '`' | '´' => "'",
        '“' | '”' | '„' | '″' | '«' | '»' => "\"",
        '–' | '—' | '―' | '‐' | '‑' | '−' => "-",
        '·' | '•' | '∙' | '‧' => "-",
        '…' => "...",
        '€' => "EUR",
        '×' => "x",
        '°' => " deg",
        '¿' | '¡' => "",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_the_page_lacks_become_plain_letters() {
        // PC437 has é and ñ but not Ã or Õ.
        assert_eq!(fold("Café Ñoño", CodePage::Pc437), "Café Ñoño");
        assert_eq!(fold("São João", CodePage::Pc437), "Sao Joao");
        assert_eq!(fold("São João", CodePage::Pc850), "São João");
    }

    #[test]
    fn typographic_punctuation_becomes_ascii() {
        assert_eq!(
            fold("“Hope” — 7:00 · Room 2… ‘ok’", CodePage::Wpc1252),
            "“Hope” — 7:00 · Room 2… ‘ok’",
            "Windows-1252 has them all"
        );
        assert_eq!(
            fold("“Hope” — 7:00 • Room 2… ‘ok’", CodePage::Pc850),
            "\"Hope\" - 7:00 - Room 2... 'ok'"
        );
        assert_eq!(fold("7:00\u{a0}PM\tok", CodePage::Pc437), "7:00 PM ok");
    }

    #[test]
    fn the_euro_sign_is_kept_where_the_page_has_it() {
        assert_eq!(fold("5 €", CodePage::Pc858), "5 €");
        assert_eq!(fold("5 €", CodePage::Pc437), "5 EUR");
    }

    #[test]
    fn characters_with_no_latin_form_become_question_marks() {
        assert_eq!(fold("会議 ok", CodePage::Wpc1252), "?? ok");
    }

    #[test]
    fn code_page_names_are_read_loosely() {
        assert_eq!(CodePage::from_name("pc858"), Some(CodePage::Pc858));
        assert_eq!(CodePage::from_name("Windows-1252"), Some(CodePage::Wpc1252));
        assert_eq!(CodePage::from_name("UTF-8"), None);
    }
}
