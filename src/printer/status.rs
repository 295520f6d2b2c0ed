//! The printer's real-time status (`DLE EOT n`), read over a two-way connection: is it online,
//! is the cover open, is there paper. The bits are the ESC/POS ones that Epson-compatible
//! printers answer; a byte that is not a status answer is taken as "no news", not as a fault.

use std::io::{Read, Write};

use super::transport::read_byte;

/// What a status answer says is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    PaperOut,
    CoverOpen,
    Offline,
}

/// Why a status check did not pass.
#[derive(Debug)]
pub enum Problem {
    /// No answer, or the connection failed.
    Io(std::io::Error),
    Printer(Fault),
}

const PRINTER_STATUS: [u8; 3] = [0x10, 0x04, 1];
const OFFLINE_CAUSE: [u8; 3] = [0x10, 0x04, 2];
const PAPER_SENSOR: [u8; 3] = [0x10, 0x04, 4];

/// Every status answer has bit 1 and 4 set and bits 0 and 7 clear.
fn is_answer(b: u8) -> bool {
    b & 0x93 == 0x12
}

/// `DLE EOT 1`: bit 3 set means offline.
pub fn is_offline(printer_status: u8) -> bool {
    is_answer(printer_status) && printer_status & 0x08 != 0
}

/// `DLE EOT 4`: bits 5 and 6 mean the roll paper end sensor finds no paper.
pub fn is_paper_out(paper_sensor: u8) -> bool {
    is_answer(paper_sensor) && paper_sensor & 0x60 != 0
}

/// `DLE EOT 2`: why the printer is offline.
pub fn offline_cause(cause: u8) -> Fault {
    if !is_answer(cause) {
        Fault::Offline
    } else if cause & 0x04 != 0 {
        Fault::CoverOpen
    } else if cause & 0x20 != 0 {
        Fault::PaperOut
    } else {
        Fault::Offline
    }
}

fn ask(stream: &mut (impl Read + Write), query: &[u8]) -> Result<u8, Problem> {
    stream.write_all(query).map_err(Problem::Io)?;
    stream.flush().map_err(Problem::Io)?;
    read_byte(stream).map_err(Problem::Io)
}

/// Asks the printer whether it can print now.
pub fn check(stream: &mut (impl Read + Write)) -> Result<(), Problem> {
    let printer = ask(stream, &PRINTER_STATUS)?;
    let paper = ask(stream, &PAPER_SENSOR)?;
    if is_paper_out(paper) {
        return Err(Problem::Printer(Fault::PaperOut));
    }
    if is_offline(printer) {
        let cause = ask(stream, &OFFLINE_CAUSE)?;
        return Err(Problem::Printer(offline_cause(cause)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_bits_say_offline_paper_out_and_cover_open() {
        assert!(!is_offline(0x12));
        assert!(is_offline(0x1A));
        assert!(!is_offline(0xFF), "not a status answer");
        assert!(!is_paper_out(0x12));
        assert!(is_paper_out(0x72));
        assert_eq!(offline_cause(0x16), Fault::CoverOpen);
        assert_eq!(offline_cause(0x32), Fault::PaperOut);
        assert_eq!(offline_cause(0x12), Fault::Offline);
    }
}
