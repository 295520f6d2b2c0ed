//! Which links may become QR codes, and what free text may be shown.
//!
//! A QR code in a lobby is an invitation to point a phone at it: it may only ever lead to an
//! `https:` meeting provider we know (allow-list, extendable in config) or to a `tel:` number
//! (read by `phone`).
//! Anything else is shown as plain text. Free-text notes in real feeds carry members' emails
//! and phone numbers; those are hidden on screen.

/// The reference allow-list of conference providers (`reference/meeting-formats.md`).
pub const KNOWN_PROVIDERS: &[&str] = &[
    "zoom.us",
    "meet.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "webex.com",
    "gotomeeting.com",
    "gotomeet.me",
    "goto.com",
    "bluejeans.com",
    "freeconferencecall.com",
    "freeconference.com",
    "discord.gg",
    "signal.group",
    "skype.com",
    "meet.jit.si",
    "meetings.dialpad.com",
    "zoho.com",
];

/// Hosts whose https links may become QR codes: the known providers plus any from config.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderList {
    hosts: Vec<String>,
}

impl Default for ProviderList {
    fn default() -> Self {
        ProviderList {
            hosts: KNOWN_PROVIDERS.iter().map(|h| h.to_string()).collect(),
        }
    }
}

impl ProviderList {
    /// The reference list extended with the center's own hosts (e.g. its video server).
    pub fn with_extra<I: IntoIterator<Item = String>>(extra: I) -> Self {
        let mut list = ProviderList::default();
        list.hosts
            .extend(extra.into_iter().map(|h| h.trim().to_ascii_lowercase()));
        list
    }

    /// An `https:` URL whose host is a listed provider or a subdomain of one
    /// (`us02web.zoom.us` is Zoom). `https://zoom.us.evil.example` is not.
    pub fn is_usable_conference_url(&self, url: &str) -> bool {
        match https_host(url) {
            Some(host) => self.hosts.iter().any(|p| {
                host == *p
                    || host
                        .strip_suffix(p.as_str())
                        .is_some_and(|sub| sub.ends_with('.'))
            }),
            None => false,
        }
    }
}

/// The lower-cased host of an `https://` URL without credentials, or `None`.
pub fn host_of(url: &str) -> Option<String> {
    https_host(url)
}

fn https_host(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .get(..8)
        .filter(|s| s.eq_ignore_ascii_case("https://"))
        .map(|_| &url[8..])?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') || authority.is_empty() || url.chars().any(char::is_whitespace) {
        return None;
    }
    let host = authority.split(':').next()?.to_ascii_lowercase();
    let valid = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    valid.then_some(host)
}

/// A directions link: the config's template with `{lat}`, `{lon}` and `{address}` filled in,
/// or a `geo:` URI when no template is set.
pub fn directions_uri(template: Option<&str>, lat: f64, lon: f64, address: &str) -> String {
    match template {
        Some(t) => t
            .replace("{lat}", &format!("{lat:.6}"))
            .replace("{lon}", &format!("{lon:.6}"))
            .replace("{address}", &percent_encode(address)),
        None => format!("geo:{lat:.6},{lon:.6}"),
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Free text with email addresses and phone numbers replaced by "[hidden]".
///
/// Real feeds put members' contacts in notes ("call Bob 555-123-4567"). A run of 7 or more
/// digits (allowing spaces, dots, dashes and brackets between them) counts as a phone number,
/// unless it follows a meeting ID or passcode label ("Meeting ID: 869 126 5790"); street
/// numbers, times and years are shorter and stay.
pub fn redact_contacts(text: &str) -> String {
    let words: Vec<String> = text
        .split(' ')
        .map(|w| {
            if looks_like_email(w) {
                "[hidden]".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    redact_phone_numbers(&words.join(" "))
}

fn looks_like_email(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    match w.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty() && domain.contains('.') && !domain.starts_with('.')
        }
        None => false,
    }
}

fn redact_phone_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            || (chars[i] == '+' || chars[i] == '(') && next_is_digit(&chars, i)
        {
            // Extend over digits and the separators phone numbers are written with.
            let mut j = i;
            let mut digits = 0;
            let mut last_digit = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || " .-()+".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    last_digit = j;
                }
                j += 1;
            }
            // "Meeting ID 869 126 5790" is a code to type, not a member's phone.
            if digits >= 7 && !super::phone::follows_label(&out) {
                out.push_str("[hidden]");
                i = last_digit + 1;
                if i < chars.len() && chars[i] == ')' {
                    i += 1;
                }
                continue;
            }
            out.extend(&chars[i..=last_digit.max(i)]);
            i = last_digit.max(i) + 1;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn next_is_digit(chars: &[char], i: usize) -> bool {
    chars.get(i + 1).is_some_and(char::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_subdomains_are_usable_but_lookalikes_are_not() {
        let p = ProviderList::default();
        assert!(p.is_usable_conference_url("https://us02web.zoom.us/j/123?pwd=abc"));
        assert!(p.is_usable_conference_url("https://zoom.us/j/1"));
        assert!(
            !p.is_usable_conference_url("http://zoom.us/j/1"),
            "plain http is never a code"
        );
        assert!(!p.is_usable_conference_url("https://zoom.us.evil.example/j/1"));
        assert!(!p.is_usable_conference_url("https://user@zoom.us/j/1"));
        assert!(!p.is_usable_conference_url("https://example.org/meeting"));
    }

    #[test]
    fn config_can_extend_the_provider_list() {
        let p = ProviderList::with_extra(["video.riverside.example".to_string()]);
        assert!(p.is_usable_conference_url("https://video.riverside.example/alumni"));
    }

    #[test]
    fn notes_hide_emails_and_phone_numbers_but_keep_addresses_and_times() {
        let shown = redact_contacts(
            "Call Bob at (215) 555-0143 or bob@example.org. Side door, 330 Elm St, 7:30 PM",
        );
        assert_eq!(
            shown,
            "Call Bob at [hidden] or [hidden] Side door, 330 Elm St, 7:30 PM"
        );
        assert_eq!(
            redact_contacts("text 215.555.0143 anytime"),
            "text [hidden] anytime"
        );
        assert_eq!(
            redact_contacts("Meeting ID: 869 126 5790, Passcode 1234567"),
            "Meeting ID: 869 126 5790, Passcode 1234567"
        );
    }
}
