//! Opening the card scanner: found by name or `vendor:product` among `/dev/input/event*`,
//! grabbed exclusively (so its keystrokes never reach the UI as typing), read on its own
//! thread. Codes go to the kiosk over a channel. Kept thin: decoding is `scanner`.

use std::sync::mpsc::{self, Receiver};

use super::scanner::Decoder;

/// Whether `spec` names this device: its name (exact, case-insensitive) or "vvvv:pppp" hex.
pub fn matches(spec: &str, name: &str, vendor: u16, product: u16) -> bool {
    if let Some((v, p)) = spec.split_once(':') {
        if let (Ok(v), Ok(p)) = (u16::from_str_radix(v, 16), u16::from_str_radix(p, 16)) {
            return v == vendor && p == product;
        }
    }
    spec.eq_ignore_ascii_case(name)
}

/// Starts reading the scanner named by `spec`; `Err` says why it could not (the kiosk runs
/// on without card scanning, and `doctor` reports it).
pub fn spawn(spec: &str) -> Result<Receiver<String>, String> {
    let (path, mut device) = evdev::enumerate()
        .find(|(_, d)| {
            let id = d.input_id();
            matches(spec, d.name().unwrap_or(""), id.vendor(), id.product())
        })
        .ok_or_else(|| {
            format!("card scanner \"{spec}\" not found among /dev/input/event* (check [attendance] scanner and that the kiosk user is in the input group)")
        })?;
    device.grab().map_err(|e| {
        format!(
            "{}: cannot take the card scanner for the kiosk alone: {e}",
            path.display()
        )
    })?;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("card-scanner".into())
        .spawn(move || {
            let mut decoder = Decoder::default();
            loop {
                let Ok(events) = device.fetch_events() else {
                    log::error!("the card scanner stopped answering");
                    return;
                };
                for event in events {
                    if event.event_type() == evdev::EventType::KEY {
                        if let Some(code) = decoder.key(event.code(), event.value()) {
                            if tx.send(code).is_err() {
                                return;
                            }
                        }
                    }
                }
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(rx)
}

#[cfg(test)]
mod tests {
    #[test]
    fn scanner_is_found_by_name_or_vendor_and_product() {
        assert!(super::matches(
            "0c2e:0b61",
            "Honeywell Scanner",
            0x0c2e,
            0x0b61
        ));
        assert!(!super::matches(
            "0c2e:0b61",
            "Honeywell Scanner",
            0x0c2e,
            0x0b62
        ));
        assert!(super::matches(
            "honeywell scanner",
            "Honeywell Scanner",
            1,
            2
        ));
    }
}
