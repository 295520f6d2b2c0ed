//! Which USB sticks are mounted, from the kernel's mount table (`/proc/self/mountinfo`).
//!
//! A folder under `/media` is not a stick: the automount's parent folder
//! (`/media/lobby-kiosk`) is on the kiosk's own disk, and writing there "to the stick" writes
//! to the SD card. Only what the mount table lists as a mount point under a configured mount
//! root is a stick, and the table also says whether it is mounted read-only (the device's
//! automount mounts sticks `ro`; the root helper remounts one read-write to write to it).
//!
//! The parser is pure (it takes the table's text); `read` is the thin edge that reads it.

use std::path::{Path, PathBuf};

/// One line of the mount table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// Where it is mounted: `/media/lobby-kiosk/sda1`.
    pub point: PathBuf,
    pub fstype: String,
    pub read_only: bool,
}

/// File systems that are never a stick, whatever folder they are mounted on.
const PSEUDO: &[&str] = &[
    "autofs",
    "tmpfs",
    "devtmpfs",
    "proc",
    "sysfs",
    "overlay",
    "squashfs",
    "cgroup",
    "cgroup2",
    "fuse.portal",
    "binfmt_misc",
    "debugfs",
    "tracefs",
    "securityfs",
    "ramfs",
];

/// Reads `/proc/self/mountinfo` lines: `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3
/// /dev/root rw,errors=continue` — field 5 is the mount point (with `\040`-style escapes),
/// field 6 the per-mount options, and the file system type follows the ` - ` separator.
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let fields: Vec<&str> = left.split(' ').collect();
            let point = unescape(fields.get(4)?);
            let options = fields.get(5)?;
            let fstype = right.split(' ').next()?.to_string();
            Some(Mount {
                point: PathBuf::from(point),
                fstype,
                read_only: options.split(',').any(|o| o == "ro"),
            })
        })
        .collect()
}

/// The kernel writes space, tab, newline and backslash in paths as `\040`, `\011`, `\012`,
/// `\134`.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match octal {
            Some(d) if bytes[i] == b'\\' => {
                out.push(d.iter().fold(0u8, |n, b| n.wrapping_mul(8) + (b - b'0')));
                i += 4;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The kiosk's mount table; empty when it cannot be read (then no stick is seen).
pub fn read() -> Vec<Mount> {
    std::fs::read_to_string("/proc/self/mountinfo")
        .map(|text| parse_mountinfo(&text))
        .unwrap_or_default()
}

/// Mounted sticks: mount points strictly below one of `roots` that are not pseudo file
/// systems, sorted by mount point, the innermost mount of a point winning.
pub fn sticks(mounts: &[Mount], roots: &[PathBuf]) -> Vec<Mount> {
    let mut found: Vec<Mount> = Vec::new();
    for m in mounts {
        let under_root = roots
            .iter()
            .any(|root| m.point != *root && m.point.starts_with(root));
        if !under_root || PSEUDO.contains(&m.fstype.as_str()) {
            continue;
        }
        // A later line for the same point is mounted over the earlier one.
        found.retain(|f| f.point != m.point);
        found.push(m.clone());
    }
    found.sort_by(|a, b| a.point.cmp(&b.point));
    found
}

/// Whether `point` is still a mount point in the table.
pub fn is_mounted(mounts: &[Mount], point: &Path) -> bool {
    mounts.iter().any(|m| m.point == point)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mount table of a kiosk with a stick in, as the device's automount leaves it.
    const DEVICE: &str = "\
22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
31 22 0:27 / /media rw,nosuid,nodev shared:20 - tmpfs tmpfs rw,size=102400k
88 31 8:1 / /media/lobby-kiosk/sda1 ro,nosuid,nodev,noexec,relatime shared:45 - vfat /dev/sda1 ro,fmask=0022
91 22 8:17 / /mnt/My\\040Stick rw,relatime shared:50 - exfat /dev/sdb1 rw
";

    #[test]
    fn the_mount_table_gives_points_types_and_read_only() {
        let mounts = parse_mountinfo(DEVICE);
        assert_eq!(mounts.len(), 5);
        assert_eq!(mounts[3].point, PathBuf::from("/media/lobby-kiosk/sda1"));
        assert_eq!(mounts[3].fstype, "vfat");
        assert!(mounts[3].read_only);
        assert_eq!(mounts[4].point, PathBuf::from("/mnt/My Stick"));
        assert!(!mounts[4].read_only);
    }

    #[test]
    fn only_real_mounts_below_a_root_are_sticks() {
        let mounts = parse_mountinfo(DEVICE);
        let roots = [PathBuf::from("/media"), PathBuf::from("/mnt")];
        let points: Vec<PathBuf> = sticks(&mounts, &roots)
            .into_iter()
            .map(|m| m.point)
            .collect();
        // Not /media itself (a tmpfs root), not the automount's parent folder.
        assert_eq!(
            points,
            [
                PathBuf::from("/media/lobby-kiosk/sda1"),
                PathBuf::from("/mnt/My Stick")
            ]
        );
        assert!(is_mounted(&mounts, Path::new("/media/lobby-kiosk/sda1")));
        assert!(!is_mounted(&mounts, Path::new("/media/lobby-kiosk")));
    }
}
