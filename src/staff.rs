//! What staff change on the kiosk without a schedule file, in one place for the staff screen
//! and `lobby-kiosk staff`: cancel or restore one date of one of the center's meetings, trust
//! or stop trusting a signing key. Each change is written to the journal — what, which
//! meeting or key — and never anything about a visitor.

use chrono::NaiveDate;

use crate::import::bundle::PublicKey;
use crate::schedule::Meeting;
use crate::store::Store;

/// Cancels (`cancel` true) or restores `date` of meeting `id`; the error says why not.
pub fn cancel_date(
    store: &Store,
    id: &str,
    date: NaiveDate,
    cancel: bool,
) -> Result<Meeting, String> {
    let m = store
        .set_cancelled(id, date, cancel)
        .map_err(|e| e.to_string())?
        .map_err(|why| why.to_string())?;
    log::info!(
        "staff: {} {} ({}) on {}",
        if cancel { "cancelled" } else { "restored" },
        m.name,
        m.id,
        date.format("%Y-%m-%d")
    );
    Ok(m)
}

/// Trusts `key` for signed bundles (the USB stick's and the sync folder's).
pub fn trust_key(store: &Store, key: &PublicKey, now: &str) -> Result<(), String> {
    store.trust_key(key, now).map_err(|e| e.to_string())?;
    log::info!("staff: trusted signing key {}", key.key_id());
    Ok(())
}

/// Stops trusting a key trusted on screen (the config's keys are not in the store).
pub fn remove_key(store: &Store, key_id: &str) -> Result<bool, String> {
    let removed = store.remove_key(key_id).map_err(|e| e.to_string())?;
    if removed {
        log::info!("staff: removed signing key {key_id}");
    }
    Ok(removed)
}
