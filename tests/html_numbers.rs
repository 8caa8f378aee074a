//! The HTML report's numbers are honest: every rate beside its counts, rates on few
//! conversations marked, each rule explained, sources relative to where tact ran, plain words.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use assert_cmd::Command;

fn page() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::cargo_bin("tact")
        .unwrap()
        .current_dir(root)
        .args(["score", "--format", "html"])
        // Named by its absolute path: the page still shows it relative to where tact ran.
        .arg(format!("{root}/examples/complaints.jsonl"))
        .arg("examples/chat.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn rates_stand_beside_their_counts_and_few_are_marked() {
    let page = page();
    // never-say-wrong failed 1 of the 4 conversations it applied to: 25% in the chart, with
    // its counts; 3 of 4 passed in the rules table, marked as resting on few conversations.
    assert!(page.contains("25.0% · 1 of 4 applicable"), "chart counts");
    assert!(page
        .contains("Failure rate per rule, of the conversations it applied to (4 conversations)"));
    assert!(page
        .contains("75%<span class=\"counts\"> 3 of 4 applicable</span> <span class=\"badge few\""));
    assert!(page.contains("<g class=\"bar few\">"), "pale bars for few");
    // first-contact did not apply to one conversation: said in words.
    assert!(page.contains("<th class=\"num\">Did not apply</th>"));
    assert!(!page.contains(">n/a<"), "no n/a for reviewers to decode");
}

#[test]
fn rules_are_explained_and_sources_are_relative() {
    let page = page();
    assert!(page.contains(
        "<details class=\"why\"><summary>Why</summary><p>A complaint left waiting grows"
    ));
    assert!(page.contains("Source: <code>examples/complaints.jsonl:2</code>"));
    assert!(
        !page.contains(env!("CARGO_MANIFEST_DIR")),
        "no path of this machine"
    );
}

#[test]
fn hostile_ids_cannot_end_the_script_that_holds_a_conversation() {
    let hostile = r#"</script><script>alert(1)</script><!--"#;
    let input = format!(
        "{{\"id\": {id}, \"agent\": {id}, \"events\": [{{\"from\": \"customer\", \"text\": {id}}}, {{\"from\": \"agent\", \"text\": \"You're wrong.\"}}]}}\n",
        id = serde_json::to_string(hostile).unwrap()
    );
    let out = Command::cargo_bin("tact")
        .unwrap()
        .args(["score", "-", "--format", "html"])
        .write_stdin(input)
        .output()
        .unwrap();
    let page = String::from_utf8(out.stdout).unwrap().to_ascii_lowercase();
    // Every script that opens is one of tact's own: the section holder and the two scripts.
    assert_eq!(page.matches("<script").count(), 3, "{page}");
    assert_eq!(page.matches("</script").count(), 3);
    assert!(!page.contains("<!--"));
    assert!(page.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
}
