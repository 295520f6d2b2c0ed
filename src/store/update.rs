//! One all-or-nothing change of the schedule: replacing sources' meetings (streamed, so a
//! 100,000-meeting feed is never held in memory twice, and only the rows that differ are
//! written) and recording the bundle version that brought them, in a single IMMEDIATE
//! transaction.

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::{params, params_from_iter, OptionalExtension, Statement, Transaction};

use super::codec::{encode, row_hash, stored_fingerprint, Stored, COLUMNS};
use super::{db_err, ReplaceCounts, StoreError};
use crate::schedule::Meeting;

/// An open change of the schedule. Nothing is visible to the board until `commit`; dropping
/// it rolls everything back.
pub struct Update<'s> {
    pub(super) tx: Transaction<'s>,
    pub(super) path: &'s str,
}

/// Conditional-request validators and health of one HTTP feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedState {
    pub url: String,
    pub etag: String,
    pub last_modified: String,
    pub last_attempt: String,
    pub last_success: String,
    pub last_error: String,
}

impl<'s> Update<'s> {
    /// Returns a writer for `source`'s new meetings. The counts compare each new meeting with
    /// the stored row of the same id, and only what differs is written: a meeting the feed
    /// sends unchanged keeps its row (a daily update that changes nothing rewrites nothing on
    /// the SD card), a changed one is rewritten, and `SourceWriter::finish` deletes those the
    /// feed no longer has.
    pub fn replace_source(
        &self,
        source: &str,
        imported_at: &str,
    ) -> Result<SourceWriter<'_>, StoreError> {
        let e = |action| db_err(self.path, action);
        let mut old = HashMap::new();
        {
            let mut stmt = self
                .tx
                .prepare(&format!(
                    "SELECT {}, rowid FROM meeting WHERE source = ?1",
                    COLUMNS.join(", ")
                ))
                .map_err(e("read the current meetings"))?;
            let rows = stmt
                .query_map([source], stored_fingerprint)
                .map_err(e("read the current meetings"))?;
            for row in rows {
                let (id, stored) = row.map_err(e("read the current meetings"))?;
                old.insert(id, stored);
            }
        }
        self.tx
            .execute(
                "INSERT INTO source(name, imported_at) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET imported_at = excluded.imported_at",
                params![source, imported_at],
            )
            .map_err(e("record the source"))?;
        let placeholders = vec!["?"; COLUMNS.len()].join(", ");
        let insert = self
            .tx
            .prepare(&format!(
                "INSERT INTO meeting ({}) VALUES ({placeholders})",
                COLUMNS.join(", ")
            ))
            .map_err(e("prepare the insert"))?;
        let assignments: Vec<String> = COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 1))
            .collect();
        let rewrite = self
            .tx
            .prepare(&format!(
                "UPDATE meeting SET {} WHERE rowid = ?{}",
                assignments.join(", "),
                COLUMNS.len() + 1
            ))
            .map_err(e("prepare the update"))?;
        let delete = self
            .tx
            .prepare("DELETE FROM meeting WHERE rowid = ?1")
            .map_err(e("prepare the removal"))?;
        Ok(SourceWriter {
            source: source.to_string(),
            path: self.path,
            insert,
            rewrite,
            delete,
            old,
            counts: ReplaceCounts::default(),
        })
    }

    /// Where a source came from, how many row warnings its import had and how many listings
    /// it left out as not meeting (for staff).
    pub fn describe_source(
        &self,
        source: &str,
        origin: &str,
        warnings: usize,
        not_meeting: usize,
    ) -> Result<(), StoreError> {
        let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        self.tx
            .execute(
                "UPDATE source SET origin = ?2, warnings = ?3, not_meeting = ?4 WHERE name = ?1",
                params![source, origin, n(warnings), n(not_meeting)],
            )
            .map_err(db_err(self.path, "record the source's origin"))?;
        Ok(())
    }

    /// The version of the newest accepted bundle, read inside this transaction's lock.
    pub fn bundle_version(&self) -> Result<Option<u64>, StoreError> {
        read_bundle_version(&self.tx, self.path)
    }

    /// Records an accepted bundle; refuses a version that is not newer than the stored one,
    /// so a replayed bundle cannot win even if two imports race.
    pub fn accept_bundle(
        &self,
        version: u64,
        key_id: &str,
        accepted_at: &str,
    ) -> Result<(), StoreError> {
        if let Some(current) = self.bundle_version()? {
            if version <= current {
                return Err(StoreError::Invalid {
                    path: self.path.to_string(),
                    problem: format!(
                        "bundle version {version} is not newer than the accepted version {current}"
                    ),
                });
            }
        }
        let version = i64::try_from(version).map_err(|_| StoreError::Invalid {
            path: self.path.to_string(),
            problem: format!("bundle version {version} is too large"),
        })?;
        self.tx
            .execute(
                "INSERT INTO bundle_state(id, version, accepted_at, key_id) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET version = excluded.version,
                     accepted_at = excluded.accepted_at, key_id = excluded.key_id",
                params![version, accepted_at, key_id],
            )
            .map_err(db_err(self.path, "record the bundle version"))?;
        Ok(())
    }

    pub fn commit(self) -> Result<(), StoreError> {
        self.tx
            .commit()
            .map_err(db_err(self.path, "commit the import"))
    }
}

