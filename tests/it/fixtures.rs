//! The rule fixtures under `fixtures/rules/<rule-name>/`: each file is checked with
//! `check_paths` (a subdirectory is one case of several files, checked together) and the
//! findings, as (line, rule) pairs, must equal the ones its comments expect, exactly.
//!
//! A finding is expected by a comment on the line after it: `! expect: rule-name` in FRR
//! configs, `# expect: rule-name` in YAML. Several marker lines in a row, or several names
//! separated by commas, all refer to the last line before them that is not a marker.

use frrlint::check::{check_paths, CheckOptions};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// `fixtures/rules` of this checkout.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

/// A (line, rule name) pair: one finding, found or expected.
pub(crate) type Mark = (u32, String);

/// One fixture case: the paths given to `check_paths` together, and the files in it.
pub(crate) struct Case {
    pub input: PathBuf,
    pub files: Vec<PathBuf>,
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let rd = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut v: Vec<PathBuf> = rd.map(|e| e.expect("directory entry").path()).filter(|p| !is_hidden(p)).collect();
    v.sort();
    v
}

fn is_hidden(p: &Path) -> bool {
    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

/// The rule directories, sorted: `(rule name, directory)`.
pub(crate) fn rule_dirs() -> Vec<(String, PathBuf)> {
    sorted_entries(&root())
        .into_iter()
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect()
}

/// Every file under `dir`, at any depth, sorted.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for p in sorted_entries(dir) {
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every case of one rule directory: each file alone, each subdirectory (with all the files
/// under it) as a whole.
pub(crate) fn cases(dir: &Path) -> Vec<Case> {
    sorted_entries(dir)
        .into_iter()
        .map(|p| {
            if p.is_dir() {
                let mut files = Vec::new();
                files_under(&p, &mut files);
                Case { input: p, files }
            } else {
                Case { input: p.clone(), files: vec![p] }
            }
        })
        .collect()
}

/// The comment that starts a marker in this kind of file.
fn marker_prefix(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml") | Some("yml") => "# expect:",
        _ => "! expect:",
    }
}

/// The findings a file's comments expect. Panics on a marker with nothing before it.
pub(crate) fn expected(path: &Path, text: &str) -> BTreeSet<Mark> {
    let prefix = marker_prefix(path);
    let mut out = BTreeSet::new();
    let mut target = 0u32;
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        match line.trim_start().strip_prefix(prefix) {
            Some(rest) => {
                assert!(target > 0, "{}:{n}: an expect marker needs a line before it", path.display());
                for rule in rest.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                    out.insert((target, rule.to_string()));
                }
            }
            None => target = n,
        }
    }
    out
}

/// Run the whole check on one case and return, for each of its files, what was found.
fn found(case: &Case) -> Result<Vec<BTreeSet<Mark>>, String> {
    let report = check_paths(std::slice::from_ref(&case.input), &CheckOptions::default());
    if !report.input_errors.is_empty() {
        return Err(format!("input errors: {:?}", report.input_errors));
    }
    let mut per_file = vec![BTreeSet::new(); case.files.len()];
    for d in &report.diagnostics {
        let Some(loc) = d.location(&report.sources) else {
            return Err(format!("a finding without a location: {} {}", d.rule, d.message));
        };
        let Some(i) = case.files.iter().position(|f| Path::new(&loc.file) == f.as_path()) else {
            return Err(format!("a finding in a file outside the case: {loc} {} {}", d.rule, d.message));
        };
        per_file[i].insert((loc.line, d.rule.to_string()));
    }
    Ok(per_file)
}

/// The lines of `text` that a set of marks points at, for readable failure output.
fn describe(marks: &BTreeSet<Mark>, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut s = String::new();
    for (line, rule) in marks {
        let src = lines.get(*line as usize - 1).map_or("", |l| l.trim());
        let _ = writeln!(s, "      {line:>4} {rule:<30} | {src}");
    }
    s
}

#[test]
fn every_fixture_reports_exactly_what_it_expects() {
    let dirs = rule_dirs();
    assert!(!dirs.is_empty(), "no rule fixtures under {}", root().display());
    let mut failures = String::new();
    let mut checked = 0;
    for (_, dir) in &dirs {
        for case in cases(dir) {
            let found = match found(&case) {
                Ok(f) => f,
                Err(e) => {
                    let _ = writeln!(failures, "{}: {e}", case.input.display());
                    continue;
                }
            };
            for (file, found) in case.files.iter().zip(found) {
                checked += 1;
                let text =
                    std::fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
                let want = expected(file, &text);
                if want != found {
                    let missing: BTreeSet<Mark> = want.difference(&found).cloned().collect();
                    let extra: BTreeSet<Mark> = found.difference(&want).cloned().collect();
                    let rel = file.strip_prefix(root()).unwrap_or(file);
                    let _ = writeln!(failures, "fixtures/rules/{}:", rel.display());
                    let _ = write!(failures, "    expected:\n{}", describe(&want, &text));
                    let _ = write!(failures, "    found:\n{}", describe(&found, &text));
                    if !missing.is_empty() {
                        let _ = write!(failures, "    expected but not found:\n{}", describe(&missing, &text));
                    }
                    if !extra.is_empty() {
                        let _ = write!(failures, "    found but not expected:\n{}", describe(&extra, &text));
                    }
                }
            }
        }
    }
    println!("{checked} fixture files checked");
    assert!(failures.is_empty(), "fixtures whose findings differ from their markers:\n{failures}");
}

#[test]
fn markers_are_read_from_the_line_after_the_finding() {
    let conf = "a\n! expect: x\n! expect: y, z\nb\n  ! expect: w\n";
    let want: BTreeSet<Mark> =
        [(1, "x"), (1, "y"), (1, "z"), (4, "w")].into_iter().map(|(l, r)| (l, r.to_string())).collect();
    assert_eq!(expected(Path::new("f.conf"), conf), want);
    let yaml = "kind: X\n# expect: k\n! expect: not-a-yaml-marker\n";
    let want: BTreeSet<Mark> = [(1, "k".to_string())].into_iter().collect();
    assert_eq!(expected(Path::new("f.yaml"), yaml), want);
}
