//! The command line, as the contract fixes it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// tact: a policy-rules engine and coaching linter for customer-support conversations.
#[derive(Debug, Parser)]
#[command(name = "tact", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint conversations or macro libraries against the policy.
    Check(CheckArgs),
    /// Scorecards: a score per conversation, aggregates per agent, team, rule and week.
    Score(ScoreArgs),
    /// Validate policy files.
    Policy {
        /// What to do with policy files.
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Measure verdict quality against a labelled set: precision, recall and F1 per rule.
    Eval(EvalArgs),
    /// Show how tact reads a message: its sentences, clauses and what each clause does.
    Analyze {
        /// The message text; without it, standard input.
        text: Option<String>,
        /// The customer's message this one answers: its words let tact see a problem restated
        /// (an acknowledgement) or the customer's words copied back (an echo).
        #[arg(long, value_name = "TEXT")]
        reply_to: Option<String>,
    },
    /// List the rules of the active policy.
    Rules(PolicyArgs),
    /// Run the language server for policy files over stdin and stdout (editors start it).
    Lsp,
    /// What a rule checks, why (its source), and its suggested phrasing.
    Explain {
        /// The rule id.
        rule: String,
        /// Options choosing the policy.
        #[command(flatten)]
        policy: PolicyArgs,
    },
    /// Print a shell completion script (e.g. `source <(tact completions bash)`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; `tact man | man -l -`), of tact or of one subcommand.
    Man {
        /// A subcommand (`check`, `score`, ...); without it, tact's own page.
        subcommand: Option<String>,
    },
}

/// `tact policy ...`
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate policy files and report every error with file:line:col.
    Check {
        /// Policy files or folders of `.policy` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// How to report errors and warnings.
        #[arg(long, value_enum, default_value_t = PolicyFormat::Human)]
        format: PolicyFormat,
    },
    /// Rewrite policy files in the canonical layout.
    Fmt {
        /// Change nothing; exit 1 if a file would change.
        #[arg(long)]
        check: bool,
        /// Policy files or folders of `.policy` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Run the examples that policies carry; exit 1 if any fails.
    Test {
        /// Policy files or folders; without them, the built-in policy.
        paths: Vec<PathBuf>,
    },
}

/// `tact policy check` formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyFormat {
    /// For people, on stderr, as every tact diagnostic.
    Human,
    /// One JSON document on stdout.
    Json,
    /// SARIF 2.1.0 on stdout.
    Sarif,
    /// GitHub Actions workflow commands on stdout.
    Github,
}

/// Choosing the policy.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// A policy file or folder (repeatable); without it the built-in policy is used.
    #[arg(long = "policy", value_name = "FILE|DIR")]
    pub policies: Vec<PathBuf>,
    /// Neither read nor write the cache of compiled policy data in the user's cache folder
    /// (also off when TACT_NO_CACHE is set).
    #[arg(long)]
    pub no_cache: bool,
}

/// `tact check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, folders (walked) or `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Options choosing the policy.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// How to report.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The lowest severity that makes the exit code 1 [default: error, or tact.yaml's `fail_on`].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// What the inputs hold [default: auto, or tact.yaml's `input`].
    #[arg(long, value_enum)]
    pub input: Option<InputKind>,
    /// Options choosing the project configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Options on reading the inputs.
    #[command(flatten)]
    pub read: ReadArgs,
    /// Known findings (from `--update-baseline`) that are not reported [default: tact.yaml's
    /// `baseline`].
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to the baseline file, and exit 0.
    #[arg(long, conflicts_with_all = ["fix", "diff"])]
    pub update_baseline: bool,
    /// Print the fixes that suggestions would make, as a unified diff; write nothing.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Apply those fixes in place.
    #[arg(long)]
    pub fix: bool,
    /// Options on what is shown and where.
    #[command(flatten)]
    pub show: ShowArgs,
}

/// What `check` shows and where it writes it (the conventions of ruff and ripgrep).
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Show only the findings: no summary line and no notes (input errors are still shown).
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the report there (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE", conflicts_with = "diff")]
    pub output: Option<std::path::PathBuf>,
    /// Count the findings per rule instead of listing them (a table; JSON with `--format json`).
    #[arg(long, conflicts_with_all = ["diff", "fix", "update_baseline"])]
    pub statistics: bool,
    /// Print the settings the run would use (tact.yaml, the policy files, the flags over them),
    /// then exit without checking anything.
    #[arg(long)]
    pub show_settings: bool,
    /// The file name to report standard input as; its extension says what it holds, and
    /// tact.yaml is looked for from its folder (for editors and hooks that pipe a buffer).
    #[arg(long, value_name = "PATH", conflicts_with = "fix")]
    pub stdin_filename: Option<std::path::PathBuf>,
}

/// Choosing the project configuration (`tact.yaml`).
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The configuration file [default: the nearest tact.yaml from the first path upwards].
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Business hours (a YAML file holding what tact.yaml's `calendar:` holds), instead of
    /// tact.yaml's.
    #[arg(long, value_name = "FILE")]
    pub calendar: Option<PathBuf>,
}

