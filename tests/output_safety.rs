//! Output that hostile input cannot subvert, and output that behaves on pipes and terminals.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::process::Command;

fn tact() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tact"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

#[test]
fn policy_diagnostics_name_their_label() {
    let out = tact()
        .args([
            "--color",
            "never",
            "policy",
            "check",
            "tests/fixtures/policies/broken.policy",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("{word}"), "{stderr}");
    assert!(stderr.starts_with("error[P001]: "), "{stderr}");
}
