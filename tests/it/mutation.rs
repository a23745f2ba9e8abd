//! The mutation test: lines of real configurations (corpus files FRR 8.4.4 accepts) in the
//! checked nodes are broken the ways people break them, and frrlint (target 8.4) must agree
//! with FRR 8.4.4's `vtysh -C` on whether each broken line is rejected.
//!
//! Several mutations go into one copy of a corpus file, at least three lines apart, so that
//! one vtysh run judges them all: vtysh names each rejected line (`line N: % …`). A mutation
//! agrees when both tools judge its line alike and also every line after it, up to the next
//! mutation, on which a mutation can have knock-on effects (a broken block opener leaves the
//! following lines outside the block, in both tools). frrlint's own false findings on the
//! unmutated file are left to the corpus test. Everything is deterministic (fixed seed).

use crate::corpus::{vtysh_verdicts, REJECTING};
use crate::vtysh;
use frrlint::model::Config;
use frrlint::source::{FileId, SourceFile};
use frrlint::syntax::{grammar, parse, FrrVersion, LineKind, ParseOptions, WordKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The nodes frrlint checks in full: mutations are taken from lines that run in these.
const CHECKED_NODES: [&str; 5] = ["config", "bgp", "bgp-ipv4-unicast", "bgp-ipv6-unicast", "route-map"];
const MIN_MUTATIONS: usize = 2_000;
const MIN_AGREEMENT: f64 = 0.95;
/// Mutations per file, and the least distance between two in one file.
const PER_FILE: usize = 8;
const SPACING: u32 = 3;
const SEED: u64 = 0x5eed_f00d_8404_0404;

/// xorshift64*: a small deterministic generator, enough to pick lines and operators.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        if v.is_empty() {
            None
        } else {
            v.get(self.below(v.len()))
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    MisspelledKeyword,
    NumberOutOfRange,
    BadAddress,
    WrongTokenClass,
    Truncated,
    ExtraToken,
}

const OPS: [Op; 6] =
    [Op::MisspelledKeyword, Op::NumberOutOfRange, Op::BadAddress, Op::WrongTokenClass, Op::Truncated, Op::ExtraToken];

/// One word of a line as frrlint's grammar classified it: byte range in the line, kind.
#[derive(Clone, Copy)]
struct LineWord {
    start: usize,
    end: usize,
    kind: WordKind,
}

/// A line that may be mutated.
struct Candidate {
    line: u32,
    text: String,
    words: Vec<LineWord>,
    /// The line opens a block (`router bgp`, `route-map`, `interface` …).
    opener: bool,
}

struct Mutation {
    file: PathBuf,
    line: u32,
    op: Op,
    opener: bool,
    original: String,
    mutated: String,
}

/// The outcome for one mutation.
struct Outcome {
    vtysh: Option<String>,
    frrlint: Option<String>,
    /// Lines after the mutation (before the next) that the tools judge differently.
    knock_on: Vec<(u32, Option<String>, Option<String>)>,
}

impl Outcome {
    fn agrees(&self) -> bool {
        self.vtysh.is_some() == self.frrlint.is_some() && self.knock_on.is_empty()
    }
}

fn replace(text: &str, w: &LineWord, with: &str) -> String {
    format!("{}{}{}", &text[..w.start], with, &text[w.end..])
}

fn misspell(word: &str, rng: &mut Rng) -> String {
    let mut c: Vec<char> = word.chars().collect();
    if c.len() < 3 {
        return format!("{word}x");
    }
    // Inside the word, so that the result is no abbreviation of the keyword.
    let i = 1 + rng.below(c.len() - 2);
    match rng.below(3) {
        0 => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        _ => c[i] = if c[i] == 'q' { 'z' } else { 'q' },
    }
    let s: String = c.into_iter().collect();
    if s == word {
        format!("{word}q")
    } else {
        s
    }
}

fn out_of_range(n: i64, rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => "4294967296".to_string(),
        1 => "-1".to_string(),
        2 => format!("{}", n.saturating_mul(100_000).saturating_add(99_999)),
        _ => "99999999999".to_string(),
    }
}

