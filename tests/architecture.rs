//! The layers hold: who may use whom, read from the code's own `use` lines (docs/architecture.md).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a file of `src/` belongs to: `render` for `src/render/ci.rs`.
fn module_of(file: &Path) -> String {
    let relative = file.strip_prefix(src()).unwrap_or(file);
    let first = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

/// A file's code: its test module and comments left out (a test-only item before the test
/// module stays in: cutting at the first `#[cfg(test)]` would leave out the code after it).
fn code_of(text: &str) -> String {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first names of the paths a piece of code starts with `prefix` (`crate::`, `super::`):
/// `input` for `crate::input::InputError`; both `a` and `b` for `super::{a::x, b}`.
fn names_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = BTreeSet::new();
    for (at, _) in code.match_indices(prefix) {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        names.insert(ident(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.insert(ident(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            names.insert(ident(rest));
        }
    }
    names.retain(|n| !n.is_empty() && n != "self");
    names
}

/// The top-level modules a file's code names through `crate::`, tests left out.
fn modules_used(text: &str) -> BTreeSet<String> {
    names_after(&code_of(text), "crate::")
}

/// Which top-level modules each top-level module uses.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&src()) {
        let module = module_of(&file);
        let text = fs::read_to_string(&file).unwrap_or_default();
        let used = graph.entry(module.clone()).or_default();
        used.extend(modules_used(&text).into_iter().filter(|m| *m != module));
    }
    graph
}

fn uses_in(dir: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(&src().join(dir)) {
        let text = fs::read_to_string(&file).unwrap_or_default();
        for m in modules_used(&text) {
            if forbidden.contains(&m.as_str()) {
                found.push(format!("{} uses crate::{m}", file.display()));
            }
        }
    }
    found
}

#[test]
fn no_two_modules_use_each_other() {
    let graph = module_graph();
    let mut loops = Vec::new();
    for (a, used) in &graph {
        for b in used {
            if a < b && graph.get(b).is_some_and(|u| u.contains(a)) {
                loops.push(format!("{a} <-> {b}"));
            }
        }
    }
    assert!(loops.is_empty(), "modules that use each other: {loops:?}");
}

#[test]
fn the_finding_model_uses_nothing_above_it() {
    let graph = module_graph();
    let used = graph.get("report").cloned().unwrap_or_default();
    let allowed: BTreeSet<String> = ["dsl", "conversation"].map(String::from).into();
    assert!(
        used.is_subset(&allowed),
        "report uses {used:?}, beyond {allowed:?}"
    );
}

/// The files under `dir` whose code (tests left out) contains `needle`.
fn files_saying(dir: &str, needle: &str) -> Vec<String> {
    rust_files(&src().join(dir))
        .into_iter()
        .filter(|file| {
            let text = fs::read_to_string(file).unwrap_or_default();
            let code = text
                .split("#[cfg(test)]")
                .next()
                .unwrap_or(&text)
                .to_string();
            code.contains(needle)
        })
        .map(|file| file.display().to_string())
        .collect()
}

#[test]
fn renderers_and_scoring_take_input_errors_as_plain_data() {
    let mut found = files_saying("render", "input::InputError");
    found.extend(files_saying("score", "input::InputError"));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn renderers_and_scoring_never_reach_into_readers_macros_or_the_fixer() {
    let forbidden = ["macros", "fix", "input"];
    let mut found = uses_in("render", &forbidden);
    found.extend(uses_in("score", &forbidden));
    assert!(found.is_empty(), "{found:#?}");
}

/// The top-level functions of a file and their lengths in lines.
fn function_lengths(text: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let mut open: Option<(String, usize)> = None;
    for (number, line) in text.lines().enumerate() {
        if open.is_none() && !line.starts_with(' ') && line.contains("fn ") && line.contains('(') {
            let name = line[line.find("fn ").unwrap_or(0) + 3..]
                .split(['(', '<'])
                .next()
                .unwrap_or("")
                .to_string();
            open = Some((name, number));
        }
        if line == "}" {
            if let Some((name, start)) = open.take() {
                found.push((name, number - start + 1));
            }
        }
    }
    found
}

#[test]
fn check_is_one_short_function_per_step() {
    let text = fs::read_to_string(src().join("cli/check.rs")).unwrap_or_default();
    let lengths = function_lengths(&text);
    assert!(
        lengths.iter().any(|(name, _)| name == "check"),
        "{lengths:?}"
    );
    let long: Vec<_> = lengths.iter().filter(|(_, n)| *n > 80).collect();
    assert!(long.is_empty(), "functions over 80 lines: {long:?}");
}

/// Which sibling files each file of the folder `dir` names through `super::`.
fn sibling_graph(dir: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&src().join(dir)) {
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let code = code_of(&fs::read_to_string(&file).unwrap_or_default());
        let mut used = names_after(&code, "super::");
        used.remove(&name);
        graph.insert(name, used);
    }
    graph
}

#[test]
fn no_two_files_of_a_folder_use_each_other() {
    let folders = [
        "analysis", "cli", "dsl", "engine", "input", "macros", "render", "score",
    ];
    let mut loops = Vec::new();
    for folder in folders {
        loops.extend(sibling_loops(folder));
    }
    assert!(loops.is_empty(), "files that use each other: {loops:?}");
    assert!(!sibling_graph("input").is_empty());
}

/// Pairs of files of `dir` that use each other.
fn sibling_loops(dir: &str) -> Vec<String> {
    let graph = sibling_graph(dir);
    graph
        .iter()
        .flat_map(|(a, used)| used.iter().map(move |b| (a, b)))
        .filter(|(a, b)| a < b && graph.get(*b).is_some_and(|u| u.contains(*a)))
        .map(|(a, b)| format!("{dir}: {a} <-> {b}"))
        .collect()
}

#[test]
fn paths_are_read_through_groups() {
    let names = names_after(
        "use super::{jsonl::read_jsonl, stream::{a, b}, Pending};",
        "super::",
    );
    let want: BTreeSet<String> = ["jsonl", "stream", "Pending"].map(String::from).into();
    assert_eq!(names, want);
    assert!(modules_used("let x = crate::fix::apply(a);").contains("fix"));
}
