//! Staff PINs: at least 6 digits, stored as Argon2id (OWASP's minimum: 19 MiB, t = 2, p = 1),
//! checked in constant time, with a throttle that survives a power cycle.
//!
//! The throttle slows guessing without locking staff out for good (a prankster could
//! otherwise lock them out): 5 free tries, then 30 s, 1 min, 2 min, 5 min, 10 min, and 15 min
//! for every further failure.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Duration, Utc};

use crate::store::{Store, StoreError, Throttle};

pub const MIN_DIGITS: usize = 6;
const FREE_TRIES: u32 = 5;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Refuses what is not a PIN of at least 6 digits.
pub fn check_pin_rules(pin: &str) -> Result<(), String> {
    if pin.len() < MIN_DIGITS || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "a staff PIN is at least {MIN_DIGITS} digits, digits only"
        ));
    }
    Ok(())
}

/// The PHC string to store for `pin`.
pub fn hash(pin: &str) -> Result<String, String> {
    check_pin_rules(pin)?;
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| format!("no randomness available: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    argon2()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

fn matches(pin: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| argon2().verify_password(pin.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// How long the pad stays closed after `failures` consecutive wrong PINs.
pub fn wait_after(failures: u32) -> Option<Duration> {
    let minutes_x2 = match failures {
        0..=FREE_TRIES => return None,
        6 => 1,  // 30 s
        7 => 2,  // 1 min
        8 => 4,  // 2 min
        9 => 10, // 5 min
        10 => 20,
        _ => 30, // 15 min, the cap
    };
    Some(Duration::seconds(30 * minutes_x2))
}

/// The result of a PIN entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Accepted,
    /// Wrong; the pad is closed until `until` if set.
    Wrong {
        until: Option<DateTime<Utc>>,
    },
    /// Still closed from earlier failures; the PIN was not even checked.
    Wait {
        until: DateTime<Utc>,
    },
    /// No staff PIN has been set: there is no staff screen.
    NoPin,
}

/// Whether any staff PIN is set (no PIN → no staff screen).
pub fn staff_screen_enabled(store: &Store) -> bool {
    store.staff_pins().map(|p| !p.is_empty()).unwrap_or(false)
}

/// Checks `pin` at `now`, updating the persisted throttle — except on a database that can
/// only be read (a failed disk), where staff must still get in and nothing can be kept: the
/// throttle then stays as it was (Argon2id makes each try slow anyway).
pub fn enter(store: &mut Store, pin: &str, now: DateTime<Utc>) -> Result<Entry, StoreError> {
    let pins = store.staff_pins()?;
    if pins.is_empty() {
        return Ok(Entry::NoPin);
    }
    let throttle = store.throttle()?;
    if let Some(until) = throttle.locked_until.filter(|u| now < *u) {
        return Ok(Entry::Wait { until });
    }
    // Every stored hash is checked, so the time taken does not say which one matched.
    let ok = pins
        .iter()
        .fold(false, |ok, stored| matches(pin, stored) | ok);
    let writable = !store.is_read_only();
    if ok {
        if writable {
            store.set_throttle(&Throttle::default())?;
        }
        return Ok(Entry::Accepted);
    }
    let failures = throttle.failures.saturating_add(1);
    let until = wait_after(failures).map(|d| now + d);
    if writable {
        store.set_throttle(&Throttle {
            failures,
            locked_until: until,
        })?;
    }
    Ok(Entry::Wrong { until })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn short_or_non_digit_pins_are_refused() {
        assert!(hash("12345").is_err());
        assert!(hash("12345a").is_err());
        assert!(hash("123456")
            .unwrap()
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    }

    #[test]
    fn throttle_grows_after_five_free_tries_and_caps_at_fifteen_minutes() {
        assert_eq!(wait_after(5), None);
        assert_eq!(wait_after(6), Some(Duration::seconds(30)));
        assert_eq!(wait_after(7), Some(Duration::minutes(1)));
        assert_eq!(wait_after(9), Some(Duration::minutes(5)));
        assert_eq!(wait_after(99), Some(Duration::minutes(15)));
    }

    #[test]
    fn throttle_survives_closing_and_reopening_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
        {
            let mut store = Store::open(&path).unwrap();
            assert_eq!(enter(&mut store, "000000", t0).unwrap(), Entry::NoPin);
            store.set_staff_pin(&hash("482913").unwrap()).unwrap();
            for _ in 0..5 {
                assert_eq!(
                    enter(&mut store, "111111", t0).unwrap(),
                    Entry::Wrong { until: None }
                );
            }
            assert_eq!(
                enter(&mut store, "111111", t0).unwrap(),
                Entry::Wrong {
                    until: Some(t0 + Duration::seconds(30))
                }
            );
        }
        // Power cycle: the pad is still closed, even for the right PIN.
        let mut store = Store::open(&path).unwrap();
        let t1 = t0 + Duration::seconds(10);
        assert_eq!(
            enter(&mut store, "482913", t1).unwrap(),
            Entry::Wait {
                until: t0 + Duration::seconds(30)
            }
        );
        let t2 = t0 + Duration::seconds(31);
        assert_eq!(enter(&mut store, "482913", t2).unwrap(), Entry::Accepted);
        assert_eq!(
            store.throttle().unwrap(),
            Throttle::default(),
            "a right PIN resets it"
        );
    }
}
