//! Reading every input and checking its conversations in parallel batches, for `check`,
//! `score` and `eval`: conversations are read in order, checked in batches on all cores while
//! the next batch is read, and handed on in input order, so the output does not depend on the
//! number of threads, and the memory in flight is bounded by two batches.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::args::{InputKind, ReadArgs};
use crate::config::Config;
use crate::conversation::Conversation;
use crate::engine::Engine;
use crate::input::{self, Input, InputError, Pending, ReadOptions};
use crate::macros::{self, LibraryKind};
use crate::place::place_conversation;
use crate::report::ConversationReport;

/// How many conversations are read before they are checked together.
const BATCH: usize = 512;

/// The inputs named on the command line (stdin when none), or `None` after telling the user
/// there is nothing to read. Files found in folders are kept only if tact.yaml's `include` and
/// `exclude` want them; files named on the command line too, with `--force-exclude`.
pub(super) fn gather_inputs(
    paths: &[PathBuf],
    config: Option<&Config>,
    force_exclude: bool,
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
    // CSV files are common beside conversations (labels, reports): in a folder they are read
    // only when tact.yaml says how (`csv:`); named on the command line, always.
    let csv_configured = config.is_some_and(|c| c.csv != input::CsvColumns::default());
    let keep = |p: &std::path::Path| {
        config.is_none_or(|c| c.wants(p))
            && (csv_configured
                || !matches!(
                    input::Format::from_path(p),
                    Some(input::Format::Csv | input::Format::Tsv)
                ))
    };
    let (mut inputs, errors) = input::collect_inputs_where(paths, &keep);
    if force_exclude {
        inputs.retain(|i| match i {
            Input::File(path) | Input::Named { name: path, .. } => {
                config.is_none_or(|c| c.wants(path))
            }
            Input::Stdin => true,
        });
    }
    if inputs.is_empty() && errors.is_empty() {
        // An empty folder is not an error: there is nothing wrong in it.
        let named = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let filtered = if config.is_some_and(Config::filters) {
            ", once tact.yaml's `include` and `exclude` are applied"
        } else {
            ""
        };
        writeln!(
            io::stderr(),
            "note: nothing to check in {named}: no conversation or macro files (.json, .jsonl, .yaml, .yml, .txt, .md){filtered}"
        )?;
    }
    inputs.dedup();
    Ok(Some((inputs, errors)))
}

/// How much of an input is read at once: the flag, else tact.yaml, else the default.
pub(super) fn options(
    read: &ReadArgs,
    config: Option<&Config>,
    vendor: Option<input::Vendor>,
) -> ReadOptions {
    let max_record_bytes = read
        .max_record_size
        .or_else(|| config.and_then(|c| c.max_record_bytes))
        .unwrap_or(input::DEFAULT_MAX_RECORD_BYTES);
    ReadOptions {
        max_record_bytes,
        csv: config.map(|c| c.csv.clone()).unwrap_or_default(),
        vendor,
    }
}

/// Checks every conversation of every input and calls `each` with it and its report, in input
/// order. Malformed records go to `errors` (in input order too); the rest are still checked. A
/// progress line is shown on stderr while it runs, when stderr is a terminal, unless `each`
/// writes to stdout and that is a terminal too (`writes_stdout`). With `place`, each report's
/// findings are placed in the file ([`place_conversation`]) on the worker threads, not on the
/// one thread that hands reports on.
pub(super) fn check_all(
    engine: &Engine,
    inputs: &[Input],
    options: &ReadOptions,
    errors: &mut Vec<InputError>,
    writes_stdout: bool,
    place: bool,
    each: &mut dyn FnMut(&Conversation, &mut ConversationReport) -> io::Result<()>,
) -> io::Result<()> {
    let progress = progress_bar(writes_stdout);
    let result = std::thread::scope(|scope| {
        let mut flight = InFlight::default();
        let mut batch = Batch::default();
        let mut failure: Option<io::Error> = None;
        for input in inputs {
            input::read_input_pending(input, options, &mut |record| {
                if failure.is_some() {
                    return;
                }
                batch.bytes += record.weight();
                batch.records.push(record);
                if batch.is_full() {
                    flight.start(scope, std::mem::take(&mut batch), engine, place);
                }
                // Reports are written as soon as their batch is done (a slow stream's reports
                // do not wait for the next batch to fill), and a second batch in flight waits
                // for the first.
                while flight.oldest_done() || flight.0.len() > 1 {
                    if let Err(e) = flight.finish_oldest(errors, each, &progress) {
                        failure = Some(e);
                        break;
                    }
                }
            });
            if failure.is_some() {
                break;
            }
        }
        if failure.is_none() {
            // A short run (one file, one chat) never fills a batch: it is checked here, and a
            // single conversation without starting the thread pool.
            if flight.0.is_empty() {
                failure = batch.check(engine, place, errors, each, &progress).err();
            } else if !batch.records.is_empty() {
                flight.start(scope, batch, engine, place);
            }
        }
        while !flight.0.is_empty() && failure.is_none() {
            failure = flight.finish_oldest(errors, each, &progress).err();
        }
        // After a failure (a closed pipe), the batches still in flight are waited for and
        // dropped, a panic in one of them too: the failure is what is reported.
        for (handle, _) in flight.0.drain(..) {
            let _ = handle.join();
        }
        failure.map_or(Ok(()), Err)
    });
    progress.finish_and_clear();
    result
}

