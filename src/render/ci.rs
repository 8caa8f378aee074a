//! Reports for CI: SARIF 2.1.0 (GitHub code scanning), JUnit XML (one testcase per conversation
//! or macro), and GitHub Actions workflow commands (annotations on the pull request).

use std::io::{self, Write};

use quick_xml::escape::escape;
use serde_json::{json, Value};

use crate::dsl::ast::Severity;
use crate::engine::RuleInfo;
use crate::render::source_root::{relative_uri, FileUri, SourceRoot};
use crate::report::{ConversationReport, FixKind, InputError, Subject, Violation};

/// `error`, `warning` or `note`: SARIF's and GitHub's names for the levels.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Writes a SARIF log as results come: the run's header and rules first, each result as it is
/// found, then the invocation (with the unreadable records) at the end. Nothing is held per
/// result, so memory does not grow with the input.
pub struct SarifWriter {
    rule_ids: Vec<String>,
    results: usize,
    root: Option<SourceRoot>,
}

impl SarifWriter {
    /// Writes the log's header, describing the policy's rules; files are named as given, from
    /// a root left undescribed.
    pub fn start(out: &mut dyn Write, rules: &[RuleInfo]) -> io::Result<SarifWriter> {
        SarifWriter::start_at(out, rules, None)
    }

    /// As [`SarifWriter::start`], naming files from `root` (the repository's), which
    /// `originalUriBaseIds` gives as an absolute URI.
    pub fn start_at(
        out: &mut dyn Write,
        rules: &[RuleInfo],
        root: Option<SourceRoot>,
    ) -> io::Result<SarifWriter> {
        let descriptors: Vec<Value> = rules.iter().map(rule_descriptor).collect();
        let driver = json!({
            "name": "tact",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": descriptors,
        });
        // Pretty-printed JSON has no raw line breaks inside strings, so indenting is safe.
        let driver = serde_json::to_string_pretty(&driver)?.replace('\n', "\n      ");
        let base = match &root {
            Some(root) => json!({"uri": root.uri()}),
            None => json!({"description": {"text": "The folder tact was run in."}}),
        };
        let base = serde_json::to_string(&base)?;
        write!(
            out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {{\"driver\": {driver}}},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"originalUriBaseIds\": {{\"%SRCROOT%\": {base}}},\n      \"results\": ["
        )?;
        Ok(SarifWriter {
            rule_ids: rules.iter().map(|r| r.id.to_string()).collect(),
            results: 0,
            root,
        })
    }

    /// Writes the violations of one conversation or macro, one result a line.
    pub fn add(
        &mut self,
        out: &mut dyn Write,
        subject: &Subject<'_>,
        report: &ConversationReport,
    ) -> io::Result<()> {
        for v in &report.violations {
            let result = self.result(subject, v);
            let sep = if self.results == 0 { "" } else { "," };
            write!(out, "{sep}\n        {}", serde_json::to_string(&result)?)?;
            self.results += 1;
        }
        Ok(())
    }

    fn result(&self, subject: &Subject<'_>, v: &Violation) -> Value {
        let at = &v.place.location;
        let mut region = json!({
            "startLine": at.line,
            "startColumn": at.column,
        });
        if at.end_column > at.column || at.end_line > at.line {
            region["endLine"] = json!(at.end_line);
            region["endColumn"] = json!(at.end_column);
        }
        if let Some(excerpt) = &v.excerpt {
            region["snippet"] = json!({ "text": excerpt });
        }
        let mut text = format!("{} ({} `{}`)", v.message, subject.noun(), subject.id());
        if let Some(s) = &v.suggestion {
            text.push_str(&format!(" Suggested phrasing: {s}"));
        }
        let mut result = json!({
            "ruleId": &*v.rule,
            "level": level(v.severity),
            "message": {"text": text},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": self.artifact(&at.path),
                    "region": region,
                },
                "logicalLocations": [{"name": subject.id(), "kind": "object"}],
            }],
            "partialFingerprints": {
                "tact/v1": fingerprint(subject, v),
            },
        });
        if let Some(index) = self.rule_ids.iter().position(|r| **r == *v.rule) {
            result["ruleIndex"] = json!(index);
        }
        if let Some(edit) = &v.place.file_edit {
            let ((line, column), (end_line, end_column)) = (edit.start, edit.end);
            let written = &edit.written;
            result["fixes"] = json!([{
                "description": {"text": format!("Replace with: {written}")},
                "artifactChanges": [{
                    "artifactLocation": self.artifact(&at.path),
                    "replacements": [{
                        "deletedRegion": {
                            "startLine": line, "startColumn": column,
                            "endLine": end_line, "endColumn": end_column,
                        },
                        "insertedContent": {"text": written},
                    }],
                }],
            }]);
        }
        result
    }

    /// Ends the log with the invocation: whether every record could be read, and a notification
    /// at `file:line` for each that could not.
    pub fn finish(self, out: &mut dyn Write, errors: &[InputError]) -> io::Result<()> {
        let mut invocation = json!({ "executionSuccessful": errors.is_empty() });
        if !errors.is_empty() {
            invocation["toolExecutionNotifications"] = errors
                .iter()
                .map(|e| self.notification(e))
                .collect::<Vec<_>>()
                .into();
        }
        let close = if self.results == 0 { "]" } else { "\n      ]" };
        writeln!(
            out,
            "{close},\n      \"invocations\": [{}]\n    }}\n  ]\n}}",
            serde_json::to_string(&invocation)?
        )
    }
}

