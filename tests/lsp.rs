//! `tact lsp` driven over JSON-RPC as an editor drives it: the handshake, a document opened with
//! an error, its diagnostics, hover, definition, references, completion, formatting, shutdown.
//! Positions count UTF-16 units; the test documents put accented letters and emoji before the
//! cursor so a server counting bytes or characters would answer wrong.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// An editor's side of the connection.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for a response.
    notifications: Vec<Value>,
    root: String,
}

fn fixture_dir() -> PathBuf {
    std::fs::canonicalize(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp"))
        .unwrap()
}

fn uri(name: &str) -> String {
    format!("file://{}/{name}", fixture_dir().display())
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tact"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (send, incoming) = channel();
        std::thread::spawn(move || loop {
            let mut length = None;
            loop {
                let mut header = String::new();
                if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                    return;
                }
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                if let Some(n) = header.strip_prefix("Content-Length: ") {
                    length = n.parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.unwrap()];
            stdout.read_exact(&mut body).unwrap();
            if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        Client {
            child,
            stdin,
            incoming,
            next_id: 0,
            notifications: Vec::new(),
            root: format!("file://{}", fixture_dir().display()),
        }
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        self.incoming
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message;
            }
            self.notifications.push(message);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics_for(&mut self, uri: &str) -> Value {
        if let Some(at) = self.notifications.iter().position(|n| {
            n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
        }) {
            return self.notifications.remove(at);
        }
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// A message as the snapshot shows it: the fixture folder's path replaced.
    fn shown(&self, message: &Value) -> String {
        serde_json::to_string_pretty(message)
            .unwrap()
            .replace(&self.root, "file://[fixtures]")
    }

    fn initialize() -> Client {
        let mut client = Client::start();
        let response = client.request(
            "initialize",
            json!({"processId": null, "rootUri": client.root, "capabilities": {}}),
        );
        insta::assert_snapshot!("initialize", client.shown(&response));
        client.notify("initialized", json!({}));
        client
    }

    fn open(&mut self, name: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(name), "languageId": "tact-policy", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, name: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(name), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn shut_down(mut self) {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

/// The protocol position of the first byte of `needle` in `text` (after `skip` bytes): its
/// line, and its column counted in UTF-16 code units.
fn position(text: &str, needle: &str, skip: usize) -> Value {
    let at = skip + text[skip..].find(needle).unwrap();
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..at].encode_utf16().count();
    json!({"line": line, "character": character})
}

fn at(name: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri(name)}, "position": position})
}

/// The rules file as the editor holds it: a phrase set with accented letters and an emoji
/// before a misspelt `include`, and a rule using a set of the other file.
const WITH_ERROR: &str = "phrases extra \"café 🙂 déjà\" include blme\n\nrule never-blame\n  severity error\n  message \"The agent told the customer they were wrong.\"\n  forbid agent says blame\n";

/// The same, mended, with an example that does not do what it says.
const WITH_FAILING_EXAMPLE: &str = "phrases extra \"café 🙂 déjà\" include blame\n\nrule never-blame\n  severity error\n  message \"The agent told the customer they were wrong.\"\n  forbid agent says extra\n  example passes \"agent: 🙂 You're wrong.\"\n";

#[test]
fn an_editor_session() {
    let mut client = Client::initialize();
    client.open("policies/rules.policy", WITH_ERROR);

    // The error's range, in UTF-16 units after "é", "🙂" (two units) and "à".
    let published = client.diagnostics_for(&uri("policies/rules.policy"));
    let diagnostics = &published["params"]["diagnostics"];
    assert_eq!(diagnostics.as_array().unwrap().len(), 1, "{published}");
    let start = position(WITH_ERROR, "blme", 0);
    assert_eq!(start, json!({"line": 0, "character": 37}));
    assert_eq!(diagnostics[0]["range"]["start"], start);
    assert_eq!(
        diagnostics[0]["range"]["end"],
        json!({"line": 0, "character": 41})
    );
    assert_eq!(diagnostics[0]["code"], "P014");
    insta::assert_snapshot!("diagnostics_error", client.shown(&published));

    // Mended, with a failing example: a warning on the example's line.
    client.change("policies/rules.policy", 2, WITH_FAILING_EXAMPLE);
    let published = client.diagnostics_for(&uri("policies/rules.policy"));
    let diagnostics = &published["params"]["diagnostics"];
    assert_eq!(diagnostics.as_array().unwrap().len(), 1, "{published}");
    assert_eq!(diagnostics[0]["severity"], 2);
    assert_eq!(
        diagnostics[0]["range"]["start"],
        position(WITH_FAILING_EXAMPLE, "example passes", 0)
    );
    insta::assert_snapshot!("diagnostics_failing_example", client.shown(&published));

    // Hover on the rule id: what `tact explain` prints.
    let hover = client.request(
        "textDocument/hover",
        at(
            "policies/rules.policy",
            position(WITH_FAILING_EXAMPLE, "never-blame", 0),
        ),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.contains("never-blame (error)"), "{value}");
    assert!(value.contains("What it checks:"), "{value}");
    insta::assert_snapshot!("hover_rule", client.shown(&hover));

    // Hover on a phrase set used after non-ASCII text: its phrases, from the other file too.
    let hover = client.request(
        "textDocument/hover",
        at(
            "policies/rules.policy",
            position(WITH_FAILING_EXAMPLE, "blame", 30),
        ),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("phrases blame\n  \"you're wrong\""),
        "{value}"
    );
    insta::assert_snapshot!("hover_set", client.shown(&hover));

    // Hover on a keyword: its entry in docs/language.md.
    let hover = client.request(
        "textDocument/hover",
        at(
            "policies/rules.policy",
            position(WITH_FAILING_EXAMPLE, "forbid", 0),
        ),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("**`forbid`: never do this**"), "{value}");

    // Go to definition of `blame` (after "café 🙂 déjà"): in phrases.policy.
    let definition = client.request(
        "textDocument/definition",
        at(
            "policies/rules.policy",
            position(WITH_FAILING_EXAMPLE, "blame", 30),
        ),
    );
    assert_eq!(
        definition["result"][0]["uri"],
        uri("policies/phrases.policy")
    );
    insta::assert_snapshot!("definition", client.shown(&definition));

    // Find references of `extra`: its definition and the rule's use.
    let references = client.request(
        "textDocument/references",
        json!({
            "textDocument": {"uri": uri("policies/rules.policy")},
            "position": position(WITH_FAILING_EXAMPLE, "extra", 0),
            "context": {"includeDeclaration": true}
        }),
    );
    assert_eq!(references["result"].as_array().unwrap().len(), 2);
    insta::assert_snapshot!("references", client.shown(&references));

    // Completion after `severity `: the severities only.
    let completion = client.request(
        "textDocument/completion",
        at("policies/rules.policy", json!({"line": 3, "character": 11})),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["error", "warning", "info"]);
    // After `says `: the phrase sets of both files.
    let completion = client.request(
        "textDocument/completion",
        at(
            "policies/rules.policy",
            position(WITH_FAILING_EXAMPLE, "extra\n", 0),
        ),
    );
    insta::assert_snapshot!("completion_sets", client.shown(&completion));

    // Formatting: `tact policy fmt` as one edit of the whole document.
    let formatting = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri("policies/rules.policy")}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    insta::assert_snapshot!("formatting", client.shown(&formatting));

    // Closed: its diagnostics are cleared.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri("policies/rules.policy")}}),
    );
    let published = client.diagnostics_for(&uri("policies/rules.policy"));
    assert_eq!(published["params"]["diagnostics"], json!([]));

    // tact.yaml: the policy files a path names.
    let config = std::fs::read_to_string(fixture_dir().join("tact.yaml")).unwrap();
    client.open("tact.yaml", &config);
    let definition = client.request(
        "textDocument/definition",
        at("tact.yaml", position(&config, "policies/", 0)),
    );
    let targets: Vec<&str> = definition["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [uri("policies/phrases.policy"), uri("policies/rules.policy")]
    );

    client.shut_down();
}

