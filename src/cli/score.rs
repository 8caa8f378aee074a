//! `tact score`: scorecards, their aggregates, and agreement with a reviewer.

use std::io::{self, Write};

use codespan_reporting::term::termcolor::Color;

use super::args::{ColorWhen, InputKind, ScoreArgs, ScoreFormat, Stratify};
use super::report_folder::DiskFolder;
use super::{
    batch, builtin_figures_in_use, load_config, load_configured_engine, read_reviews,
    report_input_errors, stderr_stream, write_label, ExitStatus,
};
use crate::atomic::AtomicFile;
use crate::conversation::Conversation;
use crate::render::html::HtmlScores;
use crate::render::human::terminal_line;
use crate::render::scores::{CsvScores, HumanScores, JsonScores, ScoreSink};
use crate::report::ConversationReport;
use crate::score::compare::{Comparer, Reviews};
use crate::score::sample::{Sampler, Strata};
use crate::score::{self, Aggregator, Scorecard};

pub(super) fn score(args: &ScoreArgs, color: ColorWhen) -> io::Result<ExitStatus> {
    let Ok(config) = load_config(&args.config, &args.paths)? else {
        return Ok(ExitStatus::Trouble);
    };
    let Some(engine) = load_configured_engine(&args.policy, &args.config, config.as_ref(), color)?
    else {
        return Ok(ExitStatus::Trouble);
    };
    let rule_ids: Vec<&str> = engine.rules().iter().map(|r| &*r.id).collect();
    let mut errors = Vec::new();
    let mut comparer = if args.compare.is_empty() {
        None
    } else {
        match read_review_files(&args.compare, &rule_ids, &mut errors)? {
            Some(reviews) => Some(Comparer::new(reviews, &rule_ids)),
            None => return Ok(ExitStatus::Trouble),
        }
    };
    let Some((inputs, input_errors)) =
        batch::gather_inputs(&args.paths, config.as_ref(), args.read.force_exclude)?
    else {
        return Ok(ExitStatus::Trouble);
    };
    errors.extend(input_errors);
    // Scorecards are for conversations; macro libraries found in the folders are left out.
    let mut skipped_libraries = Vec::new();
    let inputs: Vec<_> = inputs
        .into_iter()
        .filter(|input| match batch::classify(input, InputKind::Auto) {
            Ok(Some((path, _, _))) => {
                skipped_libraries.push(path);
                false
            }
            _ => true,
        })
        .collect();

    if args.html_dir.is_some() && !matches!(args.format, ScoreFormat::Human | ScoreFormat::Html) {
        writeln!(
            io::stderr(),
            "error: --html-dir writes the HTML report; it does not take --format csv or json"
        )?;
        return Ok(ExitStatus::Trouble);
    }
    let folder = match &args.html_dir {
        Some(dir) => Some(DiskFolder::open(dir)?),
        None => None,
    };
    let output = args
        .output
        .clone()
        .or_else(|| folder.as_ref().map(DiskFolder::page));
    let mut file = match &output {
        Some(path) => Some(
            AtomicFile::create(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        ),
        None => None,
    };
    let stdout = io::stdout();
    let out: Box<dyn Write + '_> = match file.as_mut() {
        Some(f) => Box::new(io::BufWriter::new(f)),
        None => Box::new(io::BufWriter::new(stdout.lock())),
    };
    let html = |out| {
        HtmlScores::new(out, "tact QA scorecards".into())
            .with_measured(builtin_figures_in_use(&args.policy, config.as_ref()))
            .with_rules(engine.rules())
            .with_base(
                std::env::current_dir()
                    .ok()
                    .map(|d| d.display().to_string()),
            )
    };
    let mut sink: Box<dyn ScoreSink + '_> = match (folder, args.format) {
        (Some(folder), _) => Box::new(html(out).in_folder(Box::new(folder))),
        (None, ScoreFormat::Human) => Box::new(HumanScores::new(out)),
        (None, ScoreFormat::Csv) => Box::new(CsvScores::new(out, comparer.is_some())?),
        (None, ScoreFormat::Json) => Box::new(JsonScores::new(out)?),
        (None, ScoreFormat::Html) => Box::new(html(out)),
    };
    let mut aggregator = Aggregator::new(engine.rules());
    let mut sampler = sampler(args);
    batch::check_all(
        &engine,
        &inputs,
        &batch::options(&args.read, config.as_ref(), None),
        &mut errors,
        output.is_none(),
        false,
        &mut |conversation, report| {
            let card = score::score(engine.rules(), conversation, report);
            aggregator.add(&card);
            if let Some(c) = comparer.as_mut() {
                c.add(&card);
            }
            match sampler.as_mut() {
                Some(sampler) => {
                    sampler.offer(&card, || {
                        (conversation.clone(), report.clone(), card.clone())
                    });
                    Ok(())
                }
                None => sink.conversation(conversation, report, &card),
            }
        },
    )?;
    let mut aggregates = aggregator.finish();
    if let Some(sampler) = sampler {
        let (picked, sample) = sampler.finish();
        for (conversation, report, card) in &picked {
            sink.conversation(conversation, report, card)?;
        }
        aggregates.sample = Some(sample);
    }
    let agreement = comparer.map(Comparer::finish);
    sink.finish(&aggregates, agreement.as_ref(), &errors)?;
    if let Some(file) = file {
        file.commit()?;
    }
    let mut err = stderr_stream(color);
    report_input_errors(&mut err, &errors)?;
    if !skipped_libraries.is_empty() {
        write_label(&mut err, "note", Color::Cyan)?;
        writeln!(
            err,
            ": macro libraries are not scored (use `tact check`): {}",
            terminal_line(&skipped_libraries.join(", "))
        )?;
    }
    let listed = (aggregates.sample.as_ref()).map_or(aggregates.overall.conversations, |s| s.size);
    if args.format == ScoreFormat::Html && args.html_dir.is_none() && listed > LARGE_PAGE {
        write_label(&mut err, "note", Color::Cyan)?;
        writeln!(
            err,
            ": a page of {listed} conversations is slow to open (about 2 s a 10,000); \
             `--html-dir DIR` writes the report as a folder that opens at once"
        )?;
    }
    if let Some(missing) = agreement.as_ref().map(|a| &a.missing_conversations) {
        if !missing.is_empty() {
            write_label(&mut err, "warning", Color::Yellow)?;
            writeln!(
                err,
                ": {} reviewed conversation{} not among the inputs: {}",
                missing.len(),
                if missing.len() == 1 { " is" } else { "s are" },
                terminal_line(&missing.join(", "))
            )?;
        }
    }
    Ok(if errors.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Trouble
    })
}