/// Batches being checked, oldest first, each on a thread of its own that hands it to the
/// thread pool. While one batch's reports are written and the next is read, the pool is
/// already checking it: the pool's threads wait for the thread that reads and writes only when
/// reading and writing are slower than checking, and no longer wait for the slowest
/// conversation of a batch before starting the next.
#[derive(Default)]
struct InFlight<'scope>(
    std::collections::VecDeque<(std::thread::ScopedJoinHandle<'scope, Checked>, u64)>,
);

/// A batch's conversations with their reports, or why a record could not be read, in input
/// order.
type Checked = Vec<Result<(Conversation, ConversationReport), InputError>>;

impl<'scope> InFlight<'scope> {
    /// Starts checking `batch`.
    fn start<'env>(
        &mut self,
        scope: &'scope std::thread::Scope<'scope, 'env>,
        batch: Batch,
        engine: &'env Engine,
        place: bool,
    ) {
        let count = batch.records.len() as u64;
        let handle = scope.spawn(move || check_batch(batch.records, engine, place, true));
        self.0.push_back((handle, count));
    }

    /// Whether the oldest batch has been checked.
    fn oldest_done(&self) -> bool {
        self.0
            .front()
            .is_some_and(|(handle, _)| handle.is_finished())
    }

    /// Waits for the oldest batch and hands its reports on, in input order.
    fn finish_oldest(
        &mut self,
        errors: &mut Vec<InputError>,
        each: &mut dyn FnMut(&Conversation, &mut ConversationReport) -> io::Result<()>,
        progress: &ProgressBar,
    ) -> io::Result<()> {
        let Some((handle, count)) = self.0.pop_front() else {
            return Ok(());
        };
        let results = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        hand_on(results, errors, each)?;
        progress.inc(count);
        Ok(())
    }
}

/// Parses and checks `records` on all cores, the results in input order, so the output is the
/// same byte for byte whatever the number of threads. With `pool`, always on the thread pool
/// (a batch's own thread must not check beside the pool: `RAYON_NUM_THREADS` limits the
/// threads that check); else one record is checked on this thread.
fn check_batch(records: Vec<Pending>, engine: &Engine, place: bool, pool: bool) -> Checked {
    let check_one = |record: Pending| {
        record.resolve().map(|c| {
            let mut report = engine.check(&c);
            if place {
                place_conversation(&c, &mut report);
            }
            (c, report)
        })
    };
    if pool {
        records.into_par_iter().map(check_one).collect()
    } else {
        map_in_order(records, check_one)
    }
}

/// Calls `each` with every conversation checked, in order; unreadable records go to `errors`.
fn hand_on(
    results: Checked,
    errors: &mut Vec<InputError>,
    each: &mut dyn FnMut(&Conversation, &mut ConversationReport) -> io::Result<()>,
) -> io::Result<()> {
    for result in results {
        match result {
            Ok((conversation, mut report)) => each(&conversation, &mut report)?,
            Err(e) => errors.push(e),
        }
    }
    Ok(())
}

/// Records read and not yet checked; bounded in count and bytes, so memory does not grow with
/// the input.
#[derive(Default)]
struct Batch {
    records: Vec<Pending>,
    bytes: usize,
}

/// The most bytes of unparsed records held at once.
const BATCH_BYTES: usize = 8 << 20;

impl Batch {
    fn is_full(&self) -> bool {
        self.records.len() >= BATCH || self.bytes >= BATCH_BYTES
    }

    /// Checks the batch here (on the thread pool unless it is one conversation) and hands the
    /// results on in input order.
    fn check(
        self,
        engine: &Engine,
        place: bool,
        errors: &mut Vec<InputError>,
        each: &mut dyn FnMut(&Conversation, &mut ConversationReport) -> io::Result<()>,
        progress: &ProgressBar,
    ) -> io::Result<()> {
        let count = self.records.len() as u64;
        hand_on(
            check_batch(self.records, engine, place, false),
            errors,
            each,
        )?;
        progress.inc(count);
        Ok(())
    }
}

