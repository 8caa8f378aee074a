//! A real browser for the HTML report's tests: Debian's headless Chromium driven through
//! ChromeDriver's WebDriver protocol (over `ureq`). Shared by `html_browser.rs` and
//! `html_review.rs`.

#![allow(
    dead_code,
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

use base64::Engine as _;
use serde_json::{json, Value};

/// Chromium and ChromeDriver, when both are installed. Without them the test is skipped with a
/// note, unless `TACT_REQUIRE_BROWSER=1` (set by `.ci/run`), where it fails.
pub fn programs() -> Option<(PathBuf, PathBuf)> {
    let required = std::env::var_os("TACT_REQUIRE_BROWSER").is_some_and(|v| v == "1");
    let found =
        find_program(&["chromium", "chromium-browser"]).zip(find_program(&["chromedriver"]));
    if found.is_none() {
        assert!(
            !required,
            "chromium and chromedriver are required (TACT_REQUIRE_BROWSER=1)"
        );
        eprintln!("SKIPPED: chromium or chromedriver not installed; the browser test did not run");
    }
    found
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// A ChromeDriver process and one browser session, both ended on drop.
pub struct Browser {
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
    /// Starts a browser with its profile in `profile`; files it downloads go to `downloads`.
    pub fn start(chromium: &Path, driver: &Path, profile: &Path, downloads: &Path) -> Browser {
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
            "goog:chromeOptions": {
                "binary": chromium,
                "args": args,
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false
                }
            }
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

    pub fn post(&self, path: &str, body: Value) -> Value {
        let mut response = ureq::post(&self.url(path))
            .send_json(&body)
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        response.body_mut().read_json::<Value>().unwrap()["value"].take()
    }

    pub fn get(&self, path: &str) -> Value {
        let mut response = ureq::get(&self.url(path))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        response.body_mut().read_json::<Value>().unwrap()["value"].take()
    }

    pub fn open(&self, url: &str) {
        self.post("/url", json!({ "url": url }));
    }

    pub fn find(&self, css: &str) -> String {
        let found = self.post("/element", json!({"using": "css selector", "value": css}));
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    pub fn find_all(&self, css: &str) -> Vec<String> {
        let found = self.post("/elements", json!({"using": "css selector", "value": css}));
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    /// The text a user sees in the element (empty when it is hidden).
    pub fn text(&self, element: &str) -> String {
        self.get(&format!("/element/{element}/text"))
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn displayed(&self, element: &str) -> bool {
        self.get(&format!("/element/{element}/displayed"))
            .as_bool()
            .unwrap()
    }

    pub fn click(&self, element: &str) {
        self.post(&format!("/element/{element}/click"), json!({}));
    }

    pub fn script(&self, code: &str) -> Value {
        self.post("/execute/sync", json!({"script": code, "args": []}))
    }

    pub fn screenshot(&self, to: &Path) {
        let data = self.get("/screenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap())
            .unwrap();
        std::fs::write(to, png).unwrap();
    }

    /// Types `text` into a field.
    pub fn type_into(&self, element: &str, text: &str) {
        self.post(
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        );
    }

    /// Waits up to 20 s for `path` to exist with content, and returns it.
    pub fn wait_for_file(&self, path: &Path) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(text) = std::fs::read_to_string(path) {
                if !text.is_empty() {
                    return text;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{} never appeared",
                path.display()
            );
            sleep(Duration::from_millis(100));
        }
    }
}

impl Browser {
    /// Waits up to 10 s for the script `condition` to return true.
    pub fn wait_until(&self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.script(condition) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "never true: {condition}");
            sleep(Duration::from_millis(50));
        }
    }

    /// Shows the section the URL fragment names, as following a link to it would.
    pub fn open_hash(&self, fragment: &str) {
        self.script(&format!(
            "location.hash = {};",
            serde_json::to_string(fragment).unwrap()
        ));
    }
}
