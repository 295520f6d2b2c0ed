//! Take-away slips on a receipt printer: a meeting's name, time, place and QR code on paper.
//!
//! `slip` lays the slip out once; `escpos` turns it into printer bytes and `preview` into a
//! PNG, from the same blocks; `transport` sends the bytes to a device, a file or a network
//! printer with timeouts, asking a network printer's `status` first.
//!
//! Deliberately not here: deciding which links may become codes (that is
//! `words::codes::codes_for`, the screen's own rules), threads and the UI (the kiosk runs
//! `print` on a worker thread), and any record of who printed what, or when — nothing is
//! logged or stored.

pub mod escpos;
pub mod preview;
pub mod raster;
pub mod settings;
pub mod slip;
pub mod status;
pub mod text;
pub mod transport;

pub use settings::{PrinterConfig, PrinterUri, QrMode};
pub use slip::Slip;

use crate::words::{phrase, Phrase};
use status::Fault;

/// Why a slip was not printed. `Display` is for staff (which printer, what happened, what to
/// check); `for_screen` is the short sentence for the lobby.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintError {
    /// No printer configured.
    NoPrinter,
    /// Nothing there: no device, connection refused, unknown host.
    NotConnected(String),
    /// Connected, but it did not answer or take the slip in time.
    NoAnswer(String),
    PaperOut(String),
    CoverOpen(String),
    /// It says it is offline, or the connection broke.
    Offline(String),
    /// Anything else (permissions, a slip that cannot be encoded).
    Failed(String),
}

impl PrintError {
    fn from_fault(fault: Fault, uri: &PrinterUri) -> PrintError {
        match fault {
            Fault::PaperOut => PrintError::PaperOut(format!("{uri}: out of paper")),
            Fault::CoverOpen => PrintError::CoverOpen(format!("{uri}: the cover is open")),
            Fault::Offline => PrintError::Offline(format!("{uri}: the printer says it is offline")),
        }
    }

    /// What the person at the kiosk reads, said in the language on screen.
    pub fn for_screen(&self) -> Phrase {
        match self {
            PrintError::NoPrinter => phrase("There is no printer here.", &[]),
            PrintError::PaperOut(_) => {
                phrase("The printer is out of paper — please tell staff.", &[])
            }
            PrintError::CoverOpen(_) => {
                phrase("The printer's cover is open — please tell staff.", &[])
            }
            PrintError::NotConnected(_) => {
                phrase("The printer is not connected — please tell staff.", &[])
            }
            PrintError::NoAnswer(_) | PrintError::Offline(_) => {
                phrase("The printer is not answering — please tell staff.", &[])
            }
            PrintError::Failed(_) => {
                phrase("The slip could not be printed — please tell staff.", &[])
            }
        }
    }
}

impl std::fmt::Display for PrintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrintError::NoPrinter => write!(
                f,
                "no printer configured: set [printer] uri in the config, or give --printer URI"
            ),
            PrintError::NotConnected(s)
            | PrintError::NoAnswer(s)
            | PrintError::PaperOut(s)
            | PrintError::CoverOpen(s)
            | PrintError::Offline(s)
            | PrintError::Failed(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for PrintError {}

/// The slip as the printer's bytes, with the configured QR mode and code page.
pub fn encode(slip: &Slip, config: &PrinterConfig) -> Result<Vec<u8>, PrintError> {
    escpos::encode(slip, config.qr, config.code_page).map_err(PrintError::Failed)
}

/// Prints one slip on the configured printer. Blocks for up to about the configured timeout
/// (twice for a network printer: status, then the slip): call it off the UI thread.
pub fn print(slip: &Slip, config: &PrinterConfig) -> Result<(), PrintError> {
    let Some(uri) = &config.uri else {
        return Err(PrintError::NoPrinter);
    };
    let bytes = encode(slip, config)?;
    transport::send(uri, &bytes, config.timeout(), config.status)
}
