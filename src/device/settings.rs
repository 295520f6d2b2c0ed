//! The config sections of the lobby device: `[screen]` (hours, wake time, rotation,
//! backlight) and `[buttons]` (hardware buttons that wake the screen), and their checks.
//!
//! Parsing only; what the values do lives in `device::sleep`, `device::kms` and
//! `device::buttons`.

use std::path::PathBuf;

use chrono::NaiveTime;
use serde::Deserialize;

use super::buttons::KeyFilter;
use super::screen_hours::{time_of_day, ScreenHours};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Screen {
    /// Local time the screen lights up ("07:00"); with `hours_off`. None → always on.
    #[serde(deserialize_with = "hours_on")]
    pub hours_on: Option<NaiveTime>,
    /// Local time it goes dark ("22:00"); earlier than `hours_on` runs across midnight.
    #[serde(deserialize_with = "hours_off")]
    pub hours_off: Option<NaiveTime>,
    /// How long a touch or a button keeps it lit outside its hours.
    pub wake_minutes: u64,
    /// 0, 90, 180 or 270 degrees clockwise; touch is turned to match.
    pub rotation: u16,
    /// "auto" (the first of /sys/class/backlight), "none" (a black picture only), or the
    /// path of one backlight folder.
    pub backlight: String,
}

impl Default for Screen {
    fn default() -> Self {
        Screen {
            hours_on: None,
            hours_off: None,
            wake_minutes: 5,
            rotation: 0,
            backlight: "auto".into(),
        }
    }
}

impl Screen {
    /// The schedule, or None when the screen stays on all day.
    pub fn hours(&self) -> Result<Option<ScreenHours>, String> {
        match (self.hours_on, self.hours_off) {
            (None, None) => Ok(None),
            (Some(on), Some(off)) => ScreenHours::new(on, off).map(Some),
            _ => Err(
                "[screen] hours_on and hours_off go together (e.g. \"07:00\" and \"22:00\")".into(),
            ),
        }
    }

    /// The backlight folder to use: None for "none"; `/sys/class/backlight` for "auto".
    pub fn backlight_choice(&self) -> BacklightChoice {
        match self.backlight.as_str() {
            "auto" => BacklightChoice::Auto,
            "none" => BacklightChoice::None,
            path => BacklightChoice::Folder(PathBuf::from(path)),
        }
    }
}

fn hours_on<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<NaiveTime>, D::Error> {
    let value = String::deserialize(de)?;
    time_of_day("hours_on", &value)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

fn hours_off<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<NaiveTime>, D::Error> {
    let value = String::deserialize(de)?;
    time_of_day("hours_off", &value)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BacklightChoice {
    Auto,
    None,
    Folder(PathBuf),
}

/// Hardware buttons (evdev), e.g. a gpio-keys button beside the screen.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Buttons {
    /// Input devices to listen to, e.g. "/dev/input/by-path/platform-gpio-keys-event".
    pub devices: Vec<PathBuf>,
    /// Key names (evdev, e.g. "KEY_WAKEUP") that wake the screen; empty → any key.
    pub wake_keys: Vec<String>,
}

/// Checks both sections; messages name the key.
pub fn validate(screen: &Screen, buttons: &Buttons) -> Result<(), String> {
    screen.hours()?;
    if !(1..=240).contains(&screen.wake_minutes) {
        return Err(format!(
            "[screen] wake_minutes = {} must be between 1 and 240",
            screen.wake_minutes
        ));
    }
    if ![0, 90, 180, 270].contains(&screen.rotation) {
        return Err(format!(
            "[screen] rotation = {} must be 0, 90, 180 or 270 (degrees clockwise)",
            screen.rotation
        ));
    }
    if let BacklightChoice::Folder(path) = screen.backlight_choice() {
        if !path.is_absolute() {
            return Err(format!(
                "[screen] backlight = \"{}\" must be \"auto\", \"none\" or an absolute path such as /sys/class/backlight/10-0045",
                screen.backlight
            ));
        }
    }
    KeyFilter::parse(&buttons.wake_keys)?;
    if let Some(p) = buttons.devices.iter().find(|p| !p.is_absolute()) {
        return Err(format!(
            "[buttons] devices: \"{}\" must be an absolute path under /dev/input",
            p.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use std::path::Path;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("k.toml"))
    }

    #[test]
    fn screen_and_buttons_default_to_always_on_upright_and_no_buttons() {
        let c = parse("").unwrap();
        assert_eq!(c.screen.hours().unwrap(), None);
        assert_eq!(c.screen.rotation, 0);
        assert_eq!(c.screen.wake_minutes, 5);
        assert!(c.buttons.devices.is_empty());
    }

    #[test]
    fn screen_hours_across_midnight_and_rotation_are_accepted() {
        let c = parse(
            "[screen]\nhours_on = \"18:00\"\nhours_off = \"02:00\"\nrotation = 270\nwake_minutes = 10\nbacklight = \"none\"\n[buttons]\ndevices = [\"/dev/input/event3\"]\nwake_keys = [\"KEY_WAKEUP\", \"KEY_ENTER\"]\n",
        )
        .unwrap();
        let hours = c.screen.hours().unwrap().unwrap();
        assert!(hours.off < hours.on);
        assert_eq!(c.screen.rotation, 270);
    }

    #[test]
    fn bad_screen_and_button_values_name_the_key() {
        let cases = [
            ("[screen]\nhours_on = \"07:00\"\n", "go together"),
            (
                "[screen]\nhours_on = \"07:00\"\nhours_off = \"25:00\"\n",
                "hours_off = \"25:00\"",
            ),
            (
                "[screen]\nhours_on = \"07:00\"\nhours_off = \"07:00\"\n",
                "both 07:00",
            ),
            (
                "[screen]\nhours_on = \"7\"\nhours_off = \"22:00\"\n",
                "hours_on",
            ),
            ("[screen]\nrotation = 45\n", "rotation = 45"),
            ("[screen]\nwake_minutes = 0\n", "wake_minutes"),
            ("[screen]\nbacklight = \"intel\"\n", "backlight"),
            ("[screen]\nbrightness = 3\n", "brightness"),
            ("[buttons]\nwake_keys = [\"KEY_NOPE\"]\n", "KEY_NOPE"),
            ("[buttons]\ndevices = [\"event3\"]\n", "absolute"),
        ];
        for (text, expected) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }
}
