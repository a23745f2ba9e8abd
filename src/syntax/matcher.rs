//! Matching one line against one node, with the semantics of FRR's `lib/command_match.c`:
//! every path through the node's commands that consumes all words is a candidate; two
//! candidates are compared word by word, and at the first word where their tokens differ in
//! precedence (value < keyword < variable) or, for tokens of one kind, in match quality (exact
//! over abbreviated), the better one wins; if no word decides, the line is ambiguous. A path
//! that consumes all words without reaching the end of a command makes the line incomplete.
//!
//! Candidates are found through the node's prefix tree ([`super::index`]) and then the
//! command graphs. Buffers live in a [`Scratch`] reused across lines, so that matching a line
//! allocates nothing.

use super::grammar::Grammar;
use super::index::{key, Trie};
use super::pattern::{Graph, END};
use super::token::{match_word, Level, Tok};
use super::version::FrrVersion;
use super::NodeId;
use std::cmp::Ordering;

/// Steps one line may take in one node. Real grammars need a few hundred; the bound keeps a
/// pathological grammar and input from taking more than linear time.
const STEP_BUDGET: u32 = 200_000;

/// The result of matching a line in a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Matched,
    Ambiguous,
    Incomplete,
    NoMatch,
}

/// Buffers and results of one match; [`Scratch::best`] and friends are valid after
/// [`Matcher::run`] returned [`Outcome::Matched`] or [`Outcome::Ambiguous`].
#[derive(Default, Debug)]
pub struct Scratch {
    path: Vec<(Tok, Level)>,
    gstack: Vec<u16>,
    /// The winning path: a token and how it matched, per word.
    pub best: Vec<(Tok, Level)>,
    pub best_cmd: Option<u32>,
    /// Every command that tied with the winner.
    pub tied: Vec<u32>,
    ambiguous: bool,
    incomplete: bool,
    /// Complete paths seen so far.
    completions: u32,
    steps: u32,
    shapes: u8,
    /// Whether to keep, in `checks`, every value token the match tried on a word and how
    /// the word matched it (for [`super::memo`]).
    pub(crate) record: bool,
    pub(crate) checks: Vec<(u8, Tok, Level)>,
}

impl Scratch {
    fn reset(&mut self) {
        self.path.clear();
        self.gstack.clear();
        self.best.clear();
        self.best_cmd = None;
        self.tied.clear();
        self.ambiguous = false;
        self.incomplete = false;
        self.completions = 0;
        self.steps = 0;
        self.shapes = 0;
        self.checks.clear();
    }

    /// The last match ran out of steps (its result is then not to be reused).
    pub(crate) fn exhausted(&self) -> bool {
        self.steps > STEP_BUDGET
    }

    #[inline]
    fn check(&mut self, d: usize, tok: Tok, lvl: Level) {
        if self.record {
            self.checks.push((d as u8, tok, lvl));
        }
    }
}

/// Match settings for one line.
pub struct Matcher<'a> {
    pub grammar: &'a Grammar,
    pub words: &'a [&'a str],
    /// [`super::index::key`] of each word.
    pub keys: &'a [u64],
    /// Commands of this FRR version only; `None`: of any version.
    pub version: Option<FrrVersion>,
    /// Accept one value of the right shape but out of bounds (for diagnostics).
    pub lenient: bool,
}

impl<'a> Matcher<'a> {
    /// Match the line in one node.
    pub fn run(&self, node: NodeId, s: &mut Scratch) -> Outcome {
        s.reset();
        if self.words.is_empty() {
            return Outcome::NoMatch;
        }
        let trie = &self.grammar.body(node).trie;
        self.walk(trie, 0, 0, s);
        match (s.best_cmd, s.ambiguous, s.incomplete) {
            (Some(_), false, _) => Outcome::Matched,
            (Some(_), true, _) => Outcome::Ambiguous,
            (None, _, true) => Outcome::Incomplete,
            (None, _, false) => Outcome::NoMatch,
        }
    }

    #[inline]
    fn accepts(&self, tok: Tok, lvl: Level, s: &Scratch) -> bool {
        match tok {
            Tok::Keyword(_) => lvl >= Level::Partly,
            _ => lvl == Level::Exact || (lvl == Level::Shape && self.lenient && s.shapes == 0),
        }
    }

