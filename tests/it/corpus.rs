//! The corpus of real configurations (`../shared/corpus/frr-topotests`, FRR's own topotests,
//! read in place): every file is valid for some FRR release, so with the default target
//! (the newest release) none may have a syntax-error or invalid-value; and with
//! `--frr-version 8.4` frrlint's accept/reject verdict must agree with what FRR 8.4.4's
//! `vtysh -C` said of each file (the .tsv beside the corpus) on at least 97% of them.

use frrlint::check::{check_paths, CheckOptions, CheckReport};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The number of files the corpus README promises.
const CORPUS_FILES: usize = 1410;
/// The least share of files on which frrlint (target 8.4) and vtysh 8.4.4 must agree.
const MIN_AGREEMENT: f64 = 0.97;

pub(crate) fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

pub(crate) fn corpus_dir() -> PathBuf {
    let dir = corpus_root().join("frr-topotests");
    assert!(dir.is_dir(), "the corpus is missing: {} (see ../shared/corpus/README.md)", dir.display());
    dir
}

/// What FRR 8.4.4's vtysh said of each corpus file: path relative to `frr-topotests/` ->
/// (exit code, number of error lines).
pub(crate) fn vtysh_verdicts() -> BTreeMap<String, (i32, u32)> {
    let path = corpus_root().join("frr-topotests.vtysh-8.4.4.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let parsed = match cols.as_slice() {
            [p, code, errors] => code.parse().ok().zip(errors.parse().ok()).map(|v| (p.to_string(), v)),
            _ => None,
        };
        let (p, v) = parsed.unwrap_or_else(|| panic!("{}:{}: expected path, exit code, count", path.display(), i + 1));
        out.insert(p, v);
    }
    out
}

/// Rules whose findings mean "FRR rejects this line": the verdict compared with vtysh.
pub(crate) const REJECTING: [&str; 3] = ["syntax-error", "invalid-value", "stray-block-exit"];

/// The acceptance criterion for the default target: none of these on any corpus file
/// (a stray `exit-address-family`, which FRR also rejects, is a warning of its own).
const ERRORS: [&str; 2] = ["syntax-error", "invalid-value"];

