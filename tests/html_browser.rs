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

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use base64::Engine as _;
use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// A ChromeDriver process and one browser session, both ended on drop.
struct Browser {
    driver: Child,
    base: String,
    session: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    fn start(chromium: &Path, driver: &Path, profile: &Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Process::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not come up");
            sleep(Duration::from_millis(100));
        }
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,1400".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args}
        }}});
        let mut response = ureq::post(&format!("{base}/session"))
            .send_json(&capabilities)
            .expect("a browser session starts");
        let value: Value = response.body_mut().read_json().unwrap();
        let session = value["value"]["sessionId"].as_str().unwrap().to_string();
        Browser {
            driver: child,
            base,
            session,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.session)
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let mut response = ureq::post(&self.url(path))
            .send_json(&body)
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        response.body_mut().read_json::<Value>().unwrap()["value"].take()
    }

    fn get(&self, path: &str) -> Value {
        let mut response = ureq::get(&self.url(path))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        response.body_mut().read_json::<Value>().unwrap()["value"].take()
    }

    fn open(&self, url: &str) {
        self.post("/url", json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let found = self.post("/element", json!({"using": "css selector", "value": css}));
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let found = self.post("/elements", json!({"using": "css selector", "value": css}));
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    /// The text a user sees in the element (empty when it is hidden).
    fn text(&self, element: &str) -> String {
        self.get(&format!("/element/{element}/text"))
            .as_str()
            .unwrap()
            .to_string()
    }

    fn displayed(&self, element: &str) -> bool {
        self.get(&format!("/element/{element}/displayed"))
            .as_bool()
            .unwrap()
    }

    fn click(&self, element: &str) {
        self.post(&format!("/element/{element}/click"), json!({}));
    }

    fn script(&self, code: &str) -> Value {
        self.post("/execute/sync", json!({"script": code, "args": []}))
    }

    fn screenshot(&self, to: &Path) {
        let data = self.get("/screenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap())
            .unwrap();
        std::fs::write(to, png).unwrap();
    }
}

#[test]
fn the_report_shows_who_needs_coaching_and_why_in_a_real_browser() {
    let required = std::env::var_os("TACT_REQUIRE_BROWSER").is_some_and(|v| v == "1");
    let (Some(chromium), Some(driver)) = (
        find_program(&["chromium", "chromium-browser"]),
        find_program(&["chromedriver"]),
    ) else {
        assert!(
            !required,
            "chromium and chromedriver are required (TACT_REQUIRE_BROWSER=1)"
        );
        eprintln!("SKIPPED: chromium or chromedriver not installed; the browser test did not run");
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

    let browser = Browser::start(&chromium, &driver, &dir.path().join("profile"));
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
    let section = browser.find("section.conversation:target");
    let shown = browser.text(&section);
    assert!(shown.contains("Conversation T-1002"), "{shown}");
    assert!(
        shown.contains("The critical rule never-say-wrong failed, so the score is 0."),
        "{shown}"
    );
    let mark = browser.find("section.conversation:target mark[data-rule='never-say-wrong']");
    assert!(browser.displayed(&mark));
    assert_eq!(browser.text(&mark), "You’re wrong");
    let card =
        browser.find("section.conversation:target aside.finding[data-rule='never-say-wrong']");
    let card_text = browser.text(&card);
    assert!(
        card_text.contains("The agent told the customer they were wrong."),
        "{card_text}"
    );
    assert!(
        card_text.contains("Suggested phrasing: I can see how that happened"),
        "{card_text}"
    );
    // The scorecard says what each failure cost.
    let scorecard = browser.text(&browser.find("section.conversation:target table.scorecard"));
    assert!(
        scorecard.contains("never-say-wrong critical fail 10 −26.0"),
        "{scorecard}"
    );
    browser.screenshot(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-conversation.png"));

    // And back.
    browser.click(&browser.find("section.conversation:target a.back"));
    assert!(browser.displayed(&browser.find("#overview")));
}
