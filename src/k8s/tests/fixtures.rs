//! The rule fixtures under `fixtures/k8s/<rule-name>/`: every YAML file there is checked on
//! its own, and its findings must be exactly the ones marked by `# expect: <rule>` on the
//! line after each. A `# cilium-version: 1.17` line selects the release (default: newest).

use super::run_texts;
use crate::k8s::checks::CHECKS;
use crate::k8s::CiliumVersion;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/k8s")
}

/// `(rule, line)` pairs a fixture expects: the line *before* each marker.
fn expected(text: &str) -> BTreeSet<(String, u32)> {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.trim_start().strip_prefix("# expect:") {
            for rule in rest.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                out.insert((rule.to_string(), i as u32));
            }
        }
    }
    out
}

fn version(text: &str) -> CiliumVersion {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("# cilium-version:"))
        .map(|v| v.trim().parse().unwrap_or_else(|e| panic!("bad cilium-version: {e}")))
        .unwrap_or_default()
}

fn fixture_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(fixture_root()).expect("fixtures/k8s exists").filter_map(|e| e.ok()) {
        if dir.path().is_dir() {
            for f in std::fs::read_dir(dir.path()).expect("readable").filter_map(|e| e.ok()) {
                if f.path().extension().is_some_and(|e| e == "yaml") {
                    files.push(f.path());
                }
            }
        }
    }
    files.sort();
    files
}

#[test]
fn fixtures_produce_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    let files = fixture_files();
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let name = path.strip_prefix(fixture_root()).unwrap_or(&path).display().to_string();
        let run = run_texts(&[(name.clone(), text.clone())], version(&text));
        let found: BTreeSet<(String, u32)> =
            run.findings().into_iter().map(|(rule, _, line)| (rule.to_string(), line)).collect();
        let want = expected(&text);
        super::assert_no_secret_printed(&run, &name);
        if found != want {
            let extra: Vec<String> = run
                .diags
                .iter()
                .zip(run.findings())
                .filter(|(_, (r, _, l))| !want.contains(&(r.to_string(), *l)))
                .map(|(d, (_, _, l))| format!("  unexpected {}:{l} {}: {}", name, d.rule, d.message))
                .collect();
            let missing: Vec<String> =
                want.difference(&found).map(|(r, l)| format!("  missing {name}:{l} {r}")).collect();
            failures.push(format!("{}\n{}", extra.join("\n"), missing.join("\n")));
        }
    }
    assert!(failures.is_empty(), "fixture mismatches:\n{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture_and_docs() {
    for c in CHECKS {
        let dir = fixture_root().join(c.meta.name);
        let fail =
            std::fs::read_to_string(dir.join("fail.yaml")).unwrap_or_else(|_| panic!("{}/fail.yaml", c.meta.name));
        let pass =
            std::fs::read_to_string(dir.join("pass.yaml")).unwrap_or_else(|_| panic!("{}/pass.yaml", c.meta.name));
        assert!(
            expected(&fail).iter().any(|(r, _)| r == c.meta.name),
            "{}: fail.yaml expects no {}",
            c.meta.name,
            c.meta.name
        );
        assert!(expected(&pass).is_empty(), "{}: pass.yaml expects findings", c.meta.name);
        assert!(c.meta.docs.starts_with(&format!("# {} {}", c.meta.code, c.meta.name)), "{}: docs title", c.meta.code);
        assert!(
            c.meta.docs.contains("## Example") && c.meta.docs.contains("## How to fix"),
            "{}: docs sections",
            c.meta.code
        );
        assert!(!c.meta.summary.ends_with('.'));
    }
    let codes: BTreeSet<&str> = CHECKS.iter().map(|c| c.meta.code).collect();
    assert_eq!(codes.len(), CHECKS.len(), "codes are unique");
}
