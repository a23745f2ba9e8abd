//! Cross-check fixtures: every directory fixtures/crosscheck/<rule>/<case>/ is one scenario
//! (FRR configs under frr/, manifests under k8s/). The findings must be exactly the ones
//! marked on the line after them: `! expect: rule` in FRR files, `# expect: rule` in YAML.
//! Every cross rule has a failing case (`fail*`) that shows it and a passing one (`pass*`)
//! that stays quiet.

use frrlint::check::{check_paths, CheckOptions};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/crosscheck")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).expect("readable fixture dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// (rule, file name, line) expected by the markers of a scenario.
fn expected(dir: &Path) -> BTreeSet<(String, String, u32)> {
    let mut v = Vec::new();
    files(dir, &mut v);
    let mut out = BTreeSet::new();
    for f in v {
        let text = std::fs::read_to_string(&f).expect("fixture text");
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            let rule = t.strip_prefix("! expect:").or_else(|| t.strip_prefix("# expect:"));
            if let Some(rule) = rule {
                // The finding is on the nearest line above that is not itself a marker.
                let mut j = i;
                while j > 0 && (lines[j - 1].trim_start().starts_with("! expect:") || lines[j - 1].trim_start().starts_with("# expect:")) {
                    j -= 1;
                }
                out.insert((rule.trim().to_string(), name.clone(), j as u32));
            }
        }
    }
    out
}

fn found(dir: &Path) -> BTreeSet<(String, String, u32)> {
    let r = check_paths(&[dir.to_path_buf()], &CheckOptions::default());
    assert!(r.input_errors.is_empty(), "{:?}", r.input_errors);
    r.diagnostics
        .iter()
        .map(|d| {
            let loc = d.location(&r.sources).expect("location");
            let name = Path::new(&loc.file).file_name().unwrap().to_string_lossy().into_owned();
            (d.rule.to_string(), name, loc.line)
        })
        .collect()
}

#[test]
fn every_scenario_reports_exactly_what_it_marks() {
    let mut failures = Vec::new();
    let mut rules: Vec<PathBuf> = std::fs::read_dir(root()).expect("fixtures/crosscheck").map(|e| e.unwrap().path()).collect();
    rules.sort();
    assert!(rules.len() >= 10, "one directory per cross rule");
    for rule_dir in rules {
        let rule = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&rule_dir).unwrap().map(|e| e.unwrap().path()).collect();
        cases.sort();
        let names: Vec<String> = cases.iter().map(|c| c.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert!(names.iter().any(|n| n.starts_with("fail")) && names.iter().any(|n| n.starts_with("pass")), "{rule}: needs a fail and a pass case");
        for case in cases {
            let want = expected(&case);
            let got = found(&case);
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("fail") {
                assert!(want.iter().any(|(r, _, _)| *r == rule), "{rule}/{name} marks no {rule} finding");
            }
            if want != got {
                failures.push(format!("{rule}/{name}:\n  expected {want:?}\n  found    {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// No password from any input appears in any output format.
#[test]
fn no_secret_in_any_output() {
    let bin = env!("CARGO_BIN_EXE_frrlint");
    let secrets = ["s3cret", "Xk9-mismatch", "weakpassword"];
    let mut dirs: Vec<PathBuf> = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/labs")];
    dirs.extend(std::fs::read_dir(root()).unwrap().flat_map(|e| std::fs::read_dir(e.unwrap().path()).unwrap().map(|c| c.unwrap().path())));
    for dir in dirs {
        for args in [vec!["check", "--format", "text"], vec!["check", "--format", "json"], vec!["check", "--format", "sarif"], vec!["check", "--format", "github"], vec!["sessions"], vec!["sessions", "--format", "json"]] {
            let out = std::process::Command::new(bin).args(&args).arg(&dir).arg("--no-color").output();
            let out = match out {
                Ok(o) => o,
                Err(e) => panic!("cannot run frrlint: {e}"),
            };
            // `sessions` has no --no-color; run it again without when clap refuses the flag.
            let out = if out.status.code() == Some(2) && args[0] == "sessions" {
                std::process::Command::new(bin).args(&args).arg(&dir).output().expect("frrlint runs")
            } else {
                out
            };
            let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            for s in secrets {
                assert!(!text.contains(s), "{args:?} on {} prints a password", dir.display());
            }
        }
    }
}
