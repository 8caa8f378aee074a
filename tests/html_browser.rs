//! The HTML report in a real browser: Debian's headless Chromium, driven through ChromeDriver's
//! WebDriver protocol. It opens the page offline, reads what is shown, sorts a table, clicks into
//! a conversation and finds the violation marked in the chat with its suggestion beside it.
//!
//! Without `chromium` and `chromedriver` on the machine the test says so and passes, unless
//! `TACT_REQUIRE_BROWSER=1` (set by `.ci/run`, which installs them), where it fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    reason = "a test fails loudly on what it did not expect, and says when it is skipped"
)]

use std::path::Path;

use assert_cmd::Command;

#[path = "support/browser.rs"]
mod browser;

use browser::Browser;

#[test]
fn the_report_shows_who_needs_coaching_and_why_in_a_real_browser() {
    let Some((chromium, driver)) = browser::programs() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    Command::cargo_bin("tact")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "score",
            "examples/complaints.jsonl",
            "examples/chat.txt",
            "--format",
            "html",
            "-o",
        ])
        .arg(&report)
        .args(["--compare", "tests/fixtures/reviews/examples.csv"])
        .assert()
        .code(0);

    let browser = Browser::start(&chromium, &driver, &dir.path().join("profile"), dir.path());
    browser.open(&format!("file://{}", report.display()));

    // The overview: totals, four charts drawn, the agents' table.
    let tiles = browser.text(&browser.find(".tiles"));
    assert!(tiles.contains("4\nconversations"), "{tiles}");
    // T-1003's "have you tried turning it off and on again?" is a (reflex) fix for the crash,
    // so the rules that apply once a solution is offered judge it too (judging.md).
    assert!(tiles.contains("58.6\nmean score"), "{tiles}");
    let charts = browser.find_all("figure.chart svg");
    assert_eq!(charts.len(), 4);
    for chart in &charts {
        assert!(browser.displayed(chart));
    }
    // The charts have real size on the page (drawn, not collapsed).
    let heights = browser.script(
        "return Array.from(document.querySelectorAll('figure.chart svg')).map(s => s.getBoundingClientRect().height);",
    );
    for h in heights.as_array().unwrap() {
        assert!(h.as_f64().unwrap() > 40.0, "{heights}");
    }
    let agent_bars = browser.text(&browser.find_all("figure.chart")[1]);
    assert!(
        agent_bars.starts_with("Mean score per agent"),
        "{agent_bars}"
    );
    assert!(agent_bars.contains("sam"), "{agent_bars}");
    let agreement = browser.text(&browser.find("#agreement"));
    assert!(
        agreement.contains("never-say-wrong 3 1 0 1 1 1.00 0.50 0.40"),
        "{agreement}"
    );

    // The built-in rules carry their measured precision and recall.
    let rules_head = browser.text(&browser.find("#rules thead"));
    assert!(rules_head.contains("Measured precision"), "{rules_head}");

    // Sorting: the score column, lowest first, then highest first.
    let first_score = || {
        let row = browser.find("#conversations tbody tr:first-child td:nth-child(5)");
        browser.text(&row)
    };
    let score_header = browser.find("#conversations thead th:nth-child(5)");
    browser.click(&score_header);
    assert_eq!(first_score(), "0.0");
    browser.click(&score_header);
    assert_eq!(first_score(), "100.0");
    browser.screenshot(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-overview.png"));

    // Into the conversation that lost every point.
    let links = browser.find_all("#conversations a");
    let t1002 = links
        .iter()
        .find(|l| browser.text(l) == "T-1002")
        .expect("a link to T-1002")
        .clone();
    browser.click(&t1002);
    let overview = browser.find("#overview");
    assert!(!browser.displayed(&overview), "the overview hides");
    let section = browser.find("section.conversation.shown");
    let shown = browser.text(&section);
    assert!(shown.contains("Conversation T-1002"), "{shown}");
    assert!(
        shown.contains("The critical rule never-say-wrong failed, so the score is 0."),
        "{shown}"
    );
    let mark = browser.find("section.conversation.shown mark[data-rule='never-say-wrong']");
    assert!(browser.displayed(&mark));
    assert_eq!(browser.text(&mark), "You’re wrong");
    let card =
        browser.find("section.conversation.shown aside.finding[data-rule='never-say-wrong']");
    let card_text = browser.text(&card);
    assert!(
        card_text.contains("The agent told the customer they were wrong."),
        "{card_text}"
    );
    assert!(
        card_text.contains("Suggested phrasing: I can see how that happened"),
        "{card_text}"
    );
    // The scorecard says what each failure cost, with each rule's title in words.
    let scorecard = browser.text(&browser.find("section.conversation.shown table.scorecard"));
    assert!(
        scorecard.contains(
            "never-say-wrong critical\nNever tell the customer they are wrong\nViolation 10 −26.0"
        ),
        "{scorecard}"
    );
    browser.screenshot(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-conversation.png"));

    // And back.
    browser.click(&browser.find("section.conversation.shown a.back"));
    assert!(browser.displayed(&browser.find("#overview")));
}

#[test]
fn the_conversation_table_is_searched_and_paged_in_a_real_browser() {
    table_is_searched_and_paged(false);
}

/// The same in the folder form (`--html-dir`), where the table is drawn from data and each
/// conversation is loaded from its chunk file (three here) when opened.
#[test]
fn the_folder_forms_table_is_searched_sorted_and_paged_and_opens_from_chunks() {
    table_is_searched_and_paged(true);
}

fn table_is_searched_and_paged(folder: bool) {
    let Some((chromium, driver)) = browser::programs() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input: String = (0..250)
        .map(|i| {
            format!(
                "{{\"id\": \"conv-{i:03}\", \"agent\": \"{}\", \"events\": [{{\"from\": \"customer\", \"text\": \"Order {i} never came.\"}}, {{\"from\": \"agent\", \"text\": \"I'm sorry; a replacement ships today.\"}}]}}\n",
                if i % 10 == 0 { "zoe" } else { "max" }
            )
        })
        .collect();
    let (report, args) = if folder {
        let dir = dir.path().join("report");
        (dir.join("index.html"), ["--html-dir".into(), dir])
    } else {
        let page = dir.path().join("report.html");
        (page.clone(), ["-o".into(), page])
    };
    Command::cargo_bin("tact")
        .unwrap()
        .args(["score", "-", "--format", "html"])
        .args(args)
        .write_stdin(input)
        .assert()
        .code(0);
    let browser = Browser::start(&chromium, &driver, &dir.path().join("profile"), dir.path());
    browser.open(&format!("file://{}", report.display()));
    let status = || browser.text(&browser.find(".page-status"));
    let shown = || {
        browser
            .script("return Array.from(document.querySelectorAll('#conversations tbody tr')).filter(r => !r.hidden).length;")
            .as_u64()
            .unwrap()
    };
    assert_eq!(status(), "1–100 of 250");
    assert_eq!(shown(), 100);
    let next = browser.find_all(".table-tools button")[1].clone();
    browser.click(&next);
    browser.click(&next);
    assert_eq!(status(), "201–250 of 250");
    assert_eq!(shown(), 50);
    // Searching an agent's name finds their 25 conversations, from the first page.
    browser.type_into(&browser.find(".table-tools input[type=search]"), "zoe");
    assert_eq!(status(), "1–25 of 25 matching (250 in all)");
    assert_eq!(shown(), 25);
    let first = browser.text(&browser.find("#conversations tbody tr:not([hidden]) td"));
    assert_eq!(first, "conv-000");
    if !folder {
        return;
    }
    // Sorted by conversation, last first; then open the last, whose section is in chunk 2.
    browser.type_into(
        &browser.find(".table-tools input[type=search]"),
        "\u{8}\u{8}\u{8}",
    );
    assert_eq!(status(), "1–100 of 250");
    let header = browser.find("#conversations thead th:nth-child(1)");
    browser.click(&header);
    browser.click(&header);
    let first = browser.find("#conversations tbody tr td a");
    assert_eq!(browser.text(&first), "conv-249");
    browser.click(&first);
    browser.wait_until(
        "var s = document.querySelector('section.conversation.shown'); return !!s && s.getAttribute('data-conversation') === 'conv-249';",
    );
    let shown = browser.text(&browser.find("section.conversation.shown"));
    assert!(shown.contains("Order 249 never came."), "{shown}");
    let loaded = browser.script(
        "return Array.from(document.querySelectorAll('script[src]')).map(s => s.getAttribute('src'));",
    );
    assert_eq!(loaded, serde_json::json!(["chunks/2.js"]), "only its chunk");
}
