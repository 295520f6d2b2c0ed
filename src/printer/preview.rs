//! A slip drawn as a picture exactly as wide as the paper's printable width (one pixel per
//! printer dot), from the same blocks the printer gets: for the README, for staff trying a
//! layout without paper, and for tests.
//!
//! Text is drawn with the kiosk's Inter font at about the size of the printer's own 12 × 24
//! font; the QR code and rules are the very dots `GS v 0` sends. It is a close likeness of
//! the slip, not a simulation of any printer's font.

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};

use super::raster::{self, Raster};
use super::slip::{Align, Block, Slip, Style};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/Inter-Regular.otf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/Inter-Bold.otf");

/// Line pitch of the printer's default spacing (1/6 inch at 203 dpi ≈ 30 dots).
const LINE_DOTS: u32 = 30;
/// Paper fed after the last line before the cut (4 lines).
const TAIL_DOTS: u32 = 4 * LINE_DOTS;

/// An RGB picture, 3 bytes a pixel.
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Picture {
    fn new(width: u32, height: u32) -> Picture {
        Picture {
            width,
            height,
            rgb: vec![255; (width * height * 3) as usize],
        }
    }

    /// Darkens a pixel by `coverage` (0 … 1), as ink would.
    fn ink(&mut self, x: i32, y: i32, coverage: f32) {
        if x < 0 || y < 0 || x as u32 >= self.width || y as u32 >= self.height {
            return;
        }
        let i = ((y as u32 * self.width + x as u32) * 3) as usize;
        let level = (255.0 * (1.0 - coverage.clamp(0.0, 1.0))) as u8;
        for c in &mut self.rgb[i..i + 3] {
            *c = (*c).min(level);
        }
    }

    fn raster(&mut self, r: &Raster, top: u32) {
        for y in 0..r.height {
            for x in 0..r.width.min(self.width) {
                if r.is_black(x, y) {
                    self.ink(x as i32, (top + y) as i32, 1.0);
                }
            }
        }
    }
}

fn line_height(style: Style) -> u32 {
    match style {
        Style::Title => 2 * LINE_DOTS,
        Style::Strong | Style::Body => LINE_DOTS,
    }
}

/// Draws the slip; the picture is `slip.width_dots` wide and as long as the paper would be.
pub fn render(slip: &Slip) -> Result<Picture, String> {
    let regular = FontRef::try_from_slice(REGULAR).map_err(|e| format!("Inter font: {e}"))?;
    let bold = FontRef::try_from_slice(BOLD).map_err(|e| format!("Inter font: {e}"))?;
    let width = slip.width_dots;
    // Rasters are made once and used for both measuring and drawing.
    let rasters: Vec<Option<Raster>> = slip
        .blocks
        .iter()
        .map(|b| match b {
            Block::Qr { payload } => raster::qr(payload, width),
            Block::Rule => Some(raster::rule(width)),
            _ => None,
        })
        .collect();
    let height = LINE_DOTS / 2
        + slip
            .blocks
            .iter()
            .zip(&rasters)
            .map(|(b, r)| match b {
                Block::Text { style, .. } => line_height(*style),
                Block::Gap => LINE_DOTS,
                Block::Qr { .. } | Block::Rule => r.as_ref().map_or(0, |r| r.height),
            })
            .sum::<u32>()
        + TAIL_DOTS;
    let mut picture = Picture::new(width, height);
    let mut top = LINE_DOTS / 2;
    for (block, r) in slip.blocks.iter().zip(&rasters) {
        match block {
            Block::Text { text, style, align } => {
                let font = if *style == Style::Body {
                    &regular
                } else {
                    &bold
                };
                draw_text(&mut picture, font, text, *style, *align, top);
                top += line_height(*style);
            }
            Block::Gap => top += LINE_DOTS,
            Block::Qr { .. } | Block::Rule => {
                if let Some(r) = r {
                    picture.raster(r, top);
                    top += r.height;
                }
            }
        }
    }
    Ok(picture)
}

fn draw_text(
    picture: &mut Picture,
    font: &FontRef,
    text: &str,
    style: Style,
    align: Align,
    top: u32,
) {
    // Inter at 22 px sets about as many characters on a line as the printer's 12-dot font.
    let mut px = match style {
        Style::Title => 42.0,
        Style::Strong | Style::Body => 21.0,
    };
    let measure = |px: f32| {
        let scaled = font.as_scaled(PxScale::from(px));
        let mut x = 0.0;
        let mut prev = None;
        let mut glyphs = Vec::new();
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                x += scaled.kern(p, id);
            }
            glyphs.push((id, x));
            x += scaled.h_advance(id);
            prev = Some(id);
        }
        (glyphs, x, scaled.ascent(), scaled.descent())
    };
    let mut laid = measure(px);
    // A line of wide capitals can be wider than the printer's fixed cells: shrink to fit.
    if laid.1 > picture.width as f32 {
        px *= picture.width as f32 / laid.1;
        laid = measure(px);
    }
    let (glyphs, line_width, ascent, descent) = laid;
    let left = match align {
        Align::Left => 0.0,
        Align::Center => ((picture.width as f32 - line_width) / 2.0).max(0.0),
    };
    // Centre the font's ascent-to-descent box in the line.
    let box_height = ascent - descent;
    let baseline = top as f32 + (line_height(style) as f32 - box_height) / 2.0 + ascent;
    for (id, x) in glyphs {
        let glyph = id.with_scale_and_position(PxScale::from(px), point(left + x, baseline));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                picture.ink(
                    bounds.min.x as i32 + gx as i32,
                    bounds.min.y as i32 + gy as i32,
                    coverage,
                );
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picture_is_paper_wide_and_has_ink_for_text_and_code() {
        let slip = Slip {
            width_dots: 384,
            blocks: vec![
                Block::Text {
                    text: "Night Owls".into(),
                    style: Style::Title,
                    align: Align::Center,
                },
                Block::Qr {
                    payload: "https://zoom.us/j/1".into(),
                },
            ],
        };
        let p = render(&slip).unwrap();
        assert_eq!(p.width, 384);
        let dark = p.rgb.chunks(3).filter(|px| px[0] < 128).count();
        assert!(dark > 1000, "{dark} dark pixels");
    }
}
