//! Reading every input and checking its conversations in parallel batches, for `check` and
//! `score`: conversations are read in order, checked a batch at a time on all cores, and handed
//! on in input order, so the output does not depend on the number of threads and the memory in
//! flight is bounded by the batch.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::conversation::Conversation;
use crate::engine::Engine;
use crate::input::{self, Input, InputError};
use crate::report::ConversationReport;

/// How many conversations are read before they are checked together.
const BATCH: usize = 512;

/// The inputs named on the command line (stdin when none), or `None` after telling the user
/// there is nothing to read.
pub(super) fn gather_inputs(
    paths: &[PathBuf],
) -> io::Result<Option<(Vec<Input>, Vec<InputError>)>> {
    if paths.is_empty() {
        if io::stdin().is_terminal() {
            writeln!(
                io::stderr(),
                "error: no input: give files or folders to check, or `-` to read stdin"
            )?;
            return Ok(None);
        }
        return Ok(Some((vec![Input::Stdin], Vec::new())));
    }
    let (mut inputs, mut errors) = input::collect_inputs(paths);
    if inputs.is_empty() && errors.is_empty() {
        errors.push(InputError::new(
            &paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            None,
            "no conversation files found (.json, .jsonl, .yaml, .yml, .txt)",
        ));
    }
    inputs.dedup();
    Ok(Some((inputs, errors)))
}

/// Checks every conversation of every input and calls `each` with it and its report, in input
/// order. Malformed records go to `errors`; the rest are still checked. A progress line is shown
/// on stderr while it runs, when stderr is a terminal.
pub(super) fn check_all(
    engine: &Engine,
    inputs: &[Input],
    errors: &mut Vec<InputError>,
    each: &mut dyn FnMut(&Conversation, &ConversationReport) -> io::Result<()>,
) -> io::Result<()> {
    let progress = progress_bar();
    let mut batch: Vec<Conversation> = Vec::with_capacity(BATCH);
    for input in inputs {
        let mut failure: Option<io::Error> = None;
        input::read_input(input, &mut |record| {
            if failure.is_some() {
                return;
            }
            match record {
                Ok(c) => batch.push(c),
                Err(e) => errors.push(e),
            }
            if batch.len() >= BATCH {
                if let Err(e) = flush(engine, &mut batch, each, &progress) {
                    failure = Some(e);
                }
            }
        });
        if let Some(e) = failure {
            progress.finish_and_clear();
            return Err(e);
        }
        flush(engine, &mut batch, each, &progress)?;
    }
    progress.finish_and_clear();
    Ok(())
}

fn flush(
    engine: &Engine,
    batch: &mut Vec<Conversation>,
    each: &mut dyn FnMut(&Conversation, &ConversationReport) -> io::Result<()>,
    progress: &ProgressBar,
) -> io::Result<()> {
    let reports: Vec<ConversationReport> = batch.par_iter().map(|c| engine.check(c)).collect();
    for (conversation, report) in batch.iter().zip(&reports) {
        each(conversation, report)?;
    }
    progress.inc(batch.len() as u64);
    batch.clear();
    Ok(())
}

/// A counter of conversations on stderr; hidden when stderr is not a terminal.
fn progress_bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {human_pos} conversations checked in {elapsed}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
