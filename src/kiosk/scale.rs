//! How large the kiosk draws everything on a given screen: one factor by which Slint maps the
//! UI's logical pixels (its sizes are made for a 10-inch 1280×800 panel) to the screen's.
//!
//! - A panel read at arm's length (up to 15 inches, its physical size known from its EDID)
//!   shows text at the physical size of the 10-inch panel: a 7-inch 800×480 panel gets 0.88,
//!   so its text is as large to the finger and the eye as on the 10-inch one.
//! - A larger screen is read from across the lobby, at a distance that grows with its size:
//!   everything grows with the screen (1920×1080 gets 1.35), so text looks as large from
//!   there as the 10-inch panel's does at arm's length.
//! - Without a physical size (a desktop window, a screenshot), the second rule, but never
//!   below 0.85: a small screen in pixels is a 7-inch panel read at arm's length.
//! - `[display] scale` overrides all of it.

use crate::config::{MAX_SCALE as MAX, MIN_SCALE as MIN};

/// The reference: a 10-inch 1280×800 panel is 151 pixels per inch.
const REFERENCE_PPI: f32 = 151.0;
/// Panels up to this diagonal are touched and read at arm's length.
const ARMS_LENGTH_INCHES: f32 = 15.0;
/// The smallest factor without a physical size.
const FLOOR_WITHOUT_SIZE: f32 = 0.85;

/// The factor for a screen of `width` × `height` pixels, `physical_mm` its size when known,
/// `configured` the `[display] scale`.
pub fn factor(
    width: u32,
    height: u32,
    physical_mm: Option<(u32, u32)>,
    configured: Option<f32>,
) -> f32 {
    if let Some(s) = configured {
        return s.clamp(MIN, MAX);
    }
    let (w, h) = (width as f32, height as f32);
    // Portrait screens are measured against the reference turned on its side.
    let proportional = if h > w {
        (w / 800.0).min(h / 1280.0)
    } else {
        (w / 1280.0).min(h / 800.0)
    };
    let by_size = physical_mm
        .filter(|(mw, mh)| *mw > 0 && *mh > 0)
        .map(|(mw, mh)| {
            let diagonal_in = ((mw * mw + mh * mh) as f32).sqrt() / 25.4;
            let ppi = (w * w + h * h).sqrt() / diagonal_in;
            if diagonal_in <= ARMS_LENGTH_INCHES {
                ppi / REFERENCE_PPI
            } else {
                proportional
            }
        });
    let s = by_size.unwrap_or_else(|| proportional.max(FLOOR_WITHOUT_SIZE));
    // Two decimals: a factor like 1.3499999 would blur every edge.
    ((s * 100.0).round() / 100.0).clamp(MIN, MAX)
}

#[cfg(test)]
mod tests {
    use super::factor;

    #[test]
    fn the_reference_panel_is_drawn_as_designed() {
        assert_eq!(factor(1280, 800, None, None), 1.0);
        assert_eq!(factor(1280, 800, Some((215, 135)), None), 1.0);
    }

    #[test]
    fn a_seven_inch_panel_shows_text_at_the_ten_inch_panels_physical_size() {
        // The official 7-inch 800×480 panel: 155 × 86 mm of picture.
        let s = factor(800, 480, Some((155, 86)), None);
        assert!((0.85..=0.92).contains(&s), "{s}");
        // Text 30 px on the 10-inch panel is 5.0 mm; here 30 × s px at this panel's density.
        let mm = 30.0 * s / (800.0 / 155.0);
        assert!((4.8..=5.2).contains(&mm), "{mm} mm");
        // Without its size, nearly the same.
        assert_eq!(factor(800, 480, None, None), 0.85);
    }

    #[test]
    fn televisions_grow_with_the_screen() {
        // A 32-inch 1080p TV: 698 × 393 mm.
        assert_eq!(factor(1920, 1080, Some((698, 393)), None), 1.35);
        assert_eq!(factor(1920, 1080, None, None), 1.35);
        assert_eq!(factor(1080, 1920, None, None), 1.35);
        assert_eq!(factor(720, 1280, None, None), 0.9);
    }

    #[test]
    fn the_config_decides_when_it_says() {
        assert_eq!(factor(1920, 1080, None, Some(2.0)), 2.0);
        assert_eq!(factor(800, 480, Some((155, 86)), Some(1.0)), 1.0);
    }
}
