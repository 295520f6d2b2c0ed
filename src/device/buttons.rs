//! Hardware buttons that wake the screen (evdev, e.g. a gpio-keys button beside the panel).
//!
//! Deciding which event is a wake press is pure (`KeyFilter::wakes`) and tested; the device
//! part is a thin thread per configured device that reads events and calls back. It does not
//! grab the device and does not touch the card scanner (that belongs to the input layer).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::thread;
use std::time::Duration;

use evdev::{EventType, KeyCode};

/// Which keys wake the screen: any key, or the listed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFilter {
    keys: Vec<u16>,
}

/// evdev's value for a key going down (1 = press, 0 = release, 2 = autorepeat).
const PRESS: i32 = 1;

impl KeyFilter {
    /// Parses evdev key names ("KEY_WAKEUP", "BTN_0"); empty → any key.
    pub fn parse(names: &[String]) -> Result<KeyFilter, String> {
        let keys = names
            .iter()
            .map(|name| {
                KeyCode::from_str(name.trim()).map(|k| k.code()).map_err(|_| {
                    format!(
                        "[buttons] wake_keys: \"{name}\" is not an evdev key name (e.g. \"KEY_WAKEUP\", \"KEY_POWER\", \"BTN_0\"; `evtest` shows a button's name)"
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(KeyFilter { keys })
    }

    /// Whether one raw input event (type, code, value) is a wake press. Releases and
    /// autorepeat are not: one press wakes once.
    pub fn wakes(&self, event_type: u16, code: u16, value: i32) -> bool {
        event_type == EventType::KEY.0
            && value == PRESS
            && (self.keys.is_empty() || self.keys.contains(&code))
    }
}

/// Listens to each device on its own thread, for the life of the process, and calls `wake`
/// on each wake press. A device that is missing or unreadable is retried every 10 s (a
/// gpio-keys device may appear after the kiosk starts).
pub fn listen(devices: &[PathBuf], filter: KeyFilter, wake: impl Fn() + Send + Clone + 'static) {
    for path in devices {
        let (path, filter, wake) = (path.clone(), filter.clone(), wake.clone());
        let _ = thread::Builder::new()
            .name("buttons".into())
            .spawn(move || read_forever(&path, &filter, &wake));
    }
}

fn read_forever(path: &Path, filter: &KeyFilter, wake: &dyn Fn()) {
    let mut complained = false;
    loop {
        match evdev::Device::open(path) {
            Ok(mut device) => {
                complained = false;
                log::info!("button device {} is open", path.display());
                loop {
                    match device.fetch_events() {
                        Ok(events) => {
                            if events
                                .into_iter()
                                .any(|e| filter.wakes(e.event_type().0, e.code(), e.value()))
                            {
                                wake();
                            }
                        }
                        Err(e) => {
                            log::warn!("button device {}: {e}; reopening", path.display());
                            break;
                        }
                    }
                }
            }
            Err(e) if !complained => {
                complained = true;
                log::warn!(
                    "button device {} cannot be opened: {e} (is the kiosk user in the input group?)",
                    path.display()
                );
            }
            Err(_) => {}
        }
        thread::sleep(Duration::from_secs(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: u16 = 1;
    const ABS: u16 = 3;

    #[test]
    fn any_key_press_wakes_when_no_keys_are_listed() {
        let any = KeyFilter::parse(&[]).unwrap();
        assert!(any.wakes(KEY, KeyCode::KEY_A.code(), 1));
        assert!(!any.wakes(KEY, KeyCode::KEY_A.code(), 0), "release");
        assert!(!any.wakes(KEY, KeyCode::KEY_A.code(), 2), "autorepeat");
        assert!(!any.wakes(ABS, 0, 1), "not a key");
    }

    #[test]
    fn only_listed_keys_wake_when_some_are_listed() {
        let f = KeyFilter::parse(&["KEY_WAKEUP".into(), "BTN_0".into()]).unwrap();
        assert!(f.wakes(KEY, 143, 1));
        assert!(f.wakes(KEY, KeyCode::BTN_0.code(), 1));
        assert!(!f.wakes(KEY, KeyCode::KEY_ENTER.code(), 1));
    }

    #[test]
    fn unknown_key_names_are_refused_with_an_example() {
        let err = KeyFilter::parse(&["WAKE".into()]).unwrap_err();
        assert!(
            err.contains("\"WAKE\"") && err.contains("KEY_WAKEUP"),
            "{err}"
        );
    }
}