/// One rejecting finding: line, rule, message.
type Rejection = (u32, &'static str, String);

/// Per corpus file (relative path), the rejecting findings.
fn rejections(report: &CheckReport, dir: &Path, rules: &[&str]) -> BTreeMap<String, Vec<Rejection>> {
    let mut out: BTreeMap<String, Vec<Rejection>> = BTreeMap::new();
    for d in report.diagnostics.iter().filter(|d| rules.contains(&d.rule)) {
        let loc = d.location(&report.sources).expect("a finding has a location");
        let rel = Path::new(&loc.file).strip_prefix(dir).map(|p| p.display().to_string()).unwrap_or(loc.file.clone());
        out.entry(rel).or_default().push((loc.line, d.rule, d.message.clone()));
    }
    out
}

fn check_corpus(frr_version: Option<&str>, rules: &[&str]) -> (BTreeMap<String, Vec<Rejection>>, usize) {
    let dir = corpus_dir();
    let opts = CheckOptions { frr_version: frr_version.map(str::to_string), ..CheckOptions::default() };
    let report = check_paths(std::slice::from_ref(&dir), &opts);
    assert!(report.input_errors.is_empty(), "unreadable corpus files: {:?}", report.input_errors);
    (rejections(&report, &dir, rules), report.stats.frr_files)
}

/// The text of line `n` (1-based) of a corpus file.
fn line_text(rel: &str, n: u32) -> String {
    let text = std::fs::read_to_string(corpus_dir().join(rel)).unwrap_or_default();
    text.lines().nth(n as usize - 1).unwrap_or("").trim().to_string()
}

#[test]
fn every_corpus_file_is_accepted_with_the_default_target() {
    let (rejected, files) = check_corpus(None, &ERRORS);
    assert_eq!(files, CORPUS_FILES, "the corpus should hold {CORPUS_FILES} FRR configs");
    println!(
        "default target: {} of {files} corpus files without syntax-error or invalid-value",
        files - rejected.len()
    );
    let mut listing = String::new();
    for (file, findings) in &rejected {
        for (line, rule, msg) in findings {
            listing.push_str(&format!("  {file}:{line}: {rule}: {msg}\n      {}\n", line_text(file, *line)));
        }
    }
    assert!(
        rejected.is_empty(),
        "{} corpus files have syntax-error or invalid-value findings:\n{listing}",
        rejected.len()
    );
}

/// FRR 8.4.4 rejects a file when vtysh exits with 2 or prints an error line: on 10 corpus
/// files vtysh 8.4.4 prints `% Unknown command` lines and still exits with 0 (for example
/// multicast_gmp_access_list_topo1/r1/frr.conf, 9 lines), so the exit code alone is not
/// FRR's verdict. Both figures are printed; the threshold applies to this one.
#[test]
fn verdicts_for_frr_8_4_agree_with_vtysh_8_4_4() {
    let (rejected, files) = check_corpus(Some("8.4"), &REJECTING);
    let vtysh = vtysh_verdicts();
    assert_eq!(vtysh.len(), CORPUS_FILES, "the .tsv should cover every corpus file");
    assert_eq!(files, CORPUS_FILES);
    let unknown: Vec<&String> = rejected.keys().filter(|f| !vtysh.contains_key(*f)).collect();
    assert!(unknown.is_empty(), "files found by frrlint that the .tsv does not list: {unknown:?}");

    let by_exit_code = vtysh.iter().filter(|(f, (code, _))| rejected.contains_key(*f) == (*code != 0)).count();
    let frr_rejects = |code: i32, errors: u32| code != 0 || errors > 0;
    let mut disagree: Vec<(&String, bool)> = Vec::new();
    for (file, (code, errors)) in &vtysh {
        let ours = rejected.contains_key(file);
        if ours != frr_rejects(*code, *errors) {
            disagree.push((file, ours));
        }
    }
    let agree = vtysh.len() - disagree.len();
    let share = agree as f64 / vtysh.len() as f64;
    let pct = |n: usize| n as f64 * 100.0 / vtysh.len() as f64;
    println!(
        "--frr-version 8.4: frrlint agrees with FRR 8.4.4 on {agree} of {} corpus files ({:.2}%); \
         with the exit-code column alone: {by_exit_code} ({:.2}%)",
        vtysh.len(),
        pct(agree),
        pct(by_exit_code)
    );
    if !disagree.is_empty() {
        // The lines vtysh rejects, for whoever looks into a disagreement.
        let paths: Vec<PathBuf> = disagree.iter().map(|(f, _)| corpus_dir().join(f)).collect();
        let live = crate::vtysh::check_many(&paths, crate::vtysh::default_threads());
        for ((file, ours), v) in disagree.iter().zip(&live) {
            let who = if *ours { "frrlint rejects, FRR accepts" } else { "FRR rejects, frrlint accepts" };
            println!("  {file}: {who}");
            let ours: BTreeSet<u32> = rejected.get(*file).map(|r| r.iter().map(|x| x.0).collect()).unwrap_or_default();
            let lines: BTreeSet<u32> = ours.iter().chain(v.errors.keys()).copied().collect();
            for n in lines {
                let tag = match (ours.contains(&n), v.errors.contains_key(&n)) {
                    (true, true) => "both   ",
                    (true, false) => "frrlint",
                    _ => "vtysh  ",
                };
                println!("      {n:>5} {tag} | {}", line_text(file, n));
            }
        }
    }
    assert!(
        share >= MIN_AGREEMENT,
        "agreement {:.2}% is below {:.0}% ({} disagreeing files, listed with --nocapture)",
        share * 100.0,
        MIN_AGREEMENT * 100.0,
        disagree.len()
    );
}
