//! The `[printer]` section of the config: which printer, how wide its paper is, how it wants
//! QR codes and text. An empty `uri` means there is no printer and no Print button.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::text::CodePage;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrinterConfig {
    /// `/dev/usb/lp0`, `file:PATH` or `tcp://HOST:9100`; empty or left out: no printer.
    #[serde(deserialize_with = "printer_uri")]
    pub uri: Option<PrinterUri>,
    /// 58 or 80 (mm); the printable width is 384 or 576 dots.
    pub paper_mm: u32,
    /// How the QR code is sent: as a raster image (works everywhere) or the printer's own
    /// QR command (`GS ( k`, sharper and smaller, not on every printer).
    pub qr: QrMode,
    /// The printer's code page for text: PC437, PC850, PC858 or WPC1252.
    #[serde(deserialize_with = "code_page")]
    pub code_page: CodePage,
    /// How long the printer may take to connect, accept the slip and answer a status query.
    pub timeout_seconds: u64,
    /// Ask a network printer for its status (paper, cover) before printing. Turn off for a
    /// printer that never answers status queries.
    pub status: bool,
}

/// `uri = "…"`, read once; an empty string is no printer.
fn printer_uri<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Option<PrinterUri>, D::Error> {
    let uri = String::deserialize(de)?;
    if uri.trim().is_empty() {
        return Ok(None);
    }
    PrinterUri::parse(&uri)
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("[printer] uri: {e}")))
}

/// `code_page = "…"`, read loosely (`CodePage::from_name`: "cp858", "Windows-1252").
fn code_page<'de, D: serde::Deserializer<'de>>(de: D) -> Result<CodePage, D::Error> {
    let name = String::deserialize(de)?;
    CodePage::from_name(&name).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "[printer] code_page = \"{name}\" is not one the kiosk knows (PC437, PC850, PC858 or WPC1252)"
        ))
    })
}

impl Default for PrinterConfig {
    fn default() -> Self {
        PrinterConfig {
            uri: None,
            paper_mm: 80,
            qr: QrMode::Raster,
            code_page: CodePage::Pc437,
            timeout_seconds: 10,
            status: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QrMode {
    Raster,
    Native,
}

/// Where the bytes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterUri {
    /// A character device such as `/dev/usb/lp0`: one-way, no status.
    Device(PathBuf),
    /// A plain file (tests, spooling).
    File(PathBuf),
    /// A network printer's raw port (JetDirect, usually 9100): two-way.
    Tcp { host: String, port: u16 },
}

impl std::fmt::Display for PrinterUri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrinterUri::Device(p) => write!(f, "{}", p.display()),
            PrinterUri::File(p) => write!(f, "file:{}", p.display()),
            PrinterUri::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
        }
    }
}

impl PrinterUri {
    /// Reads a printer URI; the error says what forms are understood.
    pub fn parse(uri: &str) -> Result<PrinterUri, String> {
        let uri = uri.trim();
        let expected = "expected /dev/usb/lp0, file:PATH or tcp://HOST:9100";
        if let Some(path) = uri.strip_prefix("file:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(format!("printer \"{uri}\": no file named ({expected})"));
            }
            return Ok(PrinterUri::File(PathBuf::from(path)));
        }
        if let Some(rest) = uri.strip_prefix("tcp://") {
            let rest = rest.trim_end_matches('/');
            let (host, port) = match rest.rsplit_once(':') {
                // `[::1]:9100` keeps its brackets' inside as the host.
                Some((h, p)) if !h.is_empty() && (!h.contains(':') || h.ends_with(']')) => {
                    let port = p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                        format!("printer \"{uri}\": port \"{p}\" is not a port number ({expected})")
                    })?;
                    (h, port)
                }
                _ => (rest, 9100),
            };
            let host = host.trim_start_matches('[').trim_end_matches(']');
            if host.is_empty() || host.contains(['/', '@', ' ']) {
                return Err(format!("printer \"{uri}\": no host name ({expected})"));
            }
            return Ok(PrinterUri::Tcp {
                host: host.to_string(),
                port,
            });
        }
        if uri.starts_with('/') {
            return Ok(PrinterUri::Device(PathBuf::from(uri)));
        }
        Err(format!("printer \"{uri}\": not understood ({expected})"))
    }
}

impl PrinterConfig {
    /// Whether a printer is configured at all (the Print button shows only then).
    pub fn is_configured(&self) -> bool {
        self.uri.is_some()
    }