pub(super) fn read_bundle_version(
    conn: &rusqlite::Connection,
    path: &str,
) -> Result<Option<u64>, StoreError> {
    let v: Option<i64> = conn
        .query_row("SELECT version FROM bundle_state WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(db_err(path, "read the bundle version"))?;
    Ok(v.map(|v| u64::try_from(v).unwrap_or(0)))
}

/// Writes one source's new meetings, one at a time.
pub struct SourceWriter<'t> {
    source: String,
    path: &'t str,
    insert: Statement<'t>,
    rewrite: Statement<'t>,
    delete: Statement<'t>,
    /// The source's stored rows not yet matched by a new meeting, by id.
    old: HashMap<String, Stored>,
    counts: ReplaceCounts,
}

impl SourceWriter<'_> {
    /// Adds one meeting; it must belong to this writer's source and have a new id.
    pub fn insert(&mut self, m: &Meeting) -> Result<(), StoreError> {
        if m.source != self.source {
            return Err(StoreError::Invalid {
                path: self.path.to_string(),
                problem: format!(
                    "meeting {} belongs to source \"{}\" but was handed in as part of \"{}\"; nothing was changed",
                    m.id, m.source, self.source
                ),
            });
        }
        let row = encode(m);
        let written = match self.old.remove(&m.id) {
            None => {
                self.counts.added += 1;
                self.insert.execute(params_from_iter(row.iter()))
            }
            Some(before) if before.hash == row_hash(row.iter().map(ValueRef::from)) => {
                self.counts.unchanged += 1;
                Ok(0)
            }
            Some(before) => {
                self.counts.changed += 1;
                let rowid = rusqlite::types::Value::Integer(before.rowid);
                self.rewrite
                    .execute(params_from_iter(row.iter().chain([&rowid])))
            }
        };
        written.map_err(|e| db_err(self.path, &format!("write meeting {}", m.id))(e))?;
        Ok(())
    }

    /// How the source changed; removes the meetings of the old schedule not handed in
    /// again. Call it before the update commits: until then those meetings are still stored.
    pub fn finish(mut self) -> Result<ReplaceCounts, StoreError> {
        let mut counts = self.counts;
        counts.removed = self.old.len();
        for (id, stored) in self.old.drain() {
            self.delete
                .execute([stored.rowid])
                .map_err(|e| db_err(self.path, &format!("remove meeting {id}"))(e))?;
        }
        Ok(counts)
    }
}
