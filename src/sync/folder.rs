//! The sync folder: a folder kept in step by Syncthing, rsync or the like, holding one
//! signed bundle — the newest the office made, so a kiosk that was off for a week applies only
//! that one (the version rule allows skipping, and refuses going back).
//!
//! Sync tools copy files one by one, so a bundle can be seen half-arrived (new manifest, old
//! data file), or stay half-arrived for days while the kiosk's sync tool is stopped. The
//! watcher looks at the folder's files (names, sizes, modification times; the sync tool's own
//! hidden files such as `.stfolder`, `.stversions` and `.syncthing.*.tmp` left out) and tries
//! the bundle whenever they change. A bundle that fails its checks is retried on later polls
//! and reported only when it still fails after `settle`; then it is not tried again until a
//! file changes — as when the rest of it arrives.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use sha2::{Digest, Sha256};

use super::bundles::{apply_bundle, Refusal};
use super::Notice;
use crate::import::bundle::{may_be_listed, PublicKey, SIGNATURE};
use crate::import::Rules;
use crate::store::Store;

#[derive(Debug)]
pub struct FolderWatcher {
    folder: PathBuf,
    settle: Duration,
    /// The folder's files when the bundle was last applied or finally refused.
    done: Option<[u8; 32]>,
    /// The folder's files when a bundle failed its checks, and since when: maybe still
    /// arriving.
    pending: Option<([u8; 32], Instant)>,
}

impl FolderWatcher {
    pub fn new(folder: PathBuf, settle: Duration) -> Self {
        FolderWatcher {
            folder,
            settle,
            done: None,
            pending: None,
        }
    }

    /// Looks once; returns what to tell staff when something was applied or refused.
    pub fn poll(
        &mut self,
        store: &mut Store,
        keys: &Result<Vec<PublicKey>, Refusal>,
        rules: &Rules,
        staging: &Path,
        imported_at: &str,
    ) -> Option<Notice> {
        let signature = std::fs::read(self.folder.join(SIGNATURE)).ok()?;
        let fingerprint = files_fingerprint(&self.folder, &signature)?;
        if self.done == Some(fingerprint) {
            return None;
        }
        let result = match keys {
            Ok(keys) => apply_bundle(
                store,
                &self.folder,
                keys,
                rules,
                staging,
                imported_at,
                false,
            ),
            Err(refusal) => Err(refusal.clone()),
        };
        match result {
            Ok(outcome) => {
                self.done = Some(fingerprint);
                self.pending = None;
                log::info!("sync folder: {}", outcome.summary());
                Some(Notice::new(outcome.summary_phrase(), false))
            }
            Err(refusal) if refusal.already_applied => {
                self.done = Some(fingerprint);
                self.pending = None;
                None
            }
            Err(refusal) => {
                let since = match self.pending {
                    Some((f, since)) if f == fingerprint => since,
                    _ => {
                        let now = Instant::now();
                        self.pending = Some((fingerprint, now));
                        now
                    }
                };
                if since.elapsed() < self.settle {
                    return None;
                }
                self.done = Some(fingerprint);
                self.pending = None;
                let notice = Notice::new(refusal.from_sync_folder(), true);
                log::warn!("{notice}");
                Some(notice)
            }
        }
    }
}

/// What the folder holds as far as a bundle goes: the signature's bytes and each file's name,
/// size and modification time. Names a manifest cannot list (hidden ones, the sync tool's
/// temporary files) are left out. None when the folder cannot be listed.
fn files_fingerprint(folder: &Path, signature: &[u8]) -> Option<[u8; 32]> {
    let mut files: Vec<(String, u64, Option<SystemTime>)> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            if !may_be_listed(&name) {
                return None;
            }
            let meta = entry.metadata().ok().filter(std::fs::Metadata::is_file)?;
            Some((name, meta.len(), meta.modified().ok()))
        })
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    hash.update(signature);
    for (name, len, modified) in files {
        let nanos = modified
            .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        hash.update(format!("\0{name}\0{len}\0{nanos}").as_bytes());
    }
    Some(hash.finalize().into())
}
