//! Placeholder until the importer lands.

use std::io::BufRead;

use super::{ImportError, Options, Output};

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
