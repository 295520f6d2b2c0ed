//! Rendering the kiosk without a display: Slint's software renderer into a pixel buffer.
//! Used by `lobby-kiosk screenshot` (the README's pictures) and the benchmarks.

use std::rc::Rc;

use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType, Rgb565Pixel};
use slint::platform::{Platform, WindowAdapter};
use slint::{PhysicalSize, Rgb8Pixel};

struct HeadlessPlatform {
    window: Rc<MinimalSoftwareWindow>,
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.window.clone())
    }
}

/// Installs the headless platform for this process; call before creating any window.
pub fn install(width: u32, height: u32) -> Result<Rc<MinimalSoftwareWindow>, String> {
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    window.set_size(PhysicalSize::new(width, height));
    slint::platform::set_platform(Box::new(HeadlessPlatform {
        window: window.clone(),
    }))
    .map_err(|e| format!("cannot set up headless rendering: {e}"))?;
    Ok(window)
}

/// Renders the window's current content into an RGB buffer (3 bytes a pixel).
pub fn render(window: &MinimalSoftwareWindow) -> (u32, u32, Vec<u8>) {
    slint::platform::update_timers_and_animations();
    window.request_redraw();
    let size = window.size();
    let (w, h) = (size.width as usize, size.height as usize);
    let mut pixels = vec![Rgb8Pixel::new(0, 0, 0); w * h];
    window.draw_if_needed(|renderer| {
        renderer.render(&mut pixels, w);
    });
    let rgb = pixels.iter().flat_map(|p| [p.r, p.g, p.b]).collect();
    (size.width, size.height, rgb)
}

/// Renders one frame into a 16-bit buffer, the format a Pi's framebuffer often uses; for
/// the frame-time benchmark.
pub fn render_rgb565(window: &MinimalSoftwareWindow, buffer: &mut [Rgb565Pixel]) {
    window.request_redraw();
    let width = window.size().width as usize;
    window.draw_if_needed(|renderer| {
        renderer.render(buffer, width);
    });
}

/// Writes an RGB buffer as a PNG file.
pub fn write_png(
    path: &std::path::Path,
    width: u32,
    height: u32,
    rgb: &[u8],
) -> Result<(), String> {
    let file = std::fs::File::create(path)
        .map_err(|e| format!("{}: cannot create: {e}", path.display()))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder
        .write_header()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    writer
        .write_image_data(rgb)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    writer
        .finish()
        .map_err(|e| format!("{}: {e}", path.display()))
}
