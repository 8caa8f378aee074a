//! No input, however malformed, may cause a panic; spans always fall on character boundaries.
//! Inputs are mutated deterministically (a fixed-seed xorshift), so failures reproduce.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use tact::conversation::Conversation;
use tact::dsl::{parse_policy, PolicySource};
use tact::engine::Engine;
use tact::input::{read_bytes, Format};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const NASTY: &[&str] = &[
    "\u{0130}",
    "\u{1F600}",
    "\u{2019}",
    "\u{201C}",
    "\u{00A0}",
    "\u{200B}",
    "e\u{0301}",
    "\u{FEFF}",
    "\\",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\n",
    "\r\n",
    "\t",
    "\u{0000}",
    "ß",
    "ﬁ",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] = rng.next() as u8;
            }
            1 => bytes.truncate(at),
            2 => {
                let piece = NASTY[rng.below(NASTY.len())].as_bytes();
                bytes.splice(at..at, piece.iter().copied());
            }
            3 if !bytes.is_empty() => {
                let end = (at + rng.below(8)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            _ => {
                let from = rng.below(bytes.len());
                let piece: Vec<u8> = bytes[from..(from + 12).min(bytes.len())].to_vec();
                bytes.splice(at..at, piece);
            }
        }
    }
    bytes
}

