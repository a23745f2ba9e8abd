//! The frrlint binary as a user runs it: exit codes, every output format, relative paths,
//! `rules` and `explain`, and the pre-commit hook driven by the real pre-commit.
//!
//! Each test works in its own scratch directory under Cargo's target tmpdir and passes
//! relative paths, the way a user in a checkout would.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A config that every rule should accept.
const GOOD: &str = "frr version 10.5\nhostname leaf1\n!\n";

/// A config using a route-map that nothing defines: FRR then denies every route.
const BAD: &str = "\
hostname leaf2
!
router bgp 65001
 neighbor 192.0.2.1 remote-as 65002
 !
 address-family ipv4 unicast
  neighbor 192.0.2.1 route-map MISSING in
 exit-address-family
exit
!
";

struct Scratch {
    dir: PathBuf,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch { dir }
    }

    fn write(&self, rel: &str, text: &str) -> &Scratch {
        let p = self.dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Run frrlint in the scratch directory.
    fn frrlint(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_frrlint"))
            .args(args)
            .current_dir(&self.dir)
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    fn json(&self, args: &[&str]) -> (Run, Value) {
        let mut a = vec!["check", "--format", "json"];
        a.extend_from_slice(args);
        let run = self.frrlint(&a);
        let v = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {run:?}"));
        (run, v)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn severities(v: &Value) -> Vec<String> {
    v["diagnostics"].as_array().unwrap().iter().map(|d| d["severity"].as_str().unwrap().to_string()).collect()
}

#[test]
fn usage_errors_exit_2() {
    let s = Scratch::new("usage");
    s.write("good.conf", GOOD);
    for args in [
        &["check"][..],
        &["check", "good.conf", "--format", "xml"],
        &["check", "good.conf", "--severity", "fatal"],
        &["check", "good.conf", "--router-address", "leaf1"],
        &["check", "good.conf", "--router-address", "leaf1=10.0.0.256"],
        &["check", "good.conf", "--frr-version", "ten"],
        &["lint", "good.conf"],
        &["explain"],
    ] {
        let run = s.frrlint(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(!run.stderr.is_empty() && run.stdout.is_empty(), "{args:?}: {run:?}");
    }
    for args in [&["--help"][..], &["--version"], &["check", "--help"]] {
        let run = s.frrlint(args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
    }
    let help = s.frrlint(&["check", "--help"]).stdout;
    for opt in ["--format", "--frr-version", "--cilium-version", "--router-address", "--severity", "--exit-zero", "--stats", "--no-color"] {
        assert!(help.contains(opt), "{opt} missing from:\n{help}");
    }
}

#[test]
fn clean_config_exits_0() {
    let s = Scratch::new("clean");
    s.write("good.conf", GOOD);
    let run = s.frrlint(&["check", "good.conf", "--router-address", "leaf1=192.0.2.2", "--frr-version", "10.5"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "0 errors, 0 warnings, 0 infos in 1 file\n", "{run:?}");
    let run = s.frrlint(&["check", "--stats", "good.conf"]);
    assert!(run.stdout.contains("\nfiles: 1 FRR, 0 YAML; lines: "), "{run:?}");
}

#[test]
fn findings_exit_1_at_or_above_the_threshold() {
    let s = Scratch::new("threshold");
    s.write("bad.conf", BAD);
    let run = s.frrlint(&["check", "bad.conf"]);
    assert!(run.stdout.contains("bad.conf:7:"), "the undefined route-map is reported: {run:?}");
    let (_, v) = s.json(&["bad.conf"]);
    let sev = severities(&v);
    assert!(!sev.is_empty(), "{v:#}");
    for (threshold, rank) in [("info", 0), ("warning", 1), ("error", 2)] {
        let fails = sev.iter().any(|s| ["info", "warning", "error"].iter().position(|x| x == s).unwrap() >= rank);
        let run = s.frrlint(&["check", "bad.conf", "--severity", threshold]);
        assert_eq!(run.code, i32::from(fails), "--severity {threshold} with {sev:?}: {run:?}");
        let run = s.frrlint(&["check", "bad.conf", "--severity", threshold, "--exit-zero"]);
        assert_eq!(run.code, 0, "{run:?}");
    }
    // The default threshold is `warning`.
    let default = s.frrlint(&["check", "bad.conf"]).code;
    assert_eq!(default, s.frrlint(&["check", "bad.conf", "--severity", "warning"]).code);
}

#[test]
fn unreadable_input_exits_2_and_the_other_files_are_still_checked() {
    let s = Scratch::new("missing");
    s.write("good.conf", GOOD).write("bad.conf", BAD);
    let run = s.frrlint(&["check", "good.conf", "missing.conf", "bad.conf"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("frrlint: cannot read missing.conf: "), "{run:?}");
    assert!(run.stdout.contains("bad.conf:7:"), "{run:?}");
    assert!(run.stdout.contains(" in 2 files; 1 input could not be read\n"), "{run:?}");
    // --exit-zero forgives findings, not input that was never checked.
    assert_eq!(s.frrlint(&["check", "--exit-zero", "good.conf", "missing.conf"]).code, 2);
    let (run, v) = s.json(&["good.conf", "missing.conf", "bad.conf"]);
    assert_eq!(run.code, 2);
    assert_eq!(v["errors"][0]["path"], "missing.conf");
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["unreadable"], 1);
    assert!(v["diagnostics"].as_array().unwrap().iter().any(|d| d["file"] == "bad.conf"), "{v:#}");
}

#[test]
fn json_follows_the_documented_schema() {
    let s = Scratch::new("json");
    s.write("good.conf", GOOD).write("sub/bad.conf", BAD);
    let (run, v) = s.json(&["good.conf", "sub"]);
    assert_eq!(v["version"], 1, "{run:?}");
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty(), "{run:?}");
    for d in diags {
        for key in ["code", "rule", "severity", "message", "file"] {
            assert!(d[key].is_string(), "{key} in {d}");
        }
        for key in ["help", "label"] {
            assert!(d[key].is_string() || d[key].is_null(), "{key} in {d}");
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(d[key].as_u64().is_some_and(|n| n >= 1), "{key} in {d}");
        }
        assert!(["info", "warning", "error"].contains(&d["severity"].as_str().unwrap()), "{d}");
        assert_eq!(d["file"], "sub/bad.conf");
        for r in d["related"].as_array().unwrap() {
            assert!(r["file"].is_string() && r["line"].is_u64() && r["end_column"].is_u64(), "{r}");
        }
    }
    assert_eq!(v["errors"], serde_json::json!([]));
    let sum = &v["summary"];
    assert_eq!(sum["files"], 2);
    assert_eq!(sum["frr_files"], 2);
    let sev = severities(&v);
    for (key, name) in [("errors", "error"), ("warnings", "warning"), ("infos", "info")] {
        assert_eq!(sum[key].as_u64(), Some(sev.iter().filter(|s| *s == name).count() as u64), "{sum}");
    }
    // Sorted by file, then position.
    let keys: Vec<(String, u64, u64)> = diags
        .iter()
        .map(|d| (d["file"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let s = Scratch::new("sarif");
    s.write("good.conf", GOOD).write("sub dir/bad.conf", BAD);
    let run = s.frrlint(&["check", "--format", "sarif", "good.conf", "sub dir/bad.conf", "missing.conf"]);
    assert_eq!(run.code, 2, "{run:?}");
    s.write("out.sarif", &run.stdout);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/snapshots/cli/validate-sarif.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(s.dir.join("out.sarif"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}): run tests/setup-deps.sh"));
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "SARIF does not validate (validator missing? run tests/setup-deps.sh):\n{report}\n{}", run.stdout);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let run0 = &v["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "frrlint");
    let results = run0["results"].as_array().unwrap();
    assert!(!results.is_empty(), "{v:#}");
    let rules: Vec<&str> = run0["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert_eq!(uri, "sub%20dir/bad.conf");
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules.get(index).copied(), r["ruleId"].as_str());
    }
    assert_eq!(run0["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn github_workflow_commands_are_escaped() {
    let s = Scratch::new("github");
    s.write("we,ird:name.conf", BAD);
    let run = s.frrlint(&["check", "--format", "github", "we,ird:name.conf", "100%,gone.conf"]);
    assert_eq!(run.code, 2, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let (last, commands) = lines.split_last().unwrap();
    assert!(last.starts_with("frrlint: ") && last.ends_with(" in 1 file; 1 input could not be read"), "{run:?}");
    assert!(commands.len() >= 2, "{run:?}");
    for c in commands {
        assert!(
            c.starts_with("::error file=") || c.starts_with("::warning file=") || c.starts_with("::notice file="),
            "{c}"
        );
        let (props, message) = c.split_once(" file=").unwrap().1.split_once("::").unwrap();
        assert!(!message.contains('\n') && !message.contains('\r'));
        for prop in props.split(',').skip(1) {
            let (key, _) = prop.split_once('=').unwrap();
            assert!(["line", "col", "endLine", "endColumn", "title"].contains(&key), "{prop} in {c}");
        }
    }
    assert!(commands.iter().any(|c| c.contains(" file=we%2Cird%3Aname.conf,line=7,col=")), "{run:?}");
    assert!(
        commands.contains(&"::error file=100%25%2Cgone.conf,title=frrlint::cannot read 100%25,gone.conf: No such file or directory (os error 2)"),
        "{run:?}"
    );
}

#[test]
fn relative_inputs_give_relative_paths_in_every_format() {
    let s = Scratch::new("relative");
    s.write("good.conf", GOOD).write("sub/bad.conf", BAD);
    let abs = s.dir.canonicalize().unwrap();
    for format in ["text", "json", "sarif", "github"] {
        let run = s.frrlint(&["check", "--format", format, "--stats", "good.conf", "sub", "./missing.conf"]);
        assert_eq!(run.code, 2, "{run:?}");
        let all = run.all();
        for forbidden in [abs.to_str().unwrap(), s.dir.to_str().unwrap(), env!("CARGO_MANIFEST_DIR")] {
            assert!(!all.contains(forbidden), "{format}: {forbidden} in {run:?}");
        }
        assert!(all.contains("sub/bad.conf") && all.contains("missing.conf"), "{format}: {run:?}");
    }
}

#[test]
fn text_is_coloured_only_on_a_terminal_without_no_color() {
    let s = Scratch::new("color");
    s.write("bad.conf", BAD);
    // Off a terminal: plain, whatever the options.
    for extra in [&[][..], &["--no-color"]] {
        let mut args = vec!["check", "bad.conf"];
        args.extend_from_slice(extra);
        let run = s.frrlint(&args);
        assert!(!run.all().contains('\u{1b}'), "{run:?}");
        assert!(run.stdout.contains("bad.conf:7:"), "{run:?}");
    }
    // On a terminal (util-linux `script` gives the command a pty): colour, unless
    // --no-color or NO_COLOR.
    let on_tty = |extra: &str, no_color: Option<&str>| {
        let cmd = format!("{} check bad.conf {extra}", env!("CARGO_BIN_EXE_frrlint"));
        let mut c = Command::new("script");
        c.args(["-q", "-e", "-c", &cmd, "/dev/null"]).current_dir(&s.dir).env_remove("NO_COLOR");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        let out = c.output().unwrap_or_else(|e| panic!("cannot run script ({e}): run tests/setup-deps.sh"));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(text.contains("bad.conf:7:"), "{text}");
        text.contains('\u{1b}')
    };
    assert!(on_tty("", None), "no colour on a terminal");
    assert!(!on_tty("--no-color", None), "colour despite --no-color");
    assert!(!on_tty("", Some("1")), "colour despite NO_COLOR");
    assert!(on_tty("", Some("")), "an empty NO_COLOR does not count");
}

/// Snippets show whole lines around each label: a password next to a finding is masked.
#[test]
fn passwords_never_appear_in_any_format() {
    let s = Scratch::new("secrets");
    s.write(
        "r1.conf",
        "router bgp 65001\n neighbor 192.0.2.1 remote-as 65002\n neighbor 192.0.2.1 password hunter2secret\n \
         address-family ipv4 unicast\n  neighbor 192.0.2.1 route-map MISSING in\n exit-address-family\nexit\n",
    );
    for format in ["text", "json", "sarif", "github"] {
        let run = s.frrlint(&["check", "--format", format, "r1.conf"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(!run.all().contains("hunter2secret"), "{format}: {run:?}");
    }
    let text = s.frrlint(&["check", "r1.conf"]).stdout;
    assert!(text.contains("neighbor 192.0.2.1 password *************"), "{text}");
}

/// The bundled labs pair FRR routers with Cilium manifests: every finding with a label in
/// another file shows that file's snippet in text, and the whole run is valid SARIF.
#[test]
fn cross_file_findings_show_both_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_frrlint"))
            .args(["check", "--format", format, "fixtures/labs"])
            .current_dir(root)
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    };
    let json = run("json");
    let v: Value = serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("{e}: {json:?}"));
    let text = run("text").stdout;
    let mut cross = 0;
    for d in v["diagnostics"].as_array().unwrap() {
        for r in d["related"].as_array().unwrap() {
            if r["file"] != d["file"] {
                cross += 1;
                let file = r["file"].as_str().unwrap();
                assert!(text.contains(&format!("see also {file}")), "{file} missing from:\n{text}");
                assert!(text.contains(&format!("[{file}:{}:{}]", r["line"], r["column"])), "{file} snippet missing:\n{text}");
            }
        }
    }
    assert!(cross > 0, "no finding points into a second file: {json:?}");

    let sarif = run("sarif");
    let s = Scratch::new("labs-sarif");
    s.write("labs.sarif", &sarif.stdout);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/snapshots/cli/validate-sarif.py");
    let out = Command::new("python3").arg(script).arg(s.dir.join("labs.sarif")).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn rules_lists_the_catalogue_and_explain_prints_each_page() {
    let s = Scratch::new("rules");
    let table = s.frrlint(&["rules"]);
    assert_eq!(table.code, 0, "{table:?}");
    let mut lines = table.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["CODE", "NAME", "SEVERITY", "GROUP", "SUMMARY"]);
    let json = s.frrlint(&["rules", "--format", "json"]);
    let rules: Value = serde_json::from_str(&json.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert!(!rules.is_empty(), "the catalogue is empty: {table:?}");
    assert_eq!(lines.count(), rules.len());
    for r in rules {
        let (code, name) = (r["code"].as_str().unwrap(), r["name"].as_str().unwrap());
        assert!(table.stdout.contains(code) && table.stdout.contains(name));
        assert!(["info", "warning", "error"].contains(&r["severity"].as_str().unwrap()), "{r}");
        assert!(["frr", "kubernetes", "crosscheck"].contains(&r["group"].as_str().unwrap()), "{r}");
        let by_code = s.frrlint(&["explain", &code.to_lowercase()]);
        assert_eq!(by_code.code, 0, "{by_code:?}");
        assert!(by_code.stdout.contains(code), "the page names its code: {by_code:?}");
        assert_eq!(s.frrlint(&["explain", name]).stdout, by_code.stdout);
    }
    let unknown = s.frrlint(&["explain", "no-such-rule"]);
    assert_eq!(unknown.code, 2, "{unknown:?}");
    assert!(unknown.stderr.contains("unknown rule `no-such-rule`"), "{unknown:?}");
}

/// Run git quietly in `dir` with a configuration of its own, so that the user's global git
/// settings (hooksPath, signing) cannot change the outcome.
fn git(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "frrlint test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "frrlint test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("PRE_COMMIT_HOME", dir.join("../pre-commit-home"))
        .env("PATH", path_with_frrlint())
        .env_remove("NO_COLOR")
        .output()
        .unwrap_or_else(|e| panic!("cannot run git: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// PATH with the frrlint under test first, for the `frrlint-system` hook.
fn path_with_frrlint() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_frrlint")).parent().unwrap().to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).unwrap()
}

/// The real pre-commit (tests/setup-deps.sh installs it) runs one of this repository's hooks,
/// from the committed HEAD, in a scratch repository: a commit with a bad config is refused
/// with frrlint's findings, a good one goes through.
fn pre_commit_blocks_a_bad_config(hook_id: &str, hook_name: &str) {
    let s = Scratch::new(&format!("pre-commit-{hook_id}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = git(root, &["rev-parse", "HEAD"]);
    assert_eq!(head.code, 0, "{head:?}");
    let rev = head.stdout.trim();
    let hooks = git(root, &["cat-file", "-e", &format!("{rev}:.pre-commit-hooks.yaml")]);
    assert_eq!(hooks.code, 0, "HEAD has no .pre-commit-hooks.yaml: {hooks:?}");

    let repo = s.dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    assert_eq!(git(&repo, &["init", "-q", "-b", "main"]).code, 0);
    s.write(
        "repo/.pre-commit-config.yaml",
        &format!("repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: {hook_id}\n", root.display()),
    );
    let install = Command::new("python3")
        .args(["-m", "pre_commit", "install"])
        .current_dir(&repo)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("PRE_COMMIT_HOME", s.dir.join("pre-commit-home"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}): run tests/setup-deps.sh"));
    assert!(
        install.status.success(),
        "pre-commit install failed (installed? run tests/setup-deps.sh): {}{}",
        String::from_utf8_lossy(&install.stdout),
        String::from_utf8_lossy(&install.stderr)
    );

    s.write("repo/frr/bad.conf", BAD);
    assert_eq!(git(&repo, &["add", "."]).code, 0);
    let refused = git(&repo, &["commit", "-q", "-m", "a bad config"]);
    assert_ne!(refused.code, 0, "the commit went through: {refused:?}");
    let out = refused.all();
    assert!(out.contains(hook_name) && out.contains("Failed"), "{refused:?}");
    assert!(out.contains("frr/bad.conf:7:"), "frrlint's finding is shown: {refused:?}");
    assert!(out.contains(" in 1 file\n") && !out.contains("0 errors, 0 warnings"), "{refused:?}");

    s.write("repo/frr/bad.conf", GOOD);
    assert_eq!(git(&repo, &["add", "."]).code, 0);
    let accepted = git(&repo, &["commit", "-q", "-m", "a good config"]);
    assert_eq!(accepted.code, 0, "{accepted:?}");
    assert!(accepted.all().contains("Passed"), "{accepted:?}");
}

/// `frrlint-system` with the frrlint under test first on PATH: nothing to build.
#[test]
fn pre_commit_system_hook_blocks_a_bad_config() {
    pre_commit_blocks_a_bad_config("frrlint-system", "frrlint (installed)");
}

/// `frrlint` (language: rust): pre-commit runs `cargo install --path` on its clone of HEAD,
/// which needs crates.io (or a warm cargo cache) and a release build of about a minute.
#[test]
fn pre_commit_rust_hook_builds_frrlint_and_blocks_a_bad_config() {
    pre_commit_blocks_a_bad_config("frrlint", "frrlint....");
}