/// A rule as SARIF describes it: title, message, help (why, suggestion, source) and level.
fn rule_descriptor(r: &RuleInfo) -> Value {
    let title = r.title.clone().unwrap_or_else(|| r.message.to_string());
    let mut help = String::new();
    let mut markdown = String::new();
    if let Some(why) = &r.why {
        help.push_str(why);
        markdown.push_str(why);
    }
    if let Some(s) = &r.suggest {
        help.push_str(&format!("\nSuggested phrasing: {s}"));
        markdown.push_str(&format!("\n\n**Suggested phrasing:** {s}"));
    }
    if let Some(source) = &r.source {
        let point = source.point.as_deref().unwrap_or("");
        help.push_str(&format!("\nSource: {} {point}", source.article));
        markdown.push_str(&format!("\n\n_Source: {} {point}_", source.article));
    }
    if help.is_empty() {
        help = r.message.to_string();
        markdown = r.message.to_string();
    }
    json!({
        "id": &*r.id,
        "name": pascal_case(&r.id),
        "shortDescription": {"text": title},
        "fullDescription": {"text": &*r.message},
        "help": {"text": help.trim(), "markdown": markdown.trim()},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "tags": ["customer-support", "tact"],
            "weight": r.weight,
            "critical": r.critical,
        }
    })
}

impl SarifWriter {
    /// A file as SARIF names it: from the root when it is inside it, else by its absolute URI.
    fn artifact(&self, path: &str) -> Value {
        match self.root.as_ref().map(|root| root.locate(path)) {
            Some(FileUri::Relative(uri)) => json!({"uri": uri, "uriBaseId": "%SRCROOT%"}),
            Some(FileUri::Absolute(uri)) => json!({ "uri": uri }),
            None => json!({"uri": relative_uri(path), "uriBaseId": "%SRCROOT%"}),
        }
    }

    /// An unreadable record as a SARIF notification, located at its file and line.
    fn notification(&self, e: &InputError) -> Value {
        let mut physical = json!({ "artifactLocation": self.artifact(&e.path) });
        if let Some(line) = e.line {
            physical["region"] = json!({ "startLine": line });
        }
        json!({
            "level": "error",
            "message": {"text": &e.message},
            "locations": [{ "physicalLocation": physical }],
        })
    }
}

