//! FRR's own checker, `vtysh -C -f FILE`, as the reference for what FRR accepts, and the
//! test that every fixture frrlint calls syntax-clean for FRR 8.4 passes it.
//!
//! vtysh prints one `line N: % Unknown command…` / `% Command incomplete…` line per
//! rejected line and exits with 2; verdicts are therefore per line, which lets the mutation
//! test put several independent mutations into one file. A missing vtysh fails the tests
//! that need it: FRR is installed by `tests/setup-deps.sh`, and no test skips silently.

use frrlint::check::{check_paths, CheckOptions};
use frrlint::model::Config;
use frrlint::syntax::{FrrVersion, IssueKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// What `vtysh -C -f` said about one file.
#[derive(Debug, Clone)]
pub(crate) struct Verdict {
    /// 0 when vtysh accepted the file; 2 (unknown command) or 4 (incomplete command) when it
    /// rejected a line, though 8.4.4 sometimes exits with 0 after printing an error line.
    pub code: i32,
    /// Rejected lines (1-based) with vtysh's message.
    pub errors: BTreeMap<u32, String>,
    /// Everything vtysh printed.
    pub output: String,
}

impl Verdict {
    /// Accepted: exit code 0 and no error line.
    pub fn accepted(&self) -> bool {
        self.code == 0 && self.errors.is_empty()
    }
}

/// The vtysh binary; panics, so that the calling test fails, when FRR is not installed.
pub(crate) fn vtysh() -> PathBuf {
    let candidates = ["/usr/bin/vtysh", "/usr/local/bin/vtysh"];
    if let Some(p) = candidates.iter().map(PathBuf::from).find(|p| p.is_file()) {
        return p;
    }
    if let Ok(out) = Command::new("sh").args(["-c", "command -v vtysh"]).output() {
        let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && p.is_file() {
            return p;
        }
    }
    panic!("FRR's vtysh is not installed, and this test compares frrlint with it: run tests/setup-deps.sh (Debian package `frr`)");
}

/// The installed FRR package's version (e.g. "8.4.4-1.1~deb12u1"), for the test output.
pub(crate) fn vtysh_release() -> String {
    let out = Command::new("dpkg-query").args(["-W", "-f", "${Version}", "frr"]).output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        _ => "unknown".to_string(),
    }
}

/// Read vtysh's `line N: % …` messages.
pub(crate) fn parse_output(output: &str) -> BTreeMap<u32, String> {
    let mut errors = BTreeMap::new();
    for line in output.lines() {
        let Some(rest) = line.strip_prefix("line ") else { continue };
        let Some((n, msg)) = rest.split_once(':') else { continue };
        if let Ok(n) = n.trim().parse::<u32>() {
            errors.entry(n).or_insert_with(|| msg.trim().to_string());
        }
    }
    errors
}

/// Run `vtysh -C -f path`.
pub(crate) fn check(path: &Path) -> Verdict {
    let out = Command::new(vtysh())
        .arg("-C")
        .arg("-f")
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run vtysh on {}: {e}", path.display()));
    let output = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let code = out.status.code().unwrap_or(-1);
    let errors = parse_output(&output);
    assert!(code >= 0, "vtysh -C -f {} was killed by a signal:\n{output}", path.display());
    Verdict { code, errors, output }
}

/// Run vtysh on many files, `threads` at a time; results in input order. vtysh spends most
/// of its ~50 ms start-up building its command tree, so two threads per core keep the cores
/// busy while others wait on process start-up.
pub(crate) fn check_many(paths: &[PathBuf], threads: usize) -> Vec<Verdict> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Verdict>>> = Mutex::new(vec![None; paths.len()]);
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = paths.get(i) else { break };
                let v = check(p);
                results.lock().unwrap()[i] = Some(v);
            });
        }
    });
    results.into_inner().unwrap().into_iter().map(|v| v.expect("every file was checked")).collect()
}

/// A sensible number of vtysh processes at once.
pub(crate) fn default_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get() * 2).unwrap_or(4)
}

