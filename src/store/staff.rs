//! What staff change on the kiosk itself, without a new schedule file: one date of one of the
//! center's meetings cancelled (or restored), and signing keys trusted from a stick.
//!
//! A cancelled date is stored as a skipped date of the meeting — the same field a holiday in
//! the center's own file uses — so the board marks it, sign-in is closed for it, and an export
//! of the center's meetings carries it. A re-import of the center's file replaces the
//! meetings as the file says them: staff export first, or cancel again.

use std::fmt;

use chrono::NaiveDate;
use rusqlite::params;

use super::codec::encode_dates;
use super::{db_err, Store, StoreError};
use crate::schedule::Meeting;

/// Why a date of a meeting cannot be cancelled or restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhyNot {
    NoSuchMeeting {
        id: String,
    },
    /// Nearby and online meetings belong to their groups' listings.
    NotInHouse {
        name: String,
    },
    /// The meeting does not fall on that date, so there is nothing to cancel.
    NotThatDay {
        name: String,
        date: NaiveDate,
    },
}

impl fmt::Display for WhyNot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WhyNot::NoSuchMeeting { id } => write!(
                f,
                "there is no meeting \"{id}\" (`lobby-kiosk board --format json` lists the ids)"
            ),
            WhyNot::NotInHouse { name } => write!(
                f,
                "\"{name}\" is not one of the center's own meetings; only those can be cancelled here (a nearby or online meeting's listing belongs to its group)"
            ),
            WhyNot::NotThatDay { name, date } => write!(
                f,
                "\"{name}\" does not meet on {}, so there is nothing to cancel or restore that day",
                date.format("%A %Y-%m-%d")
            ),
        }
    }
}

/// A signing key trusted on the staff screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    pub key_id: String,
    /// The base64 key line.
    pub key: String,
    pub added_at: String,
}

impl Store {
    /// Marks `date` of the center's meeting `id` as cancelled (or, with `cancelled` false,
    /// takes the mark away). Doing it twice is the same as once. Returns the meeting as it is
    /// now stored.
    pub fn set_cancelled(
        &self,
        id: &str,
        date: NaiveDate,
        cancelled: bool,
    ) -> Result<Result<Meeting, WhyNot>, StoreError> {
        let Some(mut m) = self.meeting(id)? else {
            return Ok(Err(WhyNot::NoSuchMeeting { id: id.to_string() }));
        };
        if !m.in_house {
            return Ok(Err(WhyNot::NotInHouse { name: m.name }));
        }
        if !m.recurrence.occurs_on(date) {
            return Ok(Err(WhyNot::NotThatDay { name: m.name, date }));
        }
        match (m.skipped.binary_search(&date), cancelled) {
            (Err(at), true) => m.skipped.insert(at, date),
            (Ok(at), false) => {
                m.skipped.remove(at);
            }
            _ => return Ok(Ok(m)),
        }
        self.conn
            .execute(
                "UPDATE meeting SET skipped = ?2 WHERE id = ?1",
                params![id, encode_dates(&m.skipped)],
            )
            .map_err(db_err(&self.path, "record the cancelled date"))?;
        Ok(Ok(m))
    }

    /// Keys staff trusted on screen, oldest first.
    pub fn trusted_keys(&self) -> Result<Vec<TrustedKey>, StoreError> {
        let e = db_err(&self.path, "read the trusted keys");
        let mut stmt = self
            .conn
            .prepare("SELECT key_id, key, added_at FROM trusted_key ORDER BY added_at, key_id")
            .map_err(&e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(TrustedKey {
                    key_id: r.get(0)?,
                    key: r.get(1)?,
                    added_at: r.get(2)?,
                })
            })
            .map_err(&e)?;
        rows.collect::<Result<_, _>>().map_err(e)
    }

    /// Trusts a key for bundles from now on (again: keeps the first date).
    pub fn trust_key(
        &self,
        key: &crate::import::bundle::PublicKey,
        added_at: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO trusted_key (key_id, key, added_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key_id) DO NOTHING",
                params![key.key_id(), key.base64(), added_at],
            )
            .map(drop)
            .map_err(db_err(&self.path, "trust the key"))
    }

    /// Stops trusting a key trusted on screen; true when it was there.
    pub fn remove_key(&self, key_id: &str) -> Result<bool, StoreError> {
        self.conn
            .execute("DELETE FROM trusted_key WHERE key_id = ?1", [key_id])
            .map(|n| n > 0)
            .map_err(db_err(&self.path, "remove the key"))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveTime, Weekday};

    use super::*;
    use crate::schedule::Recurrence;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn store_with(meetings: &[Meeting]) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        for source in ["in-house", "aa"] {
            let mine: Vec<_> = meetings.iter().filter(|m| m.source == source).collect();
            let update = store.begin_update().unwrap();
            let mut writer = update
                .replace_source(source, "2026-12-01T00:00:00Z")
                .unwrap();
            for m in mine {
                writer.insert(m).unwrap();
            }
            writer.finish().unwrap();
            update.commit().unwrap();
        }
        store
    }

    fn thursday(source: &str, slug: &str, in_house: bool) -> Meeting {
        let mut m = Meeting::new(
            source,
            slug,
            "Thursday Alumni Group",
            Recurrence::Weekly(vec![Weekday::Thu]),
            NaiveTime::from_hms_opt(18, 30, 0).unwrap(),
        );
        m.in_house = in_house;
        m.skipped = vec![date(24)];
        m
    }

    #[test]
    fn a_cancelled_date_is_kept_beside_the_holidays_and_restore_takes_only_it_away() {
        let store = store_with(&[thursday("in-house", "alumni", true)]);
        let id = "in-house:alumni";
        let m = store.set_cancelled(id, date(3), true).unwrap().unwrap();
        assert_eq!(m.skipped, vec![date(3), date(24)]);
        assert!(!store.meeting(id).unwrap().unwrap().occurs_on(date(3)));
        assert!(store.meeting(id).unwrap().unwrap().occurs_on(date(10)));
        // Twice is once.
        store.set_cancelled(id, date(3), true).unwrap().unwrap();
        assert_eq!(
            store.meeting(id).unwrap().unwrap().skipped,
            vec![date(3), date(24)]
        );
        store.set_cancelled(id, date(3), false).unwrap().unwrap();
        let back = store.meeting(id).unwrap().unwrap();
        assert_eq!(back.skipped, vec![date(24)], "the holiday stays");
        assert!(back.occurs_on(date(3)));
    }

    #[test]
    fn only_the_centers_own_meetings_on_their_own_days_can_be_cancelled() {
        let store = store_with(&[
            thursday("in-house", "alumni", true),
            thursday("aa", "thu", false),
        ]);
        assert_eq!(
            store.set_cancelled("aa:thu", date(3), true).unwrap(),
            Err(WhyNot::NotInHouse {
                name: "Thursday Alumni Group".into()
            })
        );
        let wednesday = store
            .set_cancelled("in-house:alumni", date(2), true)
            .unwrap()
            .unwrap_err();
        assert!(
            wednesday.to_string().contains("Wednesday 2026-12-02"),
            "{wednesday}"
        );
        assert!(matches!(
            store.set_cancelled("in-house:nope", date(3), true).unwrap(),
            Err(WhyNot::NoSuchMeeting { .. })
        ));
        assert_eq!(
            store.meeting("aa:thu").unwrap().unwrap().skipped,
            vec![date(24)],
            "nothing changed"
        );
    }
}
