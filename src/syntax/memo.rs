//! Reusing the matcher's result for a line like one matched before. A large configuration
//! repeats a few line shapes thousands of times (`neighbor A remote-as N`, `match community
//! NAME`), and the general matcher, walking a node's prefix tree and command graphs, was the
//! walk's largest cost.
//!
//! What the matcher does with a line depends only on: the node, the number of words, for
//! each word the keywords it can match (a word that begins no keyword of the node matches
//! none), and how each word matched the value tokens the search tried on it. So a line's
//! key is the node, the word count and, per word, either its text (when it may begin some
//! keyword of the node) or nothing; and the memo keeps, with the result, every value test
//! the search made (`Scratch::checks`). A line with the same key whose words pass the same
//! tests the same way would be searched exactly as the first one was: the result is reused.
//! Any test coming out differently (another number range, a malformed address) means a
//! fresh search, whose result then replaces the kept one.
//!
//! Whether a word may begin a keyword is decided by its bytes alone, conservatively: its
//! first byte must begin some keyword of the node and every byte must occur in one.
//! Names and values (`PL_OUT`, `10.0.0.1`, `65001`) fail that at once and share a key;
//! a word that passes is kept as text, which costs reuse, never correctness. A kept word
//! is compared as integers (length, first and last eight bytes) when it has up to sixteen
//! bytes, in full beyond that.

use super::grammar::Grammar;
use super::matcher::{Matcher, Outcome, Scratch};
use super::token::{match_word, Level, Tok};
use super::NodeId;
use crate::hash::FastMap;

/// One kept result, with the key it was kept under.
struct Entry {
    node: NodeId,
    words: u8,
    /// The words kept as text (those that may be keywords), by position.
    texts: Box<[KeptWord]>,
    /// Those of them longer than sixteen bytes, one after the other.
    long: Box<[u8]>,
    outcome: Outcome,
    best: Vec<(Tok, Level)>,
    best_cmd: Option<u32>,
    tied: Vec<u32>,
    checks: Vec<(u8, Tok, Level)>,
}

/// A word kept as text, by position, as integers: its length, its first eight bytes and
/// its last eight (which overlap the first or are zero in a word of up to eight bytes), so
/// that comparing a word of up to sixteen bytes (every keyword but a few) takes no call to
/// `memcmp`. A longer word is compared in full.
#[derive(Clone, Copy, PartialEq, Eq)]
struct KeptWord {
    at: u8,
    len: u32,
    head: u64,
    tail: u64,
}

/// Whether the kept words longer than sixteen bytes, one after the other, are `long`
/// (their lengths are known to agree).
#[inline]
fn same_long_words(words: &[&str], kept: &[KeptWord], long: &[u8]) -> bool {
    if long.is_empty() {
        return true;
    }
    let mut rest = long;
    for k in kept.iter().filter(|k| k.len > 16) {
        let w = words[usize::from(k.at)].as_bytes();
        match rest.split_at_checked(w.len()) {
            Some((head, tail)) if head == w => rest = tail,
            _ => return false,
        }
    }
    rest.is_empty()
}

impl KeptWord {
    #[inline]
    fn of(at: usize, w: &[u8], head: u64) -> KeptWord {
        let tail = match w.len() {
            9.. => w.last_chunk::<8>().map_or(0, |t| u64::from_be_bytes(*t)),
            _ => 0,
        };
        KeptWord { at: at as u8, len: w.len() as u32, head, tail }
    }
}

/// The bytes that begin a keyword of a node, and the bytes that occur in one.
struct Alphabet {
    first: [bool; 256],
    any: [bool; 256],
}

impl Alphabet {
    fn of(g: &Grammar, node: NodeId) -> Alphabet {
        let mut a = Alphabet { first: [false; 256], any: [false; 256] };
        for ci in g.commands_of(node) {
            for tok in &g.command(ci).graph.toks {
                if let Tok::Keyword(k) = *tok {
                    if let Some(&b) = k.as_bytes().first() {
                        a.first[usize::from(b)] = true;
                    }
                    for &b in k.as_bytes() {
                        a.any[usize::from(b)] = true;
                    }
                }
            }
        }
        a
    }

    /// Whether `w` may be a keyword of the node or begin one.
    #[inline]
    fn may_begin_keyword(&self, w: &[u8]) -> bool {
        if !w.first().is_some_and(|&b| self.first[usize::from(b)]) {
            return false;
        }
        // Eight bytes at a time without a branch per byte: most words that get here are
        // keywords, read to the end.
        let ok = |b: u8| self.any[usize::from(b)];
        let mut chunks = w.chunks_exact(8);
        for c in &mut chunks {
            if !(ok(c[0]) & ok(c[1]) & ok(c[2]) & ok(c[3]) & ok(c[4]) & ok(c[5]) & ok(c[6]) & ok(c[7])) {
                return false;
            }
        }
        chunks.remainder().iter().all(|&b| ok(b))
    }
}

