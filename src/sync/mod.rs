//! Where schedule updates come from — files, USB sticks, a synced folder, HTTP feeds — and
//! how they are applied to the store.

pub mod apply;
pub mod bundles;
pub mod feeds;
pub mod files;
pub mod folder;
pub mod http;
pub mod mounts;
pub mod service;
pub mod usb;

use crate::kiosk::i18n::{Locale, Phrase};

/// What the kiosk tells staff after an update: "Schedule updated — 12 in-house, 340 nearby,
/// 3 warnings", or exactly why it was refused.
///
/// Kept as phrases, not as finished text: the kiosk says them in the language on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Sentences shown one after the other.
    pub says: Vec<Phrase>,
    /// Refused or failed (shown in the problem colour, and longer).
    pub problem: bool,
}

impl Notice {
    pub fn new(says: Phrase, problem: bool) -> Notice {
        Notice {
            says: vec![says],
            problem,
        }
    }

    /// The notice in `locale`'s language.
    pub fn text_in(&self, locale: &Locale) -> String {
        self.says
            .iter()
            .map(|p| locale.say(p))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// In English, as logged and as the tests read it.
impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let english: Vec<String> = self.says.iter().map(Phrase::to_string).collect();
        f.write_str(&english.join(" "))
    }
}
