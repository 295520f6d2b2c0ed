//! How current the schedule is: the rule behind the footer and the staff screen's warning.
//! A source not refreshed for more than a day is stale and named, so staff notice a feed that
//! stopped working or a stick never brought. Pure; `words::schedule::freshness` says it.

use chrono::{DateTime, Duration, Utc};

/// What the footer says about the schedule's age.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// No source has ever been loaded.
    NoSchedule,
    /// Every source is fresh; the newest update, never after `now` (a clock set back after
    /// an update still reads "today": the clock warning says the rest).
    Updated(DateTime<Utc>),
    /// These sources are more than a day old, with their age in whole days (at least 1).
    Stale(Vec<(String, i64)>),
}

/// The freshness of `sources` (name, last update or successful check) at `now`.
pub fn freshness(sources: &[(String, DateTime<Utc>)], now: DateTime<Utc>) -> Freshness {
    let stale: Vec<(String, i64)> = sources
        .iter()
        .filter(|(_, at)| now.signed_duration_since(*at) > Duration::hours(24))
        .map(|(name, at)| {
            (
                name.clone(),
                now.signed_duration_since(*at).num_days().max(1),
            )
        })
        .collect();
    if !stale.is_empty() {
        return Freshness::Stale(stale);
    }
    match sources.iter().map(|(_, at)| *at).max() {
        None => Freshness::NoSchedule,
        Some(at) => Freshness::Updated(at.min(now)),
    }
}
