//! `tact score --format html`: one self-contained page (inline CSS, SVG and a few lines of script;
//! nothing fetched) with an overview for finding who and what needs coaching, and one section per
//! conversation showing the chat with each violation marked where it happened.
//!
//! The overview and each conversation are sections of the same file; the URL fragment picks the
//! one shown (`#c-3`), so the browser's back button works and links can be shared. A large
//! report is better written as a folder (`chunks`): the page, with the conversation table as
//! data, and the sections in chunk files loaded when a conversation is opened.

mod charts;
mod chunks;

pub use chunks::{ReportFolder, CHUNK_FOLDER};

use std::collections::HashMap;
use std::io::{self, Seek, Write};

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::calibration::calibration_tables;
use super::scores::{sample_note, show_score, thousands, ScoreSink};
use crate::conversation::{Conversation, Event, Party};
use crate::engine::RuleInfo;
use crate::report::{ConversationReport, InputError, Violation};
use crate::score::calibrate::Calibration;
use crate::score::compare::Agreement;
use crate::score::quality::{format_estimate, format_value, Quality, RuleQuality};
use crate::score::{Aggregates, GroupStats, Scorecard, Verdict, NONE_NAME};
use charts::Bar;
use chunks::{script_json, Chunks, CHUNK};

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");
const REVIEW_SCRIPT: &str = include_str!("review.js");

/// Writes each conversation's section as it comes into an unnamed temporary file (removed by
/// the system when closed), keeping only a row of it for the overview, then writes the page at
/// the end: the overview, then the sections copied back. Memory stays bounded by the rows, not
/// the transcripts.
pub struct HtmlScores<W: Write> {
    out: W,
    title: String,
    rows: Vec<Row>,
    sections: Option<io::BufWriter<std::fs::File>>,
    /// In the folder form, where the sections go instead.
    chunks: Option<Chunks>,
    key: ReportKey,
    measured: Option<Quality>,
    explained: Vec<RuleText>,
    base: Option<String>,
}

/// What the overview's conversation table shows of a conversation.
#[derive(Debug)]
struct Row {
    id: String,
    agent: Option<String>,
    team: Option<String>,
    week: Option<String>,
    score: Option<f64>,
    /// The failed rules, by their place in the policy.
    failed: Vec<usize>,
    /// Each rule's verdict, in policy order, a letter each (`p`, `f`, `n`): the folder form's
    /// table data, so a review can be imported without loading every chunk.
    verdicts: String,
}

/// What the page says about a rule: its title, why it matters, and where that comes from.
#[derive(Debug, Clone)]
pub struct RuleText {
    id: String,
    title: Option<String>,
    why: Option<String>,
    source: Option<String>,
    critical: bool,
}

impl RuleText {
    fn of(rule: &RuleInfo) -> RuleText {
        RuleText {
            id: rule.id.to_string(),
            critical: rule.critical,
            title: rule.title.clone(),
            why: rule.why.clone(),
            source: rule.source.as_ref().map(|s| match &s.point {
                Some(point) => format!("{}, {point}", s.article),
                None => s.article.clone(),
            }),
        }
    }
}

/// The rule's title, and its why and source behind a disclosure.
fn rule_explained(text: Option<&RuleText>) -> Markup {
    html! {
        @if let Some(t) = text {
            @if let Some(title) = &t.title { div.rule-title { (title) } }
            @if t.why.is_some() || t.source.is_some() {
                details.why {
                    summary { "Why" }
                    @if let Some(why) = &t.why { p { (why) } }
                    @if let Some(source) = &t.source { p.source { "Source: " (source) } }
                }
            }
        }
    }
}

impl<W: Write> HtmlScores<W> {
    /// Writes the page to `out` when finished; `title` heads it.
    pub fn new(out: W, title: String) -> Self {
        HtmlScores {
            out,
            title,
            rows: Vec::new(),
            sections: None,
            chunks: None,
            key: ReportKey::new(),
            measured: None,
            explained: Vec::new(),
            base: None,
        }
    }

    /// Explains each rule in the page: its title, why, and source.
    pub fn with_rules(mut self, rules: &[RuleInfo]) -> Self {
        self.explained = rules.iter().map(RuleText::of).collect();
        self
    }

    /// Shows sources under `base` (the folder tact was run in) relative to it, so the page does
    /// not carry the paths of the machine that made it.
    pub fn with_base(mut self, base: Option<String>) -> Self {
        self.base = base;
        self
    }

