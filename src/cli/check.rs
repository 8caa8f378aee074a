//! `tact check`: lint conversations and macro libraries, report what breaks the policy, and for
//! macros fix what can be fixed mechanically (`--fix`, `--diff`).

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use clap::ValueEnum;
use codespan_reporting::term::termcolor::{Color, NoColor, StandardStream, WriteColor};

use super::args::{CheckArgs, ColorWhen, FailOn, Format, InputKind};
use super::{
    batch, color_choice, load_config, load_configured_engine, report_input_errors, stderr_stream,
    write_label, ExitStatus,
};
use crate::baseline::Baseline;
use crate::dsl::ast::Severity;
use crate::engine::Engine;
use crate::input::{Input, InputError, ReadOptions};
use crate::macros::fix::{fix_file, unified_diff};
use crate::macros::MacroFile;
use crate::place::place_macro;
use crate::render::ci::{self, JunitWriter, SarifWriter};
use crate::render::human::{self, Totals};
use crate::render::json::{self, JsonWriter};
use crate::render::statistics::RuleCounts;
use crate::report::{ConversationReport, Subject, SubjectKind};

/// Where the output of `check` goes and in which shape.
enum Sink<'a> {
    Human(&'a mut dyn WriteColor, Totals),
    Json(&'a mut dyn Write, JsonWriter),
    Jsonl(&'a mut dyn Write),
    Sarif(&'a mut dyn Write, SarifWriter),
    Junit(&'a mut dyn Write, JunitWriter),
    Github(&'a mut dyn Write, Totals),
    /// `--statistics`: counts per rule, as a table or (`json`) JSON.
    Statistics(&'a mut dyn WriteColor, RuleCounts, Totals, Format),
    /// `--diff`: the diffs are the output.
    Quiet,
}

/// What one run has found so far.
struct Run<'a> {
    sink: Sink<'a>,
    threshold: Option<Severity>,
    failing: bool,
    baseline: Option<Baseline>,
    update_baseline: bool,
    suppressed: usize,
    /// `--quiet`: no summary line.
    quiet: bool,
}

impl Run<'_> {
    /// Reports one conversation or macro, minus what the baseline knows.
    fn add(&mut self, subject: &Subject<'_>, report: &ConversationReport) -> io::Result<()> {
        let Some(baseline) = &mut self.baseline else {
            return self.emit(subject, report);
        };
        let mut kept = report.clone();
        {
            kept.violations.retain(|v| {
                let finding =
                    baseline.finding(subject.path(), subject.id(), &v.rule, v.excerpt.as_deref());
                if self.update_baseline {
                    baseline.record(finding);
                    true
                } else {
                    !baseline.take(&finding)
                }
            });
        }
        self.emit(subject, &kept)
    }

    fn emit(&mut self, subject: &Subject<'_>, report: &ConversationReport) -> io::Result<()> {
        self.failing |= self
            .threshold
            .is_some_and(|t| report.violations.iter().any(|v| v.severity >= t));
        match &mut self.sink {
            Sink::Human(out, totals) => match subject.kind {
                SubjectKind::Conversation => {
                    totals.add(report);
                    human::write_conversation(*out, subject.conversation, report)
                }
                SubjectKind::Macro => {
                    totals.add_macro(report);
                    human::write_macro(*out, subject.conversation, report)
                }
            },
            Sink::Json(out, writer) => writer.conversation(*out, subject, report),
            Sink::Jsonl(out) => json::write_jsonl_line(*out, subject, report),
            Sink::Sarif(out, writer) => writer.add(*out, subject, report),
            Sink::Junit(_, writer) => {
                writer.add(subject, report, self.threshold);
                Ok(())
            }
            Sink::Github(out, totals) => {
                totals.add(report);
                ci::write_github(*out, subject, report)
            }
            Sink::Statistics(_, counts, totals, _) => {
                counts.add(report);
                match subject.kind {
                    SubjectKind::Conversation => totals.add(report),
                    SubjectKind::Macro => totals.add_macro(report),
                }
                Ok(())
            }
            Sink::Quiet => Ok(()),
        }
    }

    fn finish(self, errors: &[InputError]) -> io::Result<()> {
        match self.sink {
            Sink::Human(_, _) if self.quiet => Ok(()),
            Sink::Human(out, totals) => human::write_summary(out, &totals, errors.len()),
            Sink::Statistics(out, counts, _, Format::Json) => counts.write_json(out),
            Sink::Statistics(out, counts, totals, _) => {
                counts.write_table(out)?;
                if self.quiet {
                    return Ok(());
                }
                human::write_summary(out, &totals, errors.len())
            }
            Sink::Json(out, writer) => writer.finish(out, errors),
            Sink::Sarif(out, writer) => writer.finish(out, errors),
            Sink::Junit(out, writer) => writer.finish(out, errors),
            Sink::Github(out, _) => ci::write_github_errors(out, errors),
            Sink::Jsonl(_) | Sink::Quiet => Ok(()),
        }
    }
}

/// `tact check`, step by step: settings and policy, the inputs, checking them, the closing
/// report, the exit status.
pub(super) fn check(args: &CheckArgs, color: ColorWhen) -> io::Result<ExitStatus> {
    if args.show.statistics && !matches!(args.format, Format::Human | Format::Json) {
        writeln!(
            io::stderr(),
            "error: --statistics is a table (--format human) or JSON (--format json)"
        )?;
        return Ok(ExitStatus::Trouble);
    }
    let Some(mut settings) = load_settings(args, color)? else {
        return Ok(ExitStatus::Trouble);
    };
    if args.show.show_settings {
        return show_settings(args, &settings);
    }
    let Some((mut inputs, mut errors)) =
        batch::gather_inputs(&args.paths, settings.config(), args.read.force_exclude)?
    else {
        return Ok(ExitStatus::Trouble);
    };
    if let Some(name) = &args.show.stdin_filename {
        name_stdin(&mut inputs, name, &settings, args, &mut errors);
    }
    let mut report_file = match &args.show.output {
        Some(path) => Some(
            crate::atomic::AtomicFile::create(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        ),
        None => None,
    };
    let mut to_file = report_file
        .as_mut()
        .map(|file| NoColor::new(io::BufWriter::new(file)));
    let mut stdout = StandardStream::stdout(color_choice(color, io::stdout().is_terminal()));
    let mut plain = NoColor::new(io::BufWriter::new(io::stdout().lock()));
    let out: &mut dyn WriteColor = match (&mut to_file, args.format) {
        (Some(file), _) => file,
        (None, Format::Human) => &mut stdout,
        (None, _) => &mut plain,
    };
    let sink = open_sink(args, &settings.engine, out)?;
    let mut run = Run {
        sink,
        threshold: settings.threshold,
        failing: false,
        baseline: settings.baseline.take(),
        update_baseline: args.update_baseline,
        suppressed: 0,
        quiet: args.show.quiet,
    };
    let done = check_inputs(args, &settings, inputs, &mut errors, &mut run)?;
    let failing = run.failing && !args.update_baseline;
    write_notes(args, color, &settings, &run, &errors, &done.notes)?;
    run.finish(&errors)?;
    if args.diff {
        plain.write_all(done.diffs.as_bytes())?;
    }
    plain.flush()?;
    if let Some(written) = to_file.as_mut() {
        written.flush()?;
    }
    drop(to_file);
    if let Some(file) = report_file {
        file.commit()?;
    }
    Ok(exit_status(&errors, failing))
}

/// `--stdin-filename`: stdin is read now and reported by that name (skipped, with
/// `--force-exclude`, when tact.yaml's `exclude` leaves that name out).
fn name_stdin(
    inputs: &mut Vec<Input>,
    name: &Path,
    settings: &Settings,
    args: &CheckArgs,
    errors: &mut Vec<InputError>,
) {
    let options = batch::options(&args.read, settings.config(), settings.input_kind.vendor());
    let excluded = args.read.force_exclude && settings.config().is_some_and(|c| !c.wants(name));
    let mut named = Vec::with_capacity(inputs.len());
    for input in inputs.drain(..) {
        match input {
            Input::Stdin if excluded => {}
            Input::Stdin => match Input::stdin_named(name, &options) {
                Ok(input) => named.push(input),
                Err(e) => errors.push(e),
            },
            other => named.push(other),
        }
    }
    *inputs = named;
}

/// `--show-settings`: what the run would use, on stdout; nothing is checked.
fn show_settings(args: &CheckArgs, settings: &Settings) -> io::Result<ExitStatus> {
    let config = settings.config();
    let policy_paths = if args.policy.policies.is_empty() {
        config.map(|c| c.policies.as_slice()).unwrap_or_default()
    } else {
        args.policy.policies.as_slice()
    };
    let name = |v: Option<clap::builder::PossibleValue>| {
        v.map(|v| v.get_name().to_string()).unwrap_or_default()
    };
    let calendar = match (&args.config.calendar, config) {
        (Some(path), _) => Some(path.display().to_string()),
        (None, Some(c)) if c.calendar.is_some() => {
            Some(format!("{} (`calendar:`)", c.path.display()))
        }
        _ => None,
    };
    let options = batch::options(&args.read, config, args.input.and_then(InputKind::vendor));
    let shown = super::show::Shown {
        config,
        no_config: args.config.no_config,
        policy_paths,
        rules: settings.engine.rules().len(),
        input: &name(settings.input_kind.to_possible_value()),
        fail_on: settings.threshold.map_or("never", Severity::as_str),
        format: &name(args.format.to_possible_value()),
        baseline: settings.baseline_path.as_deref(),
        max_record_bytes: options.max_record_bytes,
        calendar,
        stdin_filename: args.show.stdin_filename.as_deref(),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    super::show::write_settings(&mut out, &shown)?;
    out.flush()?;
    Ok(ExitStatus::Clean)
}

/// What `check` runs with: tact.yaml and the flags over it, and the compiled policy.
struct Settings {
    config: Option<crate::config::Config>,
    engine: Engine,
    input_kind: InputKind,
    threshold: Option<Severity>,
    baseline_path: Option<std::path::PathBuf>,
    baseline: Option<Baseline>,
}

impl Settings {
    fn config(&self) -> Option<&crate::config::Config> {
        self.config.as_ref()
    }
}

/// Reads tact.yaml, compiles the policy and the baseline; `None` when one of them is wrong
/// (the error is already on stderr).
fn load_settings(args: &CheckArgs, color: ColorWhen) -> io::Result<Option<Settings>> {
    let Ok(config) = load_config(&args.config, &discovery_paths(args))? else {
        return Ok(None);
    };
    let Some(engine) = load_configured_engine(&args.policy, &args.config, config.as_ref(), color)?
    else {
        return Ok(None);
    };
    let input_kind = match (args.input, config.as_ref().and_then(|c| c.input.as_deref())) {
        (Some(kind), _) => kind,
        (None, Some("macros")) => InputKind::Macros,
        (None, Some("conversations")) => InputKind::Conversations,
        (None, _) => InputKind::Auto,
    };
    let fail_on = match (
        args.fail_on,
        config.as_ref().and_then(|c| c.fail_on.as_deref()),
    ) {
        (Some(f), _) => f,
        (None, Some("warning")) => FailOn::Warning,
        (None, Some("info")) => FailOn::Info,
        (None, Some("never")) => FailOn::Never,
        (None, _) => FailOn::Error,
    };
    let threshold = match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let baseline_path = args
        .baseline
        .clone()
        .or_else(|| config.as_ref().and_then(|c| c.baseline.clone()));
    let baseline = match (&baseline_path, args.update_baseline) {
        (None, true) => {
            writeln!(
                io::stderr(),
                "error: --update-baseline needs a file: give --baseline FILE or set `baseline` in tact.yaml"
            )?;
            return Ok(None);
        }
        (None, false) => None,
        (Some(path), true) => Some(Baseline::empty(path)),
        (Some(path), false) if !path.exists() && args.baseline.is_none() => None,
        (Some(path), false) => match Baseline::load(path) {
            Ok(b) => Some(b),
            Err(e) => {
                writeln!(io::stderr(), "error: {e}")?;
                return Ok(None);
            }
        },
    };
    Ok(Some(Settings {
        config,
        engine,
        input_kind,
        threshold,
        baseline_path,
        baseline,
    }))
}

/// Where tact.yaml is looked for from: the folder of `--stdin-filename` first, when given (an
/// editor's buffer belongs to the project its file is in).
fn discovery_paths(args: &CheckArgs) -> Vec<std::path::PathBuf> {
    let mut paths = args.paths.clone();
    if let Some(name) = &args.show.stdin_filename {
        let folder = name
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        paths.insert(0, folder.to_path_buf());
    }
    paths
}

/// Where the report goes, in the format asked for (nothing with `--diff`: the diffs are the
/// output).
fn open_sink<'a>(
    args: &CheckArgs,
    engine: &Engine,
    out: &'a mut dyn WriteColor,
) -> io::Result<Sink<'a>> {
    if args.diff {
        return Ok(Sink::Quiet);
    }
    if args.show.statistics {
        let counts = RuleCounts::new(engine.rules());
        return Ok(Sink::Statistics(
            out,
            counts,
            Totals::default(),
            args.format,
        ));
    }
    Ok(match args.format {
        Format::Human => Sink::Human(out, Totals::default()),
        Format::Json => {
            let writer = JsonWriter::start(&mut *out)?;
            Sink::Json(out, writer)
        }
        Format::Jsonl => Sink::Jsonl(out),
        Format::Sarif => {
            let writer = SarifWriter::start_at(&mut *out, engine.rules(), source_root())?;
            Sink::Sarif(out, writer)
        }
        Format::Junit => Sink::Junit(out, JunitWriter::new()),
        Format::Github => Sink::Github(out, Totals::default()),
    })
}

/// What SARIF names files from: the git repository around the current folder (where code
/// scanning expects paths to start), else the current folder itself.
fn source_root() -> Option<crate::render::source_root::SourceRoot> {
    let current = std::env::current_dir().ok()?;
    let root = current
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&current)
        .to_path_buf();
    Some(crate::render::source_root::SourceRoot::new(root, current))
}

/// What checking leaves to say at the end: notes for stderr, and the diffs of `--diff`.
#[derive(Default)]
struct Done {
    notes: Vec<String>,
    diffs: String,
}

/// Checks every input and reports each conversation or macro as it goes. Conversation files
/// are checked together, in parallel batches; each macro library on its own, so it can be
/// fixed as a whole.
fn check_inputs(
    args: &CheckArgs,
    settings: &Settings,
    inputs: Vec<Input>,
    errors: &mut Vec<InputError>,
    run: &mut Run<'_>,
) -> io::Result<Done> {
    let engine = &settings.engine;
    let options = batch::options(&args.read, settings.config(), settings.input_kind.vendor());
    let rule_ids: Vec<String> = engine.rules().iter().map(|r| r.id.to_string()).collect();
    let mut done = Done::default();
    let mut pending: Vec<Input> = Vec::new();
    for input in inputs {
        match batch::classify(&input, settings.input_kind) {
            Ok(Some((path, text, kind))) => {
                flush_conversations(engine, &mut pending, &options, errors, run)?;
                let (file, file_errors) = MacroFile::read(&path, text, kind);
                errors.extend(file_errors);
                errors.extend(unknown_suppressions(&file, &rule_ids));
                check_library(args, engine, file, errors, run, &mut done)?;
            }
            Ok(None) => pending.push(input),
            Err(e) => errors.push(e),
        }
    }
    flush_conversations(engine, &mut pending, &options, errors, run)?;
    Ok(done)
}

/// Checks one macro library, fixes it (`--fix`) or shows the fix (`--diff`) when asked, and
/// reports what is left.
fn check_library(
    args: &CheckArgs,
    engine: &Engine,
    file: MacroFile,
    errors: &mut Vec<InputError>,
    run: &mut Run<'_>,
    done: &mut Done,
) -> io::Result<()> {
    let path = file.path.clone();
    let reports = check_macros(engine, &file, &mut run.suppressed);
    if !(args.fix || args.diff) {
        return report_macros(run, &file, &reports);
    }
    if args.fix {
        // Temporary files of an interrupted run are removed by this one.
        crate::atomic::clean_up_on_signal();
        let swept = crate::atomic::sweep_stale_temps(Path::new(&path));
        if swept > 0 {
            done.notes.push(format!(
                "{path}: removed {swept} temporary file{} left by an interrupted run",
                if swept == 1 { "" } else { "s" }
            ));
        }
    }
    let fixed = match fix_file(&file, &reports) {
        Ok(Some(fixed)) => fixed,
        Ok(None) => return report_macros(run, &file, &reports),
        Err(why) => {
            errors.push(InputError::new(&path, None, why));
            return report_macros(run, &file, &reports);
        }
    };
    let not_fixed = fixed.skipped.iter().map(|s| format!("not fixed: {s}"));
    done.notes.extend(not_fixed);
    if fixed.applied == 0 {
        return report_macros(run, &file, &reports);
    }
    if args.diff {
        let diff = unified_diff(&file.path, &file.text, &fixed.text);
        done.diffs.push_str(&diff);
        return report_macros(run, &file, &reports);
    }
    // A file that cannot be written is reported, as it still reads, and the rest are fixed.
    match crate::atomic::replace_unless_changed(
        Path::new(&path),
        file.text.as_bytes(),
        fixed.text.as_bytes(),
    ) {
        Ok(()) => {
            done.notes.push(format!(
                "{path}: {} fix{} applied",
                fixed.applied,
                if fixed.applied == 1 { "" } else { "es" }
            ));
            // Report what is left, as the file now reads.
            let (file, _) = MacroFile::read(&path, fixed.text, file.kind);
            let reports = check_macros(engine, &file, &mut 0);
            report_macros(run, &file, &reports)
        }
        Err(e) => {
            errors.push(InputError::new(
                &path,
                None,
                format!("not fixed: cannot write the file: {e}"),
            ));
            report_macros(run, &file, &reports)
        }
    }
}

/// The closing notes on stderr: input errors, what was fixed or not, suppressions, and the
/// baseline (written with `--update-baseline`).
fn write_notes(
    args: &CheckArgs,
    color: ColorWhen,
    settings: &Settings,
    run: &Run<'_>,
    errors: &[InputError],
    notes: &[String],
) -> io::Result<()> {
    let mut stderr = stderr_stream(color);
    report_input_errors(&mut stderr, errors)?;
    // `--quiet` shows no notes (the baseline is still written).
    let mut silent = NoColor::new(io::sink());
    let mut err: &mut dyn WriteColor = if args.show.quiet {
        &mut silent
    } else {
        &mut stderr
    };
    for note in notes {
        write_label(&mut err, "note", Color::Cyan)?;
        writeln!(err, ": {}", human::terminal_line(note))?;
    }
    if run.suppressed > 0 {
        write_label(&mut err, "note", Color::Cyan)?;
        writeln!(
            err,
            ": {} finding{} suppressed by `tact-ignore`",
            run.suppressed,
            if run.suppressed == 1 { "" } else { "s" }
        )?;
    }
    if let Some(b) = &run.baseline {
        if args.update_baseline {
            if let Some(path) = &settings.baseline_path {
                crate::atomic::write_atomically(path, b.to_json().as_bytes())?;
                write_label(&mut err, "note", Color::Cyan)?;
                writeln!(err, ": wrote {} findings to {}", b.len(), path.display())?;
            }
        } else if b.hidden > 0 {
            write_label(&mut err, "note", Color::Cyan)?;
            writeln!(
                err,
                ": {} known finding{} in the baseline not reported",
                b.hidden,
                if b.hidden == 1 { "" } else { "s" }
            )?;
        }
    }
    Ok(())
}

/// Trouble when anything could not be read, violations when one reached the threshold.
fn exit_status(errors: &[InputError], failing: bool) -> ExitStatus {
    if !errors.is_empty() {
        ExitStatus::Trouble
    } else if failing {
        ExitStatus::Violations
    } else {
        ExitStatus::Clean
    }
}

fn flush_conversations(
    engine: &Engine,
    pending: &mut Vec<Input>,
    options: &ReadOptions,
    errors: &mut Vec<InputError>,
    run: &mut Run<'_>,
) -> io::Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    batch::check_all(
        engine,
        pending,
        options,
        errors,
        true,
        true,
        &mut |conversation, report| run.add(&Subject::conversation(conversation), report),
    )?;
    pending.clear();
    Ok(())
}

/// Checks every macro of a file; what a macro's `tact-ignore` exempts it from is taken out
/// (and counted), so neither reports nor `--fix` touch it.
fn check_macros(
    engine: &Engine,
    file: &MacroFile,
    suppressed: &mut usize,
) -> Vec<ConversationReport> {
    let check_one = |i: usize| {
        let conversation = file.macros[i].conversation(&file.path, file.line_of(i));
        engine.check_macro(&conversation)
    };
    let mut reports = super::batch::map_in_order((0..file.macros.len()).collect(), check_one);
    for (m, report) in file.macros.iter().zip(&mut reports) {
        report.violations.retain(|v| {
            let exempt = m.suppressions.iter().any(|s| *s.rule == *v.rule);
            *suppressed += usize::from(exempt);
            !exempt
        });
    }
    reports
}

fn report_macros(
    run: &mut Run<'_>,
    file: &MacroFile,
    reports: &[ConversationReport],
) -> io::Result<()> {
    for (index, report) in reports.iter().enumerate() {
        let conversation = file.macros[index].conversation(&file.path, file.line_of(index));
        let mut report = report.clone();
        place_macro(file, index, &mut report);
        run.add(&Subject::macro_(&conversation), &report)?;
    }
    Ok(())
}

/// Suppressions naming rules the policy does not have: a typo would silently suppress nothing.
fn unknown_suppressions(file: &MacroFile, rule_ids: &[String]) -> Vec<InputError> {
    let ids: Vec<&str> = rule_ids.iter().map(String::as_str).collect();
    file.macros
        .iter()
        .enumerate()
        .flat_map(|(i, m)| m.suppressions.iter().map(move |s| (i, m, s)))
        .filter(|(_, _, s)| !ids.contains(&s.rule.as_str()))
        .map(|(i, m, s)| {
            let hint = crate::dsl::did_you_mean(&s.rule, &ids)
                .map(|b| format!("; did you mean `{b}`?"))
                .unwrap_or_default();
            InputError::new(
                &file.path,
                Some(file.line_of(i)),
                format!(
                    "macro `{}`: `tact-ignore` names no rule `{}`{hint}",
                    m.id, s.rule
                ),
            )
        })
        .collect()
}