    fn walk(&self, trie: &Trie, t: u32, d: usize, s: &mut Scratch) {
        s.steps += 1;
        if s.steps > STEP_BUDGET {
            return;
        }
        let Some(tn) = trie.nodes.get(t as usize) else {
            return;
        };
        let n = self.words.len();
        if d == n {
            for &cmd in &tn.terms {
                if self.grammar.command(cmd).exists_in(self.version) {
                    self.complete(cmd, s);
                }
            }
            if d > 0 && (!tn.kw.is_empty() || !tn.other.is_empty()) && tn.may_exist_in(self.version)
            {
                s.incomplete = true;
            }
        }
        for &(cmd, at) in &tn.conts {
            let c = self.grammar.command(cmd);
            if c.exists_in(self.version) {
                self.dfs(cmd, &c.graph, at, d, s);
            }
        }
        if d == n {
            return;
        }
        // Children in order of FRR's precedence at this word: values, the keyword in full,
        // abbreviated keywords, variables. All paths below share the words before this one,
        // so once a class has produced a complete path, every path of a later class would
        // lose to it at this word: those are not walked.
        let w = self.words[d];
        let done = s.completions;
        for &(tok, child) in &tn.other {
            if matches!(tok, Tok::Variable(_)) {
                continue;
            }
            let lvl = match_word(tok, w);
            s.check(d, tok, lvl);
            if self.accepts(tok, lvl, s) {
                self.descend(tok, lvl, s, |s| self.walk(trie, child, d + 1, s));
            }
        }
        if s.completions > done {
            return;
        }
        let mut skip_abbreviated = false;
        let wk = self
            .keys
            .get(d)
            .copied()
            .unwrap_or_else(|| key(w.as_bytes()));
        for &(k, child) in tn.keywords_for(w, wk) {
            let exact = k.len() == w.len();
            if !exact && skip_abbreviated {
                break;
            }
            let lvl = if exact { Level::Exact } else { Level::Partly };
            s.path.push((Tok::Keyword(k), lvl));
            self.walk(trie, child, d + 1, s);
            s.path.pop();
            skip_abbreviated = exact && s.completions > done;
        }
        if s.completions > done {
            return;
        }
        for &(tok, child) in &tn.other {
            if matches!(tok, Tok::Variable(_)) {
                self.descend(tok, Level::Exact, s, |s| self.walk(trie, child, d + 1, s));
            }
        }
    }

    #[inline]
    fn descend(&self, tok: Tok, lvl: Level, s: &mut Scratch, f: impl FnOnce(&mut Scratch)) {
        let shape = lvl == Level::Shape;
        s.shapes += u8::from(shape);
        s.path.push((tok, lvl));
        f(s);
        s.path.pop();
        s.shapes -= u8::from(shape);
    }

    /// Go on in a command's graph from token `at`, which matched word `d - 1`.
    fn dfs(&self, cmd: u32, g: &Graph, at: u16, d: usize, s: &mut Scratch) {
        s.steps += 1;
        if s.steps > STEP_BUDGET {
            return;
        }
        let hops = g.next(at);
        if d == self.words.len() {
            if hops.contains(&END) {
                self.complete(cmd, s);
            } else {
                s.incomplete = true;
            }
            return;
        }
        let w = self.words[d];
        for &h in hops {
            if h == END {
                continue;
            }
            let i = h as usize;
            // FRR never matches one graph node twice on a path, except `X...`.
            if g.in_cycle[i] && !g.repeat[i] && s.gstack.contains(&h) {
                continue;
            }
            let tok = g.toks[i];
            let lvl = match_word(tok, w);
            if !matches!(tok, Tok::Keyword(_)) {
                s.check(d, tok, lvl);
            }
            if !self.accepts(tok, lvl, s) {
                continue;
            }
            s.gstack.push(h);
            self.descend(tok, lvl, s, |s| self.dfs(cmd, g, h, d + 1, s));
            s.gstack.pop();
        }
    }

    /// A path consumed every word and may end: keep it if it beats the best so far.
    fn complete(&self, cmd: u32, s: &mut Scratch) {
        s.completions += 1;
        if s.best_cmd.is_none() {
            s.best.clone_from(&s.path);
            s.best_cmd = Some(cmd);
            s.tied.push(cmd);
            return;
        }
        match compare(&s.best, &s.path) {
            Ordering::Less => {}
            Ordering::Greater => {
                s.best.clone_from(&s.path);
                s.best_cmd = Some(cmd);
                s.ambiguous = false;
                s.tied.clear();
                s.tied.push(cmd);
            }
            Ordering::Equal => {
                s.ambiguous = true;
                if !s.tied.contains(&cmd) {
                    s.tied.push(cmd);
                }
            }
        }
    }
}

/// FRR's `disambiguate`: `Less` when `a` is the better path, `Greater` when `b` is, `Equal`
/// when no word decides.
pub fn compare(a: &[(Tok, Level)], b: &[(Tok, Level)]) -> Ordering {
    for (&(ta, la), &(tb, lb)) in a.iter().zip(b) {
        if !ta.same_kind(tb) {
            let (pa, pb) = (ta.precedence(), tb.precedence());
            if pa != pb {
                return pa.cmp(&pb);
            }
            continue;
        }
        if la != lb {
            return lb.cmp(&la);
        }
    }
    Ordering::Equal
}