/// `f` of each item, in the items' order: on the thread pool, or on this thread for a single
/// item (starting the pool for one took a seventh of a one-file run: a pre-commit hook, an
/// editor's check on save).
pub(super) fn map_in_order<T: Send, R: Send>(
    items: Vec<T>,
    f: impl Fn(T) -> R + Sync + Send,
) -> Vec<R> {
    if items.len() < 2 {
        items.into_iter().map(f).collect()
    } else {
        items.into_par_iter().map(f).collect()
    }
}

/// A counter of conversations on stderr, shown only when stderr is a terminal that is not
/// showing the report as it is written: there, the spinner's redraws would garble it.
fn progress_bar(writes_stdout: bool) -> ProgressBar {
    if !io::stderr().is_terminal() || (writes_stdout && io::stdout().is_terminal()) {
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

/// Whether the first non-blank line of a JSONL file (read up to 1 MiB) is a macro.
fn first_line_is_macro(path: &std::path::Path) -> bool {
    use std::io::{BufRead, Read};
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut reader = std::io::BufReader::new(file.take(1 << 20));
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        if !line.trim().is_empty() {
            return macros::is_jsonl_macro_line(&line);
        }
        line.clear();
    }
    false
}

/// Whether an input is a macro library (then its path, text and kind) or conversations.
pub(super) fn classify(
    input: &Input,
    wanted: InputKind,
) -> Result<Option<(String, String, LibraryKind)>, InputError> {
    // A named vendor is conversations in that vendor's shape.
    let wanted = if wanted.vendor().is_some() {
        InputKind::Conversations
    } else {
        wanted
    };
    let (path, held) = match input {
        Input::File(path) => (path, None),
        Input::Named { name, bytes } => (name, Some(bytes)),
        Input::Stdin if wanted == InputKind::Macros => {
            return Err(InputError::new(
                "<stdin>",
                None,
                "macro libraries are read from files, not stdin (unless named with --stdin-filename)",
            ));
        }
        Input::Stdin => return Ok(None),
    };
    let shown = path.display().to_string();
    // A FIFO can be read only once, and a device may never end: never sniffed as a library.
    let regular = held.is_some() || std::fs::metadata(path).is_ok_and(|m| m.is_file());
    if !regular {
        if wanted == InputKind::Macros {
            return Err(InputError::new(
                &shown,
                None,
                "macro libraries are read from regular files",
            ));
        }
        return Ok(None);
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let candidate = match wanted {
        InputKind::Macros => true,
        InputKind::Auto => matches!(
            extension.as_str(),
            "md" | "markdown" | "json" | "yaml" | "yml" | "jsonl" | "ndjson"
        ),
        // Conversations, and vendors' conversations (made `Conversations` above).
        _ => false,
    };
    // JSONL conversations are streamed: only their first line is looked at here.
    let jsonl = matches!(extension.as_str(), "jsonl" | "ndjson");
    if !candidate || (jsonl && wanted == InputKind::Auto && !first_line_is_macro(path)) {
        return Ok(None);
    }
    let text = match held {
        Some(bytes) => String::from_utf8(bytes.to_vec())
            .map_err(|_| InputError::new(&shown, None, "not UTF-8 text"))?,
        None => std::fs::read_to_string(path)
            .map_err(|e| InputError::new(&shown, None, format!("cannot read: {e}")))?,
    };
    let detected =
        if matches!(extension.as_str(), "json" | "yaml" | "yml") && wanted == InputKind::Auto {
            // A quick look before parsing: conversations have events.
            let head = text.get(..text.len().min(65_536)).unwrap_or(&text);
            if head.contains("\"events\"") || head.contains("events:") {
                None
            } else {
                macros::detect(&shown, &text)
            }
        } else {
            macros::detect(&shown, &text)
        };
    match (detected, wanted) {
        (Some(kind), _) => Ok(Some((shown, text, kind))),
        (None, InputKind::Macros) if matches!(extension.as_str(), "txt" | "text") => {
            Ok(Some((shown, text, LibraryKind::OneFile)))
        }
        (None, InputKind::Macros) => Err(InputError::new(
            &shown,
            None,
            "not a macro library: expected a list of {id, title, body}, one such object per line (JSONL), Zendesk's {\"macros\": [...]}, or one Markdown or text file per macro",
        )),
        (None, _) => Ok(None),
    }
}
