//! Reviewing in the HTML report, end to end in a real browser (headless Chromium through
//! ChromeDriver): a reviewer names themself, overturns one of tact's verdicts, adds a violation
//! tact missed, agrees with the rest, exports `reviews.csv`, and `tact score --compare` of that
//! export gives the agreement worked out by hand here. The export is then imported into a fresh
//! browser profile and shows the same review. All of it twice: in the one-file page (`-o`) and
//! in the folder form (`--html-dir`), where each conversation is loaded from a chunk file when
//! it is opened.
//!
//! Skipped with a note without `chromium` and `chromedriver`, unless `TACT_REQUIRE_BROWSER=1`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    reason = "a test fails loudly on what it did not expect, and says when it is skipped"
)]

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

#[path = "support/browser.rs"]
mod browser;

use browser::Browser;

const INPUTS: [&str; 2] = ["examples/complaints.jsonl", "examples/chat.txt"];

fn tact(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("tact")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

/// tact's verdicts, by conversation then rule, from its JSON report.
fn tact_verdicts() -> BTreeMap<(String, String), String> {
    let mut args = vec!["score", "--format", "json"];
    args.extend(INPUTS);
    let report: Value = serde_json::from_slice(&tact(&args).stdout).unwrap();
    let mut verdicts = BTreeMap::new();
    for c in report["conversations"].as_array().unwrap() {
        for r in c["rules"].as_array().unwrap() {
            verdicts.insert(
                (
                    c["id"].as_str().unwrap().to_string(),
                    r["rule"].as_str().unwrap().to_string(),
                ),
                r["verdict"].as_str().unwrap().to_string(),
            );
        }
    }
    verdicts
}

/// Cohen's kappa written out from its definition (Cohen 1960): observed agreement against the
/// agreement expected from each side's own rate of saying "violation".
fn kappa_by_hand(pairs: &[(bool, bool)]) -> f64 {
    let n = pairs.len() as f64;
    let observed = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let a = pairs.iter().filter(|(a, _)| *a).count() as f64 / n;
    let b = pairs.iter().filter(|(_, b)| *b).count() as f64 / n;
    let chance = a * b + (1.0 - a) * (1.0 - b);
    (observed - chance) / (1.0 - chance)
}

fn open_conversation(browser: &Browser, id: &str) {
    let href = browser.script(&format!(
        "return Array.from(document.querySelectorAll('#conversations a')).find(a => a.textContent === {}).getAttribute('href');",
        serde_json::to_string(id).unwrap()
    ));
    browser.open_hash(&href.as_str().unwrap()[1..]);
    // In the folder form the section comes from its chunk file a moment later.
    browser.wait_until(&format!(
        "var s = document.querySelector('section.conversation.shown'); return !!s && s.getAttribute('data-conversation') === {};",
        serde_json::to_string(id).unwrap()
    ));
}

/// The two forms of the report.
#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// One page: `-o report.html`.
    Page,
    /// A folder: `--html-dir report`.
    Folder,
}

#[test]
fn a_reviewer_overturns_adds_a_missed_violation_exports_and_tact_compares() {
    review_round_trip(Form::Page);
}

#[test]
fn the_same_review_works_in_the_folder_form_with_conversations_in_chunks() {
    review_round_trip(Form::Folder);
}

