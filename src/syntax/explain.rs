//! Why a line did not match: how many words some command accepted before it failed, which
//! tokens would have been accepted at that word, and the keyword closest to what was written
//! ("did you mean `neighbor`?"). Only failing lines get here, so this walks every command of
//! the nodes tried, without the index.

use super::grammar::Grammar;
use super::pattern::{Graph, END};
use super::token::{match_word, Level, Tok};
use super::version::FrrVersion;
use super::NodeId;

const STEP_BUDGET: u32 = 200_000;

/// The furthest any command got.
#[derive(Debug, Default)]
pub struct Explanation {
    /// Words accepted before the failure (all of them when the line is incomplete).
    pub depth: usize,
    /// Tokens that would have been accepted at word `depth`, in grammar order, no repeats.
    pub expected: Vec<Tok>,
    /// The innermost node where that depth was reached.
    pub node: Option<NodeId>,
}

/// Explore the commands of `nodes` (innermost first) that exist in `version` and may start
/// with the first word; the others fail at once, on their first token.
pub fn explain(
    g: &Grammar,
    nodes: &[NodeId],
    words: &[&str],
    version: Option<FrrVersion>,
) -> Explanation {
    let mut out = Explanation {
        node: nodes.first().copied(),
        ..Explanation::default()
    };
    let mut steps = 0u32;
    let mut stack = Vec::new();
    let mut cands: Vec<u32> = Vec::new();
    let Some(first) = words.first() else {
        return out;
    };
    for &node in nodes {
        let st = &g.body(node).starts;
        if out.depth == 0 {
            // Repeats across nodes are left in: only `suggest` reads this list at word 0.
            out.expected
                .extend(st.toks.iter().filter(|&&t| !accepts(t, first)));
        }
        cands.clear();
        let from = st.kw.partition_point(|(k, _)| *k < *first);
        cands.extend(
            st.kw[from..]
                .iter()
                .take_while(|(k, _)| k.starts_with(first))
                .map(|&(_, c)| c),
        );
        cands.extend_from_slice(&st.other);
        cands.sort_unstable();
        cands.dedup();
        for &ci in &cands {
            let c = g.command(ci);
            if !c.exists_in(version) {
                continue;
            }
            stack.clear();
            explore(
                &c.graph,
                c.graph.start(),
                0,
                words,
                node,
                &mut stack,
                &mut out,
                &mut steps,
            );
        }
    }
    out
}

fn accepts(tok: Tok, w: &str) -> bool {
    let lvl = match_word(tok, w);
    if matches!(tok, Tok::Keyword(_)) {
        lvl >= Level::Partly
    } else {
        lvl == Level::Exact
    }
}

#[allow(clippy::too_many_arguments)]
fn explore(
    g: &Graph,
    at: u16,
    d: usize,
    words: &[&str],
    node: NodeId,
    stack: &mut Vec<u16>,
    out: &mut Explanation,
    steps: &mut u32,
) {
    *steps += 1;
    if *steps > STEP_BUDGET {
        return;
    }
    if d > out.depth {
        out.depth = d;
        out.expected.clear();
        out.node = Some(node);
    }
    let hops = g.next(at);
    for &h in hops {
        if h == END {
            continue;
        }
        let i = h as usize;
        if g.in_cycle[i] && !g.repeat[i] && stack.contains(&h) {
            continue;
        }
        let tok = g.toks[i];
        let ok = words.get(d).is_some_and(|w| accepts(tok, w));
        if ok {
            stack.push(h);
            explore(g, h, d + 1, words, node, stack, out, steps);
            stack.pop();
        } else if d == out.depth && !out.expected.contains(&tok) {
            out.expected.push(tok);
        }
    }
}

/// The expected keyword closest to `word`, if it is close enough to be a likely typo.
pub fn suggest(word: &str, expected: &[Tok]) -> Option<&'static str> {
    let mut best: Option<(usize, &'static str)> = None;
    for tok in expected {
        let Tok::Keyword(k) = *tok else { continue };
        let limit = ((k.len().max(word.len()) + 2) / 4).max(1);
        // The distance is at least the difference in length: most keywords stop here.
        if k.len().abs_diff(word.len()) > limit {
            continue;
        }
        let d = distance(word, k, limit);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), in bytes,
/// with case differences costing nothing: `End` is one step from nothing but `end`.
/// Stops early with a value over `limit` once every alignment costs more than that.
fn distance(a: &str, b: &str, limit: usize) -> usize {
    const MAX: usize = 64;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > MAX || b.len() > MAX {
        return usize::MAX;
    }
    let eq = |x: u8, y: u8| x.eq_ignore_ascii_case(&y);
    // Three rows: the one before the previous is needed for transpositions.
    let mut rows = [[0u8; MAX + 1]; 3];
    for (j, v) in rows[0].iter_mut().enumerate().take(b.len() + 1) {
        *v = j as u8;
    }
    for i in 1..=a.len() {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i as u8;
        for j in 1..=b.len() {
            let cost = u8::from(!eq(a[i - 1], b[j - 1]));
            let mut v = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]) {
                v = v.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = v;
        }
        // Costs never go down along an alignment: a row above the limit ends the search.
        // (The row before must be above it too, for transpositions to be covered.)
        let row_min = |r: usize| rows[r][..=b.len()].iter().copied().min().unwrap_or(0);
        if usize::from(row_min(cur)) > limit && usize::from(row_min(prev)) > limit {
            return limit + 1;
        }
    }
    usize::from(rows[a.len() % 3][b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keywords() {
        let exp = [
            Tok::Keyword("neighbor"),
            Tok::Keyword("network"),
            Tok::Keyword("end"),
            Tok::Variable("WORD"),
        ];
        assert_eq!(suggest("End", &exp), Some("end"));
        assert_eq!(suggest("nieghbor", &exp), Some("neighbor"));
        assert_eq!(suggest("NEIGHBOR", &exp), Some("neighbor"));
        assert_eq!(suggest("netwrk", &exp), Some("network"));
        assert_eq!(suggest("hostname", &exp), None);
        assert_eq!(distance("abc", "abc", 9), 0);
        assert_eq!(distance("ab", "ba", 9), 1);
        assert_eq!(distance("", "abc", 9), 3);
        assert_eq!(distance("kitten", "sitting", 9), 3);
        assert_eq!(distance("ca", "abc", 9), 3);
        assert_eq!(distance("kitten", "sitting", 1), 2);
    }
}
