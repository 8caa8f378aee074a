//! Resource limits of the policy language: a hostile or generated policy gets a clear error at
//! its file:line, never a stack overflow or minutes of work. Sizes are chosen so that a
//! quadratic (or recursive) implementation would take minutes or crash, while a linear one is
//! instant; nothing here is timed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::fmt::Write as _;

use tact::dsl::limits::{MAX_INCLUDE_DEPTH, MAX_NESTING};
use tact::dsl::{parse_policy, Policy, PolicyError, PolicySource};
use tact::engine::matcher::Matcher;
use tact::text::Folded;

fn parse(text: &str) -> Result<Policy, Vec<PolicyError>> {
    parse_policy(&[PolicySource {
        path: "p.policy".into(),
        text: text.into(),
    }])
}

fn errors(text: &str) -> Vec<PolicyError> {
    match parse(text) {
        Ok(_) => panic!("expected errors"),
        Err(errors) => errors,
    }
}

fn nested_rule(id: &str, levels: usize) -> String {
    format!(
        "rule {id}\n  when {}agent says sorry{}\n  forbid agent says sorry\n",
        "(".repeat(levels),
        ")".repeat(levels)
    )
}

#[test]
fn thousands_of_nested_parentheses_are_an_error_at_file_line_not_a_crash() {
    let text = format!(
        "phrases sorry \"sorry\"\n{}rule later\n  forbid agent says nothing-like-this\n",
        nested_rule("deep", 4_000)
    );
    let errors = errors(&text);
    let deep = errors
        .iter()
        .find(|e| e.code == "P007")
        .unwrap_or_else(|| panic!("no nesting error in {errors:#?}"));
    // The parenthesis that opens level MAX_NESTING + 1, on line 3 after `  when `.
    assert_eq!((deep.line, deep.col), (3, 8 + MAX_NESTING), "{deep}");
    assert!(deep.message.contains("nest too deeply"), "{deep}");
    assert!(deep.to_string().contains("p.policy:3:"), "{deep}");
    // The rest of the file is still checked.
    assert!(
        errors.iter().any(|e| e.code == "P014" && e.line == 6),
        "{errors:#?}"
    );
}

#[test]
fn nesting_up_to_the_limit_parses_and_works() {
    let text = format!(
        "phrases sorry \"sorry\"\n{}",
        nested_rule("deep", MAX_NESTING)
    );
    let policy = parse(&text).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(policy.rules.len(), 1);
}

/// `phrases s0 "w0" include s1`, ..., `phrases s{n} "last"`: a chain of `n` includes.
fn include_chain(n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        writeln!(text, "phrases s{i} \"w{i}\" include s{}", i + 1).unwrap();
    }
    writeln!(
        text,
        "phrases s{n} \"last\"\nrule r\n  forbid agent says s0"
    )
    .unwrap();
    text
}

