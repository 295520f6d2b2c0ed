//! QR codes as pixels: dark modules on white with the standard 4-module quiet zone.
//!
//! Only the caller decides *what* may become a code (see `schedule::links`); this module only
//! draws it.

use qrcode::{Color, EcLevel, QrCode};

/// A QR code rendered to an RGB buffer: `size` × `size` pixels, 3 bytes each.
pub struct QrPixels {
    pub size: u32,
    pub rgb: Vec<u8>,
}

/// Quiet zone around the code, in modules (ISO/IEC 18004 asks for 4).
const QUIET_ZONE: usize = 4;

/// Renders `data` with medium error correction, each module `scale` pixels wide.
/// `None` when the text is too long for any QR version.
pub fn render(data: &str, scale: u32) -> Option<QrPixels> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let modules = code.width();
    let colors = code.to_colors();
    let scale = scale.max(1) as usize;
    let side = (modules + 2 * QUIET_ZONE) * scale;
    let mut rgb = vec![255u8; side * side * 3];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
        for y in my * scale..(my + 1) * scale {
            let row = y * side;
            for x in mx * scale..(mx + 1) * scale {
                rgb[(row + x) * 3..(row + x) * 3 + 3].fill(0);
            }
        }
    }
    Some(QrPixels {
        size: side as u32,
        rgb,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_code_decodes_to_its_text() {
        let url = "https://us02web.zoom.us/j/85512345678?pwd=abc";
        let qr = render(url, 6).unwrap();
        let side = qr.size as usize;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            qr.rgb[(y * side + x) * 3]
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, text) = grids[0].decode().unwrap();
        assert_eq!(text, url);
    }
}