/// `never-say-wrong` → `NeverSayWrong`, SARIF's readable rule name.
fn pascal_case(id: &str) -> String {
    id.split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// What identifies a finding across runs even when lines move: the file, the subject, the rule
/// and the offending text.
pub fn fingerprint(subject: &Subject<'_>, v: &Violation) -> String {
    let excerpt = v
        .excerpt
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    format!("{}|{}|{}|{}", subject.path(), subject.id(), v.rule, excerpt)
}

/// One testcase per conversation or macro; a failure when it has a violation at or above the
/// threshold, everything found in its output.
pub struct JunitWriter {
    cases: Vec<String>,
    tests: usize,
    failures: usize,
}

impl Default for JunitWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl JunitWriter {
    /// An empty suite.
    pub fn new() -> JunitWriter {
        JunitWriter {
            cases: Vec::new(),
            tests: 0,
            failures: 0,
        }
    }

    /// Adds the testcase of one conversation or macro.
    pub fn add(
        &mut self,
        subject: &Subject<'_>,
        report: &ConversationReport,
        threshold: Option<Severity>,
    ) {
        self.tests += 1;
        let failing: Vec<&Violation> = report
            .violations
            .iter()
            .filter(|v| threshold.is_some_and(|t| v.severity >= t))
            .collect();
        let describe = |v: &Violation| {
            let at = &v.place.location;
            let mut line = format!(
                "{}:{}:{}: {}[{}] {}",
                at.path, at.line, at.column, v.severity, v.rule, v.message
            );
            if let Some(e) = &v.excerpt {
                line.push_str(&format!(" \"{e}\""));
            }
            if let Some(s) = &v.suggestion {
                line.push_str(&format!(" Suggested phrasing: {s}"));
            }
            line
        };
        let mut case = format!(
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\">\n",
            xml(subject.path()),
            xml(&format!("{} {}", subject.noun(), subject.id())),
            xml(subject.path()),
            subject.line(),
        );
        if let Some(first) = failing.first() {
            self.failures += 1;
            let message = if failing.len() == 1 {
                format!("{}: {}", first.rule, first.message)
            } else {
                format!(
                    "{} violations: {}",
                    failing.len(),
                    failing
                        .iter()
                        .map(|v| &*v.rule)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let body: Vec<String> = failing.iter().map(|v| describe(v)).collect();
            case.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                xml(&first.rule),
                xml(&message),
                xml(&body.join("\n"))
            ));
        }
        let rest: Vec<String> = report
            .violations
            .iter()
            .filter(|v| !failing.iter().any(|f| std::ptr::eq(*f, *v)))
            .map(describe)
            .collect();
        if !rest.is_empty() {
            case.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                xml(&rest.join("\n"))
            ));
        }
        case.push_str("    </testcase>\n");
        self.cases.push(case);
    }

    /// Writes the document, with a testcase in error for each record that could not be read.
    pub fn finish(self, out: &mut dyn Write, errors: &[InputError]) -> io::Result<()> {
        let tests = self.tests + errors.len();
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"tact\" tests=\"{tests}\" failures=\"{}\">",
            self.failures
        )?;
        writeln!(
            out,
            "  <testsuite name=\"tact\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
            self.failures,
            errors.len()
        )?;
        for case in &self.cases {
            out.write_all(case.as_bytes())?;
        }
        for e in errors {
            let place = match e.line {
                Some(line) => format!("{}:{line}", e.path),
                None => e.path.clone(),
            };
            writeln!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\">\n      <error type=\"unreadable\" message=\"{}\"/>\n    </testcase>",
                xml(&e.path),
                xml(&format!("unreadable record {place}")),
                xml(&e.path),
                e.line.unwrap_or(1),
                xml(&e.to_string()),
            )?;
        }
        writeln!(out, "  </testsuite>\n</testsuites>")
    }
}

/// Text as XML 1.0 character data or attribute value: markup escaped, and the characters XML
/// 1.0 does not allow at all (most C0 controls, U+FFFE, U+FFFF), which no reference can carry,
/// shown as visible escapes (`\u{1b}`) so the document stays well-formed.
fn xml(text: &str) -> String {
    let allowed = |c: char| match c {
        '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' => true,
        c => c >= '\u{10000}',
    };
    let mut visible = String::with_capacity(text.len());
    for c in text.chars() {
        if allowed(c) {
            visible.push(c);
        } else {
            visible.extend(c.escape_unicode());
        }
    }
    escape(&visible).into_owned()
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`, one per violation.
pub fn write_github(
    out: &mut dyn Write,
    subject: &Subject<'_>,
    report: &ConversationReport,
) -> io::Result<()> {
    for v in &report.violations {
        let at = &v.place.location;
        let command = match v.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = format!("{} ({} `{}`)", v.message, subject.noun(), subject.id());
        if let Some(s) = &v.suggestion {
            let verb = match v.fix {
                Some(FixKind::InsertBefore) => "Say first",
                Some(FixKind::Replace) => "Say instead",
                None => "Suggested phrasing",
            };
            message.push_str(&format!("\n{verb}: {s}"));
        }
        let mut properties = format!(
            "file={},line={},col={}",
            github_property(&at.path),
            at.line,
            at.column
        );
        if at.end_line > at.line || at.end_column > at.column {
            properties.push_str(&format!(
                ",endLine={},endColumn={}",
                at.end_line, at.end_column
            ));
        }
        properties.push_str(&format!(
            ",title={}",
            github_property(&format!("tact {}", v.rule))
        ));
        writeln!(out, "::{command} {properties}::{}", github_data(&message))?;
    }
    Ok(())
}

/// A workflow command for each record that could not be read, at its file and line.
pub fn write_github_errors(out: &mut dyn Write, errors: &[InputError]) -> io::Result<()> {
    for e in errors {
        let line = e.line.map(|l| format!(",line={l}")).unwrap_or_default();
        writeln!(
            out,
            "::error file={}{line}::{}",
            github_property(&e.path),
            github_data(&e.message)
        )?;
    }
    Ok(())
}

/// Escapes a workflow command's message.
pub(super) fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
pub(super) fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes_what_would_end_a_command() {
        assert_eq!(github_data("50% off\nnow"), "50%25 off%0Anow");
        assert_eq!(github_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn xml_escapes_markup_and_shows_what_xml_cannot_carry() {
        assert_eq!(
            xml("a<b & \u{1b}[2J\u{0}\u{FFFE}\tok\n"),
            "a&lt;b &amp; \\u{1b}[2J\\u{0}\\u{fffe}\tok\n"
        );
    }

    #[test]
    fn rule_names_read_as_names() {
        assert_eq!(pascal_case("never-say-wrong"), "NeverSayWrong");
    }
}