    /// Writes the report as a folder: the page goes to `out` (the folder's `index.html`), and
    /// the conversations' sections to chunk files in `folder`, which the page loads as they are
    /// opened.
    pub fn in_folder(mut self, folder: Box<dyn ReportFolder>) -> Self {
        self.chunks = Some(Chunks::new(folder));
        self
    }

    /// Shows each rule's precision and recall as measured on a labelled set, so a reviewer knows
    /// how far to trust its flags. Only for the policy the figures were measured on.
    pub fn with_measured(mut self, measured: Option<Quality>) -> Self {
        self.measured = measured;
        self
    }
}

impl<W: Write> HtmlScores<W> {
    fn context(&self) -> Context<'_> {
        Context {
            measured: self.measured.as_ref(),
            explained: &self.explained,
            base: self.base.as_deref(),
        }
    }
}

impl<W: Write> ScoreSink for HtmlScores<W> {
    fn conversation(
        &mut self,
        conversation: &Conversation,
        report: &ConversationReport,
        card: &Scorecard,
    ) -> io::Result<()> {
        let index = self.rows.len();
        let section = conversation_section(index, conversation, report, card, &self.context());
        self.key.add(&conversation.id);
        self.rows.push(Row::of(conversation, card));
        if let Some(chunks) = &mut self.chunks {
            return chunks.add(section.into_string());
        }
        let sections = match &mut self.sections {
            Some(sections) => sections,
            None => self
                .sections
                .insert(io::BufWriter::new(tempfile::tempfile()?)),
        };
        // Kept as inert text until opened: a browser parses and lays out only the conversations
        // a reader opens, so a page of many loads quickly (report.js makes the section).
        let holder = html! {
            script.lazy-section type="text/html" data-index=(index) data-conversation=(conversation.id) {
                (PreEscaped(inert(&section.into_string())))
            }
        };
        sections.write_all(holder.into_string().as_bytes())?;
        Ok(())
    }

    fn finish(
        mut self: Box<Self>,
        aggregates: &Aggregates,
        agreement: Option<&Agreement>,
        errors: &[InputError],
    ) -> io::Result<()> {
        let context = self.context();
        let links: HashMap<&str, usize> = (self.rows.iter().enumerate())
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let link = |id: &str| links.get(id).map(|&i| anchor(i));
        let start = html! {
            (DOCTYPE)
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (self.title) }
                style { (PreEscaped(STYLE)) }
            }
        };
        let top = html! {
            header.top {
                a href="#overview" { h1 { (self.title) } }
                span.generated { "tact " (env!("CARGO_PKG_VERSION")) }
                (review_bar())
            }
        };
        let table_data = match &self.chunks {
            Some(_) => Some(table_data(&self.rows, aggregates)?),
            None => None,
        };
        let overview = overview(
            &self.rows,
            aggregates,
            agreement,
            &context,
            &link,
            errors,
            table_data.as_deref(),
        );
        let end = html! {
            script { (PreEscaped(SCRIPT)) }
            script { (PreEscaped(REVIEW_SCRIPT)) }
        };
        let out = &mut self.out;
        // The document in pieces, so the sections need not be held in memory: the tags around
        // them are written by hand (the report key is hex, nothing to escape).
        out.write_all(
            start
                .into_string()
                .replacen("<head>", "<html lang=\"en\"><head>", 1)
                .as_bytes(),
        )?;
        write!(out, "<body data-report=\"{}\">", self.key.hex())?;
        out.write_all(top.into_string().as_bytes())?;
        out.write_all(b"<main>")?;
        out.write_all(overview.into_string().as_bytes())?;
        if let Some(sections) = self.sections.take() {
            let mut file = sections
                .into_inner()
                .map_err(io::IntoInnerError::into_error)?;
            file.seek(io::SeekFrom::Start(0))?;
            io::copy(&mut file, out)?;
        }
        out.write_all(b"</main>")?;
        out.write_all(end.into_string().as_bytes())?;
        out.write_all(b"</body></html>")?;
        out.flush()?;
        match self.chunks.take() {
            Some(chunks) => chunks.finish(),
            None => Ok(()),
        }
    }
}

