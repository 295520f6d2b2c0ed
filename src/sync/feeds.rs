//! Meeting feeds over HTTPS: fetch when due, apply what changed, keep the last good data
//! when the network or the server fails.
//!
//! The feed's validators (ETag, Last-Modified) and when it last worked are kept in the store,
//! so a restart does not refetch everything and the footer can say how fresh each source is.

use chrono::{DateTime, Duration, SecondsFormat, Utc};

use super::apply::{apply_source, SourceOutcome};
use super::http::{fetch, FeedRequest, Fetched, Limits};
use crate::config::Feed;
use crate::import::{Options, Rules};
use crate::store::Store;

/// After a failure, try again this soon (or at the normal refresh, if sooner).
const RETRY_AFTER_FAILURE_MINUTES: i64 = 15;

/// What one refresh did.
#[derive(Debug)]
pub enum Refreshed {
    /// The server said nothing changed.
    NotModified,
    Applied(SourceOutcome),
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whether `feed` should be fetched at `now`.
pub fn is_due(store: &Store, feed: &Feed, now: DateTime<Utc>) -> bool {
    let Ok(state) = store.feed_state(&feed.name) else {
        return true;
    };
    if state.url != feed.url {
        return true;
    }
    let Some(last) = parse(&state.last_attempt) else {
        return true;
    };
    let mut wait = Duration::minutes(i64::try_from(feed.refresh_minutes).unwrap_or(i64::MAX / 120));
    if !state.last_error.is_empty() {
        wait = wait.min(Duration::minutes(RETRY_AFTER_FAILURE_MINUTES));
    }
    // A clock that jumped backwards must not stop refreshes for days.
    now < last || now - last >= wait
}

/// Fetches one feed and applies it. On any failure the stored schedule is unchanged and the
/// error is recorded for staff.
pub fn refresh(
    store: &mut Store,
    feed: &Feed,
    now: DateTime<Utc>,
    limits: &Limits,
    rules: &Rules,
) -> Result<Refreshed, String> {
    let mut state = store.feed_state(&feed.name).map_err(|e| e.to_string())?;
    if state.url != feed.url {
        // A new URL: the old validators belong to another resource.
        state.etag.clear();
        state.last_modified.clear();
        state.url = feed.url.clone();
    }
    state.last_attempt = stamp(now);
    let request = FeedRequest {
        source: feed.name.clone(),
        url: feed.url.clone(),
        insecure: feed.insecure,
        etag: state.etag.clone(),
        last_modified: state.last_modified.clone(),
    };
    let result =
        fetch(&request, limits)
            .map_err(|e| e.to_string())
            .and_then(|fetched| match fetched {
                Fetched::NotModified => Ok((Refreshed::NotModified, None)),
                Fetched::Body {
                    bytes,
                    etag,
                    last_modified,
                } => apply_body(store, feed, &bytes, now, rules)
                    .map(|outcome| (Refreshed::Applied(outcome), Some((etag, last_modified)))),
            });
    let outcome = match result {
        Ok((refreshed, validators)) => {
            if let Some((etag, last_modified)) = validators {
                state.etag = etag;
                state.last_modified = last_modified;
            }
            state.last_success = stamp(now);
            state.last_error.clear();
            Ok(refreshed)
        }
        Err(e) => {
            state.last_error = e.clone();
            Err(e)
        }
    };
    store
        .set_feed_state(&feed.name, &state)
        .map_err(|e| e.to_string())?;
    outcome
}

fn apply_body(
    store: &mut Store,
    feed: &Feed,
    bytes: &[u8],
    now: DateTime<Utc>,
    rules: &Rules,
) -> Result<SourceOutcome, String> {
    let format = feed.format;
    let options = Options {
        source: feed.name.clone(),
        program: feed.program.clone(),
        in_house: feed.in_house,
        bmlt_formats: None,
        rules: rules.clone(),
    };
    let file = format!("feed {} ({})", feed.name, feed.url);
    let update = store.begin_update().map_err(|e| e.to_string())?;
    let outcome = apply_source(
        &update,
        &mut &bytes[..],
        &file,
        format,
        &options,
        &feed.url,
        &stamp(now),
    )
    .map_err(|e| format!("{e}; keeping the last good schedule"))?;
    update.commit().map_err(|e| e.to_string())?;
    Ok(outcome)
}