fn bad_address(kind: WordKind, text: &str, rng: &mut Rng) -> Option<String> {
    let v4 = ["10.0.0.256", "10.0.0", "10.0.0.1.1", "1O.0.0.1", "300.1.1.1"];
    let v4p = ["10.0.0.0/33", "10.0.0.256/24", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1"];
    let v6 = ["2001:db8:::1", "2001:dg8::1", "2001:db8::1::2", "fe80::12345"];
    let v6p = ["2001:db8::/129", "2001:db8:::/64", "2001:dbg8::/32", "2001:db8::/"];
    let pool: &[&str] = match kind {
        WordKind::Ipv4(_) => &v4,
        WordKind::Ipv4Prefix(_) => &v4p,
        WordKind::Ipv6(_) => &v6,
        WordKind::Ipv6Prefix(_) => &v6p,
        _ => return None,
    };
    let s = rng.pick(pool)?.to_string();
    (s != text).then_some(s)
}

fn wrong_class(kind: WordKind, rng: &mut Rng) -> Option<String> {
    let s = match kind {
        WordKind::Number(_) | WordKind::Asn(_) => *rng.pick(&["ten", "as65000", "1.5.x", "0x10"])?,
        WordKind::Ipv4(_) | WordKind::Ipv6(_) => *rng.pick(&["peer1", "192.0.2.1/24", "65001"])?,
        WordKind::Ipv4Prefix(_) | WordKind::Ipv6Prefix(_) => *rng.pick(&["192.0.2.1", "lan", "2001:db8::1"])?,
        WordKind::Keyword(_) => *rng.pick(&["5", "10.0.0.1", "2001:db8::/32"])?,
        _ => return None,
    };
    Some(s.to_string())
}

/// Break one line with `op`; `None` when the line has no word the operator applies to.
fn mutate(c: &Candidate, op: Op, rng: &mut Rng) -> Option<String> {
    let words_of =
        |f: &dyn Fn(&WordKind) -> bool| -> Vec<LineWord> { c.words.iter().filter(|w| f(&w.kind)).copied().collect() };
    let out = match op {
        Op::MisspelledKeyword => {
            let kws = words_of(&|k| matches!(k, WordKind::Keyword(k) if *k != "no"));
            let w = *rng.pick(&kws)?;
            replace(&c.text, &w, &misspell(&c.text[w.start..w.end], rng))
        }
        Op::NumberOutOfRange => {
            let nums = words_of(&|k| matches!(k, WordKind::Number(_) | WordKind::Asn(_)));
            let w = *rng.pick(&nums)?;
            let n = match w.kind {
                WordKind::Number(n) => n,
                WordKind::Asn(a) => i64::from(a),
                _ => 0,
            };
            replace(&c.text, &w, &out_of_range(n, rng))
        }
        Op::BadAddress => {
            let addrs = words_of(&|k| {
                matches!(k, WordKind::Ipv4(_) | WordKind::Ipv4Prefix(_) | WordKind::Ipv6(_) | WordKind::Ipv6Prefix(_))
            });
            let w = *rng.pick(&addrs)?;
            replace(&c.text, &w, &bad_address(w.kind, &c.text[w.start..w.end], rng)?)
        }
        Op::WrongTokenClass => {
            let typed = words_of(&|k| !matches!(k, WordKind::Variable | WordKind::Mac | WordKind::Keyword("no")));
            // Not the first word: a number or address there is no command at all.
            let typed: Vec<LineWord> = typed.into_iter().filter(|w| w.start > c.words[0].start).collect();
            let w = *rng.pick(&typed)?;
            replace(&c.text, &w, &wrong_class(w.kind, rng)?)
        }
        Op::Truncated => {
            if c.words.len() < 2 {
                return None;
            }
            let keep = 1 + rng.below(c.words.len() - 1);
            c.text[..c.words[keep - 1].end].to_string()
        }
        Op::ExtraToken => format!("{} {}", c.text.trim_end(), rng.pick(&["extra", "42", "10.0.0.1", "in"])?),
    };
    (out != c.text && !out.trim().is_empty()).then_some(out)
}

/// Lines of `text` frrlint's grammar runs in a checked node, with their words.
fn candidates(path: &Path, text: &str) -> Vec<Candidate> {
    let g = grammar();
    let src = SourceFile::new(path.display().to_string(), text);
    let parsed = parse(&src, &ParseOptions { version: Some(FrrVersion::new(8, 4)), ..Default::default() });
    let mut out = Vec::new();
    for l in &parsed.lines {
        let LineKind::Command(c) = &l.kind else { continue };
        if c.exits || c.end || !CHECKED_NODES.contains(&g.node(l.node).name) {
            continue;
        }
        let line_span = src.line_span(l.line);
        let text = src.slice(line_span).to_string();
        let base = line_span.start as usize;
        let words = parsed
            .words(c)
            .iter()
            .map(|w| LineWord { start: w.span.start as usize - base, end: w.span.end as usize - base, kind: w.kind })
            .collect();
        out.push(Candidate { line: l.line, text, words, opener: c.enters.is_some() });
    }
    out
}

/// frrlint's rejected lines (syntax-error or invalid-value), target 8.4, with the message.
fn frrlint_rejects(name: &str, text: &str) -> BTreeMap<u32, String> {
    let src = SourceFile::new(name, text);
    let cfg = Config::from_source(FileId(0), &src, &ParseOptions { version: Some(FrrVersion::new(8, 4)), ..Default::default() });
    let mut out = BTreeMap::new();
    for d in frrlint::rules::check_config(&cfg) {
        if REJECTING.contains(&d.rule) {
            let (line, _) = src.line_col(d.primary.span.start);
            out.entry(line).or_insert_with(|| format!("{}: {}", d.rule, d.message));
        }
    }
    out
}

/// Corpus files FRR 8.4.4 accepts without any error line, in a seeded order.
fn accepted_files(rng: &mut Rng) -> Vec<PathBuf> {
    let dir = crate::corpus::corpus_dir();
    let mut files: Vec<PathBuf> = vtysh_verdicts()
        .into_iter()
        .filter(|(_, (code, errors))| *code == 0 && *errors == 0)
        .map(|(p, _)| dir.join(p))
        .collect();
    for i in (1..files.len()).rev() {
        files.swap(i, rng.below(i + 1));
    }
    files
}

/// Mutate up to PER_FILE lines of one file; returns the mutated text and the mutations.
///
/// A broken block opener leaves the block's lines outside it, and its closing `exit` becomes
/// a top-level `exit`, after which FRR 8.4 rejects every line. Later mutations would be
/// judged in that wreckage, so a file gets at most one opener mutation, after all others.
fn mutate_file(path: &Path, rng: &mut Rng) -> Option<(String, Vec<Mutation>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut cands = candidates(path, &text);
    for i in (1..cands.len()).rev() {
        cands.swap(i, rng.below(i + 1));
    }
    let mut chosen: Vec<(&Candidate, Op, String)> = Vec::new();
    let spaced = |chosen: &[(&Candidate, Op, String)], c: &Candidate| {
        chosen.iter().all(|(m, _, _)| m.line.abs_diff(c.line) >= SPACING)
    };
    for c in cands.iter().filter(|c| !c.opener) {
        if chosen.len() == PER_FILE - 1 {
            break;
        }
        let op = OPS[rng.below(OPS.len())];
        if spaced(&chosen, c) {
            if let Some(mutated) = mutate(c, op, rng) {
                chosen.push((c, op, mutated));
            }
        }
    }
    let last = chosen.iter().map(|(c, _, _)| c.line).max().unwrap_or(0);
    if rng.below(2) == 0 {
        for c in cands.iter().filter(|c| c.opener && c.line > last) {
            let op = OPS[rng.below(OPS.len())];
            if let (true, Some(mutated)) = (spaced(&chosen, c), mutate(c, op, rng)) {
                chosen.push((c, op, mutated));
                break;
            }
        }
    }
    if chosen.is_empty() {
        return None;
    }
    chosen.sort_by_key(|(c, _, _)| c.line);
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut out = Vec::new();
    for (c, op, mutated) in chosen {
        let idx = c.line as usize - 1;
        let indent_len = lines[idx].len() - lines[idx].trim_start().len();
        let full = format!("{}{}", &lines[idx][..indent_len], mutated.trim_start());
        lines[idx] = full.clone();
        out.push(Mutation {
            file: path.to_path_buf(),
            line: c.line,
            op,
            opener: c.opener,
            original: c.text.clone(),
            mutated: full,
        });
    }
    Some((lines.join("\n"), out))
}

#[test]
fn frrlint_and_vtysh_agree_on_mutated_corpus_lines() {
    let mut rng = Rng(SEED);
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutation");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();

    // Build mutated copies until there are enough mutations (with a margin).
    let mut batches: Vec<(PathBuf, String, String, Vec<Mutation>)> = Vec::new();
    let mut total = 0;
    for (i, path) in accepted_files(&mut rng).into_iter().enumerate() {
        if total >= MIN_MUTATIONS + MIN_MUTATIONS / 5 {
            break;
        }
        let Some((mutated, muts)) = mutate_file(&path, &mut rng) else { continue };
        let original = std::fs::read_to_string(&path).unwrap();
        let out = work.join(format!("m{i:04}.conf"));
        std::fs::write(&out, &mutated).unwrap();
        total += muts.len();
        batches.push((out, original, mutated, muts));
    }

    let paths: Vec<PathBuf> = batches.iter().map(|b| b.0.clone()).collect();
    let verdicts = vtysh::check_many(&paths, vtysh::default_threads());

    let mut outcomes: Vec<(Mutation, Outcome)> = Vec::new();
    for ((out, original, mutated, muts), v) in batches.into_iter().zip(verdicts) {
        let ours = frrlint_rejects(&out.display().to_string(), &mutated);
        let before = frrlint_rejects("original.conf", &original);
        let lines: Vec<u32> = muts.iter().map(|m| m.line).collect();
        let all: BTreeSet<u32> = ours.keys().chain(v.errors.keys()).copied().collect();
        for (k, m) in muts.into_iter().enumerate() {
            let next = lines.get(k + 1).copied().unwrap_or(u32::MAX);
            let knock_on = all
                .range(m.line + 1..next)
                .filter(|&&n| {
                    let (t, o) = (v.errors.contains_key(&n), ours.contains_key(&n));
                    // frrlint's findings on the unmutated file are the corpus test's business.
                    t != o && !(o && before.contains_key(&n))
                })
                .map(|&n| (n, v.errors.get(&n).cloned(), ours.get(&n).cloned()))
                .collect();
            let o = Outcome { vtysh: v.errors.get(&m.line).cloned(), frrlint: ours.get(&m.line).cloned(), knock_on };
            outcomes.push((m, o));
        }
    }

    let n = outcomes.len();
    let agree = outcomes.iter().filter(|(_, o)| o.agrees()).count();
    let share = agree as f64 / n as f64;
    let rejected_by_vtysh = outcomes.iter().filter(|(_, o)| o.vtysh.is_some()).count();
    println!(
        "mutation test: {agree} of {n} mutations judged alike by frrlint (--frr-version 8.4) and vtysh -C {} ({:.2}%); \
         vtysh rejected {rejected_by_vtysh} of the mutated lines; {} files",
        vtysh::vtysh_release(),
        share * 100.0,
        paths.len()
    );
    let mut by_op: BTreeMap<Op, (usize, usize)> = BTreeMap::new();
    for (m, o) in &outcomes {
        let e = by_op.entry(m.op).or_default();
        e.0 += usize::from(o.agrees());
        e.1 += 1;
    }
    for (op, (a, t)) in &by_op {
        println!("  {op:?}: {a} of {t} agree");
    }
    let openers: Vec<&(Mutation, Outcome)> = outcomes.iter().filter(|(m, _)| m.opener).collect();
    println!("  on block openers: {} of {} agree", openers.iter().filter(|(_, o)| o.agrees()).count(), openers.len());
    let disagreements: Vec<&(Mutation, Outcome)> = outcomes.iter().filter(|(_, o)| !o.agrees()).collect();
    // An evenly spread sample, so that one frequent kind does not hide the others.
    let step = disagreements.len().div_ceil(40).max(1);
    println!("disagreements: {} (every {step}th shown)", disagreements.len());
    for (m, o) in disagreements.iter().step_by(step) {
        let rel = m.file.strip_prefix(crate::corpus::corpus_dir()).unwrap_or(&m.file);
        println!("  {}:{} {:?}", rel.display(), m.line, m.op);
        println!("      was:     {}", m.original.trim());
        println!("      now:     {}", m.mutated.trim());
        println!("      vtysh:   {}", o.vtysh.as_deref().unwrap_or("accepted"));
        println!("      frrlint: {}", o.frrlint.as_deref().unwrap_or("accepted"));
        for (line, t, f) in o.knock_on.iter().take(3) {
            println!(
                "      then line {line}: vtysh {}, frrlint {}",
                t.as_deref().unwrap_or("accepted"),
                f.as_deref().unwrap_or("accepted")
            );
        }
    }
    assert!(n >= MIN_MUTATIONS, "only {n} mutations were made (at least {MIN_MUTATIONS} are needed)");
    assert!(
        share >= MIN_AGREEMENT,
        "frrlint and vtysh agree on {:.2}% of {n} mutations, below {:.0}%",
        share * 100.0,
        MIN_AGREEMENT * 100.0
    );
}