    /// The printable width in dots (203 dpi heads: 48 mm and 72 mm of print).
    pub fn paper_dots(&self) -> u32 {
        if self.paper_mm == 58 {
            384
        } else {
            576
        }
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_seconds.max(1))
    }

    /// Checks the values; messages name the key as it is written in the file.
    pub fn validate(&self) -> Result<(), String> {
        if !matches!(self.paper_mm, 58 | 80) {
            return Err(format!(
                "[printer] paper_mm = {} is not a receipt paper width (58 or 80)",
                self.paper_mm
            ));
        }
        if !(1..=120).contains(&self.timeout_seconds) {
            return Err(format!(
                "[printer] timeout_seconds = {} must be between 1 and 120",
                self.timeout_seconds
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_uris_name_a_device_a_file_or_a_network_printer() {
        assert_eq!(
            PrinterUri::parse("/dev/usb/lp0"),
            Ok(PrinterUri::Device("/dev/usb/lp0".into()))
        );
        assert_eq!(
            PrinterUri::parse("file:/tmp/slip.bin"),
            Ok(PrinterUri::File("/tmp/slip.bin".into()))
        );
        assert_eq!(
            PrinterUri::parse("tcp://10.0.0.7:9100"),
            Ok(PrinterUri::Tcp {
                host: "10.0.0.7".into(),
                port: 9100
            })
        );
        assert_eq!(
            PrinterUri::parse("tcp://lobby-printer"),
            Ok(PrinterUri::Tcp {
                host: "lobby-printer".into(),
                port: 9100
            })
        );
        assert!(PrinterUri::parse("lp0")
            .unwrap_err()
            .contains("tcp://HOST:9100"));
        assert!(PrinterUri::parse("tcp://host:99999").is_err());
    }

    #[test]
    fn paper_width_code_page_and_timeout_are_checked() {
        let ok = PrinterConfig::default();
        assert!(ok.validate().is_ok());
        assert!(!ok.is_configured());
        assert_eq!(ok.paper_dots(), 576);
        let bad = PrinterConfig {
            paper_mm: 60,
            ..ok.clone()
        };
        assert!(bad.validate().unwrap_err().contains("paper_mm"));
        let bad = PrinterConfig {
            timeout_seconds: 0,
            ..ok.clone()
        };
        assert!(bad.validate().unwrap_err().contains("timeout_seconds"));
    }

    #[test]
    fn the_printer_section_is_read_from_the_config_file_and_checked() {
        use std::path::Path;
        let text = "[printer]\nuri = \"tcp://10.0.0.7:9100\"\npaper_mm = 58\nqr = \"native\"\ncode_page = \"PC858\"\n";
        let config = crate::config::Config::parse(text, Path::new("k.toml")).unwrap();
        assert!(config.printer.is_configured());
        assert_eq!(config.printer.paper_dots(), 384);
        assert_eq!(config.printer.qr, QrMode::Native);
        assert_eq!(config.printer.timeout_seconds, 10);
        let err = crate::config::Config::parse("[printer]\npaper_mm = 110\n", Path::new("k.toml"))
            .unwrap_err();
        assert!(
            err.contains("k.toml") && err.contains("[printer] paper_mm"),
            "{err}"
        );
        let err = crate::config::Config::parse("[printer]\nqr = \"svg\"\n", Path::new("k.toml"))
            .unwrap_err();
        assert!(err.contains("svg"), "{err}");
        // A code page is read as one, loosely; a printer cannot print UTF-8.
        let cp = |v: &str| {
            let text = format!("[printer]\ncode_page = \"{v}\"\n");
            crate::config::Config::parse(&text, Path::new("k.toml")).map(|c| c.printer.code_page)
        };
        assert_eq!(cp("PC858").unwrap(), CodePage::Pc858);
        assert_eq!(cp("Windows-1252").unwrap(), CodePage::Wpc1252);
        let err = cp("UTF-8").unwrap_err();
        assert!(err.contains("[printer] code_page = \"UTF-8\""), "{err}");
        // The URI is read once, into what it names; empty is no printer.
        let uri = |v: &str| {
            let text = format!("[printer]\nuri = \"{v}\"\n");
            crate::config::Config::parse(&text, Path::new("k.toml")).map(|c| c.printer.uri)
        };
        assert_eq!(
            uri("tcp://10.0.0.7").unwrap(),
            Some(PrinterUri::Tcp {
                host: "10.0.0.7".into(),
                port: 9100
            })
        );
        assert_eq!(uri("  ").unwrap(), None);
        let err = uri("printer").unwrap_err();
        assert!(
            err.contains("[printer] uri") && err.contains("not understood"),
            "{err}"
        );
    }
}
