//! The `tact` command: parses arguments, runs one command, and turns the result into an exit
//! code. Output goes to the handles it is given, so tests can capture it.

pub mod args;

use std::io::{self, IsTerminal, Write};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};

use crate::dsl::{self, PolicyError};
use crate::engine::Engine;
use crate::input::{self, Input, InputError};
use crate::render::human::{self, Totals};
use crate::render::json::{self, JsonWriter};
use args::{
    CheckArgs, Cli, ColorWhen, Command, FailOn, Format, InputKind, PolicyArgs, PolicyCommand,
};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`.
    Clean = 0,
    /// Violations at or above `--fail-on`.
    Violations = 1,
    /// The run could not do what was asked.
    Trouble = 2,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    let color = cli.color;
    let result = match cli.command {
        Command::Check(args) => check(&args, color),
        Command::Policy {
            command: PolicyCommand::Check { paths },
        } => policy_check(&paths, color),
        Command::Policy {
            command: PolicyCommand::Test { paths },
        } => policy_test(&paths, color),
        Command::Policy {
            command: PolicyCommand::Fmt { check, paths },
        } => policy_fmt(&paths, check, color),
        Command::Rules(policy) => rules(&policy),
        Command::Explain { rule, policy } => explain(&rule, &policy),
    };
    match result {
        Ok(status) => status,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitStatus::Clean,
        Err(e) => {
            let _ = writeln!(io::stderr(), "error: {e}");
            ExitStatus::Trouble
        }
    }
}

/// Writes `word` bold in `color` (where colors are on).
fn write_label(
    out: &mut impl WriteColor,
    word: &str,
    color: codespan_reporting::term::termcolor::Color,
) -> io::Result<()> {
    out.set_color(
        codespan_reporting::term::termcolor::ColorSpec::new()
            .set_fg(Some(color))
            .set_bold(true),
    )?;
    write!(out, "{word}")?;
    out.reset()
}

fn color_choice(when: ColorWhen, stream_is_terminal: bool) -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto if no_color || !stream_is_terminal => ColorChoice::Never,
        ColorWhen::Auto => ColorChoice::Auto,
    }
}

fn stderr_stream(color: ColorWhen) -> StandardStream {
    StandardStream::stderr(color_choice(color, io::stderr().is_terminal()))
}

/// Loads the policy the user asked for, or the built-in one; prints policy errors to stderr.
fn load_engine(policy: &PolicyArgs, color: ColorWhen) -> io::Result<Option<Engine>> {
    load_engine_showing_warnings(policy, color, false)
}

/// As [`load_engine`], printing the policy's warnings too when asked (`tact policy check`).
fn load_engine_showing_warnings(
    policy: &PolicyArgs,
    color: ColorWhen,
    show_warnings: bool,
) -> io::Result<Option<Engine>> {
    let sources = if policy.policies.is_empty() {
        dsl::builtin_sources()
    } else {
        match dsl::read_sources(&policy.policies) {
            Ok(sources) => sources,
            Err(errors) => {
                report_policy_errors(&errors, color)?;
                return Ok(None);
            }
        }
    };
    let parsed = match dsl::parse_policy(&sources) {
        Ok(p) => p,
        Err(errors) => {
            report_policy_errors(&errors, color)?;
            return Ok(None);
        }
    };
    if show_warnings && !parsed.warnings.is_empty() {
        report_policy_errors(&parsed.warnings, color)?;
    }
    match Engine::new(&parsed) {
        Ok(engine) => Ok(Some(engine)),
        Err(e) => {
            writeln!(io::stderr(), "error: {e}")?;
            Ok(None)
        }
    }
}

fn report_policy_errors(errors: &[PolicyError], color: ColorWhen) -> io::Result<()> {
    let mut err = stderr_stream(color);
    for e in errors {
        let (word, tint) = if e.is_warning() {
            (
                "warning",
                codespan_reporting::term::termcolor::Color::Yellow,
            )
        } else {
            ("error", codespan_reporting::term::termcolor::Color::Red)
        };
        write_label(&mut err, "{word}", tint)?;
        let text = e.to_string();
        writeln!(err, "{}\n", text.strip_prefix(word).unwrap_or(&text))?;
    }
    let n = errors.iter().filter(|e| !e.is_warning()).count();
    let w = errors.len() - n;
    if n > 0 {
        writeln!(
            err,
            "{n} error{} in the policy",
            if n == 1 { "" } else { "s" }
        )?;
    } else if w > 0 {
        writeln!(
            err,
            "{w} warning{} in the policy",
            if w == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

fn policy_check(paths: &[std::path::PathBuf], color: ColorWhen) -> io::Result<ExitStatus> {
    let policy = PolicyArgs {
        policies: paths.to_vec(),
    };
    match load_engine_showing_warnings(&policy, color, true)? {
        Some(engine) => {
            writeln!(
                io::stdout(),
                "policy ok: {} rule{}",
                engine.rules().len(),
                if engine.rules().len() == 1 { "" } else { "s" }
            )?;
            Ok(ExitStatus::Clean)
        }
        None => Ok(ExitStatus::Trouble),
    }
}

fn policy_fmt(
    paths: &[std::path::PathBuf],
    check: bool,
    color: ColorWhen,
) -> io::Result<ExitStatus> {
    let sources = match dsl::read_sources(paths) {
        Ok(sources) => sources,
        Err(errors) => {
            report_policy_errors(&errors, color)?;
            return Ok(ExitStatus::Trouble);
        }
    };
    let mut out = io::stdout().lock();
    let mut changed = 0;
    for source in &sources {
        let formatted = match dsl::format::format_policy(&source.path, &source.text) {
            Ok(f) => f,
            Err(errors) => {
                report_policy_errors(&errors, color)?;
                return Ok(ExitStatus::Trouble);
            }
        };
        if formatted == source.text {
            continue;
        }
        changed += 1;
        if check {
            writeln!(out, "would reformat {}", source.path)?;
        } else {
            write_atomically(std::path::Path::new(&source.path), formatted.as_bytes())?;
            writeln!(out, "reformatted {}", source.path)?;
        }
    }
    let total = sources.len();
    writeln!(
        out,
        "{total} file{}: {changed} {}",
        if total == 1 { "" } else { "s" },
        if check { "would change" } else { "changed" }
    )?;
    Ok(if check && changed > 0 {
        ExitStatus::Violations
    } else {
        ExitStatus::Clean
    })
}

/// Replaces a file's content through a temporary file in the same folder and a rename, so an
/// interrupted run leaves either the old file or the new one, never half of one.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        temp.as_file().set_permissions(meta.permissions())?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn policy_test(paths: &[std::path::PathBuf], color: ColorWhen) -> io::Result<ExitStatus> {
    let policy = PolicyArgs {
        policies: paths.to_vec(),
    };
    let Some(engine) = load_engine(&policy, color)? else {
        return Ok(ExitStatus::Trouble);
    };
    let results = crate::examples::run_examples(&engine);
    let mut out = StandardStream::stdout(color_choice(color, io::stdout().is_terminal()));
    let failed: Vec<_> = results.iter().filter(|r| !r.passed()).collect();
    for r in &failed {
        write_label(
            &mut out,
            "FAIL",
            codespan_reporting::term::termcolor::Color::Red,
        )?;
        writeln!(out, " {} {}", r.location, r.rule)?;
        for line in &r.lines {
            writeln!(out, "  | {line}")?;
        }
        let expected = if r.expected_to_fire {
            "the rule to fire"
        } else {
            "the rule not to fire"
        };
        writeln!(out, "  expected: {expected}")?;
        match (&r.error, r.found.is_empty()) {
            (Some(e), _) => writeln!(out, "  but: the example cannot be read: {e}")?,
            (None, true) => writeln!(out, "  but: it did not fire")?,
            (None, false) => writeln!(out, "  but: it fired on {}", quoted(&r.found))?,
        }
        writeln!(out)?;
    }
    let rules_without = engine
        .rules()
        .iter()
        .filter(|r| r.examples.is_empty())
        .count();
    writeln!(
        out,
        "{} examples: {} passed, {} failed{}",
        results.len(),
        results.len() - failed.len(),
        failed.len(),
        if rules_without > 0 {
            format!(" ({rules_without} rules have no examples)")
        } else {
            String::new()
        }
    )?;
    Ok(if failed.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Violations
    })
}

fn quoted(found: &[String]) -> String {
    found
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn rules(policy: &PolicyArgs) -> io::Result<ExitStatus> {
    let Some(engine) = load_engine(policy, ColorWhen::Auto)? else {
        return Ok(ExitStatus::Trouble);
    };
    let mut out = io::stdout().lock();
    let width = engine
        .rules()
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    writeln!(out, "{:<width$}  {:<8}  TITLE", "ID", "SEVERITY")?;
    for r in engine.rules() {
        writeln!(
            out,
            "{:<width$}  {:<8}  {}",
            r.id,
            r.severity.as_str(),
            r.title.as_deref().unwrap_or(&r.message)
        )?;
    }
    Ok(ExitStatus::Clean)
}

fn explain(rule: &str, policy: &PolicyArgs) -> io::Result<ExitStatus> {
    let Some(engine) = load_engine(policy, ColorWhen::Auto)? else {
        return Ok(ExitStatus::Trouble);
    };
    let Some(r) = engine.rules().iter().find(|r| &*r.id == rule) else {
        let ids: Vec<&str> = engine.rules().iter().map(|r| &*r.id).collect();
        let mut err = io::stderr().lock();
        write!(err, "error: no rule `{rule}` in the active policy")?;
        match crate::dsl::did_you_mean(rule, &ids) {
            Some(best) => writeln!(err, "; did you mean `{best}`?")?,
            None => writeln!(err, "; `tact rules` lists them")?,
        }
        return Ok(ExitStatus::Trouble);
    };
    let mut out = io::stdout().lock();
    writeln!(out, "{} ({})", r.id, r.severity)?;
    if let Some(title) = &r.title {
        writeln!(out, "  {title}")?;
    }
    writeln!(out, "\nWhat it checks:\n  {}", r.message)?;
    if let Some(why) = &r.why {
        writeln!(out, "\nWhy:\n  {why}")?;
    }
    if let Some(source) = &r.source {
        writeln!(out, "\nSource: shared/seeds/{}", source.article)?;
        if let Some(point) = &source.point {
            writeln!(out, "  \"{point}\"")?;
        }
    }
    if let Some(s) = &r.suggest {
        writeln!(out, "\nSuggested phrasing:\n  {s}")?;
    }
    for (heading, fires) in [("Fires on:", true), ("Does not fire on:", false)] {
        let examples: Vec<_> = r.examples.iter().filter(|e| e.fires == fires).collect();
        if !examples.is_empty() {
            writeln!(out, "\n{heading}")?;
            for e in examples {
                writeln!(out, "  - {}", e.lines.join(" / "))?;
            }
        }
    }
    Ok(ExitStatus::Clean)
}

/// Where the output of `check` goes and in which shape.
enum Sink<'a> {
    Human(&'a mut dyn WriteColor, Totals),
    Json(&'a mut dyn Write, JsonWriter),
    Jsonl(&'a mut dyn Write),
}

fn check(args: &CheckArgs, color: ColorWhen) -> io::Result<ExitStatus> {
    if let Some(what) = unsupported(args) {
        writeln!(
            io::stderr(),
            "error: {what} is not available yet in this version of tact"
        )?;
        return Ok(ExitStatus::Trouble);
    }
    let Some(engine) = load_engine(&args.policy, color)? else {
        return Ok(ExitStatus::Trouble);
    };
    let (mut inputs, mut errors) = if args.paths.is_empty() {
        if io::stdin().is_terminal() {
            writeln!(
                io::stderr(),
                "error: no input: give files or folders to check, or `-` to read stdin"
            )?;
            return Ok(ExitStatus::Trouble);
        }
        (vec![Input::Stdin], Vec::new())
    } else {
        input::collect_inputs(&args.paths)
    };
    if inputs.is_empty() && errors.is_empty() {
        errors.push(InputError::new(
            &args
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            None,
            "no conversation files found (.json, .jsonl, .yaml, .yml, .txt)",
        ));
    }
    inputs.dedup();

    let mut stdout = StandardStream::stdout(color_choice(color, io::stdout().is_terminal()));
    let mut plain = io::BufWriter::new(io::stdout().lock());
    let mut sink = match args.format {
        Format::Json => {
            let writer = JsonWriter::start(&mut plain)?;
            Sink::Json(&mut plain, writer)
        }
        Format::Jsonl => Sink::Jsonl(&mut plain),
        _ => Sink::Human(&mut stdout, Totals::default()),
    };
    let threshold = match args.fail_on {
        FailOn::Error => Some(crate::dsl::ast::Severity::Error),
        FailOn::Warning => Some(crate::dsl::ast::Severity::Warning),
        FailOn::Info => Some(crate::dsl::ast::Severity::Info),
        FailOn::Never => None,
    };
    let mut failing = false;
    let mut io_error: Option<io::Error> = None;
    for input in &inputs {
        input::read_input(input, &mut |record| {
            if io_error.is_some() {
                return;
            }
            let conversation = match record {
                Ok(c) => c,
                Err(e) => {
                    errors.push(e);
                    return;
                }
            };
            let report = engine.check(&conversation);
            failing |= threshold.is_some_and(|t| report.violations.iter().any(|v| v.severity >= t));
            let written = match &mut sink {
                Sink::Human(out, totals) => {
                    totals.add(&report);
                    human::write_conversation(*out, &conversation, &report)
                }
                Sink::Json(out, writer) => writer.conversation(*out, &report),
                Sink::Jsonl(out) => json::write_jsonl_line(*out, &report),
            };
            if let Err(e) = written {
                io_error = Some(e);
            }
        });
        if let Some(e) = io_error.take() {
            return Err(e);
        }
    }
    let mut err = stderr_stream(color);
    for e in &errors {
        write_label(
            &mut err,
            "error",
            codespan_reporting::term::termcolor::Color::Red,
        )?;
        writeln!(err, ": {e}")?;
    }
    match sink {
        Sink::Human(out, totals) => human::write_summary(out, &totals, errors.len())?,
        Sink::Json(out, writer) => writer.finish(out, &errors)?,
        Sink::Jsonl(_) => {}
    }
    plain.flush()?;
    Ok(if !errors.is_empty() {
        ExitStatus::Trouble
    } else if failing {
        ExitStatus::Violations
    } else {
        ExitStatus::Clean
    })
}

/// What this version cannot do yet, named so the user is told rather than given a wrong answer.
fn unsupported(args: &CheckArgs) -> Option<&'static str> {
    if args.fix {
        return Some("`--fix`");
    }
    if args.diff {
        return Some("`--diff`");
    }
    if args.input == InputKind::Macros {
        return Some("`--input macros`");
    }
    match args.format {
        Format::Sarif => Some("`--format sarif`"),
        Format::Junit => Some("`--format junit`"),
        Format::Github => Some("`--format github`"),
        _ => None,
    }
}
