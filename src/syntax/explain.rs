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

/// Explore every command of `nodes` (innermost first) that exists in `version`.
pub fn explain(
    g: &Grammar,
    nodes: &[NodeId],
    words: &[&str],
    version: Option<FrrVersion>,
) -> Explanation {
    let mut out = Explanation::default();
    let mut steps = 0u32;
    let mut stack = Vec::new();
    for &node in nodes {
        for &ci in &g.node(node).commands {
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
    if d > out.depth || out.node.is_none() {
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
        let ok = words.get(d).is_some_and(|w| {
            let lvl = match_word(tok, w);
            if matches!(tok, Tok::Keyword(_)) {
                lvl >= Level::Partly
            } else {
                lvl == Level::Exact
            }
        });
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
        let d = if k.eq_ignore_ascii_case(word) {
            0
        } else {
            distance(word, k)
        };
        let limit = ((k.len().max(word.len()) + 2) / 4).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), in bytes,
/// with case differences costing nothing: `End` is one step from nothing but `end`.
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let eq = |x: u8, y: u8| x.eq_ignore_ascii_case(&y);
    let w = b.len() + 1;
    let mut m = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            m[i * w + j] = if i == 0 {
                j
            } else if j == 0 {
                i
            } else {
                let cost = usize::from(!eq(a[i - 1], b[j - 1]));
                let mut v = (m[(i - 1) * w + j] + 1)
                    .min(m[i * w + j - 1] + 1)
                    .min(m[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]) {
                    v = v.min(m[(i - 2) * w + j - 2] + 1);
                }
                v
            };
        }
    }
    m[a.len() * w + b.len()]
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
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("ab", "ba"), 1);
    }
}
