//! 1-bit pictures for the paper: the QR code and the rule, exactly as `GS v 0` sends them
//! (rows of bytes, most significant bit first, 1 = a black dot) and as the preview draws them.

/// A black-and-white image `width` dots wide (a multiple of 8) and `height` dots high.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    /// `width / 8` bytes per row, top row first.
    pub data: Vec<u8>,
}

impl Raster {
    pub fn blank(width: u32, height: u32) -> Raster {
        let width = width.div_ceil(8) * 8;
        Raster {
            width,
            height,
            data: vec![0; (width / 8 * height) as usize],
        }
    }

    pub fn row_bytes(&self) -> u32 {
        self.width / 8
    }

    pub fn is_black(&self, x: u32, y: u32) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        let byte = self.data[(y * self.row_bytes() + x / 8) as usize];
        byte & (0x80 >> (x % 8)) != 0
    }

    pub fn set_black(&mut self, x: u32, y: u32) {
        if x < self.width && y < self.height {
            let i = (y * self.row_bytes() + x / 8) as usize;
            self.data[i] |= 0x80 >> (x % 8);
        }
    }
}

/// Dots per QR module: at 203 dpi, 3 dots (0.38 mm) is about the smallest a phone reads
/// reliably from paper; more than 8 only makes the slip longer.
const MIN_MODULE_DOTS: u32 = 3;
const MAX_MODULE_DOTS: u32 = 8;

/// How many dots a module of `payload`'s code gets on paper `paper_dots` wide, and the
/// code's side in modules with its quiet zone. `None` when the text cannot be a QR code.
pub fn qr_scale(payload: &str, paper_dots: u32) -> Option<(u32, u32)> {
    let side = crate::qr::render(payload, 1)?.size;
    // About two thirds of the paper: big enough to scan, room to hold the slip.
    let scale = (paper_dots * 2 / 3 / side).clamp(MIN_MODULE_DOTS, MAX_MODULE_DOTS);
    // A long link at the minimum size may still be too wide: use the whole paper instead.
    let scale = if side * scale > paper_dots {
        (paper_dots / side).max(1)
    } else {
        scale
    };
    Some((scale, side))
}

/// The QR code for `payload`, centred on a raster as wide as the paper, with its quiet zone.
/// The modules come from `crate::qr`, the same code the screen shows.
pub fn qr(payload: &str, paper_dots: u32) -> Option<Raster> {
    let (scale, _) = qr_scale(payload, paper_dots)?;
    let pixels = crate::qr::render(payload, scale)?;
    let mut raster = Raster::blank(paper_dots, pixels.size);
    let left = raster.width.saturating_sub(pixels.size) / 2;
    for y in 0..pixels.size {
        for x in 0..pixels.size {
            if pixels.rgb[((y * pixels.size + x) * 3) as usize] < 128 {
                raster.set_black(left + x, y);
            }
        }
    }
    Some(raster)
}

/// A 2-dot line across the paper with a little white above and below.
pub fn rule(paper_dots: u32) -> Raster {
    let mut raster = Raster::blank(paper_dots, 16);
    for y in 7..9 {
        for x in 0..raster.width {
            raster.set_black(x, y);
        }
    }
    raster
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_raster_is_paper_wide_and_decodes_to_its_text() {
        let url = "https://us02web.zoom.us/j/85512345678";
        for paper in [384, 576] {
            let r = qr(url, paper).unwrap();
            assert_eq!(r.width, paper);
            let mut img = rqrr::PreparedImage::prepare_from_greyscale(
                r.width as usize,
                r.height as usize,
                |x, y| {
                    if r.is_black(x as u32, y as u32) {
                        0
                    } else {
                        255
                    }
                },
            );
            let grids = img.detect_grids();
            assert_eq!(grids.len(), 1);
            assert_eq!(grids[0].decode().unwrap().1, url);
        }
    }

    #[test]
    fn modules_are_at_least_three_dots_on_narrow_paper() {
        let (scale, side) = qr_scale("https://zoom.us/j/1", 384).unwrap();
        assert!((MIN_MODULE_DOTS..=MAX_MODULE_DOTS).contains(&scale));
        assert!(scale * side <= 384);
    }
}
