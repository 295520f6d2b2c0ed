//! The kiosk's configuration file (TOML): where it is, what it says, and what a bad one means.
//!
//! Every key has a default, so a file with only `[center]`, `[board]` and `[database]` stays
//! valid as features are added. No file at all means demo mode; a file that was given or found
//! but cannot be used is an error naming the problem — never a silent fallback to the demo.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;

use crate::import::Format;
use crate::schedule::codes::{CodeRules, Directions};
use crate::schedule::phone::Region;
use crate::schedule::status::StatusWords;
use crate::schedule::ProviderList;
use crate::words::schedule::DistanceUnit;
use crate::words::{ClockStyle, Lang, Locale};

/// Where the kiosk looks when `--config` is not given.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/lobby-kiosk/config.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub center: Center,
    pub board: BoardConfig,
    pub database: Database,
    pub idle: Idle,
    pub window: Window,
    pub links: Links,
    pub import: ImportConfig,
    pub bundles: Bundles,
    pub usb: Usb,
    pub sync: SyncFolder,
    /// Several sites: the counts and status this kiosk writes for the office.
    pub fleet: Fleet,
    pub feeds: Vec<Feed>,
    /// The lobby device: screen hours, wake time, rotation, backlight.
    pub screen: crate::device::settings::Screen,
    /// Hardware buttons that wake the screen.
    pub buttons: crate::device::settings::Buttons,
    /// The receipt printer for take-away slips; no `uri`, no printer.
    pub printer: crate::printer::PrinterConfig,
    pub attendance: AttendanceConfig,
    /// The language shown after idle reset, and the clock style.
    pub display: Display,
}

/// How listings are read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportConfig {
    /// Words that say a meeting is not happening, besides the built-in ones ("suspended",
    /// "cancelled", "temporarily closed" … in English and Spanish): e.g. a local phrasing.
    pub not_meeting_words: Vec<String>,
}

/// Sign-in, cards and reports.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AttendanceConfig {
    /// Optional sign-in cards (scanned or typed). Off: no card offer on screen.
    pub cards: bool,
    /// The card scanner: its evdev name or "vendor:product" in hex; empty: none.
    pub scanner: String,
    /// Exports show counts below this as "<K" (at least 5).
    pub min_cell: u32,
}

impl Default for AttendanceConfig {
    fn default() -> Self {
        AttendanceConfig {
            cards: false,
            scanner: String::new(),
            min_cell: crate::attendance::report::DEFAULT_MIN_CELL,
        }
    }
}

/// Signed schedule bundles (USB sticks and the sync folder).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Bundles {
    /// minisign public key files; two allow a key rotation. None → every bundle is refused.
    pub public_keys: Vec<PathBuf>,
    /// Where a bundle is copied before it is checked.
    pub staging: Option<PathBuf>,
}

/// Removable media.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Usb {
    /// Folders under which sticks are mounted (a stick is a folder one or two levels down).
    pub mount_roots: Vec<PathBuf>,
    pub enabled: bool,
}

impl Default for Usb {
    fn default() -> Self {
        Usb {
            mount_roots: ["/media", "/run/media", "/mnt"].map(PathBuf::from).to_vec(),
            enabled: true,
        }
    }
}

/// A folder kept in sync by Syncthing, rsync or the like, holding a signed bundle.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SyncFolder {
    pub folder: Option<PathBuf>,
}

/// Several sites, one office (README "Several sites"): this kiosk writes its weekly counts and
/// a status file into `<reports_folder>/<name>/`, a folder Syncthing shares with the office.
/// Without `reports_folder` nothing is written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fleet {
    /// This kiosk's name in the office's reports ("north-lobby"), and its folder's name there.
    pub name: String,
    pub reports_folder: Option<PathBuf>,
}

impl Fleet {
    /// The folder this kiosk writes into, when the fleet is configured.
    pub fn kiosk_folder(&self) -> Option<PathBuf> {
        self.reports_folder.as_ref().map(|f| f.join(&self.name))
    }

    fn validate(&self) -> Result<(), String> {
        if self.reports_folder.is_none() {
            return Ok(());
        }
        crate::fleet::check_kiosk_name(&self.name)
            .map_err(|why| format!("[fleet] name = \"{}\" {why}", self.name))
    }
}