#[test]
fn an_include_chain_of_50000_sets_is_an_error_at_file_line_not_a_crash() {
    let n = 50_000;
    let errors = errors(&include_chain(n));
    let deep: Vec<&PolicyError> = errors.iter().filter(|e| e.code == "P016").collect();
    // One error, at the set where the chain first grows too long (counted from its end).
    assert_eq!(deep.len(), 1, "{errors:#?}");
    let set = n - MAX_INCLUDE_DEPTH - 1;
    assert_eq!((deep[0].line, deep[0].col), (set + 1, 9), "{}", deep[0]);
    assert!(
        deep[0].message.contains(&format!("`s{set}`")),
        "{}",
        deep[0]
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
}

#[test]
fn an_include_chain_at_the_limit_works_end_to_end() {
    let policy = parse(&include_chain(MAX_INCLUDE_DEPTH)).unwrap_or_else(|e| panic!("{e:#?}"));
    let matcher = Matcher::new(&policy.phrase_sets).unwrap();
    let scan = matcher.scan("so this is the last one", &mut Folded::default());
    let top = matcher.set_id("s0").unwrap();
    assert_eq!(scan.sets[top].len(), 1);
}

#[test]
fn a_cycle_of_50000_sets_is_one_error() {
    let n = 50_000;
    let mut text = String::new();
    for i in 0..n {
        writeln!(text, "phrases s{i} \"w{i}\" include s{}", (i + 1) % n).unwrap();
    }
    text.push_str("rule r\n  forbid agent says s0\n");
    let errors = errors(&text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, "P015");
    assert!(
        errors[0].message.contains("`s0` includes itself"),
        "{}",
        errors[0]
    );
}

/// Sets in `levels` levels of two, each including both sets of the level below: a set reaches
/// the bottom by 2^levels paths, so expanding includes path by path never ends.
fn include_lattice(levels: usize) -> String {
    let mut text = String::new();
    for level in 0..levels {
        for side in ["a", "b"] {
            writeln!(
                text,
                "phrases {side}{level} \"{side} {level}\" include a{next}, include b{next}",
                next = level + 1
            )
            .unwrap();
        }
    }
    writeln!(
        text,
        "phrases a{levels} \"bottom\"\nphrases b{levels} \"floor\"\nrule r\n  when agent says at least 2 distinct a0\n  forbid agent says a0"
    )
    .unwrap();
    text
}

#[test]
fn shared_includes_are_resolved_once_not_once_per_path() {
    let policy = parse(&include_lattice(40)).unwrap_or_else(|e| panic!("{e:#?}"));
    let matcher = Matcher::new(&policy.phrase_sets).unwrap();
    let scan = matcher.scan("the bottom and the floor", &mut Folded::default());
    let top = &scan.sets[matcher.set_id("a0").unwrap()];
    assert_eq!(top.len(), 2, "{top:?}");
    assert_ne!(top[0].entry, top[1].entry, "distinct entries count apart");
}

/// `phrases big` with `n` regexes of a few hundred kilobytes each (a Unicode class repeated).
fn big_regexes(n: usize) -> String {
    let mut text = String::from("phrases big\n");
    for i in 0..n {
        writeln!(text, r"  /(foo|bar)\w{{2,20}} word{i}\b/").unwrap();
    }
    text.push_str("rule r\n  forbid agent says big\n");
    text
}

#[test]
fn two_thousand_big_regexes_are_one_error_at_file_line() {
    let errors = errors(&big_regexes(2_000));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(e.code, "P017", "{e}");
    assert!(e.message.contains("regexes together"), "{e}");
    // At a regex of the set (line 1 is `phrases big`), underlined from its slash.
    assert!(e.line > 1 && e.line <= 2_001 && e.col == 3, "{e}");
    assert!(
        e.to_string().contains(&format!("p.policy:{}:3", e.line)),
        "{e}"
    );
}

#[test]
fn one_regex_too_big_is_an_error_at_its_line() {
    let text = "phrases big\n  \"fine\"\n  /\\w{1000}/\nrule r\n  forbid agent says big\n";
    let errors = errors(text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        (errors[0].code, errors[0].line, errors[0].col),
        ("P012", 3, 3)
    );
    assert!(errors[0].message.contains("too big"), "{}", errors[0]);
}

#[test]
fn regexes_too_many_for_one_prefilter_set_still_compile_and_match() {
    // Together these pass the size limit of one `RegexSet`: the matcher splits them.
    let policy = tact::dsl::ast::PhraseSetDef {
        name: ident("big"),
        entries: (0..200)
            .map(|i| tact::dsl::ast::PhraseEntry::Regex {
                pattern: format!(r"(foo|bar)\w{{2,20}} word{i}\b"),
                replacement: None,
                label: None,
                span: Default::default(),
            })
            .collect(),
        exceptions: Vec::new(),
    };
    let matcher = Matcher::new(&[policy]).unwrap_or_else(|e| panic!("{e}"));
    let scan = matcher.scan("then barxyz word150 and foo word3", &mut Folded::default());
    assert_eq!(scan.sets[0].len(), 1, "{:?}", scan.sets[0]);
}

fn ident(name: &str) -> tact::dsl::ast::Ident {
    tact::dsl::ast::Ident {
        name: name.into(),
        span: Default::default(),
    }
}

#[test]
fn a_condition_of_200000_parts_is_checked_in_linear_time() {
    let mut text = String::from("phrases s \"x\"\nrule r\n  when tagged t0");
    for i in 1..200_000 {
        write!(text, " and tagged t{i}").unwrap();
    }
    text.push_str(" and tagged last and not tagged last\n  forbid agent says s\n");
    let policy = parse(&text).unwrap_or_else(|e| panic!("{e:#?}"));
    // `tagged last and not tagged last` can never hold: found after 200,000 other parts (a pairwise search would take minutes).
    assert_eq!(policy.warnings.len(), 1, "{:#?}", policy.warnings);
    assert_eq!(policy.warnings[0].code, "W003");
}

/// What the limits' errors say, as `tact policy check` shows them.
#[test]
fn limit_errors_as_users_see_them() {
    let rendered = |text: &str| {
        errors(text)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let nesting = format!("phrases sorry \"sorry\"\n{}", nested_rule("deep", 70));
    insta::assert_snapshot!("nesting", rendered(&nesting));
    insta::assert_snapshot!(
        "include_chain",
        rendered(&include_chain(MAX_INCLUDE_DEPTH + 1))
    );
    let huge = "phrases big\n  /\\w{1000}/\nrule r\n  forbid agent says big\n";
    insta::assert_snapshot!("regex_too_big", rendered(huge));
}
