//! Fast paths for the most frequent command lines of large configurations, where the general
//! matcher's search is wasted effort: a prefix-list entry (`ip prefix-list NAME seq 5 permit
//! 10.0.0.0/8 le 24`) can only ever match one command of the `config` node, so its words are
//! checked and typed directly, in one pass.
//!
//! A fast path is a shortcut, never a second grammar: it is enabled only when the embedded
//! grammar proves that the shortcut gives what the general matcher gives. At load time it
//! finds its command by text (with no version limits) and checks the node's prefix tree:
//! the leading keywords lead to that command and its siblings only, and no value token
//! competes with them. Any line that is not in the plainest form (an abbreviation, a value
//! out of bounds, an extra word) is left to the general matcher. A test compares both ways
//! on every line of the corpus.

use super::grammar::Grammar;
use super::index::Trie;
use super::token::{
    ipv4_prefix_value, ipv6_prefix_value, match_ipv4_prefix, match_ipv6_prefix, match_word, plain_ipv4_prefix,
    plain_ipv6_prefix, Level, Tok,
};
use super::{NodeId, Word, WordKind};
use crate::source::Span;

/// The grammar text of the IPv4 and IPv6 prefix-list entry commands.
const PLIST_V4: &str = "ip prefix-list WORD [seq (1-4294967295)] <deny|permit> <any|A.B.C.D/M [{ge (0-32)|le (0-32)}]>";
const PLIST_V6: &str = "ipv6 prefix-list WORD [seq (1-4294967295)] <deny|permit> <any|X:X::X:X/M [{ge (0-128)|le (0-128)}]>";

/// The commands the fast paths stand for, found in the grammar.
#[derive(Debug, Default)]
pub struct FastPaths {
    /// `(root node, IPv4 entry command, IPv6 entry command)`.
    plist: Option<(NodeId, u32, u32)>,
}

impl FastPaths {
    /// Find the fast paths' commands in `g`; a fast path whose preconditions do not hold in
    /// this grammar stays off.
    pub fn new(g: &Grammar) -> FastPaths {
        FastPaths { plist: plist_commands(g) }
    }

    /// A prefix-list entry line in the root node, given as its words with their spans: its
    /// command and its typed words (added to `out`), or `None` for the general matcher to
    /// decide (and words may have been added: the caller drops them).
    /// The words are read one at a time and only as far as needed, so that a line the path
    /// takes is never split into a list of words first.
    pub fn prefix_list<'w>(&self, mut words: impl Iterator<Item = (&'w str, Span)>, out: &mut Vec<Word>) -> Option<u32> {
        let (_, v4, v6) = self.plist?;
        let (first, s0) = words.next()?;
        let (first, v6_list) = match first {
            "ip" => ("ip", false),
            "ipv6" => ("ipv6", true),
            _ => return None,
        };
        let (second, s1) = words.next()?;
        if second != "prefix-list" {
            return None;
        }
        let (_, s2) = words.next()?;
        out.push(Word { span: s0, kind: WordKind::Keyword(first) });
        out.push(Word { span: s1, kind: WordKind::Keyword("prefix-list") });
        out.push(Word { span: s2, kind: WordKind::Variable });
        let (mut w, mut span) = words.next()?;
        if w == "seq" {
            let (n, ns) = words.next()?;
            let n = number(n, 1, u32::MAX.into())?;
            out.push(Word { span, kind: WordKind::Keyword("seq") });
            out.push(Word { span: ns, kind: WordKind::Number(n) });
            (w, span) = words.next()?;
        }
        let action = match w {
            "permit" => "permit",
            "deny" => "deny",
            _ => return None,
        };
        out.push(Word { span, kind: WordKind::Keyword(action) });
        let (w, span) = words.next()?;
        if w == "any" {
            out.push(Word { span, kind: WordKind::Keyword("any") });
            return words.next().is_none().then_some(if v6_list { v6 } else { v4 });
        }
        // The plainest spelling is read in one pass; any other goes through the token's
        // matcher and then the value reader.
        let max_len = if v6_list {
            let p = match plain_ipv6_prefix(w) {
                Some(p) => p,
                None if match_ipv6_prefix(w) == Level::Exact => ipv6_prefix_value(w)?,
                None => return None,
            };
            out.push(Word { span, kind: WordKind::Ipv6Prefix(p) });
            128
        } else {
            let p = match plain_ipv4_prefix(w) {
                Some(p) => p,
                None if match_ipv4_prefix(w) == Level::Exact => ipv4_prefix_value(w)?,
                None => return None,
            };
            out.push(Word { span, kind: WordKind::Ipv4Prefix(p) });
            32
        };
        // `{ge N|le N}`: each at most once, in either order.
        let mut seen = [false; 2];
        while let Some((w, span)) = words.next() {
            let (k, slot) = match w {
                "ge" => ("ge", 0),
                "le" => ("le", 1),
                _ => return None,
            };
            if seen[slot] {
                return None;
            }
            seen[slot] = true;
            let (n, ns) = words.next()?;
            let n = number(n, 0, max_len)?;
            out.push(Word { span, kind: WordKind::Keyword(k) });
            out.push(Word { span: ns, kind: WordKind::Number(n) });
        }
        Some(if v6_list { v6 } else { v4 })
    }

    /// The node the prefix-list fast path runs in (`None`: the path is off).
    pub fn prefix_list_node(&self) -> Option<NodeId> {
        self.plist.map(|p| p.0)
    }
}