/// Kept results of the matches of one walk (one grammar, one target version), by the hash
/// of their key.
#[derive(Default)]
pub(crate) struct MatchMemo {
    /// Positions in `kept_results` by the hash of their key.
    entries: FastMap<u64, usize>,
    kept_results: Vec<Entry>,
    alphabets: FastMap<NodeId, Alphabet>,
    /// The current line's words kept as text.
    kept: Vec<KeptWord>,
    /// The kept result the last [`MatchMemo::run`] reused, if it reused one (else its
    /// result is in the scratch).
    hit: Option<usize>,
}

impl MatchMemo {
    /// [`Matcher::run`], through the memo. Only for a strict matcher of one version: the
    /// memo does not key on the matcher's settings.
    pub fn run(&mut self, m: &Matcher<'_>, node: NodeId, s: &mut Scratch) -> Outcome {
        debug_assert!(!m.lenient && m.version.is_some());
        let alphabet = self.alphabets.entry(node).or_insert_with(|| Alphabet::of(m.grammar, node));
        // The key: the node, the word count, and the words that may be keywords, by
        // position. The hash is built from what the walker has already computed: each
        // word's first eight bytes ([`Matcher::keys`]).
        let kept = &mut self.kept;
        kept.clear();
        let mut h = u64::from(node.0) << 8 | m.words.len() as u64;
        for (i, w) in m.words.iter().enumerate() {
            if alphabet.may_begin_keyword(w.as_bytes()) {
                let k = m.keys.get(i).copied().unwrap_or_default();
                kept.push(KeptWord::of(i, w.as_bytes(), k));
                h = mix(h, k ^ (w.len() as u64).rotate_left(40));
            } else {
                h = mix(h, 0x9e37_79b9);
            }
        }
        let kept = &self.kept[..];
        let at = self.entries.get(&h).copied();
        if let Some(e) = at.and_then(|i| self.kept_results.get(i)) {
            let same = e.node == node
                && usize::from(e.words) == m.words.len()
                && *e.texts == *kept
                && same_long_words(m.words, kept, &e.long)
                && e.checks.iter().all(|&(d, tok, lvl)| {
                    m.words
                        .get(usize::from(d))
                        .is_some_and(|w| match_word(tok, w) == lvl)
                });
            if same {
                // Read from the kept result by [`MatchMemo::result`], not copied.
                self.hit = at;
                return e.outcome;
            }
        }
        self.hit = None;
        s.record = true;
        let outcome = m.run(node, s);
        s.record = false;
        if !s.exhausted() {
            let long: String = kept.iter().filter(|k| k.len > 16).map(|k| m.words[usize::from(k.at)]).collect();
            let entry = Entry {
                node,
                words: m.words.len() as u8,
                texts: kept.into(),
                long: long.into_bytes().into_boxed_slice(),
                outcome,
                best: s.best.clone(),
                best_cmd: s.best_cmd,
                tied: s.tied.clone(),
                checks: s.checks.clone(),
            };
            match at {
                Some(i) => self.kept_results[i] = entry,
                None => {
                    self.entries.insert(h, self.kept_results.len());
                    self.kept_results.push(entry);
                }
            }
        }
        outcome
    }

    /// The last [`MatchMemo::run`]'s result: the winning path, its command and the commands
    /// tied with it, from the kept result it reused or else from `s`.
    pub fn result<'s>(&'s self, s: &'s Scratch) -> (&'s [(Tok, Level)], Option<u32>, &'s [u32]) {
        match self.hit.and_then(|i| self.kept_results.get(i)) {
            Some(e) => (&e.best, e.best_cmd, &e.tied),
            None => (&s.best, s.best_cmd, &s.tied),
        }
    }
}