/// A meeting feed fetched over HTTPS.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feed {
    /// The source its meetings replace.
    pub name: String,
    pub url: String,
    /// meeting-guide | tsml-csv | bmlt
    #[serde(deserialize_with = "feed_format")]
    pub format: Format,
    #[serde(default)]
    pub program: String,
    #[serde(default)]
    pub in_house: bool,
    /// Minutes between refreshes.
    #[serde(default = "Feed::default_refresh")]
    pub refresh_minutes: u64,
    /// Allow plain http:// for this feed (a local server on the center's network).
    #[serde(default)]
    pub insecure: bool,
}

impl Feed {
    fn default_refresh() -> u64 {
        360
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Center {
    pub name: String,
    /// An IANA zone ("America/New_York"): the center's wall clock, for every "today".
    #[serde(deserialize_with = "zone")]
    pub timezone: Tz,
    /// ISO 3166 country ("US", "CA"): how phone numbers without `+` are read. Unset: the
    /// time zone's country.
    pub country: Option<Region>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// `[center] timezone`, read straight into a zone.
fn zone<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Tz, D::Error> {
    let name = String::deserialize(de)?;
    name.parse().map_err(|_| {
        serde::de::Error::custom(format!(
            "[center] timezone = \"{name}\" is not an IANA time zone (e.g. \"America/New_York\")"
        ))
    })
}

/// A feed's format: one a schedule is published in on the web (not the in-house files or a
/// database a stick may carry).
fn feed_format<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Format, D::Error> {
    let name = String::deserialize(de)?;
    match Format::from_name(&name) {
        Some(f @ (Format::MeetingGuide | Format::TsmlCsv | Format::Bmlt)) => Ok(f),
        _ => Err(serde::de::Error::custom(format!(
            "[[feeds]] format = \"{name}\" is not a feed format (meeting-guide, tsml-csv or bmlt)"
        ))),
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BoardConfig {
    /// Nearby meetings farther than this (in `distance_unit`) are not shown.
    pub radius: f64,
    pub distance_unit: DistanceUnit,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Database {
    pub path: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Idle {
    /// Back to the board after this many seconds without a touch.
    pub reset_seconds: u64,
    /// On result screens ("Thanks for coming").
    pub result_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Window {
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Links {
    /// Extra https hosts whose links may become QR codes (e.g. the center's own video host).
    pub extra_providers: Vec<String>,
    /// Directions link for in-person meetings: empty means a Google Maps link (both iPhone
    /// and Android cameras open it), `geo` a `geo:` URI, else a template with `{lat}`,
    /// `{lon}`, `{address}`.
    pub directions_template: String,
}

impl Default for Center {
    fn default() -> Self {
        Center {
            name: "Riverside Recovery Center".into(),
            timezone: chrono_tz::America::New_York,
            country: None,
            latitude: Some(39.9526),
            longitude: Some(-75.1652),
        }
    }
}

impl Default for BoardConfig {
    fn default() -> Self {
        BoardConfig {
            radius: 25.0,
            distance_unit: DistanceUnit::Mi,
        }
    }
}

impl Default for Database {
    fn default() -> Self {
        Database {
            path: PathBuf::from("/var/lib/lobby-kiosk/kiosk.db"),
        }
    }
}

impl Default for Idle {
    fn default() -> Self {
        Idle {
            reset_seconds: 60,
            result_seconds: 20,
        }
    }
}

impl Default for Window {
    fn default() -> Self {
        Window {
            width: 1280,
            height: 800,
        }
    }
}

impl Config {
    /// Parses and checks a config file's text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &Path) -> Result<Config, String> {
        let config: Config = toml::from_str(text)
            .map_err(|e| format!("config {}: {}", origin.display(), e.to_string().trim()))?;
        config
            .validate()
            .map_err(|e| format!("config {}: {e}", origin.display()))?;
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("config {}: cannot be read: {e}", path.display()))?;
        Config::parse(&text, path)
    }

    fn validate(&self) -> Result<(), String> {
        if let Some(lat) = self.center.latitude {
            if !(-90.0..=90.0).contains(&lat) {
                return Err(format!(
                    "[center] latitude = {lat} is not between -90 and 90"
                ));
            }
        }
        if let Some(lon) = self.center.longitude {
            if !(-180.0..=180.0).contains(&lon) {
                return Err(format!(
                    "[center] longitude = {lon} is not between -180 and 180"
                ));
            }
        }
        if !(self.board.radius.is_finite() && self.board.radius > 0.0) {
            return Err(format!(
                "[board] radius = {} must be a positive distance",
                self.board.radius
            ));
        }
        if self.idle.reset_seconds < 5 || self.idle.result_seconds < 5 {
            return Err("[idle] reset_seconds and result_seconds must be at least 5".into());
        }
        if self.window.width < 320 || self.window.height < 240 {
            return Err(format!(
                "[window] {}x{} is too small (at least 320x240)",
                self.window.width, self.window.height
            ));
        }
        if self.attendance.min_cell < crate::attendance::report::MIN_CELL_FLOOR {
            return Err(format!(
                "[attendance] min_cell = {} is too small: at least {} (smaller counts could identify people)",
                self.attendance.min_cell,
                crate::attendance::report::MIN_CELL_FLOOR
            ));
        }
        let mut names = std::collections::HashSet::new();
        for feed in &self.feeds {
            let at = format!("[[feeds]] name = \"{}\"", feed.name);
            if feed.name.trim().is_empty() {
                return Err(
                    "[[feeds]] each feed needs a name (the source its meetings replace)".into(),
                );
            }
            if !names.insert(feed.name.as_str()) {
                return Err(format!("{at} appears twice; each feed needs its own name"));
            }
            let url = feed.url.to_ascii_lowercase();
            if !(url.starts_with("https://") || (feed.insecure && url.starts_with("http://"))) {
                return Err(format!(
                    "{at}: url = \"{}\" must be https:// (plain http only with insecure = true)",
                    feed.url
                ));
            }
            if feed.refresh_minutes < 5 {
                return Err(format!("{at}: refresh_minutes must be at least 5"));
            }
        }
        self.display.validate()?;
        self.fleet.validate()?;
        self.printer.validate()?;
        crate::device::settings::validate(&self.screen, &self.buttons)?;
        Ok(())
    }

    pub fn timezone(&self) -> Tz {
        self.center.timezone
    }

    /// Whose national phone numbers feeds may write without `+`: `[center] country`, else
    /// the time zone's country, else the United States.
    pub fn region(&self) -> Region {
        self.center
            .country
            .or_else(|| Region::for_zone(self.timezone()))
            .unwrap_or_default()
    }

    /// The words that mark a listing as not meeting: built in plus `[import]`'s.
    pub fn status_words(&self) -> StatusWords {
        StatusWords::with_extra(&self.import.not_meeting_words)
    }

    /// How every import reads listings: status words and the phone region.
    pub fn import_rules(&self) -> crate::import::Rules {
        crate::import::Rules {
            status_words: self.status_words(),
            region: self.region(),
        }
    }

    /// What decides which QR codes a meeting offers.
    pub fn code_rules(&self) -> CodeRules {
        CodeRules {
            providers: ProviderList::with_extra(self.links.extra_providers.iter().cloned()),
            directions: Directions::from_setting(&self.links.directions_template),
            region: self.region(),
        }
    }

    pub fn location(&self) -> Option<(f64, f64)> {
        self.center.latitude.zip(self.center.longitude)
    }

    pub fn radius_m(&self) -> f64 {
        self.board.radius * self.board.distance_unit.metres()
    }
}

/// Where the configuration comes from.
#[derive(Debug)]
pub enum Setup {
    /// No file given and none at the default path: the built-in sample schedule.
    Demo(Config),
    /// A file that was read and checked.
    File(Config, PathBuf),
}

/// `--config PATH` if given, else the default path if it exists, else demo mode.
/// A config that exists but is unusable is an error, never the demo.
pub fn discover(explicit: Option<&Path>) -> Result<Setup, String> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let default = PathBuf::from(DEFAULT_CONFIG_PATH);
            if !default.exists() {
                return Ok(Setup::Demo(Config::default()));
            }
            default
        }
    };
    Config::load(&path).map(|c| Setup::File(c, path))
}

/// The range `[display] scale` may take (and the scale worked out from the screen is kept in).
pub const MIN_SCALE: f32 = 0.5;
pub const MAX_SCALE: f32 = 4.0;

/// `[display]`: the screen's default language (a visitor may switch; idle reset returns to
/// it), a 12- or 24-hour clock, and whether high contrast and large text are on until staff
/// change them on the staff screen (their choice is kept in the database).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Display {
    /// "12h" or "24h".
    pub clock: ClockStyle,
    /// "en" or "es".
    pub language: Lang,
    pub high_contrast: bool,
    pub large_text: bool,
    /// How large everything is drawn, 1 being the sizes made for a 10-inch 1280×800 panel.
    /// Unset: from the screen (its size in pixels, and on the device its physical size as the
    /// panel reports it); see `kiosk::scale`.
    pub scale: Option<f32>,
}

impl Default for Display {
    fn default() -> Self {
        Display {
            clock: ClockStyle::Hours12,
            language: Lang::En,
            high_contrast: false,
            large_text: false,
            scale: None,
        }
    }
}

impl Display {
    pub fn hours24(&self) -> bool {
        self.clock == ClockStyle::Hours24
    }

    /// How the screen writes in `lang` with this clock style.
    pub fn locale(&self, lang: Lang) -> Locale {
        Locale {
            lang,
            hours24: self.hours24(),
        }
    }

    fn validate(&self) -> Result<(), String> {
        if let Some(scale) = self.scale {
            if !(MIN_SCALE..=MAX_SCALE).contains(&scale) {
                return Err(format!(
                    "[display] scale = {scale} must be between {} and {} (1 is the size for a 10-inch 1280×800 panel)",
                    MIN_SCALE,
                    MAX_SCALE
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_language_and_clock_are_checked() {
        let origin = Path::new("test.toml");
        let c = Config::parse("[display]\nlanguage = \"es\"\nclock = \"24h\"\n", origin).unwrap();
        assert!(c.display.hours24());
        assert_eq!(c.display.language, Lang::Es);
        let e = Config::parse("[display]\nlanguage = \"fr\"\n", origin).unwrap_err();
        assert!(
            e.contains("line 2") && e.contains("language = \"fr\" must be"),
            "{e}"
        );
        let e = Config::parse("[display]\nclock = \"12\"\n", origin).unwrap_err();
        assert!(e.contains("must be \"12h\" or \"24h\""), "{e}");
    }

    #[test]
    fn the_documented_example_config_is_valid() {
        let text = include_str!("../assets/examples/config.toml");
        let config = Config::parse(text, Path::new("config.toml")).unwrap();
        assert_eq!(config.bundles.public_keys.len(), 1);
        assert_eq!(config.usb.mount_roots.len(), 3);
    }

    #[test]
    fn feeds_must_be_https_unless_marked_insecure_and_have_unique_names() {
        let feed = |name: &str, url: &str, extra: &str| {
            format!("[[feeds]]\nname = \"{name}\"\nurl = \"{url}\"\nformat = \"meeting-guide\"\n{extra}\n")
        };
        let parse = |text: String| Config::parse(&text, Path::new("c.toml"));
        assert!(parse(feed("aa", "https://example.org/feed", "")).is_ok());
        let err = parse(feed("aa", "http://example.org/feed", "")).unwrap_err();
        assert!(err.contains("https") && err.contains("insecure"), "{err}");
        assert!(parse(feed("aa", "http://10.0.0.2/feed", "insecure = true")).is_ok());
        let twice = feed("aa", "https://a.org/", "") + &feed("aa", "https://b.org/", "");
        assert!(parse(twice).unwrap_err().contains("twice"));
        let in_house = feed("x", "https://a.org/", "").replace("meeting-guide", "in-house");
        assert!(parse(in_house).unwrap_err().contains("not a feed format"));
    }

    #[test]
    fn file_with_only_the_documented_keys_is_valid() {
        let text = r#"
[center]
name = "Riverside Recovery Center"
timezone = "America/New_York"
latitude = 39.9526
longitude = -75.1652
[board]
radius = 25
distance_unit = "mi"
[database]
path = "/var/lib/lobby-kiosk/kiosk.db"
"#;
        let c = Config::parse(text, Path::new("kiosk.toml")).unwrap();
        assert_eq!(c.idle.reset_seconds, 60);
        assert!((c.radius_m() - 40_233.6).abs() < 0.1);
    }

    #[test]
    fn bad_values_name_the_key() {
        let err = Config::parse(
            "[center]\ntimezone = \"Mars/Olympus\"\n",
            Path::new("k.toml"),
        )
        .unwrap_err();
        assert!(
            err.contains("[center] timezone") && err.contains("Mars/Olympus"),
            "{err}"
        );
        let err = Config::parse(
            "[board]\ndistance_unit = \"furlong\"\n",
            Path::new("k.toml"),
        )
        .unwrap_err();
        assert!(
            err.contains("distance_unit") || err.contains("furlong"),
            "{err}"
        );
        let err = Config::parse("[board]\nradus = 3\n", Path::new("k.toml")).unwrap_err();
        assert!(err.contains("radus"), "{err}");
    }

    #[test]
    fn a_given_config_that_cannot_be_read_is_an_error_not_the_demo() {
        let err = discover(Some(Path::new("/nonexistent/kiosk.toml"))).unwrap_err();
        assert!(err.contains("/nonexistent/kiosk.toml"), "{err}");
    }
}