/// Lines the grammar engine rejects (what `vtysh -C` checks): unknown, incomplete,
/// ambiguous, out-of-range values, other versions' commands, over-long lines.
pub(crate) fn syntax_error_lines(cfg: &Config, sources: &frrlint::source::Sources) -> BTreeMap<u32, String> {
    let file = sources.get(cfg.file);
    let mut out = BTreeMap::new();
    for issue in &cfg.syntax_issues {
        let rejects = matches!(
            issue.kind,
            IssueKind::Unknown { .. }
                | IssueKind::Incomplete { .. }
                | IssueKind::Ambiguous { .. }
                | IssueKind::InvalidValue { .. }
                | IssueKind::NotInVersion { .. }
                | IssueKind::LineTooLong { .. }
                | IssueKind::TooManyTokens { .. }
                | IssueKind::StrayExit
        );
        if rejects {
            let (line, _) = file.line_col(issue.span.start);
            out.entry(line).or_insert_with(|| format!("{:?}", issue.kind));
        }
    }
    out
}

fn all_fixture_configs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    crate::meta::conf_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"), &mut out);
    out
}

#[test]
fn output_lines_are_attributed_to_their_line_numbers() {
    let out = "line 3: % Unknown command[25]:  neighbr 10.0.0.1 remote-as 65002\n\
               line 13: % Command incomplete[25]:  neighbor 10.0.0.1\n\nnoise\n";
    let e = parse_output(out);
    assert_eq!(e.keys().copied().collect::<Vec<_>>(), vec![3, 13]);
    assert!(e[&13].starts_with("% Command incomplete"));
}

#[test]
fn vtysh_rejects_a_misspelled_keyword_and_accepts_the_fixed_line() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("vtysh-smoke");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.conf");
    let good = dir.join("good.conf");
    std::fs::write(&bad, "router bgp 65001\n neighbr 10.0.0.1 remote-as 65002\nexit\n").unwrap();
    std::fs::write(&good, "router bgp 65001\n neighbor 10.0.0.1 remote-as 65002\nexit\n").unwrap();
    let v = check_many(&[bad, good], 2);
    assert!(!v[0].accepted() && v[0].errors.contains_key(&2), "{:?}", v[0]);
    assert!(v[1].accepted() && v[1].errors.is_empty(), "{:?}", v[1]);
}

/// Every fixture that targets FRR 8.4 and in which frrlint finds no line the grammar
/// rejects passes `vtysh -C` (of FRR 8.4.4); for the other 8.4 fixtures, both reject the
/// same lines.
#[test]
fn fixtures_frrlint_calls_syntax_clean_pass_vtysh() {
    let release = vtysh_release();
    let paths = all_fixture_configs();
    let mut targets = Vec::new();
    let mut frrlint_errors = Vec::new();
    for p in &paths {
        let report = check_paths(std::slice::from_ref(p), &CheckOptions::default());
        let Some(cfg) = report.configs.first() else {
            panic!("{} was not read as an FRR config: {:?}", p.display(), report.input_errors)
        };
        if cfg.version != FrrVersion::new(8, 4) {
            continue;
        }
        frrlint_errors.push(syntax_error_lines(cfg, &report.sources));
        targets.push(p.clone());
    }
    assert!(!targets.is_empty(), "no fixture targets FRR 8.4");
    let verdicts = check_many(&targets, default_threads());
    let mut clean = 0;
    let mut failures = Vec::new();
    for ((p, ours), theirs) in targets.iter().zip(&frrlint_errors).zip(&verdicts) {
        if ours.is_empty() {
            clean += 1;
            if !theirs.accepted() {
                failures.push(format!(
                    "{}: frrlint finds no syntax error, vtysh -C rejects:\n{}",
                    p.display(),
                    theirs.output
                ));
            }
        } else {
            let a: Vec<u32> = ours.keys().copied().collect();
            let b: Vec<u32> = theirs.errors.keys().copied().collect();
            if a != b {
                failures.push(format!(
                    "{}: frrlint rejects lines {a:?}, vtysh -C lines {b:?}\n  frrlint: {ours:?}\n  vtysh:\n{}",
                    p.display(),
                    theirs.output
                ));
            }
        }
    }
    println!(
        "vtysh {release}: {} fixtures target FRR 8.4, {clean} syntax-clean; {} disagree",
        targets.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
