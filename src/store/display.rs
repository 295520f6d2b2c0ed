//! The display choices staff make on the staff screen — high contrast, large text — kept in
//! the database so a restart (a power cut, the nightly reboot) does not undo them. Nothing
//! here is about people.

use rusqlite::OptionalExtension;

use super::{db_err, Store, StoreError};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DisplayChoice {
    pub high_contrast: bool,
    pub large_text: bool,
}

impl Store {
    /// What staff chose last, or None when they never changed it (the config decides then).
    pub fn display_choice(&self) -> Result<Option<DisplayChoice>, StoreError> {
        self.conn
            .query_row(
                "SELECT high_contrast, large_text FROM display_choice WHERE id = 1",
                [],
                |r| {
                    Ok(DisplayChoice {
                        high_contrast: r.get(0)?,
                        large_text: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(db_err(&self.path, "read the display choice"))
    }

    pub fn set_display_choice(&self, choice: DisplayChoice) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO display_choice (id, high_contrast, large_text) VALUES (1, ?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET high_contrast = ?1, large_text = ?2",
                (choice.high_contrast, choice.large_text),
            )
            .map(drop)
            .map_err(db_err(&self.path, "save the display choice"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_display_choice_is_kept_across_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kiosk.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.display_choice().unwrap(), None, "never chosen");
        let large = DisplayChoice {
            high_contrast: false,
            large_text: true,
        };
        store.set_display_choice(large).unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.display_choice().unwrap(), Some(large));
        let both = DisplayChoice {
            high_contrast: true,
            large_text: true,
        };
        store.set_display_choice(both).unwrap();
        assert_eq!(store.display_choice().unwrap(), Some(both));
    }
}