impl Row {
    fn of(conversation: &Conversation, card: &Scorecard) -> Row {
        Row {
            id: conversation.id.clone(),
            agent: card.agent.clone(),
            team: card.team.clone(),
            week: card.week.clone(),
            score: card.score,
            failed: (card.rules.iter().enumerate())
                .filter(|(_, l)| l.verdict == Verdict::Fail)
                .map(|(i, _)| i)
                .collect(),
            verdicts: (card.rules.iter())
                .map(|l| match l.verdict {
                    Verdict::Pass => 'p',
                    Verdict::Fail => 'f',
                    Verdict::NotApplicable => 'n',
                })
                .collect(),
        }
    }
}

/// The folder form's conversation table as data for the page's script (report.js draws a page
/// of it at a time): where the chunks are, the rule ids, and per conversation its id, agent,
/// team, week, score as shown, and verdicts. Safe to hold in a `<script>`.
fn table_data(rows: &[Row], aggregates: &Aggregates) -> io::Result<String> {
    /// One row, an array in the page: id, agent, team, week, score as shown, verdicts.
    type TableRow<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        String,
        &'a str,
    );
    #[derive(serde::Serialize)]
    struct Data<'a> {
        chunks: &'a str,
        size: usize,
        rules: Vec<&'a str>,
        rows: Vec<TableRow<'a>>,
    }
    let data = Data {
        chunks: chunks::CHUNK_FOLDER,
        size: CHUNK,
        rules: aggregates.rules.iter().map(|r| r.rule.as_str()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.agent.as_deref(),
                    r.team.as_deref(),
                    r.week.as_deref(),
                    page_score(r.score),
                    r.verdicts.as_str(),
                )
            })
            .collect(),
    };
    script_json(&data)
}

/// Markup made safe to hold inside a `<script>`: nothing in it may end the script (`</script`)
/// or open a comment (`<!--`), in any case. tact's sections never contain either (text and
/// attributes are escaped), so this changes nothing in practice; it makes sure of it.
fn inert(markup: &str) -> String {
    let mut out = String::with_capacity(markup.len());
    let mut rest = markup;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let lower = after.get(..7).map(str::to_ascii_lowercase);
        if lower.as_deref() == Some("/script") || after.starts_with("!--") {
            out.push_str("&lt;");
        } else {
            out.push('<');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `path` relative to the absolute folder `base`: `../data/x.jsonl:3` for `/work/data/x.jsonl:3`
/// seen from `/work/repo`. A relative path, or one on another root, is returned as it is.
fn relative_to(base: &str, path: &str) -> String {
    use std::path::{Component, Path};
    let (base, target) = (Path::new(base), Path::new(path));
    if !target.is_absolute() || !base.is_absolute() {
        return path.to_string();
    }
    let base: Vec<Component> = base.components().collect();
    let target: Vec<Component> = target.components().collect();
    let shared = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    if shared <= 1 {
        return path.to_string();
    }
    let mut out = std::path::PathBuf::new();
    for _ in shared..base.len() {
        out.push("..");
    }
    for part in &target[shared..] {
        out.push(part.as_os_str());
    }
    out.display().to_string()
}

/// What the page knows beyond the run's results.
struct Context<'a> {
    measured: Option<&'a Quality>,
    explained: &'a [RuleText],
    base: Option<&'a str>,
}

impl Context<'_> {
    /// A source (`file:line`) relative to the folder tact ran in (with `..` when it is beside
    /// it); as given when it is already relative.
    fn source(&self, source: &str) -> String {
        match self.base {
            Some(base) => relative_to(base, source),
            None => source.to_string(),
        }
    }
}

/// A key naming this report's set of conversations, so that reviews kept in the browser are
/// found again when the same conversations are reported again (FNV-1a of the ids).
struct ReportKey(u64);

impl ReportKey {
    fn new() -> ReportKey {
        ReportKey(0xcbf2_9ce4_8422_2325)
    }

