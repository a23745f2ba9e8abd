//! A command pattern: the syntax tree the grammar loader builds from FRR notation, and the
//! small token graph it compiles to, shaped like FRR's own command graph (`<…>` forks and
//! joins, `[…]` adds a bypass, `{…}` loops back from the join to the fork, `X...` loops on
//! itself). Forks and joins are resolved at compile time: every token knows the tokens (or
//! the end) that may follow it, so matching never walks through them.

use super::token::Tok;

/// One element of a command in FRR notation.
#[derive(Clone, Debug, PartialEq)]
pub enum Elem {
    /// A token; `repeat` for `TOKEN...`.
    Token { tok: Tok, repeat: bool },
    /// `<a|b c>`: exactly one alternative.
    Choice(Vec<Vec<Elem>>),
    /// `[a|b]`: one alternative or nothing.
    Optional(Vec<Vec<Elem>>),
    /// `{a|b}`: one or more alternatives, any order, each at most once.
    Group(Vec<Vec<Elem>>),
}

/// The end of a command, in a successor list.
pub const END: u16 = u16::MAX;

/// A compiled command: tokens `0..toks.len()`, the start at index `toks.len()`.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub toks: Vec<Tok>,
    /// `TOKEN...`: may match again right after itself (FRR's `allowrepeat`).
    pub repeat: Vec<bool>,
    /// On a loop: matching must check that it is not matched twice on one path.
    pub in_cycle: Vec<bool>,
    pub(crate) next_at: Vec<(u32, u32)>,
    pub(crate) next: Vec<u16>,
    pub has_cycle: bool,
}

impl Graph {
    pub fn start(&self) -> u16 {
        self.toks.len() as u16
    }

    /// The tokens (or [`END`]) that may follow token `i` (or the start).
    #[inline]
    pub fn next(&self, i: u16) -> &[u16] {
        let (a, b) = self.next_at[i as usize];
        &self.next[a as usize..b as usize]
    }

    /// Compile a pattern; `Err` when it is too large or has an empty path inside `{…}`.
    pub fn compile(elems: &[Elem]) -> Result<Graph, String> {
        if nullable(elems) {
            return Err("the command can be empty".into());
        }
        let mut b = Builder::default();
        let start = b.add(Kind::Start);
        let last = b.seq(elems, start)?;
        let end = b.add(Kind::End);
        b.edge(last, end);
        b.finish()
    }
}