fn check_all(engine: &Engine, conversations: &[Conversation]) {
    for c in conversations {
        let report = engine.check(c);
        for v in &report.violations {
            if let (Some(span), Some(e)) = (v.span, v.event) {
                let text = c.events[e].text.as_deref().unwrap_or("");
                assert!(span.start < span.end && span.end <= text.len());
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
        }
    }
}

#[test]
fn mutated_conversations_never_panic() {
    let engine = tact::builtin_engine().expect("built-in policy");
    let seeds: Vec<(Option<Format>, Vec<u8>)> = vec![
        (
            Some(Format::Jsonl),
            std::fs::read("examples/complaints.jsonl").expect("example"),
        ),
        (
            Some(Format::Transcript),
            std::fs::read("examples/chat.txt").expect("example"),
        ),
        (
            Some(Format::Yaml),
            std::fs::read("tests/fixtures/batch/ticket.yaml").expect("fixture"),
        ),
        (
            Some(Format::Json),
            std::fs::read("tests/fixtures/batch/array.json").expect("fixture"),
        ),
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut read = 0usize;
    for round in 0..1500 {
        let (format, seed) = &seeds[round % seeds.len()];
        let bytes = mutate(&mut rng, seed);
        let format = if round % 7 == 0 { None } else { *format };
        let mut conversations = Vec::new();
        read_bytes(
            "fuzz",
            "fuzz",
            format,
            &bytes,
            &Default::default(),
            &mut |r| {
                if let Ok(c) = r {
                    conversations.push(c);
                }
            },
        );
        read += conversations.len();
        check_all(&engine, &conversations);
    }
    assert!(
        read > 100,
        "the mutations should leave many records readable ({read})"
    );
}

#[test]
fn mutated_policies_never_panic() {
    let sources = tact::dsl::builtin_sources();
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut accepted = 0;
    for _ in 0..120 {
        let mutated: Vec<PolicySource> = sources
            .iter()
            .map(|s| PolicySource {
                path: s.path.clone(),
                text: String::from_utf8_lossy(&mutate(&mut rng, s.text.as_bytes())).into_owned(),
            })
            .collect();
        match parse_policy(&mutated) {
            Ok(policy) => {
                accepted += 1;
                let _ = Engine::new(&policy);
            }
            Err(errors) => {
                assert!(!errors.is_empty());
                for e in errors {
                    assert!(e.line >= 1 && e.col >= 1);
                    let _ = e.to_string();
                }
            }
        }
    }
    assert!(accepted < 120, "some mutations must be rejected");
}

#[test]
fn odd_unicode_in_messages_keeps_spans_on_boundaries() {
    let engine = tact::builtin_engine().expect("built-in policy");
    let texts = [
        "İİİ YOU\u{2019}RE   WRONG İ",
        "\u{1F600}\u{1F600} you are wrong \u{1F600}",
        "e\u{0301}e\u{0301} THAT\u{2019}S NOT TRUE",
        "ﬁne. Calm down.\u{00A0}\u{00A0}Calm\u{00A0}down",
        "",
        "   ",
    ];
    for text in texts {
        let value = serde_json::json!({"id": "u", "events": [{"from": "agent", "text": text}]});
        let c = tact::input::conversation_from_value(value, Default::default()).expect("valid");
        check_all(&engine, &[c]);
    }
}

#[test]
fn mutated_macro_libraries_never_panic_and_locations_stay_in_the_file() {
    use tact::macros::{fix::fix_file, LibraryKind, MacroFile};
    use tact::place::place_macro;
    let engine = tact::builtin_engine().expect("built-in policy");
    let seeds: Vec<(LibraryKind, Vec<u8>)> = vec![
        (
            LibraryKind::Yaml,
            std::fs::read("examples/macros/library.yaml").unwrap(),
        ),
        (
            LibraryKind::Json,
            std::fs::read("examples/macros/library.json").unwrap(),
        ),
        (
            LibraryKind::Zendesk,
            std::fs::read("examples/macros/zendesk-export.json").unwrap(),
        ),
        (
            LibraryKind::OneFile,
            std::fs::read("examples/macros/escalation.md").unwrap(),
        ),
    ];
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut macros_read = 0usize;
    for round in 0..1200 {
        let (kind, seed) = &seeds[round % seeds.len()];
        let bytes = mutate(&mut rng, seed);
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let (file, _) = MacroFile::read("fuzz", text, *kind);
        macros_read += file.macros.len();
        let mut reports = Vec::new();
        for index in 0..file.macros.len() {
            let conversation = file.macros[index].conversation(&file.path, file.line_of(index));
            let mut report = engine.check_macro(&conversation);
            place_macro(&file, index, &mut report);
            let lines = file.text.lines().count().max(1) + 1;
            for v in &report.violations {
                let at = &v.place.location;
                assert!(at.line >= 1 && at.line <= lines, "{at:?}");
                assert!(
                    (at.end_line, at.end_column) >= (at.line, at.column),
                    "{at:?}"
                );
            }
            reports.push(report);
        }
        // A fix either applies and reads back, or is refused; it never panics.
        let _ = fix_file(&file, &reports);
    }
    assert!(macros_read > 500, "{macros_read}");
}

/// Every range of a message analysis lies inside the text, on character boundaries.
fn check_analysis(text: &str, heard: &tact::analysis::Heard, event: usize) {
    let a = tact::analysis::analyze(text, heard, event);
    let inside = |(s, e): (usize, usize)| {
        s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
    };
    for &r in a.sentences.iter().chain(&a.echoes) {
        assert!(inside(r), "{r:?} in {text:?}");
    }
    for w in a.clauses.windows(2) {
        assert!(w[0].range.1 <= w[1].range.0, "clauses overlap in {text:?}");
    }
    for c in &a.clauses {
        assert!(inside(c.range), "{:?} in {text:?}", c.range);
        assert!(c.sentence < a.sentences.len().max(1), "{text:?}");
        for &(_, cue) in &c.cues {
            assert!(inside(cue), "{cue:?} in {text:?}");
        }
    }
}

/// The message analysis meets real text broken in the ways exports break it: characters
/// replaced, sentences cut mid-word, stray quotes and marks, runs copied from elsewhere.
#[test]
fn mutated_real_messages_keep_analysis_and_spans_in_bounds() {
    let engine = tact::builtin_engine().expect("built-in policy");
    let lines = std::fs::read_to_string("eval/test/conversations.jsonl").expect("eval set");
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut messages = 0usize;
    for line in lines.lines().step_by(2) {
        let mut value: serde_json::Value = serde_json::from_str(line).expect("eval record");
        let Some(events) = value["events"].as_array_mut() else {
            continue;
        };
        for event in events.iter_mut() {
            let Some(text) = event["text"].as_str() else {
                continue;
            };
            let bytes = mutate(&mut rng, text.as_bytes());
            event["text"] = String::from_utf8_lossy(&bytes).into_owned().into();
        }
        let Ok(c) = tact::input::conversation_from_value(value, Default::default()) else {
            continue;
        };
        let mut heard = tact::analysis::Heard::default();
        for (i, e) in c.events.iter().enumerate() {
            let text = e.text.as_deref().unwrap_or("");
            check_analysis(text, &heard, i);
            heard.add(i, text);
            messages += 1;
        }
        check_all(&engine, &[c]);
    }
    assert!(messages > 1000, "{messages}");
}
