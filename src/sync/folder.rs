//! The sync folder: a folder kept in step by Syncthing, rsync or the like, holding one
//! signed bundle. A new signature file there means a new bundle to apply.
//!
//! Sync tools copy files one by one, so a bundle can be seen half-arrived (new manifest, old
//! data file). A bundle that fails its checks is retried on later polls and reported only
//! when it still fails after `settle`; one that was applied (or finally refused) is not
//! looked at again until its signature changes.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::bundles::{apply_bundle, Refusal};
use super::Notice;
use crate::import::bundle::{PublicKey, SIGNATURE};
use crate::import::Rules;
use crate::store::Store;

#[derive(Debug)]
pub struct FolderWatcher {
    folder: PathBuf,
    settle: Duration,
    /// Signature of the bundle last applied or finally refused.
    done: Option<[u8; 32]>,
    /// A bundle that failed its checks, and since when: maybe still arriving.
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
        staging: &std::path::Path,
        imported_at: &str,
    ) -> Option<Notice> {
        let signature = std::fs::read(self.folder.join(SIGNATURE)).ok()?;
        let fingerprint: [u8; 32] = Sha256::digest(&signature).into();
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
