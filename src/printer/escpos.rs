//! A slip as ESC/POS bytes.
//!
//! Built with the `escpos` crate's `Printer` for the commands it does well — initialise,
//! code page (`ESC t`) and its character tables, alignment, bold, double size, the native QR
//! command (`GS ( k`), feed and cut — writing into an in-memory driver, so the bytes can be
//! tested and sent by `transport` with timeouts of our own. Where the crate falls short it is
//! bypassed, deliberately:
//! - **Raster images (`GS v 0`)** are written here (`raster_command`, a dozen lines): the
//!   crate's bit-image path needs its `graphics` feature (the `image` crate with its codecs),
//!   takes an encoded picture file, and rescales and re-thresholds it — we already have the
//!   exact 1-bit dots of the QR code and want them sent untouched.
//! - **Sending**: its drivers block without a deadline on devices and files, and its network
//!   driver wants an IP address rather than a host name; `transport` sends instead.
//! - **Text**: characters missing from the page table fall through to its UTF-8 encoder, so
//!   text is folded to the page first (`text::fold`), and only then handed to it.

use std::cell::RefCell;
use std::rc::Rc;

use escpos::driver::Driver;
use escpos::errors::Result as EscResult;
use escpos::printer::Printer;
use escpos::printer_options::PrinterOptions;
use escpos::utils::{
    JustifyMode, PageCode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption,
};

use super::raster::{self, Raster};
use super::settings::QrMode;
use super::slip::{Align, Block, Slip, Style};
use super::text::CodePage;

/// An `escpos` driver that keeps the bytes instead of sending them.
#[derive(Clone, Default)]
struct Capture(Rc<RefCell<Vec<u8>>>);

impl Driver for Capture {
    fn name(&self) -> String {
        "memory".into()
    }
    fn write(&self, data: &[u8]) -> EscResult<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> EscResult<usize> {
        Ok(0)
    }
    fn flush(&self) -> EscResult<()> {
        Ok(())
    }
}

fn page_code(page: CodePage) -> PageCode {
    match page {
        CodePage::Pc437 => PageCode::PC437,
        CodePage::Pc850 => PageCode::PC850,
        CodePage::Pc858 => PageCode::PC858,
        CodePage::Wpc1252 => PageCode::WPC1252,
    }
}

/// Whether the code page has `c` as one byte, by the crate's own table.
pub fn page_has(page: CodePage, c: char) -> bool {
    let capture = Capture::default();
    let options = PrinterOptions::new(Some(page_code(page)), None, 48);
    let mut printer = Printer::new(capture.clone(), Protocol::default(), Some(options));
    let mut buf = [0u8; 4];
    let ok = printer
        .write(c.encode_utf8(&mut buf))
        .and_then(|p| p.print())
        .is_ok();
    let bytes = capture.0.borrow();
    // Any character outside the table comes back as its UTF-8 bytes: two or more.
    ok && bytes.len() == 1
}

/// `GS v 0`: print a raster bit image, normal density.
pub fn raster_command(r: &Raster) -> Vec<u8> {
    let (x, y) = (r.row_bytes(), r.height);
    let mut cmd = vec![
        0x1D,
        b'v',
        b'0',
        0,
        (x & 0xFF) as u8,
        (x >> 8) as u8,
        (y & 0xFF) as u8,
        (y >> 8) as u8,
    ];
    cmd.extend_from_slice(&r.data);
    cmd
}

/// The whole slip, from `ESC @` to the cut.
pub fn encode(slip: &Slip, qr: QrMode, page: CodePage) -> Result<Vec<u8>, String> {
    let capture = Capture::default();
    let columns = (slip.width_dots / super::slip::CHAR_DOTS).min(255) as u8;
    let options = PrinterOptions::new(Some(page_code(page)), None, columns);
    let mut p = Printer::new(capture.clone(), Protocol::default(), Some(options));
    build(&mut p, slip, qr, page).map_err(|e| format!("cannot encode the slip: {e}"))?;
    let bytes = capture.0.borrow().clone();
    Ok(bytes)
}

fn build(p: &mut Printer<Capture>, slip: &Slip, qr: QrMode, page: CodePage) -> EscResult<()> {
    p.init()?.page_code(page_code(page))?;
    for block in &slip.blocks {
        match block {
            Block::Text { text, style, align } => {
                p.justify(match align {
                    Align::Left => JustifyMode::LEFT,
                    Align::Center => JustifyMode::CENTER,
                })?;
                p.bold(*style != Style::Body)?;
                match style {
                    Style::Title => p.size(2, 2)?,
                    _ => p.reset_size()?,
                };
                p.writeln(text)?;
            }
            Block::Qr { payload } => match qr {
                QrMode::Raster => {
                    if let Some(r) = raster::qr(payload, slip.width_dots) {
                        p.custom(&raster_command(&r))?;
                    }
                }
                QrMode::Native => {
                    let (scale, _) = raster::qr_scale(payload, slip.width_dots).unwrap_or((4, 0));
                    let option = QRCodeOption::new(
                        QRCodeModel::Model2,
                        scale.min(16) as u8,
                        QRCodeCorrectionLevel::M,
                    );
                    p.justify(JustifyMode::CENTER)?
                        .qrcode_option(payload, option)?
                        .feed()?;
                }
            },
            Block::Rule => {
                p.custom(&raster_command(&raster::rule(slip.width_dots)))?;
            }
            Block::Gap => {
                p.feed()?;
            }
        }
    }
    // Room for the tear bar or cutter; printers without a cutter ignore the cut.
    p.justify(JustifyMode::LEFT)?
        .bold(false)?
        .reset_size()?
        .feeds(4)?
        .partial_cut()?
        .print()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_table_knows_its_accents() {
        assert!(page_has(CodePage::Pc437, 'é'));
        assert!(!page_has(CodePage::Pc437, 'Ã'));
        assert!(page_has(CodePage::Pc858, '€'));
        assert!(!page_has(CodePage::Pc437, '€'));
    }

    #[test]
    fn the_raster_command_carries_its_size_little_endian() {
        let r = Raster::blank(576, 300);
        let cmd = raster_command(&r);
        assert_eq!(&cmd[..8], &[0x1D, b'v', b'0', 0, 72, 0, 0x2C, 0x01]);
        assert_eq!(cmd.len(), 8 + 72 * 300);
    }
}