/// Whether a sequence can match no words at all.
fn nullable(elems: &[Elem]) -> bool {
    elems.iter().all(|e| match e {
        Elem::Token { .. } => false,
        Elem::Optional(_) => true,
        Elem::Choice(alts) | Elem::Group(alts) => alts.iter().any(|a| nullable(a)),
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Start,
    End,
    Special,
    Token(Tok, bool),
}

#[derive(Default)]
struct Builder {
    kinds: Vec<Kind>,
    edges: Vec<Vec<usize>>,
    /// A `TOKEN...` or a `{…}` group was added: only then can the graph have a loop.
    may_loop: bool,
}

impl Builder {
    fn add(&mut self, k: Kind) -> usize {
        self.kinds.push(k);
        self.edges.push(Vec::new());
        self.kinds.len() - 1
    }

    fn edge(&mut self, a: usize, b: usize) {
        if !self.edges[a].contains(&b) {
            self.edges[a].push(b);
        }
    }

    fn seq(&mut self, elems: &[Elem], mut from: usize) -> Result<usize, String> {
        for e in elems {
            from = match e {
                Elem::Token { tok, repeat } => {
                    let t = self.add(Kind::Token(*tok, *repeat));
                    self.edge(from, t);
                    if *repeat {
                        self.edge(t, t);
                        self.may_loop = true;
                    }
                    t
                }
                Elem::Choice(alts) | Elem::Optional(alts) | Elem::Group(alts) => {
                    if let Elem::Group(_) = e {
                        if alts.iter().any(|a| nullable(a)) {
                            return Err("an alternative inside `{…}` can be empty".into());
                        }
                    }
                    let fork = self.add(Kind::Special);
                    let join = self.add(Kind::Special);
                    self.edge(from, fork);
                    for alt in alts {
                        let last = self.seq(alt, fork)?;
                        self.edge(last, join);
                    }
                    match e {
                        Elem::Optional(_) => self.edge(fork, join),
                        Elem::Group(_) => {
                            self.edge(join, fork);
                            self.may_loop = true;
                        }
                        _ => {}
                    }
                    join
                }
            };
        }
        Ok(from)
    }

    /// Keep the tokens and the start; give each the tokens reachable through forks and joins.
    fn finish(self) -> Result<Graph, String> {
        let mut index = vec![usize::MAX; self.kinds.len()];
        let mut g = Graph::default();
        for (i, k) in self.kinds.iter().enumerate() {
            if let Kind::Token(tok, repeat) = k {
                index[i] = g.toks.len();
                g.toks.push(*tok);
                g.repeat.push(*repeat);
            }
        }
        if g.toks.len() >= usize::from(END) - 1 {
            return Err("the command has too many tokens".into());
        }
        let start = self
            .kinds
            .iter()
            .position(|k| *k == Kind::Start)
            .unwrap_or(0);
        index[start] = g.toks.len();
        let mut order: Vec<usize> = (0..self.kinds.len())
            .filter(|&i| matches!(self.kinds[i], Kind::Token(..)))
            .collect();
        order.push(start);
        // One pair of buffers for all the command's tokens (a grammar has thousands of
        // commands, each compiled this way).
        let mut out = Vec::new();
        let mut seen = vec![false; self.kinds.len()];
        for &i in &order {
            out.clear();
            seen.fill(false);
            self.reach(i, &mut seen, &mut out);
            let a = g.next.len() as u32;
            g.next.extend(out.iter().map(|&j| if self.kinds[j] == Kind::End { END } else { index[j] as u16 }));
            g.next_at.push((a, g.next.len() as u32));
        }
        // A token is on a loop when it can reach itself; without a repeat or a group no
        // token can.
        let n = g.toks.len();
        g.in_cycle = match self.may_loop {
            true => (0..n as u16).map(|i| g.reaches(i, i)).collect(),
            false => vec![false; n],
        };
        g.has_cycle = g.in_cycle.iter().any(|&c| c);
        Ok(g)
    }

    /// The non-special nodes one hop from `i`, looking through forks and joins.
    fn reach(&self, i: usize, seen: &mut [bool], out: &mut Vec<usize>) {
        for &j in &self.edges[i] {
            match self.kinds[j] {
                Kind::Special => {
                    if !seen[j] {
                        seen[j] = true;
                        self.reach(j, seen, out);
                    }
                }
                _ => {
                    if !out.contains(&j) {
                        out.push(j);
                    }
                }
            }
        }
    }
}

impl Graph {
    fn reaches(&self, from: u16, to: u16) -> bool {
        let mut seen = vec![false; self.toks.len()];
        let mut stack: Vec<u16> = self.next(from).to_vec();
        while let Some(i) = stack.pop() {
            if i == END || seen[i as usize] {
                continue;
            }
            if i == to {
                return true;
            }
            seen[i as usize] = true;
            stack.extend_from_slice(self.next(i));
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(k: &'static str) -> Elem {
        Elem::Token {
            tok: Tok::Keyword(k),
            repeat: false,
        }
    }

    #[test]
    fn optional_and_loop_successors() {
        // a [b] {c|d}
        let g = Graph::compile(&[
            kw("a"),
            Elem::Optional(vec![vec![kw("b")]]),
            Elem::Group(vec![vec![kw("c")], vec![kw("d")]]),
        ])
        .unwrap_or_default();
        assert_eq!(g.toks.len(), 4);
        assert_eq!(g.next(g.start()), &[0]);
        assert_eq!(g.next(0), &[1, 2, 3]);
        assert_eq!(g.next(2), &[2, 3, END]);
        assert!(g.in_cycle[2] && g.in_cycle[3] && !g.in_cycle[0]);
    }

    #[test]
    fn empty_paths_are_rejected() {
        assert!(Graph::compile(&[Elem::Optional(vec![vec![kw("a")]])]).is_err());
        assert!(Graph::compile(&[kw("a"), Elem::Group(vec![vec![], vec![kw("b")]])]).is_err());
    }
}
