//! Meta-tests that keep the rule catalogue honest: codes and names unique and well formed,
//! every rule with a documentation page and with a failing and a passing fixture, fixture
//! directories and markers naming real rules, and every command the model lowers exercised
//! by some fixture or corpus file.
//!
//! Grammar coverage is scoped to what the model lowers. The full FRR 8.4 grammar of the
//! checked nodes (config, bgp, bgp-ipv4-unicast, bgp-ipv6-unicast, route-map) has about
//! 1,500 commands, of which the corpus and the fixtures use about 430; most of the rest are
//! other daemons' top-level commands (igmp, ospf, mpls …) that frrlint only recognises. So the
//! test requires instead that each keyword skeleton lowering dispatches on
//! (`frrlint::model::lower::modelled_skeletons`, the keys of the HANDLERS tables and the block
//! openers) appears, in every checked node whose grammar has it, in some fixture or corpus
//! line; and it prints the full-grammar figure for information.

use crate::fixtures;
use frrlint::diag::RuleMeta;
use frrlint::source::SourceFile;
use frrlint::syntax::{grammar, parse, LineKind, ParseOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The nodes frrlint checks in full.
const CHECKED_NODES: [&str; 5] = ["config", "bgp", "bgp-ipv4-unicast", "bgp-ipv6-unicast", "route-map"];

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every rule as each registry declares it, before `catalogue()` sorts and de-duplicates.
fn declared() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = frrlint::rules::RULES.iter().map(|r| r.meta()).collect();
    v.extend(frrlint::k8s::checks::CHECKS.iter().map(|c| c.meta));
    v.extend(frrlint::crosscheck::rule_metas());
    v
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `FRR101`, `K8S001`, `XC001`: a capital letter, capitals or digits, then three digits.
fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    let (prefix, digits) = b.split_at(b.len().saturating_sub(3));
    digits.len() == 3
        && digits.iter().all(u8::is_ascii_digit)
        && (2..=4).contains(&prefix.len())
        && prefix[0].is_ascii_uppercase()
        && prefix.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    // A rule that two groups share (family-mismatch: FRR's route-maps and the cross-check's
    // sessions) is one RuleMeta declared twice; two different metas may not share a code.
    let mut all: Vec<&'static RuleMeta> = Vec::new();
    for m in declared() {
        if !all.iter().any(|x| std::ptr::eq(*x, m)) {
            all.push(m);
        }
    }
    let mut problems = Vec::new();
    let mut codes = BTreeMap::new();
    let mut names = BTreeMap::new();
    for m in &all {
        if !is_code(m.code) {
            problems.push(format!("{}: a code is letters and three digits (FRR101)", m.code));
        }
        if !is_kebab(m.name) {
            problems.push(format!("{} {}: names are kebab-case", m.code, m.name));
        }
        if let Some(other) = codes.insert(m.code, m.name) {
            problems.push(format!("code {} is used by {other} and {}", m.code, m.name));
        }
        if let Some(other) = names.insert(m.name, m.code) {
            problems.push(format!("name {} is used by {other} and {}", m.name, m.code));
        }
        if m.summary.trim().is_empty() || m.summary.ends_with('.') {
            problems.push(format!("{} {}: the summary is one line without a final period", m.code, m.name));
        }
    }
    let catalogue = frrlint::rules::catalogue();
    if catalogue.len() != all.len() {
        problems.push(format!("catalogue() lists {} rules, the registries declare {}", catalogue.len(), all.len()));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_has_a_docs_page_titled_with_its_code_and_name() {
    let mut problems = Vec::new();
    for m in frrlint::rules::catalogue() {
        let path = manifest().join("docs/rules").join(format!("{}.md", m.code));
        let Ok(text) = std::fs::read_to_string(&path) else {
            problems.push(format!("{} {}: no page {}", m.code, m.name, path.display()));
            continue;
        };
        let title = format!("# {} {}", m.code, m.name);
        let first = text.lines().next().unwrap_or("");
        if !(first == title || first.starts_with(&format!("{title} "))) {
            problems.push(format!("{}: the title line is `{first}`, expected `{title}`", path.display()));
        }
        if m.docs != text {
            problems.push(format!("{} {}: the embedded docs differ from {}", m.code, m.name, path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Where a rule's fixtures live: `fixtures/rules/<name>`, or `fixtures/k8s/<name>` and
/// `fixtures/crosscheck/<name>` for the Kubernetes and cross checks, which keep theirs
/// beside their own walkers.
fn fixture_dir(name: &str) -> Option<PathBuf> {
    ["fixtures/rules", "fixtures/k8s", "fixtures/crosscheck"]
        .iter()
        .map(|d| manifest().join(d).join(name))
        .find(|p| p.is_dir())
}

/// The rules each case of a directory expects, keyed by the case's file or directory name.
fn expectations(dir: &Path) -> Vec<(String, BTreeSet<String>)> {
    fixtures::cases(dir)
        .into_iter()
        .map(|case| {
            let name = case.input.file_name().unwrap().to_string_lossy().into_owned();
            let mut rules = BTreeSet::new();
            for f in &case.files {
                let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display()));
                rules.extend(fixtures::expected(f, &text).into_iter().map(|(_, r)| r));
            }
            (name, rules)
        })
        .collect()
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let mut problems = Vec::new();
    for m in frrlint::rules::catalogue() {
        let Some(dir) = fixture_dir(m.name) else {
            problems.push(format!("{} {}: no fixtures/{{rules,k8s,crosscheck}}/{} directory", m.code, m.name, m.name));
            continue;
        };
        let cases = expectations(&dir);
        let failing = cases.iter().any(|(n, rules)| n.starts_with("fail") && rules.contains(m.name));
        let passing = cases.iter().any(|(n, _)| n.starts_with("pass"));
        if !failing {
            problems.push(format!("{}: no fail* case that expects {}", dir.display(), m.name));
        }
        if !passing {
            problems.push(format!("{}: no pass* case", dir.display()));
        }
        for (n, rules) in &cases {
            if n.starts_with("pass") && rules.contains(m.name) {
                problems.push(format!("{}/{n}: a passing case expects {}", dir.display(), m.name));
            }
            if !(n.starts_with("pass") || n.starts_with("fail")) {
                problems.push(format!("{}/{n}: case names start with fail or pass", dir.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn fixture_directories_and_markers_name_real_rules() {
    let known: BTreeSet<&str> = frrlint::rules::catalogue().iter().map(|m| m.name).collect();
    let mut problems = Vec::new();
    for (name, dir) in fixtures::rule_dirs() {
        if !known.contains(name.as_str()) {
            problems.push(format!("{}: no rule is called {name}", dir.display()));
        }
        for (case, rules) in expectations(&dir) {
            for r in rules.iter().filter(|r| !known.contains(r.as_str())) {
                problems.push(format!("{}/{case}: expects `{r}`, which is no rule", dir.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every `*.conf` below `dir`, in sorted order.
pub(crate) fn conf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            conf_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "conf") {
            out.push(p);
        }
    }
}

/// Keywords of a grammar command, up to its first non-keyword element, after any `[no]`/`no`.
fn leading_keywords(text: &str) -> Vec<&str> {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if matches!(words.first(), Some(&"[no]") | Some(&"no")) {
        words.remove(0);
    }
    let is_keyword = |w: &&str| w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    words.into_iter().take_while(is_keyword).collect()
}

/// Does `words` start with the words of `key`?
fn starts_with_words(words: &[&str], key: &str) -> bool {
    let k: Vec<&str> = key.split(' ').collect();
    words.len() >= k.len() && words[..k.len()] == k[..]
}

#[test]
fn every_command_the_model_lowers_appears_in_a_fixture_or_corpus_file() {
    let g = grammar();
    let mut files = Vec::new();
    conf_files(&manifest().join("fixtures"), &mut files);
    let fixture_count = files.len();
    conf_files(&crate::corpus::corpus_dir(), &mut files);

    // (node, keywords of the matched line after `no`), and the grammar lines matched.
    let mut seen: BTreeSet<(&'static str, String)> = BTreeSet::new();
    let mut matched: BTreeSet<&'static str> = BTreeSet::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display()));
        let src = SourceFile::from_bytes(f.display().to_string(), bytes);
        let parsed = parse(&src, &ParseOptions::default());
        for line in &parsed.lines {
            if let LineKind::Command(c) = &line.kind {
                let skel = c.skeleton(&parsed);
                let skel = skel.strip_prefix("no ").unwrap_or(&skel).to_string();
                seen.insert((g.node(line.node).name, skel));
                matched.insert(c.grammar_line);
            }
        }
    }

    let keys = frrlint::model::lower::modelled_skeletons();
    let mut missing = Vec::new();
    let mut pairs = 0;
    for node in CHECKED_NODES {
        let id = g.node_by_name(node).unwrap_or_else(|| panic!("the grammar has no node {node}"));
        let commands: Vec<Vec<&str>> =
            g.commands_of(id).map(|i| leading_keywords(g.command(i).text)).collect();
        for key in &keys {
            if !commands.iter().any(|w| starts_with_words(w, key)) {
                continue;
            }
            pairs += 1;
            let used =
                seen.iter().any(|(n, skel)| *n == node && starts_with_words(&skel.split(' ').collect::<Vec<_>>(), key));
            if !used {
                missing.push(format!("{node}: `{key}`"));
            }
        }
    }

    let mut total = 0;
    let mut covered = 0;
    for node in CHECKED_NODES {
        let id = g.node_by_name(node).unwrap();
        for i in g.commands_of(id) {
            let c = g.command(i);
            if !c.hidden && !c.deprecated {
                total += 1;
                covered += usize::from(matched.contains(c.text));
            }
        }
    }
    println!(
        "{} modelled skeletons, {pairs} (node, skeleton) pairs in the checked nodes, {} uncovered; \
         full grammar of those nodes: {covered} of {total} visible commands used by {fixture_count} fixtures \
         and the corpus",
        keys.len(),
        missing.len()
    );
    assert!(missing.is_empty(), "modelled commands no fixture or corpus file uses:\n{}", missing.join("\n"));
}
