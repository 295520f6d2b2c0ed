//! Placeholder until the importer lands.

use std::io::BufRead;

use super::{ImportError, Options, Output};

/// A BMLT server's GetFormats table: format key → NAWS world id.
#[derive(Debug, Clone, Default)]
pub struct FormatTable {}

pub fn read(
    _input: &mut dyn BufRead,
    _options: &Options,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    Err(ImportError::file(
        out.file(),
        "this format is not supported yet",
    ))
}

impl FormatTable {
    pub fn parse(file: &str, _bytes: &[u8]) -> Result<FormatTable, ImportError> {
        Err(ImportError::file(file, "not supported yet"))
    }
}