#[test]
fn an_unknown_request_is_an_error_not_a_crash() {
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let response = client.request("workspace/symbol", json!({"query": "x"}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    // A position far outside a document that is not open: nothing, not a crash.
    let response = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.policy"}, "position": {"line": 99999, "character": 99999}}),
    );
    assert_eq!(response["result"], Value::Null, "{response}");
    // Malformed parameters: an error response.
    let response = client.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(response["error"]["code"], -32602, "{response}");
    client.shut_down();
}

/// An unsaved buffer the editor calls a policy is analysed though its name does not end in
/// `.policy`; in `tact.yaml`, `include:` is a key, not the policy keyword.
#[test]
fn unsaved_policies_are_analysed_and_tact_yaml_is_not_a_policy() {
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let untitled = "untitled:Untitled-1";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": untitled, "languageId": "tact-policy", "version": 1, "text": "rule r\n  message \"m\"\n  forbid agent says nothing\n"}}),
    );
    let published = client.diagnostics_for(untitled);
    assert_eq!(
        published["params"]["diagnostics"][0]["code"], "P014",
        "{published}"
    );

    let config = "include: [\"macros/**\"]\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri("tact.yaml"), "languageId": "yaml", "version": 1, "text": config}}),
    );
    let hover = client.request(
        "textDocument/hover",
        at("tact.yaml", json!({"line": 0, "character": 2})),
    );
    assert_eq!(hover["result"], Value::Null, "{hover}");
    client.shut_down();
}

/// Without a `tact.yaml` naming it, a document's policy is the `.policy` files of its folder:
/// a set defined beside it resolves; a file in a folder below is not read.
#[test]
fn a_document_is_read_with_the_policy_files_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(
        folder.join("sets.policy"),
        "phrases blame \"you're wrong\"\n",
    )
    .unwrap();
    std::fs::create_dir(folder.join("below")).unwrap();
    std::fs::write(folder.join("below/other.policy"), "phrases gone \"x\"\n").unwrap();
    let text = "rule r\n  message \"m\"\n  forbid agent says blame\n  when agent says gone\n";
    let document = format!("file://{}/rules.policy", folder.display());
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": document, "languageId": "tact-policy", "version": 1, "text": text}}),
    );
    let published = client.diagnostics_for(&document);
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    let messages: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("unknown phrase set `gone`"),
        "{messages:?}"
    );
    client.shut_down();
}