fn review_round_trip(form: Form) {
    let Some((chromium, driver)) = browser::programs() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (report, mut args) = match form {
        Form::Page => {
            let report = dir.path().join("report.html");
            let args = vec![
                "score".to_string(),
                "--format".into(),
                "html".into(),
                "-o".into(),
                report.display().to_string(),
            ];
            (report, args)
        }
        Form::Folder => {
            let folder = dir.path().join("report");
            let args = vec![
                "score".to_string(),
                "--html-dir".into(),
                folder.display().to_string(),
            ];
            (folder.join("index.html"), args)
        }
    };
    args.extend(INPUTS.map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(tact(&args).status.code(), Some(0));
    if form == Form::Folder {
        let page = std::fs::read_to_string(&report).unwrap();
        let chunk = std::fs::read_to_string(dir.path().join("report/chunks/0.js")).unwrap();
        assert!(
            !page.contains("Suggested phrasing") && chunk.contains("Suggested phrasing"),
            "the conversations are in the chunk, not the page"
        );
    }
    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();

    let browser = Browser::start(&chromium, &driver, &dir.path().join("profile"), &downloads);
    browser.open(&format!("file://{}", report.display()));
    let name = browser.find("#reviewer");
    browser.type_into(&name, "ana\n");
    browser.click(&browser.find("h1"));
    if form == Form::Folder {
        let made = browser.script("return [document.querySelectorAll('section.conversation').length, document.querySelectorAll('script[src]').length];");
        assert_eq!(
            made,
            serde_json::json!([0, 0]),
            "nothing loaded before a conversation is opened"
        );
    }

    // T-1002: tact says not-defensive failed; the reviewer overturns it, with a comment.
    open_conversation(&browser, "T-1002");
    if form == Form::Folder {
        let loaded = browser.script("return Array.from(document.querySelectorAll('script[src]')).map(s => s.getAttribute('src'));");
        assert_eq!(loaded, serde_json::json!(["chunks/0.js"]));
    }
    let row = "section.conversation.shown tr[data-rule='not-defensive']";
    let comment = browser.find(&format!("{row} input.comment"));
    browser.type_into(&comment, "=sounds fine, \"really\"");
    browser.click(&browser.find(&format!("{row} button.overturn")));
    let overturned = browser.find(row);
    assert!(
        browser
            .script("return document.querySelector(\"section.conversation.shown tr[data-rule='not-defensive']\").className;")
            .as_str()
            .unwrap()
            .contains("reviewed-overturn"),
        "the row shows it was overturned"
    );
    assert!(browser.displayed(&overturned));
    browser.click(&browser.find("section.conversation.shown button.agree-rest"));

    // T-1001: tact passed no-excuses; the reviewer adds it as a missed violation.
    open_conversation(&browser, "T-1001");
    let form = "section.conversation.shown form.missed-form";
    browser.script(&format!(
        "document.querySelector(\"{form} select.missed-rule\").value = 'no-excuses';"
    ));
    browser.type_into(
        &browser.find(&format!("{form} input.missed-message")),
        "<b>blamed the courier</b>",
    );
    browser.click(&browser.find(&format!("{form} button.add-missed")));
    let missed = browser.text(&browser.find("section.conversation.shown ul.missed-list"));
    assert!(
        missed.contains("Missed violation of no-excuses: <b>blamed the courier</b>"),
        "the message is shown as text, not markup: {missed}"
    );
    browser.click(&browser.find("section.conversation.shown button.agree-rest"));
    for id in ["T-1003", "chat"] {
        open_conversation(&browser, id);
        browser.click(&browser.find("section.conversation.shown button.agree-rest"));
    }
    let count = browser.text(&browser.find("#review-count"));
    assert_eq!(
        count, "55 verdicts reviewed, 1 missed violation added",
        "4 conversations × 14 rules, one of them the missed violation"
    );
    browser.click(&browser.find("#export"));
    let exported = browser.wait_for_file(&downloads.join("reviews.csv"));
    browser.screenshot(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-review.png"));

    // The export: one row per verdict, in the shape --compare reads.
    let lines: Vec<&str> = exported.lines().collect();
    assert_eq!(
        lines[0],
        "reviewer,conversation,rule,verdict,tact,review,comment"
    );
    assert_eq!(lines.len(), 1 + 56, "{exported}");
    assert!(
        lines.contains(
            &"ana,T-1002,not-defensive,pass,fail,overturn,\"'=sounds fine, \"\"really\"\"\""
        ),
        "the overturn, its comment quoted and kept from running as a formula: {exported}"
    );
    assert!(
        lines.contains(&"ana,T-1001,no-excuses,fail,pass,missed,<b>blamed the courier</b>"),
        "{exported}"
    );

    // What the reviewer said, worked out from tact's verdicts and the two changes.
    let tact_says = tact_verdicts();
    let reviewer_fails =
        |(id, rule): &(String, String), verdict: &str| match (id.as_str(), rule.as_str()) {
            ("T-1002", "not-defensive") => false,
            ("T-1001", "no-excuses") => true,
            _ => verdict == "fail",
        };
    let pairs_of = |only: Option<&str>| -> Vec<(bool, bool)> {
        tact_says
            .iter()
            .filter(|((_, rule), _)| only.is_none_or(|o| o == rule))
            .map(|(k, v)| (v == "fail", reviewer_fails(k, v)))
            .collect()
    };
    let csv = dir.path().join("reviews.csv");
    std::fs::write(&csv, &exported).unwrap();
    let mut args = vec![
        "score",
        "--format",
        "json",
        "--compare",
        csv.to_str().unwrap(),
    ];
    args.extend(INPUTS);
    let out = tact(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = json["agreement"]["rules"].as_array().unwrap();
    for rule in ["not-defensive", "no-excuses"] {
        let got = rules.iter().find(|r| r["rule"] == rule).unwrap();
        let by_hand = kappa_by_hand(&pairs_of(Some(rule)));
        assert!((by_hand - 0.5).abs() < 1e-9, "{rule}: {by_hand}");
        assert!(
            (got["kappa"].as_f64().unwrap() - by_hand).abs() < 1e-9,
            "{rule}: {got}"
        );
        assert_eq!(got["compared"], 4);
    }
    let disagreements = json["agreement"]["disagreements"].as_array().unwrap();
    assert_eq!(disagreements.len(), 2, "{disagreements:?}");
    drop(browser);

    // Imported into a fresh profile, the export shows the same review.
    let browser = Browser::start(
        &chromium,
        &driver,
        &dir.path().join("profile-2"),
        &downloads,
    );
    browser.open(&format!("file://{}", report.display()));
    browser.type_into(&browser.find("#import"), csv.to_str().unwrap());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !browser
        .text(&browser.find("#review-count"))
        .contains("imported")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the import did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let count = browser.text(&browser.find("#review-count"));
    assert!(
        count.starts_with("55 verdicts reviewed, 1 missed violation added (imported 56 rows)"),
        "{count}"
    );
    assert_eq!(
        browser.script("return document.getElementById('reviewer').value;"),
        "ana"
    );
    open_conversation(&browser, "T-1002");
    let comment = browser.script(
        "return document.querySelector(\"section.conversation.shown tr[data-rule='not-defensive'] input.comment\").value;",
    );
    assert_eq!(comment, "=sounds fine, \"really\"");
}
