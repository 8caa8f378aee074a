//! `tact score --html-dir DIR`: the HTML report as a folder. What is written and where, what is
//! left alone, and the flags it does not go with. (The page in a browser: `html_browser.rs` and
//! `html_review.rs`; the page itself: the `score_html_folder` snapshot.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly on what it did not expect"
)]

use std::path::Path;

use assert_cmd::Command;

/// `n` conversations, one a line.
fn conversations(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"id\": \"c{i}\", \"events\": [{{\"from\": \"customer\", \"text\": \"Where is order {i}?\"}}, {{\"from\": \"agent\", \"text\": \"It ships today.\"}}]}}\n"
            )
        })
        .collect()
}

fn score_into(dir: &Path, n: usize) -> std::process::Output {
    Command::cargo_bin("tact")
        .unwrap()
        .args(["score", "-", "--html-dir"])
        .arg(dir)
        .write_stdin(conversations(n))
        .output()
        .unwrap()
}

fn files(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = walk(dir)
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect();
    found.sort();
    found
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_folder_holds_the_page_and_a_chunk_per_hundred_conversations() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let out = score_into(&dir, 250);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty(), "nothing on stdout");
    assert_eq!(
        files(&dir),
        ["chunks/0.js", "chunks/1.js", "chunks/2.js", "index.html"]
    );
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    // Every conversation is in the table's data; none of their sections is in the page.
    assert!(page.contains("[\"c249\",null,null,null,"), "the last row");
    assert!(!page.contains("class=\"conversation\""));
    let last = std::fs::read_to_string(dir.join("chunks/2.js")).unwrap();
    assert!(last.starts_with("tactChunk(2, ["), "{}", &last[..40]);
    assert_eq!(
        last.matches("<section class=\\\"conversation\\\"").count(),
        50
    );
    assert!(last.contains("id=\\\"c-249\\\""));
}

#[test]
fn a_smaller_report_in_the_same_folder_removes_only_the_chunks_it_no_longer_has() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    assert_eq!(score_into(&dir, 250).status.code(), Some(0));
    // Files that are not tact's chunks stay, even in chunks/.
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("chunks/readme.js"), "mine").unwrap();
    std::fs::write(dir.join("chunks/007.js"), "mine").unwrap();
    assert_eq!(score_into(&dir, 120).status.code(), Some(0));
    assert_eq!(
        files(&dir),
        [
            "chunks/0.js",
            "chunks/007.js",
            "chunks/1.js",
            "chunks/readme.js",
            "index.html",
            "notes.txt"
        ]
    );
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(page.contains("[\"c119\",") && !page.contains("[\"c120\","));
}

#[cfg(unix)]
#[test]
fn a_symlink_in_chunks_is_not_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    std::fs::create_dir_all(dir.join("chunks")).unwrap();
    let outside = tmp.path().join("outside.js");
    std::fs::write(&outside, "untouched").unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("chunks/0.js")).unwrap();
    let out = score_into(&dir, 3);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is a symlink"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "untouched");
}

#[test]
fn the_folder_is_made_only_where_its_parent_exists() {
    let tmp = tempfile::tempdir().unwrap();
    let out = score_into(&tmp.path().join("missing/report"), 3);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!tmp.path().join("missing").exists());
    // A file where the folder should be is an error, and is left as it was.
    let file = tmp.path().join("report");
    std::fs::write(&file, "a file").unwrap();
    let out = score_into(&file, 3);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a folder"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a file");
}

#[test]
fn html_dir_is_the_html_report_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    for extra in [
        &["--format", "csv"][..],
        &["--format", "json"],
        &["-o", "x.html"],
    ] {
        let out = Command::cargo_bin("tact")
            .unwrap()
            .current_dir(tmp.path())
            .args(["score", "-", "--html-dir"])
            .arg(&dir)
            .args(extra)
            .write_stdin(conversations(1))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {out:?}");
        assert!(!dir.exists(), "{extra:?}: nothing written");
        assert!(!tmp.path().join("x.html").exists());
    }
}

#[test]
fn a_one_file_page_of_over_ten_thousand_conversations_suggests_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("tact")
        .unwrap()
        .args(["--color", "never", "score", "-", "--format", "html", "-o"])
        .arg(tmp.path().join("report.html"))
        .write_stdin(conversations(10_001))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("note: a page of 10001 conversations is slow to open")
            && stderr.contains("`--html-dir DIR`"),
        "{stderr}"
    );
    // A folder, or a smaller page, is not told.
    let out = score_into(&tmp.path().join("report"), 3);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("note:"));
}

#[test]
fn hostile_ids_cannot_end_the_pages_data_nor_break_a_chunk() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("report");
    let hostile = "</script><script>alert(1)</script><!--\u{2028}x";
    let input = format!(
        "{{\"id\": {id}, \"agent\": {id}, \"events\": [{{\"from\": \"customer\", \"text\": {id}}}, {{\"from\": \"agent\", \"text\": \"You're wrong.\"}}]}}\n",
        id = serde_json::to_string(hostile).unwrap()
    );
    let out = Command::cargo_bin("tact")
        .unwrap()
        .args(["score", "-", "--html-dir"])
        .arg(&dir)
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let lower = page.to_ascii_lowercase();
    // Every script that opens is one of tact's own: the table's data and the two scripts.
    assert_eq!(lower.matches("<script").count(), 3, "{page}");
    assert_eq!(lower.matches("</script").count(), 3);
    assert!(!lower.contains("<!--"));
    // The data reads back to the id as it was.
    let from = page.find("type=\"application/json\">").unwrap() + 24;
    let to = from + page[from..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&page[from..to]).unwrap();
    assert_eq!(data["rows"][0][0], hostile);
    // The chunk is one call whose strings cannot end a script or break a line.
    let chunk = std::fs::read_to_string(dir.join("chunks/0.js")).unwrap();
    assert!(!chunk.contains("</") && !chunk.contains("<!") && !chunk.contains('\u{2028}'));
    let json = chunk
        .strip_prefix("tactChunk(0, ")
        .and_then(|c| c.strip_suffix(");\n"))
        .unwrap();
    let sections: Vec<String> = serde_json::from_str(json).unwrap();
    assert_eq!(sections.len(), 1);
    assert!(sections[0].contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
}
