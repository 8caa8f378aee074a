//! Policy errors: each test checks the message, the line:col and the underlined text together.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use tact::dsl::{parse_policy, PolicyError, PolicySource};

fn errors(text: &str) -> Vec<PolicyError> {
    let source = PolicySource {
        path: "p.policy".into(),
        text: text.into(),
    };
    match parse_policy(&[source]) {
        Ok(_) => panic!("expected errors for:\n{text}"),
        Err(errors) => errors,
    }
}

/// Asserts one error says `message` at `line:col` and underlines `underlined`.
fn expect_error(text: &str, message: &str, line: usize, col: usize, underlined: &str) {
    let errors = errors(text);
    let e = errors
        .iter()
        .find(|e| e.message.contains(message))
        .unwrap_or_else(|| panic!("no error saying {message:?} in {errors:#?}"));
    assert_eq!((e.line, e.col), (line, col), "{e}");
    let rendered = e.to_string();
    assert!(
        rendered.contains(&format!("p.policy:{line}:{col}")),
        "{rendered}"
    );
    let source_line = text.lines().nth(line - 1).unwrap_or("");
    assert_eq!(
        &source_line[col - 1..col - 1 + underlined.len()],
        underlined
    );
    assert!(
        rendered.contains(source_line.trim_end()),
        "the line is shown: {rendered}"
    );
    assert!(rendered.contains('^'), "a caret is shown: {rendered}");
}

const SETS: &str = "phrases apology \"sorry\"\n";

#[test]
fn bad_severity_names_the_expected_words() {
    let text = format!("{SETS}rule r\n  severity fatal\n  forbid agent says apology\n");
    expect_error(
        &text,
        "expected `error`, `warning` or `info`",
        3,
        12,
        "fatal",
    );
}

#[test]
fn unterminated_string() {
    let text = "phrases apology \"sorry\nrule r forbid agent says apology\n";
    let errs = errors(text);
    assert_eq!((errs[0].line, errs[0].col), (1, 17), "{}", errs[0]);
}

#[test]
fn unknown_clause_keyword() {
    let text = format!("{SETS}rule r\n  forbids agent says apology\n");
    let errs = errors(&text);
    assert_eq!((errs[0].line, errs[0].col), (3, 3), "{}", errs[0]);
    assert!(errs[0].message.contains("`forbid`"), "{}", errs[0]);
}

#[test]
fn unknown_phrase_set_suggests_the_closest() {
    let text = format!("{SETS}rule r\n  forbid agent says apolgy\n");
    expect_error(&text, "unknown phrase set `apolgy`", 3, 21, "apolgy");
    let e = errors(&text).remove(0);
    assert_eq!(e.help.as_deref(), Some("did you mean `apology`?"));
}

#[test]
fn duplicate_rule_id_and_set_name() {
    let text =
        format!("{SETS}{SETS}rule r forbid agent says apology\nrule r forbid agent says apology\n");
    expect_error(
        &text,
        "the phrase set `apology` is defined twice",
        2,
        9,
        "apology",
    );
    expect_error(&text, "the rule id `r` is used twice", 4, 6, "r");
}

#[test]
fn bad_durations() {
    let text =
        format!("{SETS}rule r\n  require first agent message within 0 hours of event created\n");
    expect_error(&text, "bad duration", 3, 38, "0 hours");
    let text = format!(
        "{SETS}rule r\n  require first agent message within 99999999999999999999 days of event created\n"
    );
    expect_error(&text, "bad duration", 3, 38, "99999999999999999999 days");
}

#[test]
fn bad_regex() {
    let text = "phrases s /(unclosed/\nrule r forbid agent says s\n";
    expect_error(text, "bad regex", 1, 11, "/(unclosed/");
}

#[test]
fn regex_matching_everything_is_refused() {
    let text = "phrases s /x*/\nrule r forbid agent says s\n";
    expect_error(text, "matches the empty text", 1, 11, "/x*/");
}

#[test]
fn include_cycle() {
    let text = "phrases a include b\nphrases b include a\nrule r forbid agent says a\n";
    expect_error(text, "the phrase set `a` includes itself", 1, 9, "a");
}

#[test]
fn a_count_outside_a_condition() {
    let text = format!("{SETS}rule r forbid agent says at least 2 apology\n");
    expect_error(
        &text,
        "a count (`at least N`) only makes sense in a condition",
        2,
        15,
        "agent says at least 2 apology",
    );
}

#[test]
fn a_rule_that_checks_nothing() {
    let text = format!("{SETS}rule r\n  severity info\n");
    expect_error(&text, "the rule `r` checks nothing", 2, 6, "r");
}

#[test]
fn two_checks_in_one_rule() {
    let text = format!("{SETS}rule r\n  forbid agent says apology\n  require agent says apology\n");
    expect_error(
        &text,
        "a rule has one `forbid` or `require`",
        4,
        3,
        "require",
    );
}

#[test]
fn every_broken_item_is_reported_not_just_the_first() {
    let text = format!(
        "{SETS}rule a\n  severity fatal\n  forbid agent says apology\n\nrule b\n  forbid agent sez apology\n\nrule c forbid agent says nope\n"
    );
    let errs = errors(&text);
    let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 7, 9], "{errs:#?}");
}

#[test]
fn the_language_reads_as_documented() {
    let text = r#"
# comment
PHRASES apology: "sorry", "apologi*", /we regret/ but not "not sorry"
phrases solution
  refund: /refund\w*/ => "a refund", refund: "money back"
  replacement: "replacement"
phrases choice "would you prefer"
rule two-options:
  title "Offer two options"
  severity WARNING
  source "003_45b63c0ed025e671.txt" "5. Offer alternatives."
  when agent says solution and not (tagged vip or channel is phone)
  require agent says at least 2 distinct solution or agent says choice
rule timely
  require last agent message within 2 days of event created else first customer message
rule ordered
  require agent says apology before agent says solution
"#;
    let source = PolicySource {
        path: "p.policy".into(),
        text: text.into(),
    };
    let policy = parse_policy(&[source]).unwrap_or_else(|e| panic!("{}", e[0]));
    assert_eq!(policy.rules.len(), 3);
    assert_eq!(policy.phrase_sets.len(), 3);
    tact::engine::Engine::new(&policy).expect("compiles");
}

#[test]
fn the_engine_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<tact::engine::Engine>();
}

#[test]
fn an_example_needs_fires_or_passes() {
    let text = format!("{SETS}rule r\n  forbid agent says apology\n  example maybe \"sorry\"\n");
    expect_error(&text, "expected `fires` or `passes`", 4, 11, "maybe");
}
