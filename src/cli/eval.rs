//! `tact eval`: verdict quality against a labelled set.

use std::io::{self, Write};
use std::path::PathBuf;

use codespan_reporting::term::termcolor::Color;

use super::args::{ColorWhen, EvalArgs, EvalFormat};
use super::{batch, load_engine, read_reviews, stderr_stream, write_label, ExitStatus};
use crate::render::quality;
use crate::score::compare::{Comparer, Reviews};
use crate::score::quality::Quality;

/// The labels file a folder of a labelled set holds.
pub const LABELS_FILE: &str = "labels.csv";

pub(super) fn eval(args: &EvalArgs, color: ColorWhen) -> io::Result<ExitStatus> {
    let Some(engine) = load_engine(&args.policy, color)? else {
        return Ok(ExitStatus::Trouble);
    };
    let rule_ids: Vec<&str> = engine.rules().iter().map(|r| &*r.id).collect();
    let label_files: Vec<PathBuf> = match &args.labels {
        Some(path) => vec![path.clone()],
        None => args
            .paths
            .iter()
            .filter(|p| p.is_dir())
            .map(|p| p.join(LABELS_FILE))
            .filter(|p| p.is_file())
            .collect(),
    };
    if label_files.is_empty() {
        writeln!(
            io::stderr(),
            "error: no labels: give a folder holding `{LABELS_FILE}`, or `--labels FILE`"
        )?;
        return Ok(ExitStatus::Trouble);
    }
    let mut errors = Vec::new();
    let mut reviews = Reviews::default();
    for path in &label_files {
        let Some(read) = read_reviews(path, &rule_ids, &mut errors)? else {
            return Ok(ExitStatus::Trouble);
        };
        reviews.extend(read);
    }
    let shown_labels = label_files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let Some((inputs, input_errors)) = batch::gather_inputs(&args.paths, None, false)? else {
        return Ok(ExitStatus::Trouble);
    };
    errors.extend(input_errors);
    let mut comparer = Comparer::new(reviews, &rule_ids);
    batch::check_all(
        &engine,
        &inputs,
        &crate::input::ReadOptions::default(),
        &mut errors,
        false,
        false,
        &mut |conversation, report| {
            comparer.add(&crate::score::score(engine.rules(), conversation, report));
            Ok(())
        },
    )?;
    let agreement = comparer.finish();
    let measured = Quality::from_agreement(&agreement);
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Human => {
            quality::human(&mut out, &measured, &shown_labels)?;
            if args.show_errors {
                let single = (label_files.len() == 1).then_some(shown_labels.as_str());
                quality::errors(
                    &mut out,
                    &agreement.disagreements,
                    single.unwrap_or("labels"),
                )?;
            }
        }
        EvalFormat::Json => quality::json(
            &mut out,
            &measured,
            &shown_labels,
            args.show_errors
                .then_some(agreement.disagreements.as_slice()),
        )?,
    }
    out.flush()?;
    let mut err = stderr_stream(color);
    for e in &errors {
        write_label(&mut err, "error", Color::Red)?;
        writeln!(err, ": {e}")?;
    }
    if !agreement.missing_conversations.is_empty() {
        write_label(&mut err, "warning", Color::Yellow)?;
        writeln!(
            err,
            ": {} labelled conversation(s) not among the inputs: {}",
            agreement.missing_conversations.len(),
            agreement.missing_conversations.join(", ")
        )?;
    }
    Ok(if errors.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Trouble
    })
}
