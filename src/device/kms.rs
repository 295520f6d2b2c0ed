//! Full screen without a desktop: Slint's Linux KMS backend (DRM + libinput, software
//! renderer), the panel's rotation, touch turned to match it, and no keyboard.
//!
//! Only in builds with the `kms` feature; the desktop build and the tests never link libinput.
//! The calibration matrix is pure and always compiled, so it is tested everywhere.
//!
//! - Rotation: Slint 1.18 turns only the picture (`SLINT_KMS_ROTATION`); libinput still
//!   reports touches in the panel's own coordinates. The kiosk sets each touch device's
//!   libinput calibration matrix when the device appears (the same matrix the udev property
//!   `LIBINPUT_CALIBRATION_MATRIX` would set), so touch follows `[screen] rotation` with no
//!   udev rule to keep in step. `lobby-kiosk doctor` prints the equivalent udev rule for panels
//!   whose driver needs it from udev.
//! - Keyboard: Slint's KMS backend quits on Ctrl+Alt+Backspace, and a USB keyboard could
//!   type into the kiosk. Slint 1.18 offers one hook into its libinput events —
//!   `BackendSelector::with_libinput_event_hook`, behind its `unstable-libinput-09` feature —
//!   and every keyboard event is swallowed there. A keyboard-wedge card scanner is read
//!   through evdev by the input layer, which grabs it, so libinput never sees its keys.

/// libinput's calibration matrix (first two rows of a 3×3, normalised coordinates) that maps
/// a touch on the panel to the window Slint draws turned by `rotation` degrees clockwise.
///
/// Slint's 90° puts the window's top-left corner at the panel's top-right: a touch at panel
/// (u, v) is at window (v, 1 − u).
pub fn calibration_matrix(rotation: u16) -> [f32; 6] {
    match rotation {
        90 => [0.0, 1.0, 0.0, -1.0, 0.0, 1.0],
        180 => [-1.0, 0.0, 1.0, 0.0, -1.0, 1.0],
        270 => [0.0, -1.0, 1.0, 1.0, 0.0, 0.0],
        _ => [1.0, 0.0, 0.0, 0.0, 1.0, 0.0],
    }
}

/// The udev rule that sets the same matrix, for `doctor` and the install guide.
pub fn calibration_udev_rule(rotation: u16) -> String {
    let m = calibration_matrix(rotation)
        .iter()
        .map(|v| format!("{v}"))
        .collect::<Vec<_>>()
        .join(" ");
    format!("ENV{{ID_INPUT_TOUCHSCREEN}}==\"1\", ENV{{LIBINPUT_CALIBRATION_MATRIX}}=\"{m}\"")
}

#[cfg(feature = "kms")]
pub use backend::select;

#[cfg(feature = "kms")]
mod backend {
    use std::cell::Cell;
    use std::rc::Rc;

    use input::event::{DeviceEvent, EventTrait};
    use input::{DeviceCapability, Event};

    use super::calibration_matrix;

    /// Makes the KMS backend this process's platform; call before any window is created and
    /// before any thread is started (it sets `SLINT_KMS_ROTATION` for the backend to read).
    /// `touched` is set on every touch, so the screen stays lit while someone uses it.
    pub fn select(rotation: u16, touched: Rc<Cell<bool>>) -> Result<(), String> {
        if rotation != 0 {
            std::env::set_var("SLINT_KMS_ROTATION", rotation.to_string());
        }
        let matrix = calibration_matrix(rotation);
        slint::BackendSelector::new()
            .backend_name("linuxkms".into())
            .renderer_name("software".into())
            .with_libinput_event_hook(move |event| match event {
                Event::Keyboard(_) => true,
                Event::Device(DeviceEvent::Added(added)) => {
                    let mut device = added.device();
                    if device.has_capability(DeviceCapability::Touch)
                        && device.config_calibration_has_matrix()
                        && device.config_calibration_set_matrix(matrix).is_err()
                    {
                        log::warn!(
                            "touch device {}: the calibration for rotation {rotation} was refused; touch may not match the picture",
                            device.name()
                        );
                    }
                    false
                }
                Event::Touch(_) => {
                    touched.set(true);
                    false
                }
                _ => false,
            })
            .select()
            .map_err(|e| {
                format!(
                    "cannot open the display without a desktop (Linux KMS): {e}. \
                     Is the kiosk user in the video, input and render groups, and is no desktop running? \
                     `lobby-kiosk doctor` checks both"
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies a calibration matrix to a normalised touch position.
    fn apply(m: [f32; 6], (u, v): (f32, f32)) -> (f32, f32) {
        (m[0] * u + m[1] * v + m[2], m[3] * u + m[4] * v + m[5])
    }

    #[test]
    fn touching_the_picture_corner_lands_on_the_window_corner_in_every_rotation() {
        // Where Slint draws the window's top-left corner on the panel, per rotation.
        let window_top_left_on_panel = [
            (0, (0.0, 0.0)),
            (90, (1.0, 0.0)),
            (180, (1.0, 1.0)),
            (270, (0.0, 1.0)),
        ];
        for (rotation, panel) in window_top_left_on_panel {
            assert_eq!(
                apply(calibration_matrix(rotation), panel),
                (0.0, 0.0),
                "rotation {rotation}"
            );
        }
    }

    #[test]
    fn rotating_by_90_maps_the_panel_bottom_left_to_the_window_bottom_left() {
        // At 90° the window's bottom-left corner is the panel's top-left.
        assert_eq!(apply(calibration_matrix(90), (0.0, 0.0)), (0.0, 1.0));
    }

    #[test]
    fn the_udev_rule_carries_the_same_matrix() {
        assert_eq!(
            calibration_udev_rule(90),
            "ENV{ID_INPUT_TOUCHSCREEN}==\"1\", ENV{LIBINPUT_CALIBRATION_MATRIX}=\"0 1 0 -1 0 1\""
        );
    }
}
