//! The learned remedy reader in tact scores every sentence as the script that trained it does:
//! the script's own code (`eval/scripts/train_remedy_reader.py`) reads the embedded weights and
//! scores the same messages, and `tact analyze` must print the same sentences and margins.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::process::Command;

/// Messages with the tokenizer's hard parts, and agent messages of the test split.
fn messages() -> Vec<String> {
    let mut out: Vec<String> = [
        "I\u{2019}ve REFUNDED it, it's done. Thanks!!",
        "Sorry... we've sent it to help.example.com for $18.99.\nAnything else?",
        "rock'n'roll isn't it's'll 90's \u{2018}quoted\u{2019} don\u{2019}t",
        "Caf\u{e9} na\u{ef}ve \u{130}stanbul \u{212a}elvin \u{fb01}le \u{2028}line\r\nnext",
        "!?... ",
        "\u{1f600} emoji first. Then words \u{1f44d}",
        "https://support.example.com/en-us/article/123?x=1. Please try the steps there",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    let split = std::fs::read_to_string("eval/test/conversations.jsonl").unwrap();
    for line in split.lines().step_by(40) {
        let conversation: serde_json::Value = serde_json::from_str(line).unwrap();
        for event in conversation["events"].as_array().unwrap() {
            if event["from"] == "agent" {
                if let Some(text) = event["text"].as_str() {
                    out.push(text.to_string());
                }
            }
        }
    }
    out
}

const SCRIPT: &str = r##"
import json, sys
sys.path.insert(0, "eval/scripts")
import train_remedy_reader as T
weights, bias, threshold = {}, 0, 0
for line in open("src/analysis/remedies.tsv", encoding="utf-8"):
    if line.startswith("#"):
        continue
    left, right = line.rstrip("\n").split("\t")
    if left == "threshold":
        threshold = int(right)
    elif left == "bias":
        bias = int(right)
    else:
        weights[right] = int(left)
for text in json.load(sys.stdin):
    conv = {"events": [{"from": "agent", "type": "message", "text": text}]}
    print(json.dumps([bias + sum(weights.get(g, 0) for g in T.features(s)) - threshold
                      for _, _, _, s in T.agent_sentences(conv)]))
"##;

#[test]
fn tact_scores_every_sentence_as_the_training_script_does() {
    let messages = messages();
    assert!(messages.len() > 40, "{} messages", messages.len());
    let mut python = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs the training script's code");
    {
        use std::io::Write;
        let mut stdin = python.stdin.take().unwrap();
        stdin
            .write_all(serde_json::to_string(&messages).unwrap().as_bytes())
            .unwrap();
    }
    let output = python.wait_with_output().unwrap();
    assert!(output.status.success());
    let expected: Vec<Vec<f64>> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(expected.len(), messages.len());
    let mut sentences = 0;
    for (text, want) in messages.iter().zip(&expected) {
        let out = Command::new(env!("CARGO_BIN_EXE_tact"))
            .args(["analyze", text])
            .output()
            .unwrap();
        assert!(out.status.success());
        let got: Vec<f64> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("remedy reader | "))
            .map(|l| {
                let score = l.rsplit_once(" (").unwrap().0.rsplit_once("  ").unwrap().1;
                score.parse::<f64>().unwrap() * 1000.0
            })
            .collect();
        assert_eq!(got.len(), want.len(), "sentences of {text:?}");
        for (g, w) in got.iter().zip(want) {
            // tact prints logits to one decimal.
            assert!(
                (g - w).abs() <= 50.0 + 1e-6,
                "{text:?}: tact {g}, script {w}"
            );
        }
        sentences += got.len();
    }
    assert!(sentences > 100, "{sentences} sentences compared");
}
