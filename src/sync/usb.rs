//! USB sticks: finding a `lobby-kiosk/` bundle folder on a newly mounted stick, applying it,
//! and writing `lobby-kiosk/import-report.txt` back.
//!
//! Mounting is the system's job (the device package ships a read-only automount); this only
//! looks under the configured mount roots. A stick is untrusted: its folder is copied to a
//! private staging folder and verified there (`sync::bundles`). Nothing on the stick is ever
//! opened as the live database.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::bundles::{apply_bundle, Refusal};
use super::{files, Notice};
use crate::import::bundle::{PublicKey, SIGNATURE};
use crate::import::Rules;
use crate::store::Store;
use crate::words::{phrase, Phrase};

/// The folder on a stick that holds a bundle.
pub const BUNDLE_FOLDER: &str = "lobby-kiosk";
pub const REPORT_FILE: &str = "import-report.txt";

/// Signed bundle folders on mounted volumes: `<root>/<volume>/lobby-kiosk` and, as udisks
/// mounts them, `<root>/<user>/<volume>/lobby-kiosk`, holding a manifest's signature. A
/// folder without one holds plain files for staff to approve (`sync::plain`).
pub fn bundle_folders(roots: &[PathBuf]) -> Vec<PathBuf> {
    stick_folders(roots)
        .into_iter()
        .filter(|f| f.join(SIGNATURE).is_file())
        .collect()
}

/// Every `lobby-kiosk` folder on a mounted volume, signed or not.
pub fn stick_folders(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = volumes(roots)
        .into_iter()
        .map(|v| v.join(BUNDLE_FOLDER))
        .filter(|f| f.is_dir())
        .collect();
    found.sort();
    found
}

/// Mounted volumes, as `bundle_folders` looks for them: each folder one level under a mount
/// root, followed by the folders inside it (udisks' `<root>/<user>/<volume>`).
pub fn volumes(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for root in roots {
        for volume in subfolders(root) {
            let inner = subfolders(&volume);
            found.push(volume);
            found.extend(inner);
        }
    }
    found
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        // No symlinks: a mount point is a real directory.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect()
}

/// Remembers which stick folders were present, so each insertion is handled once.
#[derive(Debug, Default)]
pub struct UsbWatcher {
    present: HashSet<PathBuf>,
    plain: HashSet<PathBuf>,
}

impl UsbWatcher {
    /// Bundle folders that appeared since the last poll (all of them on the first poll: a
    /// stick left in at boot is handled, and an already-applied bundle is a quiet no-op).
    pub fn poll(&mut self, roots: &[PathBuf]) -> Vec<PathBuf> {
        appeared(&mut self.present, bundle_folders(roots))
    }

    /// Folders of plain schedule files (no signature) that appeared since the last poll:
    /// the board asks staff to review them (`sync::plain`).
    pub fn poll_plain(&mut self, roots: &[PathBuf]) -> Vec<PathBuf> {
        appeared(&mut self.plain, super::plain::plain_folders(roots))
    }
}

fn appeared(present: &mut HashSet<PathBuf>, now: Vec<PathBuf>) -> Vec<PathBuf> {
    let now: HashSet<PathBuf> = now.into_iter().collect();
    let mut new: Vec<PathBuf> = now.difference(present).cloned().collect();
    new.sort();
    *present = now;
    new
}

/// Where reports wait for the root helper when a stick is mounted read-only (the device's
/// automount does that): `lobby-kiosk-usb-report.path` watches this folder beside the
/// database, remounts the stick read-write, writes the report, syncs and unmounts it.
pub use crate::store::data_dir::OUTBOX;

/// Applies the bundle on a stick and writes the report back (directly, or through the outbox
/// when the stick is read-only). Returns what the screen says.
pub fn handle_stick(
    store: &mut Store,
    folder: &Path,
    keys: &Result<Vec<PublicKey>, Refusal>,
    rules: &Rules,
    staging: &Path,
    outbox: &Path,
    imported_at: &str,
) -> Notice {
    let result = match keys {
        Ok(keys) => apply_bundle(store, folder, keys, rules, staging, imported_at, false),
        Err(refusal) => Err(refusal.clone()),
    };
    let (mut notice, report) = match &result {
        Ok(outcome) => (
            Notice::new(outcome.summary_phrase(), false),
            outcome.describe(true),
        ),
        Err(refusal) => (
            Notice::new(refusal.phrase(), !refusal.already_applied),
            format!("{}\n", refusal.describe()),
        ),
    };
    let report = format!("lobby-kiosk import report, {imported_at}\n\n{report}");
    notice.says.extend(write_report(folder, &report, outbox));
    log::info!("USB {}: {notice}", folder.display());
    notice
}