    fn add(&mut self, id: &str) {
        for byte in id.bytes().chain([b'\n']) {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// The reviewer's tools, shown on every section: who is reviewing, and the review as a file.
fn review_bar() -> Markup {
    html! {
        div.review-bar {
            label { "Reviewer " input #reviewer type="text" placeholder="your name" autocomplete="off"; }
            span #review-count { }
            button #export type="button" { "Export reviews.csv" }
            label.import { "Import reviews " input #import type="file" accept=".csv,text/csv"; }
        }
    }
}

/// A score as the page shows it: `not scored` where the terminal says `n/a`.
fn page_score(score: Option<f64>) -> String {
    score.map_or_else(|| "not scored".into(), |s| show_score(Some(s)))
}

/// What a reviewer reads for a verdict: plain words, not `pass`/`fail`/`n/a`.
fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "No violation",
        Verdict::Fail => "Violation",
        Verdict::NotApplicable => "Did not apply",
    }
}

/// Rows of the conversation table shown at a time.
const PAGE: usize = 100;

/// Below this many conversations, a rate is marked as resting on too few to read much into.
pub const FEW: usize = 20;

fn anchor(index: usize) -> String {
    format!("#c-{index}")
}

fn score_class(score: Option<f64>) -> &'static str {
    match score {
        None => "score na",
        Some(s) if s >= 90.0 => "score good",
        Some(s) if s >= 70.0 => "score fair",
        Some(_) => "score poor",
    }
}

fn sort_value(score: Option<f64>) -> String {
    score.map_or_else(|| "-1".into(), |s| format!("{s:.1}"))
}

fn overview(
    rows: &[Row],
    aggregates: &Aggregates,
    agreement: Option<&Agreement>,
    context: &Context,
    link: &dyn Fn(&str) -> Option<String>,
    errors: &[InputError],
    table_data: Option<&str>,
) -> Markup {
    let (measured, explained) = (context.measured, context.explained);
    let overall = &aggregates.overall;
    // Per agent; per team when the conversations name no agent (public data often does not).
    let named_agents = aggregates.agents.iter().any(|a| a.name != NONE_NAME);
    let (who, groups) = if named_agents || aggregates.teams.len() <= 1 {
        ("agent", &aggregates.agents)
    } else {
        ("team", &aggregates.teams)
    };
    let mut people: Vec<&GroupStats> = groups.iter().filter(|a| a.mean_score.is_some()).collect();
    people.sort_by(|a, b| {
        a.mean_score
            .unwrap_or(0.0)
            .total_cmp(&b.mean_score.unwrap_or(0.0))
    });
    let people_bars: Vec<Bar> = people
        .iter()
        .take(40)
        .map(|a| Bar {
            label: a.name.clone(),
            value: a.mean_score.unwrap_or(0.0),
            note: format!("{} scored", thousands(a.scored)),
            few: a.scored < FEW,
        })
        .collect();
    let people_title = format!("Mean score per {who} (lowest first)");
    let mut rules: Vec<Bar> = aggregates
        .rules
        .iter()
        .filter_map(|r| {
            let applied = r.passed + r.failed;
            r.pass_rate.map(|p| Bar {
                label: r.rule.clone(),
                value: (1.0 - p) * 100.0,
                note: format!(
                    "{} of {} applicable",
                    thousands(r.failed),
                    thousands(applied)
                ),
                few: applied < FEW,
            })
        })
        .collect();
    rules.sort_by(|a, b| b.value.total_cmp(&a.value));
    let rules_title = format!(
        "Failure rate per rule, of the conversations it applied to ({} conversations)",
        thousands(overall.conversations)
    );
    let weeks: Vec<(String, f64)> = aggregates
        .weeks
        .iter()
        .filter_map(|w| w.mean_score.map(|m| (w.name.clone(), m)))
        .collect();
    let no_link = |_: usize| None;
    html! {
        section #overview.overview {
            div.tiles {
                div.tile { span.big { (overall.conversations) } " conversations" }
                div.tile { span.big { (page_score(overall.mean_score)) } " mean score" }
                div.tile { span.big { (overall.failures) } " rule failures" }
                div.tile.critical { span.big { (overall.critical_failures) } " sent to 0 by a critical rule" }
                @if !errors.is_empty() {
                    div.tile.errors { span.big { (errors.len()) } " records could not be read" }
                }
            }
            @if let Some(sample) = &aggregates.sample {
                p.sample-note { (sample_note(sample)) " The conversations below are the sample." }
            }
            div.charts {
                (charts::distribution("Score distribution", &aggregates.distribution))
                (charts::horizontal_bars(&people_title, &people_bars, 100.0, "", &no_link))
                (charts::horizontal_bars(&rules_title, &rules, 100.0, "%", &no_link))
                (charts::line("Mean score per week", &weeks))
            }
            h2 { "Agents" }
            (group_table("Agent", &aggregates.agents))
            h2 { "Teams" }
            (group_table("Team", &aggregates.teams))
            h2 { "Rules" }
            table.sortable #rules {
                thead { tr {
                    th { "Rule" } th.num { "Weight" } th.num { "Pass" } th.num { "Fail" }
                    th.num { "Did not apply" } th.num { "Pass rate" } th.num { "Points lost" }
                    @if measured.is_some() {
                        th.num title="Of the rule's flags on the labelled test set, the share that were right" { "Measured precision" }
                        th.num title="Of the labelled violations, the share the rule flagged" { "Measured recall" }
                    }
                } }
                tbody {
                    @for r in &aggregates.rules {
                        @let applied = r.passed + r.failed;
                        tr {
                            td {
                                code { (r.rule) } @if r.critical { " " span.badge.critical { "critical" } }
                                (rule_explained(explained.iter().find(|e| e.id == r.rule)))
                            }
                            td.num { (r.weight) }
                            td.num { (r.passed) }
                            td.num { (r.failed) }
                            td.num { (r.not_applicable) }
                            td.num data-v=(r.pass_rate.map_or(-1.0, |p| p * 100.0)) {
                                @match r.pass_rate {
                                    Some(p) => {
                                        (format!("{:.0}%", p * 100.0))
                                        span.counts { " " (thousands(r.passed)) " of " (thousands(applied)) " applicable" }
                                        @if applied < FEW { " " span.badge.few title=(format!("applied to fewer than {FEW} conversations")) { "few" } }
                                    }
                                    None => span.counts { "never applied" },
                                }
                            }
                            td.num { (format!("{:.1}", r.points_lost)) }
                            @if measured.is_some() {
                                (measured_cells(measured.and_then(|m| m.rule(&r.rule))))
                            }
                        }
                    }
                }
            }
            @if let Some(m) = measured {
                p.hint {
                    "Measured precision and recall: how the built-in rules agreed with blind labels on "
                    (m.rules.first().map_or(0, |r| r.judged)) " conversations held out from tuning (95% intervals on hover). "
                    "A flag from a rule with low precision deserves a second look before it counts against an agent."
                }
            }
            @if !aggregates.weeks.is_empty() {
                h2 { "Weeks" }
                (group_table("Week", &aggregates.weeks))
            }
            @if !aggregates.service_levels.is_empty() {
                h2 { "Service levels" }
                p.hint { "For each timing rule: how many tickets met its target, per agent and per week." }
                table.sortable #service-levels {
                    thead { tr {
                        th { "Rule" } th { "By" } th { "Agent or week" }
                        th.num { "Within target" } th.num { "Missed" } th.num { "Achieved" }
                    } }
                    tbody {
                        @for s in &aggregates.service_levels {
                            tr {
                                td { code { (s.rule) } }
                                td { (s.by) }
                                td { (s.name) }
                                td.num { (s.within) }
                                td.num { (s.missed) }
                                td.num data-v=(s.rate * 100.0) { (format!("{:.0}%", s.rate * 100.0)) }
                            }
                        }
                    }
                }
            }
            @if let Some(agreement) = agreement {
                (agreement_section(agreement, link))
            }
            h2 { "Conversations" }
            p.hint { "Search, or click a column to sort; click a conversation to see why each point was lost." }
            @if let Some(data) = table_data {
                // The folder form: the rows are data that report.js pages, sorts and searches.
                table.sortable #conversations data-page-size=(PAGE) data-rows="tact-data" {
                    thead { tr {
                        th { "Conversation" } th { "Agent" } th { "Team" } th { "Week" }
                        th.num { "Score" } th { "Failed rules" }
                    } }
                    tbody {}
                }
                script #tact-data type="application/json" { (PreEscaped(data)) }
            } @else {
                table.sortable.paged #conversations data-page-size=(PAGE) {
                    thead { tr {
                        th { "Conversation" } th { "Agent" } th { "Team" } th { "Week" }
                        th.num { "Score" } th { "Failed rules" }
                    } }
                    tbody {
                        @for (index, row) in rows.iter().enumerate() {
                            // Past the first page, hidden from the start: the browser lays out one
                            // page, not the whole table, before the script pages it.
                            tr hidden[index >= PAGE] {
                                td { a href=(anchor(index)) { (row.id) } }
                                td { (row.agent.as_deref().unwrap_or("—")) }
                                td { (row.team.as_deref().unwrap_or("—")) }
                                td { (row.week.as_deref().unwrap_or("—")) }
                                td.num data-v=(sort_value(row.score)) {
                                    span class=(score_class(row.score)) { (page_score(row.score)) }
                                }
                                td {
                                    @for rule in row.failed.iter().filter_map(|&i| aggregates.rules.get(i)) {
                                        code.failed { (rule.rule) } " "
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !errors.is_empty() {
                h2 { "Records that could not be read" }
                ul.errors { @for e in errors { li { code { (e.to_string()) } } } }
            }
        }
    }
}

/// The precision and recall cells of one rule; the value shown, the interval on hover.
fn measured_cells(q: Option<&RuleQuality>) -> Markup {
    let cell = |e: Option<crate::score::quality::Estimate>| {
        html! {
            td.num data-v=(e.map_or(-1.0, |e| e.value)) title=(format_estimate(e)) {
                (format_value(e))
            }
        }
    };
    html! {
        (cell(q.and_then(|q| q.precision)))
        (cell(q.and_then(|q| q.recall)))
    }
}

fn group_table(what: &str, groups: &[GroupStats]) -> Markup {
    html! {
        table.sortable {
            thead { tr {
                th { (what) } th.num { "Conversations" } th.num { "Mean score" }
                th.num { "Lowest" } th.num { "Failures" } th.num { "Critical" }
            } }
            tbody {
                @for g in groups {
                    tr {
                        td { (g.name) }
                        td.num { (g.conversations) }
                        td.num data-v=(sort_value(g.mean_score)) {
                            span class=(score_class(g.mean_score)) { (page_score(g.mean_score)) }
                        }
                        td.num data-v=(sort_value(g.min_score)) { (page_score(g.min_score)) }
                        td.num { (g.failures) }
                        td.num { (g.critical_failures) }
                    }
                }
            }
        }
    }
}

fn agreement_section(agreement: &Agreement, link: &dyn Fn(&str) -> Option<String>) -> Markup {
    let ratio = |r: Option<f64>| r.map_or_else(|| "undefined".into(), |r| format!("{r:.2}"));
    html! {
        h2 { "Agreement with the reviewer" }
        p.hint { "A violation is a positive: precision is how often tact's failures are the reviewer's too; recall, how many of the reviewer's failures tact finds; kappa, agreement beyond chance." }
        table.sortable #agreement {
            thead { tr {
                th { "Rule" } th.num { "Compared" } th.num { "Both fail" } th.num { "Tact only" }
                th.num { "Reviewer only" } th.num { "Both pass" } th.num { "Precision" }
                th.num { "Recall" } th.num { "Kappa" }
            } }
            tbody {
                @for r in &agreement.rules {
                    tr {
                        td { code { (r.rule) } }
                        td.num { (r.compared) } td.num { (r.both_fail) } td.num { (r.engine_only) }
                        td.num { (r.reviewer_only) } td.num { (r.both_pass) }
                        td.num { (ratio(r.precision)) } td.num { (ratio(r.recall)) } td.num { (ratio(r.kappa)) }
                    }
                }
            }
        }
        @if let Some(calibration) = &agreement.calibration {
            (calibration_section(calibration, link))
        }
        @if !agreement.disagreements.is_empty() {
            h3 { "Disagreements" }
            table.sortable {
                thead { tr { th { "Conversation" } th { "Rule" } th { "Reviewer" } th { "Reviewer said" } th { "Tact said" } } }
                tbody {
                    @for d in &agreement.disagreements {
                        tr {
                            td {
                                @if let Some(href) = link(&d.conversation) {
                                    a href=(href) { (d.conversation) }
                                } @else { (d.conversation) }
                            }
                            td { code { (d.rule) } }
                            td { (d.reviewed_by) }
                            td { (verdict_words(d.reviewer)) }
                            td { (verdict_words(d.engine)) }
                        }
                    }
                }
            }
        }
    }
}

/// The calibration tables, as the terminal shows them; disputed conversations link to theirs.
fn calibration_section(calibration: &Calibration, link: &dyn Fn(&str) -> Option<String>) -> Markup {
    let numeric = |name: &str| {
        !matches!(
            name,
            "RULE" | "BETWEEN" | "CONVERSATION" | "RULES" | "SAID VIOLATION" | "SAID NO VIOLATION"
        )
    };
    let heading = |name: &str| {
        let lower = name.to_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
    };
    html! {
        p.hint {
            "Each reviewer against tact and each pair of reviewers, on the conversations both judged: "
            "agreement is the share of the same verdicts; kappa (Cohen's) is agreement beyond chance, "
            "1 perfect, 0 no better than chance. Fleiss' kappa is the reviewers' agreement together, on "
            "the conversations every reviewer judged. Undefined: everyone gave the same verdict."
        }
        @for (title, rows) in calibration_tables(calibration) {
            h3 { (title) }
            table.sortable.calibration {
                @if let Some((head, body)) = rows.split_first() {
                    thead { tr { @for name in head {
                        @if numeric(name) { th.num { (heading(name)) } } @else { th { (heading(name)) } }
                    } } }
                    tbody { @for row in body { tr { @for (cell, name) in row.iter().zip(head) {
                        @if name == "CONVERSATION" {
                            td { @if let Some(href) = link(cell) { a href=(href) { (cell) } } @else { (cell) } }
                        } @else if numeric(name) {
                            td.num { (cell) }
                        } @else {
                            td { (cell) }
                        }
                    } } } }
                }
            }
        }
    }
}

fn conversation_section(
    index: usize,
    conversation: &Conversation,
    report: &ConversationReport,
    card: &Scorecard,
    context: &Context,
) -> Markup {
    let whole: Vec<&Violation> = report
        .violations
        .iter()
        .filter(|v| v.event.is_none())
        .collect();
    html! {
        section.conversation id=(format!("c-{index}")) data-conversation=(conversation.id) {
            p { a.back href="#overview" { "← Overview" } }
            div.conv-head {
                h2 { "Conversation " code { (conversation.id) } }
                span class=(score_class(card.score)) title="score out of 100" { (page_score(card.score)) }
            }
            p.meta {
                "Agent: " b { (card.agent.as_deref().unwrap_or("—")) }
                " · Team: " b { (card.team.as_deref().unwrap_or("—")) }
                @if let Some(channel) = &conversation.channel { " · Channel: " b { (channel) } }
                @if let Some(week) = &card.week { " · Week: " b { (week) } }
                " · Source: " code { (context.source(&report.source)) }
            }
            @if let Some(rule) = &card.critical_failure {
                p.critical-note { "The critical rule " code { (rule) } " failed, so the score is 0." }
            }
            h3 { "Scorecard" }
            table.scorecard {
                thead { tr { th { "Rule" } th { "Verdict" } th.num { "Weight" } th.num { "Points lost" } th { "Note" } th { "Your review" } } }
                tbody {
                    @for line in &card.rules {
                        @let explained = context.explained.iter().find(|e| e.id == line.rule);
                        tr class=(format!("verdict-{}", match line.verdict { Verdict::Pass => "pass", Verdict::Fail => "fail", Verdict::NotApplicable => "na" }))
                            data-rule=(line.rule) data-verdict=(line.verdict.as_str()) {
                            td {
                                code { (line.rule) } @if explained.is_some_and(|e| e.critical) { " " span.badge.critical { "critical" } }
                                @if let Some(title) = explained.and_then(|e| e.title.as_deref()) { div.rule-title { (title) } }
                            }
                            td { (verdict_words(line.verdict)) }
                            td.num { (line.weight) }
                            td.num { @if line.points_lost > 0.0 { (format!("−{:.1}", line.points_lost)) } }
                            td.note { (line.reason.as_deref().unwrap_or("")) }
                            td.review {
                                button.agree type="button" { "Agree" }
                                button.overturn type="button" {
                                    @if line.verdict == Verdict::Fail { "Overturn: no violation" } @else { "Overturn: violation" }
                                }
                                input.comment type="text" placeholder="comment (optional)" aria-label="comment";
                            }
                        }
                    }
                }
            }
            div.review-tools {
                button.agree-rest type="button" { "Agree with every verdict not yet reviewed" }
            }
            @let unflagged: Vec<&str> = card.rules.iter().filter(|l| l.verdict != Verdict::Fail).map(|l| l.rule.as_str()).collect();
            @if !unflagged.is_empty() {
                form.missed-form {
                    b { "Add a missed violation " }
                    select.missed-rule aria-label="rule" {
                        @for rule in &unflagged {
                            @let title = context.explained.iter().find(|e| e.id == *rule).and_then(|e| e.title.as_deref());
                            option value=(rule) { (title.map_or_else(|| rule.to_string(), |t| format!("{t} ({rule})"))) }
                        }
                    }
                    " "
                    input.missed-message type="text" placeholder="what was missed" aria-label="what was missed";
                    " "
                    button.add-missed type="submit" { "Add" }
                }
            }
            ul.missed-list {}
            h3 { "Transcript" }
            @if !whole.is_empty() {
                div.whole {
                    @for v in &whole { (violation_card(v)) }
                }
            }
            ol.chat {
                @for (i, event) in conversation.events.iter().enumerate() {
                    (event_item(i, event, &report.violations))
                }
            }
        }
    }
}

fn event_item(index: usize, event: &Event, violations: &[Violation]) -> Markup {
    let mine: Vec<&Violation> = violations
        .iter()
        .filter(|v| v.event == Some(index))
        .collect();
    let time = event.at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string());
    let class = match (event.kind.as_str(), event.from) {
        ("message", Some(Party::Agent)) => "event agent",
        ("message", Some(Party::Customer)) => "event customer",
        ("note", _) => "event note",
        (_, _) if event.text.is_some() => "event system",
        _ => "event marker",
    };
    let who = match (event.kind.as_str(), event.from) {
        ("message", Some(Party::Agent)) => "Agent".to_string(),
        ("message", Some(Party::Customer)) => "Customer".to_string(),
        ("note", _) => "Internal note".to_string(),
        (kind, _) => kind.replace('_', " "),
    };
    html! {
        li class=(class) id=(format!("e-{index}")) {
            div.bubble {
                div.who { (who) @if let Some(t) = &time { " · " time { (t) } } }
                @if let Some(text) = &event.text {
                    div.text { (highlighted(text, &mine)) }
                }
            }
            @if !mine.is_empty() {
                div.findings {
                    @for v in &mine { (violation_card(v)) }
                }
            }
        }
    }
}

/// The text with each violation's span wrapped in a `<mark>`; overlapping spans are cut where
/// the earlier one ends, so no byte is shown twice.
fn highlighted(text: &str, violations: &[&Violation]) -> Markup {
    let mut spans: Vec<(usize, usize, &Violation)> = violations
        .iter()
        .filter_map(|v| v.span.map(|s| (s.start, s.end, *v)))
        .filter(|(s, e, _)| s < e && *e <= text.len())
        .filter(|(s, e, _)| text.is_char_boundary(*s) && text.is_char_boundary(*e))
        .collect();
    spans.sort_by_key(|(s, e, _)| (*s, *e));
    let mut pieces: Vec<(Option<&Violation>, &str)> = Vec::new();
    let mut at = 0;
    for (start, end, v) in spans {
        let start = start.max(at);
        if start >= end {
            continue;
        }
        pieces.push((None, &text[at..start]));
        pieces.push((Some(v), &text[start..end]));
        at = end;
    }
    pieces.push((None, &text[at..]));
    html! {
        @for (v, piece) in pieces {
            @if let Some(v) = v {
                mark class=(format!("v {}", v.severity.as_str())) title=(format!("{}: {}", v.rule, v.message)) data-rule=(&*v.rule) { (piece) }
            } @else {
                (piece)
            }
        }
    }
}

fn violation_card(v: &Violation) -> Markup {
    html! {
        aside class=(format!("finding {}", v.severity.as_str())) data-rule=(&*v.rule) {
            div.rule { span.sev { (v.severity.as_str()) } " " code { (v.rule) } }
            div.message { (v.message) }
            @if let Some(detail) = &v.detail { div.detail { (detail) } }
            @if let Some(s) = &v.suggestion {
                div.suggest { span.label { "Suggested phrasing: " } (s) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_shown_from_where_tact_ran() {
        assert_eq!(
            relative_to("/work/repo", "/work/repo/a/x.jsonl:3"),
            "a/x.jsonl:3"
        );
        assert_eq!(
            relative_to("/work/repo", "/work/data/x.jsonl:3"),
            "../data/x.jsonl:3"
        );
        assert_eq!(
            relative_to("/work/repo", "examples/x.txt:1"),
            "examples/x.txt:1"
        );
        assert_eq!(relative_to("/work/repo", "/etc/x.json:1"), "/etc/x.json:1");
    }

    #[test]
    fn nothing_can_end_the_script_that_holds_a_section() {
        assert_eq!(
            inert("<p>a</p></SCRIPT><!-- x --></scrip"),
            "<p>a</p>&lt;/SCRIPT>&lt;!-- x --></scrip"
        );
        assert_eq!(inert("é<"), "é<");
    }
}
