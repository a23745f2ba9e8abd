//! Issue 5's truth test: frrlint's predicted sessions and prefix verdicts against real FRR
//! bgpd and GoBGP (Cilium's BGP engine) in the interop lab.
//!
//! Each scenario under tests/verify-scenarios/ is what a user has: `frr/*.conf` and `k8s/*.yaml`.
//! The test runs `check_paths` on it, turns the cross-check's view of both sides into a lab
//! plan the way Cilium would configure GoBGP (never from the expected outcome), runs every
//! scenario's plan in parallel, and compares each predicted session and each predicted prefix
//! verdict with what the daemons did. `expect.toml` beside each scenario pins what frrlint
//! must predict, so a scenario cannot quietly stop testing what it is named after.
//! docs/verification.md explains the mapping and holds the figures of the last run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use frrlint::check::{check_paths, CheckOptions};
use serde::Deserialize;

mod compare;
mod expect;
mod plan;

use compare::{compare, Outcome, Tally};
use expect::{expectation_mismatches, Expectation};
use plan::{build_plan, masked};

use crate::lab::run_plan;

/// The scenarios issue 5 asks for (one per session rule, plus clean ones); more may be added.
const REQUIRED: &[&str] = &[
    "clean-ebgp",
    "asn-mismatch",
    "peer-asn-wrong",
    "address-unknown",
    "port-mismatch",
    "password-differs",
    "password-frr-only",
    "password-cilium-only",
    "secret-missing",
    "secret-missing-no-frr-password",
    "advertisement-selects-nothing",
    "prefix-exact",
    "ebgp-no-policy",
    "node-not-selected",
    "frr-port-neighbor",
    "ibgp-clean",
    "mdhlabs-generated",
];

/// Set to a comma-separated list of scenario names to run only those (while debugging one).
const ONLY_ENV: &str = "FRRLINT_VERIFY_ONLY";
/// Set to print every scenario's plan (passwords masked) and observation.
const SHOW_ENV: &str = "FRRLINT_VERIFY_SHOW";

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verify-scenarios")
}

/// generated.toml: the scenario's inputs are what frrgen makes of a topology, at test time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generated {
    /// The topology, relative to the repository root.
    topology: String,
    /// More inputs (relative to the repository root), such as Services with their addresses.
    #[serde(default)]
    extra: Vec<String>,
    /// Environment for frrgen (the topology's password variables).
    #[serde(default)]
    env: BTreeMap<String, String>,
}