/// Writes `lobby-kiosk/import-report.txt` into the stick folder: directly, or — the stick
/// being read-only, as the device mounts it — through the root helper. Returns what the screen
/// should add about it, if anything.
pub fn write_report(folder: &Path, report: &str, outbox: &Path) -> Option<Phrase> {
    let target = folder.join(REPORT_FILE);
    if files::write_atomically(&target, report.as_bytes()).is_ok() {
        return None;
    }
    Some(match queue_report(outbox, &target, report) {
        Ok(()) => phrase(
            "The report goes onto the stick in a moment; then the stick is unmounted and safe to remove.",
            &[],
        ),
        Err(e) => phrase("(The report could not be written to the stick: {})", &[&e]),
    })
}

/// Leaves a report for the root helper: first line `# target: PATH`, then the report. The
/// helper only accepts targets inside the automount folder, so a crafted name cannot make
/// it write elsewhere.
pub fn queue_report(outbox: &Path, target: &Path, report: &str) -> std::io::Result<()> {
    queue_file(outbox, target, report.as_bytes()).map(|_| ())
}

/// Queues one file for the root helper; its entry's name (`<digest>.report`, the digest of
/// the target, so a second export to the same stick replaces the first).
fn queue_file(outbox: &Path, target: &Path, bytes: &[u8]) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    fs::create_dir_all(outbox)?;
    let digest = Sha256::digest(target.as_os_str().as_encoded_bytes());
    let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("{name}.report");
    let mut entry = format!("# target: {}\n", target.display()).into_bytes();
    entry.extend_from_slice(bytes);
    // What the helper said of an earlier file of the same name is not about this one; an
    // answer that cannot be cleared would be read as this file's.
    match fs::remove_file(delivered_folder(outbox).join(&name)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    files::write_atomically(&outbox.join(&name), &entry)?;
    Ok(name)
}

/// Where the root helper says what became of each queued file: `<entry name>` holding `ok`
/// or `failed: why`. Beside the outbox, not in it (a file there would start the helper again).
pub fn delivered_folder(outbox: &Path) -> PathBuf {
    outbox.with_file_name(DELIVERED)
}

pub const DELIVERED: &str = "usb-done";

/// How files went onto a stick.
#[derive(Debug)]
pub enum Delivery {
    /// Written straight to a stick mounted read-write, each file synced.
    Written { stick: PathBuf, files: usize },
    /// Left for the root helper, because the stick is mounted read-only (as the device's
    /// automount mounts them): it remounts the stick read-write, writes, syncs and unmounts.
    Queued(Pending),
}

/// Files waiting for the root helper.
#[derive(Debug)]
pub struct Pending {
    pub stick: PathBuf,
    pub files: usize,
    names: Vec<String>,
    outbox: PathBuf,
}

impl Pending {
    /// `None` while the helper is at it; `Ok` once every file is written and the stick is
    /// unmounted (only then is it safe to remove); `Err` with the helper's reason otherwise.
    pub fn poll(&self, mounts: &[super::mounts::Mount]) -> Option<Result<(), String>> {
        let done = delivered_folder(&self.outbox);
        let mut results = Vec::new();
        for name in &self.names {
            match fs::read_to_string(done.join(name)) {
                Ok(text) => results.push(text.trim().to_string()),
                Err(_) => return None,
            }
        }
        for name in &self.names {
            let _ = fs::remove_file(done.join(name));
        }
        if let Some(failed) = results.iter().find(|r| *r != "ok") {
            return Some(Err(failed
                .strip_prefix("failed: ")
                .unwrap_or(failed)
                .to_string()));
        }
        if super::mounts::is_mounted(mounts, &self.stick) {
            return Some(Err("the stick was not unmounted".into()));
        }
        Some(Ok(()))
    }

    /// Takes back what the helper has not written (it never came): nothing is left on the
    /// kiosk's disk.
    pub fn abandon(&self) {
        for name in &self.names {
            let _ = fs::remove_file(self.outbox.join(name));
        }
    }
}

/// Puts `files` (name, contents; a name may start with `lobby-kiosk/`) on `stick`: directly when it is mounted
/// read-write, else through the root helper's outbox.
pub fn deliver(
    stick: &super::mounts::Mount,
    files: &[(String, Vec<u8>)],
    outbox: &Path,
) -> std::io::Result<Delivery> {
    if !stick.read_only {
        for (name, bytes) in files {
            let target = stick.point.join(name);
            if let Some(folder) = target.parent() {
                fs::create_dir_all(folder)?;
            }
            files::write_atomically(&target, bytes)?;
        }
        return Ok(Delivery::Written {
            stick: stick.point.clone(),
            files: files.len(),
        });
    }
    fs::create_dir_all(delivered_folder(outbox))?;
    let mut names = Vec::new();
    for (name, bytes) in files {
        match queue_file(outbox, &stick.point.join(name), bytes) {
            Ok(entry) => names.push(entry),
            Err(e) => {
                for entry in &names {
                    let _ = fs::remove_file(outbox.join(entry));
                }
                return Err(e);
            }
        }
    }
    Ok(Delivery::Queued(Pending {
        stick: stick.point.clone(),
        files: files.len(),
        names,
        outbox: outbox.to_path_buf(),
    }))
}