/// Plain decimal digits (what the grammar's `(lo-hi)` matches exactly, without a sign) within
/// `lo..=hi`.
fn number(w: &str, lo: i64, hi: i64) -> Option<i64> {
    let b = w.as_bytes();
    if b.is_empty() || b.len() > 10 {
        return None;
    }
    // One pass: a byte that is not a digit comes out as 10 or more.
    let mut v = 0i64;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + i64::from(d);
    }
    (lo..=hi).contains(&v).then_some(v)
}

/// The prefix-list commands, if the grammar allows the fast path: both exist in the root
/// node without version limits, and the root's prefix tree sends `ip prefix-list` and
/// `ipv6 prefix-list` to them and to the `description` commands only.
fn plist_commands(g: &Grammar) -> Option<(NodeId, u32, u32)> {
    let root = g.root();
    let find = |text: &str| {
        g.commands_of(root).find(|&c| {
            let d = g.command(c);
            d.text == text && d.since.is_none() && d.until.is_none() && d.enter.is_none() && !d.exit && !d.end
        })
    };
    let (v4, v6) = (find(PLIST_V4)?, find(PLIST_V6)?);
    let trie = &g.body(root).trie;
    for (first, entry) in [("ip", v4), ("ipv6", v6)] {
        let below = subtree_commands(trie, &[first, "prefix-list"])?;
        let description = format!("{first} prefix-list WORD description LINE...");
        let allowed = |c: u32| c == entry || g.command(c).text == description;
        if !below.into_iter().all(allowed) {
            return None;
        }
    }
    Some((root, v4, v6))
}

/// Every command reachable in the prefix tree below the keywords `path`, provided that each
/// keyword leads to exactly one child (written in full), that no value token at those
/// positions could match the keyword instead (values outrank keywords; variables rank below
/// them and are not tried once a keyword path completes) and that no command continues in
/// its own graph there. `None` when that does not hold.
fn subtree_commands(trie: &Trie, path: &[&str]) -> Option<Vec<u32>> {
    let mut t = 0usize;
    for k in path {
        let n = trie.nodes.get(t)?;
        if n.other.iter().any(|&(tok, _)| !matches!(tok, Tok::Variable(_)) && match_word(tok, k) != Level::No) {
            return None;
        }
        if !n.conts.is_empty() {
            return None;
        }
        let exact: Vec<u32> = n.kw.iter().filter(|(kw, _)| kw == k).map(|&(_, c)| c).collect();
        let [child] = exact[..] else { return None };
        t = child as usize;
    }
    let mut out = Vec::new();
    let mut todo = vec![t];
    while let Some(i) = todo.pop() {
        let n = trie.nodes.get(i)?;
        out.extend(n.terms.iter().copied());
        out.extend(n.conts.iter().map(|&(c, _)| c));
        todo.extend(n.kw.iter().map(|&(_, c)| c as usize));
        todo.extend(n.other.iter().map(|&(_, c)| c as usize));
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::source::Span;
    use crate::syntax::{grammar, WordKind};

    fn fast(line: &str) -> Option<Vec<WordKind>> {
        let mut out = Vec::new();
        grammar().fast().prefix_list(line.split(' ').map(|w| (w, Span::default())), &mut out)?;
        Some(out.into_iter().map(|w| w.kind).collect())
    }

    #[test]
    fn the_embedded_grammar_enables_the_prefix_list_path() {
        assert!(grammar().fast().prefix_list_node().is_some());
        let kinds = fast("ip prefix-list A seq 5 deny 10.0.0.0/8 le 24").expect("a plain entry takes the fast path");
        assert_eq!(kinds[4], WordKind::Number(5));
        assert_eq!(kinds[7], WordKind::Keyword("le"));
        assert!(fast("ipv6 prefix-list B permit 2001:db8::/32 ge 48 le 64").is_some());
        assert!(fast("ip prefix-list A permit any").is_some());
        // Left to the general matcher.
        for line in [
            "ip prefix-list A se 5 deny 10.0.0.0/8",
            "ip prefix-list A seq 0 deny 10.0.0.0/8",
            "ip prefix-list A seq 5 deny 10.0.0.0/33",
            "ip prefix-list A seq 5 deny 10.0.0.0/8 le 24 le 25",
            "ip prefix-list A permit any le 32",
            "ip prefix-list A description x y",
            "ipv6 prefix-list B permit 10.0.0.0/8",
        ] {
            assert_eq!(fast(line), None, "{line}");
        }
    }
}
