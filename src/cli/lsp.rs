//! `tact lsp`: runs the language server until the editor stops it.

use std::io::{self, Write};

use super::ExitStatus;

pub(super) fn lsp() -> io::Result<ExitStatus> {
    match crate::lsp::serve_stdio() {
        Ok(()) => Ok(ExitStatus::Clean),
        Err(e) => {
            writeln!(io::stderr(), "error: tact lsp: {e}")?;
            Ok(ExitStatus::Trouble)
        }
    }
}
