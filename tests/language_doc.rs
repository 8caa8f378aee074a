//! docs/language.md stays true: every ```policy block parses, compiles and passes its examples.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use tact::dsl::{parse_policy, PolicySource};
use tact::engine::Engine;
use tact::examples::run_examples;

fn policy_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in markdown.lines().enumerate() {
        match &mut current {
            None if line.trim() == "```policy" => current = Some((n + 2, String::new())),
            Some(_) if line.trim() == "```" => blocks.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn every_policy_block_in_the_language_reference_works() {
    let doc = std::fs::read_to_string("docs/language.md").expect("docs/language.md");
    let blocks = policy_blocks(&doc);
    assert!(
        blocks.len() >= 8,
        "the reference shows its constructs ({} blocks)",
        blocks.len()
    );
    let mut examples = 0;
    for (line, text) in blocks {
        let source = PolicySource {
            path: format!("docs/language.md:{line}"),
            text,
        };
        let once = tact::dsl::format::format_policy(&source.path, &source.text)
            .unwrap_or_else(|e| panic!("block at line {line}: {}", e[0]));
        let twice = tact::dsl::format::format_policy(&source.path, &once).unwrap_or_default();
        assert_eq!(once, twice, "fmt is idempotent on the block at line {line}");
        let policy =
            parse_policy(&[source]).unwrap_or_else(|e| panic!("block at line {line}: {}", e[0]));
        let engine = Engine::new(&policy).unwrap_or_else(|e| panic!("block at line {line}: {e}"));
        for result in run_examples(&engine) {
            examples += 1;
            assert!(result.passed(), "block at line {line}: {result:#?}");
        }
    }
    assert!(
        examples >= 20,
        "the reference's blocks carry examples ({examples})"
    );
}

#[test]
fn the_builtin_rules_are_in_canonical_layout_and_stay_so() {
    for source in tact::dsl::builtin_sources() {
        let formatted = tact::dsl::format::format_policy(&source.path, &source.text).unwrap();
        assert_eq!(
            formatted, source.text,
            "{} is not formatted (run `tact policy fmt rules`)",
            source.path
        );
    }
}

/// `after` and `unless` take alternatives joined by `or`: any one of them will do, a set named
/// only in a later alternative counts as used, and the layout is kept however it was split.
#[test]
fn after_and_unless_take_alternatives() {
    let text = "phrases hi \"hello\"\nphrases busy \"we are busy\"\nphrases can \"but i can\"\n\
        phrases other \"here is another way\"\n\n\
        rule after-either\n  forbid agent says busy after agent says hi or agent apologizes in the next sentence\n\
        \x20 example fires  \"agent: Sorry. We are busy.\"\n\
        \x20 example fires  \"agent: Hello. We are busy.\"\n\
        \x20 example passes \"agent: We are busy. Hello.\"\n\
        \x20 example passes \"agent: Thanks. We are busy.\"\n\n\
        rule unless-either\n  forbid agent refuses unless agent says can\n    or agent says other in the same message\n\
        \x20 example fires  \"agent: We can't refund it.\"\n\
        \x20 example passes \"agent: We can't refund it. Here is another way: an exchange.\"\n";
    let source = PolicySource {
        path: "alternatives.policy".into(),
        text: text.into(),
    };
    let once = tact::dsl::format::format_policy(&source.path, &source.text).unwrap();
    assert!(
        once.contains("unless agent says can or agent says other in the same message"),
        "{once}"
    );
    let twice = tact::dsl::format::format_policy(&source.path, &once).unwrap();
    assert_eq!(once, twice);
    let policy = parse_policy(&[source]).unwrap();
    assert!(
        policy.warnings.iter().all(|w| !w.message.contains("other")),
        "a set named only in a later alternative is used: {:?}",
        policy.warnings
    );
    let engine = Engine::new(&policy).unwrap();
    let results = run_examples(&engine);
    assert_eq!(results.len(), 6);
    for result in results {
        assert!(result.passed(), "{result:#?}");
    }
}