/// Above this many conversations a one-file page takes seconds to open: tact suggests a folder.
const LARGE_PAGE: usize = 10_000;

/// Every reviews file named, a folder standing for the `.csv` files in it (by name); `None`
/// when one cannot be read (the reason is on stderr).
fn read_review_files(
    paths: &[std::path::PathBuf],
    rule_ids: &[&str],
    errors: &mut Vec<crate::report::InputError>,
) -> io::Result<Option<Reviews>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let listing = match std::fs::read_dir(path) {
                Ok(listing) => listing,
                Err(e) => {
                    writeln!(
                        io::stderr(),
                        "error: {}: {e}",
                        terminal_line(&path.display().to_string())
                    )?;
                    return Ok(None);
                }
            };
            let mut found: Vec<_> = listing
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|p| {
                    p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                })
                .collect();
            found.sort();
            if found.is_empty() {
                let shown = path.display().to_string();
                writeln!(
                    io::stderr(),
                    "error: {}: no .csv reviews files in this folder",
                    terminal_line(&shown)
                )?;
                return Ok(None);
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    let mut all = Reviews::default();
    for file in &files {
        match read_reviews(file, rule_ids, errors)? {
            Some(reviews) => all.extend(reviews),
            None => return Ok(None),
        }
    }
    Ok(Some(all))
}

/// The sampler `--sample`, `--stratify` and `--sample-critical` ask for, if any.
fn sampler(args: &ScoreArgs) -> Option<Sampler<(Conversation, ConversationReport, Scorecard)>> {
    if args.sample.is_none() && !args.sample_critical {
        return None;
    }
    let strata = match args.stratify {
        None => Strata::None,
        Some(Stratify::Agent) => Strata::Agent,
        Some(Stratify::Team) => Strata::Team,
        Some(Stratify::Rule) => Strata::Rule,
    };
    Some(Sampler::new(
        args.sample.unwrap_or(0),
        args.seed,
        strata,
        args.sample_critical,
    ))
}
