//! Per-node command index: a prefix tree over the first tokens of every command of a node,
//! the part of FRR's merged command graph that makes lookups fast. A line walks the tree
//! once (a sorted keyword table per tree node, searched by prefix, handles abbreviations),
//! so `neighbor 10.0.0.1 remote-as 1` touches the few commands that share its first words,
//! not the hundred other `neighbor` commands. Where the tree stops (a depth limit, or a loop
//! such as `{…}` or `LINE...`), the command's own graph takes over from the token reached.

use super::pattern::{Graph, END};
use super::token::Tok;
use super::version::FrrVersion;

/// How many leading tokens go into the tree.
const DEPTH: usize = 6;
/// How many tree paths one command may add before it is indexed less deeply.
const PATHS_PER_COMMAND: usize = 32;

#[derive(Clone, Debug, Default)]
pub struct Trie {
    pub nodes: Vec<TNode>,
}

#[derive(Clone, Debug)]
pub struct TNode {
    /// Keyword children, sorted by keyword.
    pub kw: Vec<(&'static str, u32)>,
    /// The first eight bytes of each keyword of `kw`, big-endian: most comparisons of a
    /// lookup are then integer comparisons.
    pub(crate) keys: Vec<u64>,
    /// Value and variable children.
    pub other: Vec<(Tok, u32)>,
    /// `(command, graph token)`: match on in that command's graph from that token.
    pub conts: Vec<(u32, u16)>,
    /// Commands that may end after the tokens leading here.
    pub terms: Vec<u32>,
    /// The versions of every command below: a cheap filter for "incomplete".
    pub since: FrrVersion,
    pub until: Option<FrrVersion>,
}

impl Default for TNode {
    fn default() -> Self {
        TNode {
            kw: Vec::new(),
            keys: Vec::new(),
            other: Vec::new(),
            conts: Vec::new(),
            terms: Vec::new(),
            since: FrrVersion::NEWEST,
            until: Some(FrrVersion::OLDEST),
        }
    }
}

impl TNode {
    /// Whether some command below exists in `v` (approximately: a hull of versions).
    pub fn may_exist_in(&self, v: Option<FrrVersion>) -> bool {
        v.is_none_or(|v| self.since <= v && self.until.is_none_or(|u| v < u))
    }

    /// Keyword children for which `word` is the keyword or a prefix of it, the keyword
    /// equal to `word` (if any) first. `wk` is [`key`] of the word.
    #[inline]
    pub fn keywords_for<'a>(
        &'a self,
        word: &'a str,
        wk: u64,
    ) -> impl Iterator<Item = &'a (&'static str, u32)> + 'a {
        let w = word.as_bytes();
        // Most tree nodes have a handful of keywords: a scan beats a binary search there.
        let mut from = if self.keys.len() <= 8 {
            self.keys
                .iter()
                .position(|&k| k >= wk)
                .unwrap_or(self.keys.len())
        } else {
            self.keys.partition_point(|&k| k < wk)
        };
        // Equal keys: the first eight bytes agree, order by the rest.
        while from < self.kw.len()
            && self.keys[from] == wk
            && less_tail(self.kw[from].0.as_bytes(), w)
        {
            from += 1;
        }
        // For a word of up to eight bytes, "starts with" is a masked key comparison.
        let mask = if w.len() >= 8 {
            u64::MAX
        } else {
            !(u64::MAX >> (8 * w.len()))
        };
        let short = w.len() <= 8;
        self.kw[from..]
            .iter()
            .zip(&self.keys[from..])
            .take_while(move |((k, _), &kk)| {
                if short {
                    kk & mask == wk
                } else {
                    kk == wk && starts_with_tail(k.as_bytes(), w)
                }
            })
            .map(|(e, _)| e)
    }
}

/// `a < b` for two strings whose first eight bytes are equal (a short inline loop: keywords
/// are short, and a library call costs more than the comparison).
#[inline]
fn less_tail(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = (
        a.get(8..).unwrap_or_default(),
        b.get(8..).unwrap_or_default(),
    );
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x < y;
        }
    }
    a.len() < b.len()
}

