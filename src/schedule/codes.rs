//! Which QR codes a meeting offers, in screen order: join link, call-in, directions.
//!
//! One function decides it for the detail screen, the printed slip and `board --format json`,
//! so what a visitor can scan is the same everywhere. The rules: a join code only for an
//! allow-listed `https:` link; a call-in code only for a number valid in the center's
//! country (`phone`); directions only for an in-person meeting away from the center. Free
//! text shown beside a code goes through the privacy rule (`links::redact_contacts`).
//! The wording of captions is the kiosk's business, not this module's.

use super::links::{self, ProviderList};
use super::phone::{self, Region};
use super::Meeting;

/// How a directions code opens a map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Directions {
    /// A Google Maps URL: the built-in camera apps of iPhones and Android phones both open
    /// https links (in the Maps app when installed, else the browser); iOS opens no `geo:`.
    #[default]
    MapsLink,
    /// RFC 5870 `geo:lat,lon`: Android opens it in a maps app; iOS cameras do not.
    Geo,
    /// The config's template with `{lat}`, `{lon}` and `{address}` filled in.
    Template(String),
}

impl Directions {
    /// From `[links] directions_template`: empty → the maps link, `geo` → a `geo:` URI,
    /// anything else a template.
    pub fn from_setting(setting: &str) -> Directions {
        match setting.trim() {
            "" => Directions::MapsLink,
            s if s.eq_ignore_ascii_case("geo") => Directions::Geo,
            s => Directions::Template(s.to_string()),
        }
    }

    pub fn uri(&self, lat: f64, lon: f64, address: &str) -> String {
        match self {
            Directions::MapsLink => {
                format!("https://www.google.com/maps/search/?api=1&query={lat:.6}%2C{lon:.6}")
            }
            Directions::Geo => links::directions_uri(None, lat, lon, address),
            Directions::Template(t) => links::directions_uri(Some(t), lat, lon, address),
        }
    }
}

/// What the rules depend on besides the meeting.
#[derive(Debug, Clone, Default)]
pub struct CodeRules {
    pub providers: ProviderList,
    pub directions: Directions,
    /// Whose national numbers a phone field may hold without `+`.
    pub region: Region,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeKind {
    /// Join online; the provider's host (`us02web.zoom.us`).
    Join {
        host: String,
    },
    /// Call in; the number as read aloud ("(646) 558-8656").
    Call {
        number: String,
    },
    Directions,
}

/// One code a meeting offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub kind: CodeKind,
    pub uri: String,
    /// Text to show beside it (a passcode, "Password: serenity"), contacts hidden.
    pub note: String,
}

/// The codes, plus what can only be shown as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offer {
    pub codes: Vec<Code>,
    /// A link that may not become a code (not https, or an unknown host), as given.
    pub link_text: Option<String>,
    /// A phone field with no number a phone can dial, contacts hidden.
    pub phone_text: Option<String>,
}

impl Offer {
    pub fn uris(&self) -> Vec<&str> {
        self.codes.iter().map(|c| c.uri.as_str()).collect()
    }
}

/// The codes meeting `m` offers, in the order the detail screen shows them.
pub fn offered(m: &Meeting, rules: &CodeRules) -> Offer {
    let mut offer = Offer::default();
    let url = m.conference_url.trim();
    if !url.is_empty() {
        if rules.providers.is_usable_conference_url(url) {
            offer.codes.push(Code {
                kind: CodeKind::Join {
                    host: links::host_of(url).unwrap_or_default(),
                },
                uri: url.to_string(),
                note: links::redact_contacts(m.conference_url_notes.trim()),
            });
        } else {
            offer.link_text = Some(url.to_string());
        }
    }
    let phone = m.conference_phone.trim();
    if !phone.is_empty() {
        match phone::read(phone, rules.region) {
            Some(dial) => {
                let note = [dial.rest.as_str(), m.conference_phone_notes.trim()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" · ");
                offer.codes.push(Code {
                    kind: CodeKind::Call {
                        number: dial.shown.clone(),
                    },
                    uri: dial.tel_uri(),
                    note: links::redact_contacts(&note),
                });
            }
            None => {
                let shown = links::redact_contacts(phone);
                offer.phone_text = Some(shown).filter(|s| !s.trim().is_empty());
            }
        }
    }
    let mode = m.attendance_mode(&rules.providers);
    if mode.is_in_person() && !m.in_house {
        if let (Some(lat), Some(lon)) = (m.latitude, m.longitude) {
            offer.codes.push(Code {
                kind: CodeKind::Directions,
                uri: rules.directions.uri(lat, lon, &m.address),
                note: String::new(),
            });
        }
    }
    offer
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
    fn hybrid_meeting_offers_join_call_and_directions_in_that_order() {
        let mut m = meeting();
        m.conference_url = "https://zoom.us/j/1".into();
        m.conference_phone = "+1 646 558 8656,,1#".into();
        m.address = "1 Main St".into();
        m.latitude = Some(39.9);
        m.longitude = Some(-75.1);
        let offer = offered(&m, &CodeRules::default());
        assert_eq!(
            offer.uris(),
            [
                "https://zoom.us/j/1",
                "tel:+16465588656,,1#",
                "https://www.google.com/maps/search/?api=1&query=39.900000%2C-75.100000"
            ]
        );
    }

    #[test]
    fn unknown_hosts_and_undiallable_phones_are_text_never_codes() {
        let mut m = meeting();
        m.conference_url = "http://zoom.us/j/1".into();
        m.conference_phone = "Email district29group@example.org for password".into();
        let offer = offered(&m, &CodeRules::default());
        assert!(offer.codes.is_empty());
        assert_eq!(offer.link_text.as_deref(), Some("http://zoom.us/j/1"));
        assert_eq!(
            offer.phone_text.as_deref(),
            Some("Email [hidden] for password")
        );
    }

    #[test]
    fn directions_can_be_geo_or_a_template() {
        assert_eq!(
            Directions::from_setting("geo").uri(39.9, -75.1, ""),
            "geo:39.900000,-75.100000"
        );
        assert_eq!(
            Directions::from_setting("https://osm.org/?mlat={lat}&mlon={lon}").uri(1.5, 2.5, ""),
            "https://osm.org/?mlat=1.500000&mlon=2.500000"
        );
    }
}
