//! The panel's backlight through sysfs (`/sys/class/backlight/<name>/`): off outside screen
//! hours, back on when woken. `bl_power` (0 = on, 4 = powered down) where the driver has it,
//! else `brightness` 0 and back to what it was.
//!
//! Only the writing; when to switch is `device::sleep`'s decision. The folder is passed in
//! so tests write to a temporary one. Writing needs the udev rule in `packaging/udev/` that
//! gives the video group write access. A panel without a backlight device gets a black
//! picture instead (the UI's sleep cover), which a touch still wakes.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Where Linux lists backlight devices.
pub const SYSFS_BACKLIGHT: &str = "/sys/class/backlight";

/// `FB_BLANK_POWERDOWN` in `bl_power`.
const POWER_DOWN: &str = "4";
const POWER_ON: &str = "0";

#[derive(Debug)]
pub struct Backlight {
    folder: PathBuf,
    /// The brightness before it was turned to 0 (drivers without `bl_power`).
    saved_brightness: Option<String>,
}

impl Backlight {
    /// The first backlight under `root` (sorted by name), if any.
    pub fn find(root: &Path) -> Option<Backlight> {
        let mut folders: Vec<PathBuf> = fs::read_dir(root)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join("brightness").exists())
            .collect();
        folders.sort();
        folders.into_iter().next().map(Backlight::at)
    }

    pub fn at(folder: PathBuf) -> Backlight {
        Backlight {
            folder,
            saved_brightness: None,
        }
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Turns the light on or off.
    pub fn set(&mut self, on: bool) -> io::Result<()> {
        let bl_power = self.folder.join("bl_power");
        if bl_power.exists() {
            return fs::write(&bl_power, if on { POWER_ON } else { POWER_DOWN })
                .map_err(|e| self.explain(&bl_power, e));
        }
        let brightness = self.folder.join("brightness");
        if on {
            let level = match self.saved_brightness.take() {
                Some(level) => level,
                None => fs::read_to_string(self.folder.join("max_brightness"))
                    .map_err(|e| self.explain(&brightness, e))?,
            };
            fs::write(&brightness, level.trim()).map_err(|e| self.explain(&brightness, e))
        } else {
            let current =
                fs::read_to_string(&brightness).map_err(|e| self.explain(&brightness, e))?;
            // Never remember 0 as the level to come back to: the screen would stay dark.
            if current.trim() != "0" {
                self.saved_brightness = Some(current.trim().to_string());
            }
            fs::write(&brightness, "0").map_err(|e| self.explain(&brightness, e))
        }
    }

    fn explain(&self, file: &Path, e: io::Error) -> io::Error {
        io::Error::new(
            e.kind(),
            format!(
                "{}: {e} (the packaged udev rule gives the video group write access; is the kiosk user in it?)",
                file.display()
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &Path) -> String {
        fs::read_to_string(p).unwrap().trim().to_string()
    }

    #[test]
    fn bl_power_is_used_where_the_driver_has_it() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("10-0045");
        fs::create_dir(&dir).unwrap();
        for (f, v) in [
            ("bl_power", "0"),
            ("brightness", "200"),
            ("max_brightness", "255"),
        ] {
            fs::write(dir.join(f), v).unwrap();
        }
        let mut light = Backlight::find(root.path()).unwrap();
        light.set(false).unwrap();
        assert_eq!(read(&dir.join("bl_power")), "4");
        assert_eq!(read(&dir.join("brightness")), "200", "brightness untouched");
        light.set(true).unwrap();
        assert_eq!(read(&dir.join("bl_power")), "0");
    }

    #[test]
    fn brightness_goes_to_zero_and_back_to_its_level_without_bl_power() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("rpi_backlight");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("brightness"), "120\n").unwrap();
        fs::write(dir.join("max_brightness"), "255\n").unwrap();
        let mut light = Backlight::find(root.path()).unwrap();
        light.set(false).unwrap();
        assert_eq!(read(&dir.join("brightness")), "0");
        light.set(false).unwrap();
        light.set(true).unwrap();
        assert_eq!(read(&dir.join("brightness")), "120");
    }

    #[test]
    fn no_backlight_device_is_none_and_an_unwritable_one_says_why() {
        let root = tempfile::tempdir().unwrap();
        assert!(Backlight::find(root.path()).is_none());
        let mut missing = Backlight::at(root.path().join("gone"));
        let err = missing.set(false).unwrap_err().to_string();
        assert!(err.contains("video group"), "{err}");
    }
}
