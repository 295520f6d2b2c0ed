//! The panel's physical size, from the EDID block the kernel's DRM driver shows in sysfs
//! (`/sys/class/drm/card0-HDMI-A-1/edid`). Panels and TVs report it; projectors report 0,
//! which means unknown. Used only to choose how large to draw (`kiosk::scale`).

use std::path::Path;

/// The picture size in millimetres of the first connected display that reports one.
pub fn physical_size_mm() -> Option<(u32, u32)> {
    let mut connectors: Vec<_> = std::fs::read_dir("/sys/class/drm")
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("edid").exists())
        .collect();
    connectors.sort();
    connectors.iter().find_map(|c| connected_size(c))
}

fn connected_size(connector: &Path) -> Option<(u32, u32)> {
    let status = std::fs::read_to_string(connector.join("status")).ok()?;
    if status.trim() != "connected" {
        return None;
    }
    edid_size_mm(&std::fs::read(connector.join("edid")).ok()?)
}

/// The size an EDID block gives: the first detailed timing's millimetres (bytes 66–68),
/// else the basic size in centimetres (bytes 21–22). None when it says 0 or is not an EDID.
pub fn edid_size_mm(edid: &[u8]) -> Option<(u32, u32)> {
    const HEADER: [u8; 8] = [0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0];
    if edid.len() < 128 || edid[..8] != HEADER {
        return None;
    }
    let detailed = (
        u32::from(edid[66]) | (u32::from(edid[68] >> 4) << 8),
        u32::from(edid[67]) | (u32::from(edid[68] & 0x0f) << 8),
    );
    let basic = (u32::from(edid[21]) * 10, u32::from(edid[22]) * 10);
    [detailed, basic]
        .into_iter()
        .find(|(w, h)| *w > 0 && *h > 0)
}

#[cfg(test)]
mod tests {
    use super::edid_size_mm;

    fn edid(basic_cm: (u8, u8), detailed_mm: (u32, u32)) -> Vec<u8> {
        let mut e = vec![0u8; 128];
        e[..8].copy_from_slice(&[0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0]);
        e[21] = basic_cm.0;
        e[22] = basic_cm.1;
        e[66] = (detailed_mm.0 & 0xff) as u8;
        e[67] = (detailed_mm.1 & 0xff) as u8;
        e[68] = (((detailed_mm.0 >> 8) as u8) << 4) | ((detailed_mm.1 >> 8) as u8);
        e
    }

    #[test]
    fn the_detailed_size_wins_over_the_centimetres() {
        // A 32-inch TV: 698 × 393 mm (more than 8 bits: the high nibbles count).
        assert_eq!(edid_size_mm(&edid((70, 39), (698, 393))), Some((698, 393)));
        assert_eq!(edid_size_mm(&edid((15, 9), (0, 0))), Some((150, 90)));
    }

    #[test]
    fn a_projector_or_garbage_has_no_size() {
        assert_eq!(edid_size_mm(&edid((0, 0), (0, 0))), None);
        assert_eq!(edid_size_mm(&[0u8; 128]), None);
        assert_eq!(edid_size_mm(&[0, 0xff]), None);
    }
}