/// `k.starts_with(w)` for two strings whose first eight bytes are equal.
#[inline]
fn starts_with_tail(k: &[u8], w: &[u8]) -> bool {
    k.len() >= w.len()
        && k[8.min(w.len())..w.len()]
            .iter()
            .zip(&w[8.min(w.len())..])
            .all(|(x, y)| x == y)
}

/// The first eight bytes of a string, big-endian, zero-padded: ordered like the strings.
#[inline]
pub fn key(s: &[u8]) -> u64 {
    if let Some(head) = s.first_chunk::<8>() {
        return u64::from_be_bytes(*head);
    }
    // Shifts, not a padded copy: the copy costs a store-forwarding stall on every word.
    let mut k = 0u64;
    for (i, &c) in s.iter().enumerate() {
        k |= u64::from(c) << (56 - 8 * i);
    }
    k
}

fn same_edge(a: Tok, b: Tok) -> bool {
    match (a, b) {
        // Variables all match any word the same way, whatever the grammar calls them.
        (Tok::Variable(_), Tok::Variable(_)) => true,
        _ => a == b,
    }
}

impl Trie {
    pub fn new() -> Trie {
        Trie {
            nodes: vec![TNode::default()],
        }
    }

    /// Add a command with its versions.
    pub fn insert(
        &mut self,
        cmd: u32,
        g: &Graph,
        since: Option<FrrVersion>,
        until: Option<FrrVersion>,
    ) {
        let mut depth = DEPTH;
        while depth > 0 && count(g, g.start(), 0, depth) > PATHS_PER_COMMAND {
            depth /= 2;
        }
        let v = (since.unwrap_or(FrrVersion::OLDEST), until);
        self.add(cmd, g, g.start(), 0, 0, depth, v);
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        cmd: u32,
        g: &Graph,
        at: u16,
        t: u32,
        d: usize,
        max: usize,
        v: (FrrVersion, Option<FrrVersion>),
    ) {
        {
            let n = &mut self.nodes[t as usize];
            n.since = n.since.min(v.0);
            n.until = match (n.until, v.1) {
                (None, _) | (_, None) => None,
                (Some(a), Some(b)) => Some(a.max(b)),
            };
        }
        let hops = g.next(at);
        if d >= max || hops.iter().any(|&h| h != END && g.in_cycle[h as usize]) {
            self.nodes[t as usize].conts.push((cmd, at));
            return;
        }
        for &h in hops {
            if h == END {
                self.nodes[t as usize].terms.push(cmd);
                continue;
            }
            let tok = g.toks[h as usize];
            let child = self.child(t, tok);
            self.add(cmd, g, h, child, d + 1, max, v);
        }
    }

    fn child(&mut self, t: u32, tok: Tok) -> u32 {
        let next = self.nodes.len() as u32;
        let n = &mut self.nodes[t as usize];
        if let Tok::Keyword(k) = tok {
            if let Some(&(_, c)) = n.kw.iter().find(|(x, _)| *x == k) {
                return c;
            }
            n.kw.push((k, next));
        } else {
            if let Some(&(_, c)) = n.other.iter().find(|(x, _)| same_edge(*x, tok)) {
                return c;
            }
            n.other.push((tok, next));
        }
        self.nodes.push(TNode::default());
        next
    }

    /// Sort the keyword tables; call once after the last insert.
    pub fn seal(&mut self) {
        for n in &mut self.nodes {
            n.kw.sort_by(|a, b| a.0.cmp(b.0));
            n.keys = n.kw.iter().map(|(k, _)| key(k.as_bytes())).collect();
        }
    }
}

/// How many tree entries a command makes with a depth limit (saturating).
fn count(g: &Graph, at: u16, d: usize, max: usize) -> usize {
    let hops = g.next(at);
    if d >= max || hops.iter().any(|&h| h != END && g.in_cycle[h as usize]) {
        return 1;
    }
    let mut n = 0usize;
    for &h in hops {
        n = n.saturating_add(if h == END { 1 } else { count(g, h, d + 1, max) });
        if n > PATHS_PER_COMMAND {
            break;
        }
    }
    n
}
