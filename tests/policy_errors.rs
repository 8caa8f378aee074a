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

/// Asserts one error says `message` at `line:col`, underlines `underlined`, and has `code`.
fn expect_coded(text: &str, code: &str, message: &str, line: usize, col: usize, underlined: &str) {
    let e = errors(text)
        .into_iter()
        .find(|e| e.message.contains(message))
        .unwrap_or_else(|| panic!("no error saying {message:?}"));
    assert_eq!(e.code, code, "{e}");
    assert!(
        e.to_string().starts_with(&format!("error[{code}]: ")),
        "{e}"
    );
    expect_error(text, message, line, col, underlined);
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
    expect_coded(
        &text,
        "P001",
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
    expect_coded(
        &text,
        "P014",
        "unknown phrase set `apolgy`",
        3,
        21,
        "apolgy",
    );
    let e = errors(&text).remove(0);
    assert_eq!(e.help.as_deref(), Some("did you mean `apology`?"));
}

#[test]
fn duplicate_rule_id_and_set_name() {
    let text =
        format!("{SETS}{SETS}rule r forbid agent says apology\nrule r forbid agent says apology\n");
    expect_coded(
        &text,
        "P010",
        "the phrase set `apology` is defined twice",
        2,
        9,
        "apology",
    );
    expect_coded(&text, "P020", "the rule id `r` is used twice", 4, 6, "r");
}

#[test]
fn bad_durations() {
    let text =
        format!("{SETS}rule r\n  require first agent message within 0 hours of event created\n");
    expect_coded(&text, "P004", "bad duration", 3, 38, "0 hours");
    let text = format!(
        "{SETS}rule r\n  require first agent message within 99999999999999999999 days of event created\n"
    );
    expect_coded(
        &text,
        "P004",
        "bad duration",
        3,
        38,
        "99999999999999999999 days",
    );
}

#[test]
fn bad_regex() {
    let text = "phrases s /(unclosed/\nrule r forbid agent says s\n";
    expect_coded(text, "P012", "bad regex", 1, 11, "/(unclosed/");
}

#[test]
fn regex_matching_everything_is_refused() {
    let text = "phrases s /x*/\nrule r forbid agent says s\n";
    expect_coded(text, "P013", "matches the empty text", 1, 11, "/x*/");
}

#[test]
fn include_cycle() {
    let text = "phrases a include b\nphrases b include a\nrule r forbid agent says a\n";
    expect_coded(
        text,
        "P015",
        "the phrase set `a` includes itself",
        1,
        9,
        "a",
    );
}

#[test]
fn a_count_outside_a_condition() {
    let text = format!("{SETS}rule r forbid agent says at least 2 apology\n");
    expect_coded(
        &text,
        "P022",
        "a count (`at least N`) only makes sense in a condition",
        2,
        15,
        "agent says at least 2 apology",
    );
}

#[test]
fn a_rule_that_checks_nothing() {
    let text = format!("{SETS}rule r\n  severity info\n");
    expect_coded(&text, "P021", "the rule `r` checks nothing", 2, 6, "r");
}

#[test]
fn two_checks_in_one_rule() {
    let text = format!("{SETS}rule r\n  forbid agent says apology\n  require agent says apology\n");
    expect_coded(
        &text,
        "P003",
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
    expect_coded(
        &text,
        "P001",
        "expected `fires` or `passes`",
        4,
        11,
        "maybe",
    );
}

#[test]
fn a_clause_given_twice() {
    let text =
        format!("{SETS}rule r\n  severity info\n  severity error\n  forbid agent says apology\n");
    expect_coded(
        &text,
        "P002",
        "`severity` is given twice",
        4,
        3,
        "severity error",
    );
}

#[test]
fn a_count_of_zero() {
    let text =
        format!("{SETS}rule r when agent says at least 0 apology require agent says apology\n");
    expect_coded(
        &text,
        "P005",
        "a count must be a whole number from 1 up",
        2,
        24,
        "at least 0",
    );
}

#[test]
fn an_empty_phrase() {
    expect_coded(
        "phrases s \"\", \"ok\"\nrule r forbid agent says s\n",
        "P011",
        "an empty phrase",
        1,
        11,
        "\"\"",
    );
}

#[test]
fn unreadable_policy_files() {
    let errors =
        tact::dsl::read_sources(&["tests/fixtures/policies/nope.policy".into()]).unwrap_err();
    assert_eq!(errors[0].code, "P100");
    assert!(errors[0].message.contains("cannot read"));
}

fn warnings(text: &str) -> Vec<PolicyError> {
    let source = PolicySource {
        path: "p.policy".into(),
        text: text.into(),
    };
    parse_policy(&[source])
        .unwrap_or_else(|e| panic!("{}", e[0]))
        .warnings
}

#[test]
fn unused_phrase_sets_are_warned_about() {
    let w = warnings("phrases used \"a\"\nphrases helper \"b\"\nphrases spare \"c\"\nphrases used2 include helper\nrule r forbid agent says used\nrule q forbid agent says used2\n");
    let codes: Vec<(&str, usize)> = w.iter().map(|e| (e.code, e.line)).collect();
    assert_eq!(codes, [("W001", 3)], "{w:#?}");
    assert!(w[0]
        .to_string()
        .starts_with("warning[W001]: the phrase set `spare` is never used"));
}

#[test]
fn regexes_that_match_almost_anything_are_warned_about() {
    let w = warnings("phrases s /\\w+/, /sorry/\nrule r forbid agent says s\n");
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!((w[0].code, w[0].line, w[0].col), ("W002", 1, 11));
    assert!(warnings("phrases s /(a|the) refund/\nrule r forbid agent says s\n").is_empty());
}

#[test]
fn the_builtin_policy_has_no_warnings() {
    let policy = parse_policy(&tact::dsl::builtin_sources()).unwrap();
    assert!(policy.warnings.is_empty(), "{:#?}", policy.warnings);
}

#[test]
fn rules_that_can_never_fire_are_warned_about() {
    let w = warnings(
        "phrases s \"a\", \"b\" but not \"B\"\nrule never-applies when tagged vip and not tagged VIP forbid agent says s\nrule always-holds require agent says s or not agent says s\nrule fine when tagged vip require agent says s\n",
    );
    let found: Vec<(&str, usize, usize)> = w.iter().map(|e| (e.code, e.line, e.col)).collect();
    assert_eq!(
        found,
        [("W003", 2, 6), ("W003", 3, 6), ("W003", 1, 16)],
        "{w:#?}"
    );
    assert!(w[0].message.contains("can never apply"));
    assert!(w[1].message.contains("always holds"));
    assert!(w[2].message.contains("`but not` list removes it"));
}

#[test]
fn a_weight_out_of_range() {
    let text = format!("{SETS}rule r\n  weight 5000\n  forbid agent says apology\n");
    expect_coded(
        &text,
        "P006",
        "a weight must be a whole number from 0 to 1000",
        3,
        10,
        "5000",
    );
}

#[test]
fn critical_given_twice() {
    let text = format!("{SETS}rule r\n  critical\n  critical\n  forbid agent says apology\n");
    expect_coded(&text, "P002", "`critical` is given twice", 4, 3, "critical");
}

#[test]
fn a_binary_file_named_as_a_policy_is_refused_without_an_excerpt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("environ");
    std::fs::write(&path, b"SECRET_TOKEN=hunter2\0HOME=/root\0").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tact"))
        .args(["policy", "check"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("binary data (NUL bytes): not a policy file"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2"),
        "the file is not echoed: {stderr}"
    );
}

#[test]
fn an_unknown_learned_reader() {
    let text = "phrases s learned remedys, \"refund\"\nrule r forbid agent says s\n";
    expect_coded(
        text,
        "P019",
        "no learned reader is called `remedys`",
        1,
        19,
        "remedys",
    );
}

#[test]
fn a_learned_reader_after_but_not() {
    let text = "phrases s \"refund\" but not learned remedies\nrule r forbid agent says s\n";
    expect_coded(
        text,
        "P019",
        "a learned reader cannot follow `but not`",
        1,
        36,
        "remedies",
    );
}

#[test]
fn an_unknown_set_among_the_alternatives_of_unless() {
    expect_error(
        "phrases can \"x\"\nrule r\n  forbid agent refuses unless agent says can or agent says cann in the same message\n",
        "unknown phrase set `cann`",
        3,
        60,
        "cann",
    );
}