/// Reading the inputs.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The largest record read (a JSONL line, a conversation file); larger ones are reported
    /// as input errors and skipped [default: 16MiB, or tact.yaml's `max_record_size`].
    #[arg(long, value_name = "SIZE", value_parser = crate::input::parse_size)]
    pub max_record_size: Option<usize>,
    /// Apply tact.yaml's `exclude` to files named on the command line too (as ruff does), so
    /// an editor or pre-commit hook passing single files skips excluded ones.
    #[arg(long)]
    pub force_exclude: bool,
}

/// `tact score`
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Files, folders (walked) or `-` for stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Options choosing the policy.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Options choosing the project configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Options on reading the inputs.
    #[command(flatten)]
    pub read: ReadArgs,
    /// How to report.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Human)]
    pub format: ScoreFormat,
    /// Write the report there (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the HTML report as a folder: DIR/index.html, and the conversations in
    /// DIR/chunks/ loaded as they are opened (for large reports; implies `--format html`).
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub html_dir: Option<PathBuf>,
    /// Reviewers' verdicts (CSV: conversation,rule,verdict, optionally reviewer) to measure
    /// agreement against: files, or folders of `.csv` files; repeatable. Two reviewers or more
    /// are also calibrated against each other.
    #[arg(long, visible_alias = "reviews", value_name = "CSV|DIR")]
    pub compare: Vec<PathBuf>,
    /// List only a reproducible random sample of N conversations, to review (the totals still
    /// cover every conversation).
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// The sample's seed: the same seed picks the same conversations.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Sample each agent, team or rule (the failed rule that cost a conversation most) in
    /// proportion, at least one each.
    #[arg(long, value_enum, value_name = "BY")]
    pub stratify: Option<Stratify>,
    /// Add to the sample every conversation a critical rule sent to 0.
    #[arg(long)]
    pub sample_critical: bool,
}

/// What `--sample` is stratified by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Stratify {
    /// By agent.
    Agent,
    /// By team.
    Team,
    /// By the failed rule that cost the conversation most points.
    Rule,
}

/// `tact eval`
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labelled sets: a folder holding `labels.csv` and the conversations it labels, or
    /// conversation files (with `--labels`).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// The labels (CSV: conversation,rule,verdict; other columns ignored); by default the
    /// `labels.csv` of each folder given.
    #[arg(long, value_name = "CSV")]
    pub labels: Option<PathBuf>,
    /// Options choosing the policy.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// How to report.
    #[arg(long, value_enum, default_value_t = EvalFormat::Human)]
    pub format: EvalFormat,
    /// Also list every (conversation, rule) where tact and the labels differ.
    #[arg(long)]
    pub show_errors: bool,
}

/// `tact eval` formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// An aligned table.
    Human,
    /// One JSON object.
    Json,
}

/// Scorecard formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// Aligned tables.
    Human,
    /// One row per conversation and rule (with `--compare`: one row per rule's agreement).
    Csv,
    /// One JSON document.
    Json,
    /// One self-contained HTML page with charts and every conversation.
    Html,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people, rustc-style.
    Human,
    /// One JSON document (the contract's report).
    Json,
    /// One JSON object per conversation per line.
    Jsonl,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML.
    Junit,
    /// GitHub Actions workflow commands.
    Github,
}

/// The lowest severity that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only errors.
    Error,
    /// Warnings and errors.
    Warning,
    /// Anything.
    Info,
    /// Nothing: exit 0 whatever is found.
    Never,
}

/// What the inputs hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputKind {
    /// Tell by the file.
    Auto,
    /// Conversations.
    Conversations,
    /// Macro (canned-response) libraries.
    Macros,
    /// Zendesk: tickets with comments, ticket audits, incremental ticket events.
    Zendesk,
    /// Intercom conversations.
    Intercom,
    /// Freshdesk tickets.
    Freshdesk,
    /// Help Scout conversations.
    HelpScout,
    /// Front conversations.
    Front,
    /// Amazon Connect Contact Lens / Transcribe Call Analytics transcripts.
    AmazonConnect,
    /// Google Contact Center AI Insights conversations.
    GoogleCcai,
    /// Genesys Cloud transcripts.
    Genesys,
}

impl InputKind {
    /// The vendor a kind names: each record must have its shape.
    pub fn vendor(self) -> Option<crate::input::Vendor> {
        use crate::input::Vendor;
        match self {
            InputKind::Auto | InputKind::Conversations | InputKind::Macros => None,
            InputKind::Zendesk => Some(Vendor::Zendesk),
            InputKind::Intercom => Some(Vendor::Intercom),
            InputKind::Freshdesk => Some(Vendor::Freshdesk),
            InputKind::HelpScout => Some(Vendor::HelpScout),
            InputKind::Front => Some(Vendor::Front),
            InputKind::AmazonConnect => Some(Vendor::AmazonConnect),
            InputKind::GoogleCcai => Some(Vendor::GoogleCcai),
            InputKind::Genesys => Some(Vendor::Genesys),
        }
    }
}

/// Colors in the human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}