#[inline]
fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::index::key;
    use crate::syntax::{grammar, FrrVersion};

    /// Lines of one shape, with values that pass and fail different tests, matched through
    /// the memo one after the other, each give what a fresh match gives.
    #[test]
    fn reused_results_equal_fresh_ones() {
        let g = grammar();
        let root = g.root();
        let bgp = g.node_by_name("bgp").unwrap_or(root);
        let lines: &[(NodeId, &str)] = &[
            (root, "ip prefix-list L seq 5 permit 10.0.0.0/8"),
            (root, "ip prefix-list M seq 10 permit 10.0.0.0/8 le 32"),
            (root, "ip prefix-list M seq 0 permit 10.0.0.0/8"),
            (root, "ip prefix-list M seq 4294967296 permit 10.0.0.0/8"),
            (root, "ip prefix-list M seq 7 permit 10.0.0.300/8"),
            (root, "ip prefix-list M seq 7 permit 2001:db8::/32"),
            (root, "bgp community-list standard CL permit 65000:1"),
            (root, "bgp community-list standard 5 permit 65000:1"),
            (root, "bgp community-list standard 500 permit 65000:1"),
            (root, "bgp community-list 5 permit 65000:1"),
            (root, "bgp community-list 500 permit 65000:1"),
            (root, "route-map RM permit 10"),
            (root, "route-map RM permit 70000"),
            (root, "route-map RM perm 10"),
            (bgp, "neighbor 10.0.0.1 remote-as 65001"),
            (bgp, "neighbor 10.0.0.2 remote-as 4294967296"),
            (bgp, "neighbor 10.0.0.2 remote-as 1.5"),
            (bgp, "neighbor PEERS remote-as 65001"),
            (bgp, "neighbor 2001:db8::1 remote-as 65001"),
            (bgp, "neighbor 10.0.0.300 remote-as 65001"),
            (bgp, "neighbor eth0 interface remote-as external"),
            (bgp, "neighbor 10.0.0.1 description peer 1"),
            (bgp, "neighbor 10.0.0.1 description peer remote-as"),
        ];
        let version = Some(FrrVersion::new(8, 4));
        let mut memo = MatchMemo::default();
        // One scratch for all, as the walker has: a reused result must not be read from it.
        let mut via = Scratch::default();
        // Twice over, so that every line also meets results kept from the others.
        for _ in 0..2 {
            for &(node, line) in lines {
                let words: Vec<&str> = line.split(' ').collect();
                let keys: Vec<u64> = words.iter().map(|w| key(w.as_bytes())).collect();
                let m = Matcher { grammar: g, words: &words, keys: &keys, version, lenient: false };
                let mut fresh = Scratch::default();
                let want = m.run(node, &mut fresh);
                let got = memo.run(&m, node, &mut via);
                assert_eq!(got, want, "{line}");
                let (best, best_cmd, tied) = memo.result(&via);
                assert_eq!(best, &fresh.best[..], "{line}");
                assert_eq!(best_cmd, fresh.best_cmd, "{line}");
                assert_eq!(tied, &fresh.tied[..], "{line}");
            }
        }
        assert!(memo.kept_results.len() < lines.len(), "lines of one shape share an entry");
    }

    /// The chunked alphabet test says what the byte-by-byte one says, for words of every
    /// length around the eight-byte chunks, with a foreign byte anywhere.
    #[test]
    fn the_alphabet_test_reads_every_byte() {
        let g = grammar();
        let a = Alphabet::of(g, g.root());
        let plain = |w: &[u8]| w.first().is_some_and(|&b| a.first[usize::from(b)]) && w.iter().all(|&b| a.any[usize::from(b)]);
        let mut tried = [0usize; 2];
        for len in 0..=25usize {
            let word: Vec<u8> = (0..len).map(|i| b"prefix-list"[i % 11]).collect();
            for at in 0..=len {
                for foreign in [b'Q', b'_', 0xc3, b'p'] {
                    let mut w = word.clone();
                    if at < len {
                        w[at] = foreign;
                    }
                    let want = plain(&w);
                    assert_eq!(a.may_begin_keyword(&w), want, "{:?}", String::from_utf8_lossy(&w));
                    tried[usize::from(want)] += 1;
                }
            }
        }
        assert!(tried[0] > 100 && tried[1] > 100, "both answers tried: {tried:?}");
    }

    /// A kept word's integers tell apart any two words of up to sixteen bytes, and longer
    /// ones are compared in full: words that differ in one byte anywhere never share a key.
    #[test]
    fn kept_words_differ_wherever_their_text_does() {
        for len in 1..=24usize {
            let a: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            for at in 0..len {
                let mut b = a.clone();
                b[at] = b'z' + 1 - (b[at] == b'z') as u8;
                let (sa, sb) = (std::str::from_utf8(&a).unwrap_or_default(), std::str::from_utf8(&b).unwrap_or_default());
                let ka = KeptWord::of(0, &a, key(&a));
                let kb = KeptWord::of(0, &b, key(&b));
                let long_a = if len > 16 { a.clone() } else { Vec::new() };
                let same = ka == kb && same_long_words(&[sb], &[kb], &long_a);
                assert!(!same, "{sa:?} and {sb:?} share a key");
                assert!(ka == KeptWord::of(0, &a, key(&a)) && same_long_words(&[sa], &[ka], &long_a), "{sa:?} differs from itself");
            }
        }
    }
}
