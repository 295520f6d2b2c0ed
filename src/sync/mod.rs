//! Where schedule updates come from — files, USB sticks, a synced folder, HTTP feeds — and
//! how they are applied to the store.

pub mod apply;
pub mod bundles;
pub mod feeds;
pub mod files;
pub mod folder;
pub mod http;
pub mod mounts;
pub mod plain;
pub mod service;
pub mod usb;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::words::{Locale, Phrase};

/// The newest result of any update — a stick, the sync folder, a feed — kept for the status
/// file the office reads (`fleet::status`). Shared by the updater threads; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct LastUpdate(Arc<Mutex<Option<UpdateResult>>>);

/// One update's result, in English (the office reads it, not the lobby); as written in the
/// status file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UpdateResult {
    pub at: DateTime<Utc>,
    /// "USB stick", "sync folder", "feed aa-intergroup".
    pub from: String,
    pub ok: bool,
    /// What staff were told, or why it failed.
    pub said: String,
}

impl LastUpdate {
    pub fn record(&self, result: UpdateResult) {
        // A thread that panicked while holding the lock left a whole value behind.
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    }

    pub fn get(&self) -> Option<UpdateResult> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

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
        sentences(self.says.iter().map(|p| locale.say(p)))
    }
}

impl From<Phrase> for Notice {
    /// A single sentence that is not a problem.
    fn from(says: Phrase) -> Notice {
        Notice::new(says, false)
    }
}

/// Phrases as one text, a full stop closing each that does not end a sentence itself
/// ("Schedule updated — 12 in-house, 340 nearby. The report goes onto the stick …").
fn sentences(parts: impl Iterator<Item = String>) -> String {
    let parts: Vec<String> = parts.collect();
    let last = parts.len().saturating_sub(1);
    parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let closed = p.ends_with(['.', '!', '?', '…', ')']);
            if i < last && !closed {
                format!("{p}.")
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// In English, as logged and as the tests read it.
impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&sentences(self.says.iter().map(Phrase::to_string)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sentences_of_a_notice_are_closed_before_the_next_one() {
        let text = super::sentences(
            ["Schedule updated — 2 in-house, 0 nearby", "Safe to remove."]
                .into_iter()
                .map(String::from),
        );
        assert_eq!(
            text,
            "Schedule updated — 2 in-house, 0 nearby. Safe to remove."
        );
        let one = super::sentences(std::iter::once("Schedule updated".to_string()));
        assert_eq!(one, "Schedule updated");
    }
}
