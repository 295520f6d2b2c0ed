//! Sign-ins, card aggregates, staff PINs and the PIN throttle: the SQL behind `attendance`.
//!
//! What is stored is what `reference/privacy.md` allows and no more: a count per meeting and
//! local date; per card (by HMAC tag) only this month's visits, the week of the last visit and
//! the weekly streak; which card signed in to which occurrence only for today and yesterday.
//! No time of day is written anywhere, and the card tables have no row ids.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::{db_err, Store, StoreError};
use crate::schedule::Meeting;

/// A card at a sign-in: its tag and the calendar units the aggregates are kept in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardVisit {
    /// HMAC-SHA256(kiosk key, card code).
    pub tag: [u8; 32],
}

/// What a card holder may see about themselves after signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardStats {
    pub visits_this_month: u32,
    pub streak_weeks: u32,
}

/// The outcome of storing a sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Counted (and the card's figures, when a card was given).
    Counted(Option<CardStats>),
    /// This card already signed in to this occurrence: nothing changed.
    CardAlreadySignedIn(CardStats),
}

/// Failed PIN attempts and until when the PIN pad is closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Throttle {
    pub failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn month_of(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// The Monday of the ISO week of `d`.
fn week_monday(d: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

impl Store {
    /// Stores one sign-in for the occurrence of `meeting` on `local_date`, in one transaction.
    /// `count` is false when a card is shown right after an anonymous "I'm here" for the same
    /// occurrence: the person is already counted, the card only adds to their own streak.
    pub fn sign_in(
        &mut self,
        meeting: &Meeting,
        local_date: NaiveDate,
        card: Option<&CardVisit>,
        count: bool,
    ) -> Result<Stored, StoreError> {
        let path = self.path.clone();
        let e = |action| db_err(&path, action);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e("start the sign-in"))?;
        let mut stats = None;
        if let Some(card) = card {
            // Keep only what "one sign-in per card per occurrence" needs: today and yesterday.
            let oldest = day(local_date - chrono::Duration::days(1));
            tx.execute(
                "DELETE FROM card_occurrence WHERE local_date < ?1",
                [&oldest],
            )
            .map_err(e("forget earlier card sign-ins"))?;
            let inserted = tx
                .execute(
                    "INSERT OR IGNORE INTO card_occurrence(tag, meeting_key, local_date) VALUES (?1, ?2, ?3)",
                    params![&card.tag[..], meeting.id, day(local_date)],
                )
                .map_err(e("record the card sign-in"))?;
            if inserted == 0 {
                let stats = read_card(&tx, &card.tag, local_date)
                    .map_err(e("read the card"))?
                    .unwrap_or(CardStats {
                        visits_this_month: 0,
                        streak_weeks: 0,
                    });
                return Ok(Stored::CardAlreadySignedIn(stats));
            }
            stats = Some(update_card(&tx, &card.tag, local_date).map_err(e("update the card"))?);
        }
        if count {
            tx.execute(
                "INSERT INTO attendance(meeting_key, meeting_name, local_date, count) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT(meeting_key, local_date)
                 DO UPDATE SET count = count + 1, meeting_name = excluded.meeting_name",
                params![meeting.id, meeting.name, day(local_date)],
            )
            .map_err(e("record attendance"))?;
        }
        tx.commit().map_err(e("commit the sign-in"))?;
        Ok(Stored::Counted(stats))
    }

    /// Attendance rows in `[from, to]`: meeting key, its name, local date, count.
    pub fn attendance_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(String, String, NaiveDate, u32)>, StoreError> {
        let e = |action| db_err(&self.path, action);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT meeting_key, meeting_name, local_date, count FROM attendance
                 WHERE local_date BETWEEN ?1 AND ?2 ORDER BY meeting_key, local_date",
            )
            .map_err(e("read attendance"))?;
        let rows = stmt
            .query_map(params![day(from), day(to)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })
            .map_err(e("read attendance"))?;
        let mut out = Vec::new();
        for row in rows {
            let (key, name, date, count) = row.map_err(e("read attendance"))?;
            // A row another program damaged is skipped, never fatal.
            if let Ok(date) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") {
                out.push((
                    key,
                    name,
                    date,
                    u32::try_from(count.max(0)).unwrap_or(u32::MAX),
                ));
            }
        }
        Ok(out)
    }

    /// Cards seen in the month of `date`: (first time, returning).
    pub fn card_month(&self, date: NaiveDate) -> Result<(u32, u32), StoreError> {
        let row: Option<(i64, i64)> = self
            .conn
            .query_row(
                "SELECT first_time, returning_cards FROM card_month WHERE month = ?1",
                [month_of(date)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(db_err(&self.path, "read card figures"))?;
        let n = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
        Ok(row.map_or((0, 0), |(a, b)| (n(a), n(b))))
    }

    /// Replaces every staff PIN with this one (an Argon2id PHC string).
    pub fn set_staff_pin(&mut self, hash: &str) -> Result<(), StoreError> {
        let e = |action| db_err(&self.path, action);
        let tx = self.conn.transaction().map_err(e("set the staff PIN"))?;
        tx.execute("DELETE FROM staff_pin", [])
            .map_err(e("set the staff PIN"))?;
        tx.execute("INSERT INTO staff_pin(hash) VALUES (?1)", [hash])
            .map_err(e("set the staff PIN"))?;
        tx.execute("DELETE FROM pin_throttle", [])
            .map_err(e("reset the PIN throttle"))?;
        tx.commit().map_err(e("set the staff PIN"))
    }

    pub fn staff_pins(&self) -> Result<Vec<String>, StoreError> {
        let e = |action| db_err(&self.path, action);
        let mut stmt = self
            .conn
            .prepare("SELECT hash FROM staff_pin")
            .map_err(e("read the staff PIN"))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .map_err(e("read the staff PIN"))?;
        rows.collect::<Result<_, _>>()
            .map_err(e("read the staff PIN"))
    }

    pub fn throttle(&self) -> Result<Throttle, StoreError> {
        let row: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT failures, locked_until FROM pin_throttle WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(db_err(&self.path, "read the PIN throttle"))?;
        Ok(match row {
            None => Throttle::default(),
            Some((failures, until)) => Throttle {
                failures: u32::try_from(failures.max(0)).unwrap_or(u32::MAX),
                locked_until: DateTime::parse_from_rfc3339(&until)
                    .ok()
                    .map(|t| t.with_timezone(&Utc)),
            },
        })
    }

    pub fn set_throttle(&mut self, t: &Throttle) -> Result<(), StoreError> {
        let until = t
            .locked_until
            .map(|u| u.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default();
        self.conn
            .execute(
                "INSERT INTO pin_throttle(id, failures, locked_until) VALUES (1, ?1, ?2)
                 ON CONFLICT(id) DO UPDATE SET failures = excluded.failures,
                     locked_until = excluded.locked_until",
                params![i64::from(t.failures), until],
            )
            .map_err(db_err(&self.path, "record the PIN throttle"))?;
        Ok(())
    }
}

fn read_card(
    tx: &rusqlite::Transaction<'_>,
    tag: &[u8; 32],
    date: NaiveDate,
) -> rusqlite::Result<Option<CardStats>> {
    tx.query_row(
        "SELECT month, visits_month, streak_weeks FROM card WHERE tag = ?1",
        [&tag[..]],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        },
    )
    .optional()
    .map(|row| {
        row.map(|(month, visits, streak)| CardStats {
            visits_this_month: if month == month_of(date) {
                u32::try_from(visits.max(0)).unwrap_or(0)
            } else {
                0
            },
            streak_weeks: u32::try_from(streak.max(0)).unwrap_or(0),
        })
    })
}

/// Adds one visit on `date` to the card's aggregates and the month's first-time/returning
/// counts; returns the card's new figures.
fn update_card(
    tx: &rusqlite::Transaction<'_>,
    tag: &[u8; 32],
    date: NaiveDate,
) -> rusqlite::Result<CardStats> {
    let month = month_of(date);
    let week = week_monday(date);
    let existing: Option<(String, String, i64, String, i64)> = tx
        .query_row(
            "SELECT first_month, month, visits_month, last_week, streak_weeks FROM card WHERE tag = ?1",
            [&tag[..]],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let (first_month, visits, streak, first_visit_this_month) = match existing {
        None => (month.clone(), 1, 1, true),
        Some((first_month, old_month, old_visits, last_week, old_streak)) => {
            let same_month = old_month == month;
            let visits = if same_month { old_visits + 1 } else { 1 };
            let last = NaiveDate::parse_from_str(&last_week, "%Y-%m-%d").ok();
            let streak = match last {
                Some(l) if l == week => old_streak.max(1),
                Some(l) if l + chrono::Duration::days(7) == week => old_streak + 1,
                _ => 1,
            };
            (first_month, visits, streak, !same_month)
        }
    };
    tx.execute(
        "INSERT INTO card(tag, first_month, month, visits_month, last_week, streak_weeks)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(tag) DO UPDATE SET month = excluded.month, visits_month = excluded.visits_month,
             last_week = excluded.last_week, streak_weeks = excluded.streak_weeks",
        params![&tag[..], first_month, month, visits, day(week), streak],
    )?;
    if first_visit_this_month {
        let (first, returning) = if first_month == month { (1, 0) } else { (0, 1) };
        tx.execute(
            "INSERT INTO card_month(month, first_time, returning_cards) VALUES (?1, ?2, ?3)
             ON CONFLICT(month) DO UPDATE SET first_time = first_time + excluded.first_time,
                 returning_cards = returning_cards + excluded.returning_cards",
            params![month, first, returning],
        )?;
    }
    Ok(CardStats {
        visits_this_month: u32::try_from(visits).unwrap_or(0),
        streak_weeks: u32::try_from(streak).unwrap_or(0),
    })
}