/// The paths frrlint checks for a scenario: its `frr/` and `k8s/`, or frrgen's output.
fn inputs(name: &str, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let spec = dir.join("generated.toml");
    if !spec.is_file() {
        return Ok(vec![dir.join("frr"), dir.join("k8s")]);
    }
    let text = fs::read_to_string(&spec).map_err(|e| format!("generated.toml: {e}"))?;
    let g: Generated = toml::from_str(&text).map_err(|e| format!("generated.toml: {e}"))?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("verify")
        .join(name);
    let _ = fs::remove_dir_all(&out);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_frrgen"))
        .args(["from", &g.topology, "-o"])
        .arg(&out)
        .current_dir(root)
        .envs(&g.env)
        .output()
        .map_err(|e| format!("frrgen: {e}"))?;
    if !run.status.success() {
        return Err(format!(
            "frrgen from {} failed ({}): {}",
            g.topology,
            run.status,
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    let mut paths = vec![out];
    paths.extend(g.extra.iter().map(|e| root.join(e)));
    Ok(paths)
}

fn verify_scenario(name: &str, dir: &Path) -> Outcome {
    let started = Instant::now();
    let mut out = Outcome {
        name: name.to_string(),
        tally: Tally::default(),
        disagreements: Vec::new(),
        failures: Vec::new(),
        notes: Vec::new(),
        took: Duration::ZERO,
    };
    let expect: Expectation = match fs::read_to_string(dir.join("expect.toml"))
        .map_err(|e| e.to_string())
        .and_then(|t| toml::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(e) => e,
        Err(e) => {
            out.failures.push(format!("{name}: expect.toml: {e}"));
            return out;
        }
    };
    let inputs = match inputs(name, dir) {
        Ok(i) => i,
        Err(e) => {
            out.failures.push(format!("{name}: {e}"));
            return out;
        }
    };
    let report = check_paths(&inputs, &CheckOptions::default());
    for e in &report.input_errors {
        out.failures
            .push(format!("{name}: {}: {}", e.path.display(), e.message));
    }
    let Some(cross) = &report.crosscheck else {
        out.failures.push(format!(
            "{name}: frrlint made no cross-check (no manifests read?)"
        ));
        return out;
    };
    out.failures.extend(
        expectation_mismatches(&report, cross, &expect)
            .into_iter()
            .map(|m| format!("{name}: expect.toml: {m}")),
    );
    let built = match build_plan(name, &report, cross) {
        Ok(b) => b,
        Err(e) => {
            out.failures
                .push(format!("{name}: cannot build a lab plan: {e}"));
            return out;
        }
    };
    let obs = match run_plan(&built.plan) {
        Ok(o) => o,
        Err(e) => {
            out.failures
                .push(format!("{name}: lab: {e}\nplan:\n{}", masked(&built.plan)));
            return out;
        }
    };
    compare(cross, &report, &built, &obs, &mut out);
    if !out.disagreements.is_empty() || std::env::var_os(SHOW_ENV).is_some() {
        out.notes.push(format!(
            "plan:\n{}\nobservation:\n{}",
            masked(&built.plan),
            obs.to_json()
        ));
    }
    out.took = started.elapsed();
    out
}

fn table(outcomes: &[Outcome]) -> String {
    let mut s = String::from(
        "| scenario | sessions predicted (up/down) | sessions observed (up/down) | prefixes predicted (acc/rej) | prefixes observed (acc/rej) | agreement (sessions, prefixes) |\n|---|---|---|---|---|---|\n",
    );
    for o in outcomes {
        let t = &o.tally;
        let _ = writeln!(
            s,
            "| {} | {}/{} | {}/{} | {}/{} | {}/{} | {}/{}, {}/{}{} |",
            o.name,
            t.pred_up,
            t.pred_down,
            t.obs_up,
            t.obs_down,
            t.pred_acc,
            t.pred_rej,
            t.obs_acc,
            t.obs_rej,
            t.sessions_agree,
            t.sessions,
            t.prefixes_agree,
            t.prefixes,
            if t.unverified > 0 {
                format!(" ({} not verifiable)", t.unverified)
            } else {
                String::new()
            }
        );
    }
    s
}

fn discover() -> Vec<(String, PathBuf)> {
    let mut scenarios: Vec<(String, PathBuf)> = fs::read_dir(scenarios_dir())
        .expect("tests/verify-scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expect.toml").is_file())
        .map(|p| {
            (
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                p,
            )
        })
        .collect();
    scenarios.sort();
    scenarios
}

#[test]
fn predictions_agree_with_the_lab() {
    let mut scenarios = discover();
    for r in REQUIRED {
        assert!(
            scenarios.iter().any(|(n, _)| n == r),
            "scenario {r} is missing from tests/verify-scenarios"
        );
    }
    if let Some(only) = std::env::var_os(ONLY_ENV) {
        let only = only.to_string_lossy().into_owned();
        scenarios.retain(|(n, _)| only.split(',').any(|o| o == n));
    }
    let started = Instant::now();
    let runs: Vec<_> = scenarios
        .into_iter()
        .map(|(name, dir)| thread::spawn(move || verify_scenario(&name, &dir)))
        .collect();
    let outcomes: Vec<Outcome> = runs
        .into_iter()
        .map(|r| r.join().expect("a scenario thread panicked"))
        .collect();
    let wall = started.elapsed();

    let mut failures = Vec::new();
    for o in &outcomes {
        eprintln!("verify: {}: {:.1} s", o.name, o.took.as_secs_f64());
        for n in &o.notes {
            eprintln!("verify: {}: {n}", o.name);
        }
        failures.extend(o.failures.iter().cloned());
        failures.extend(o.disagreements.iter().map(|d| format!("DISAGREEMENT {d}")));
    }
    let (agree, total) = outcomes.iter().fold((0, 0), |(a, n), o| {
        (
            a + o.tally.sessions_agree + o.tally.prefixes_agree,
            n + o.tally.sessions + o.tally.prefixes,
        )
    });
    eprintln!("{}", table(&outcomes));
    eprintln!(
        "verify: {} scenarios, {agree}/{total} verdicts agree, {:.1} s wall",
        outcomes.len(),
        wall.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "frrlint and the lab disagree, or a scenario is broken:\n{}",
        failures.join("\n")
    );
    assert!(total > 0, "no verdict was compared");
}
