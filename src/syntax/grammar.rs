//! The loaded grammar: every CLI node with its parent, mode and commands, linked and indexed.
//! Loading reads only the files' `%` directives, which link the nodes; a node's commands are
//! compiled (patterns, prefix tree) the first time something asks for them, so a run pays
//! only for the nodes its files use. [`Grammar::load`] compiles every node and returns every
//! mistake found (a line in error is left out); nothing here panics, so that a bad grammar
//! file can only cost the commands it spells wrong.

use super::fast::FastPaths;
use super::grammar_file::{parse_part, FileAst, GrammarError, Part};
use super::index::Trie;
use super::pattern::{Graph, END};
use super::token::Tok;
use super::version::FrrVersion;
use super::NodeId;
use crate::hash::FastMap;
use std::sync::OnceLock;

/// The name of the node every configuration starts in.
pub const ROOT: &str = "config";

/// One CLI node.
#[derive(Debug)]
pub struct Node {
    /// The node id (`bgp-ipv4-unicast`), the grammar file's stem.
    pub name: &'static str,
    /// How messages name the node (`router bgp`).
    pub title: &'static str,
    /// Where FRR walks up to when a line does not match here; `None` only for `config`.
    pub parent: Option<NodeId>,
    /// `%checked`: unknown lines are errors; `%opaque`: they are kept unchecked.
    pub checked: bool,
    /// The grammar file, `(name, text)`; empty for a node no file defines.
    source: (&'static str, &'static str),
    body: OnceLock<Body>,
}

/// A node's commands, compiled on first use.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub commands: Vec<CommandDef>,
    pub trie: Trie,
    pub starts: Starts,
    /// Mistakes in the node's command lines.
    pub errors: Vec<GrammarError>,
}

/// How the commands of a node start, for explaining failures without trying them all.
#[derive(Debug, Default)]
pub(crate) struct Starts {
    /// `(first keyword, command)`, sorted by keyword.
    pub kw: Vec<(&'static str, u32)>,
    /// Commands that may start with a value or a variable.
    pub other: Vec<u32>,
    /// Every distinct first token, in grammar order.
    pub toks: Vec<Tok>,
}

/// One command of a node, as the grammar file wrote it.
#[derive(Debug)]
pub struct CommandDef {
    /// The command in FRR notation, without annotations.
    pub text: &'static str,
    pub file: &'static str,
    pub line: u32,
    pub node: NodeId,
    pub since: Option<FrrVersion>,
    pub until: Option<FrrVersion>,
    pub enter: Option<NodeId>,
    pub exit: bool,
    pub end: bool,
    pub hidden: bool,
    pub deprecated: bool,
    pub(crate) graph: Graph,
}

impl CommandDef {
    /// Whether the command exists in FRR `v` (`None`: in any version).
    #[inline]
    pub fn exists_in(&self, v: Option<FrrVersion>) -> bool {
        v.is_none_or(|v| self.since.is_none_or(|s| s <= v) && self.until.is_none_or(|u| v < u))
    }
}

/// A command's id: its node in the high 16 bits, its place in the node's file order below.
fn command_id(node: NodeId, i: usize) -> u32 {
    (u32::from(node.0) << 16) | i as u32
}

/// Every node and command.
#[derive(Debug)]
pub struct Grammar {
    nodes: Vec<Node>,
    by_name: FastMap<&'static str, NodeId>,
    root: NodeId,
    /// Mistakes in the `%` directives and the links between nodes.
    link_errors: Vec<GrammarError>,
    fast: OnceLock<FastPaths>,
}

impl Grammar {
    pub fn node(&self, id: NodeId) -> &Node {
        // Ids only come from this grammar; fall back to the root rather than panic.
        self.nodes
            .get(id.0 as usize)
            .unwrap_or(&self.nodes[self.root.0 as usize])
    }

    /// A node's compiled commands (compiled now if this is the first use).
    pub(crate) fn body(&self, id: NodeId) -> &Body {
        let node = self.node(id);
        node.body.get_or_init(|| self.compile(id, node.source))
    }

    /// The ids of a node's commands, in file order.
    pub fn commands_of(&self, id: NodeId) -> impl Iterator<Item = u32> + '_ {
        (0..self.body(id).commands.len()).map(move |i| command_id(id, i))
    }

    pub fn node_by_name(&self, name: &str) -> Option<NodeId> {
        self.by_name.get(name).copied()
    }

    /// The `config` node.
    pub fn root(&self) -> NodeId {
        self.root
    }

    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (NodeId(i as u16), n))
    }

    /// A command by id (ids come from [`Grammar::commands_of`] and the matcher).
    pub fn command(&self, id: u32) -> &CommandDef {
        &self.body(NodeId((id >> 16) as u16)).commands[(id & 0xffff) as usize]
    }

    pub(crate) fn fast(&self) -> &FastPaths {
        self.fast.get_or_init(|| FastPaths::new(self))
    }

    /// Every mistake in the grammar (this compiles every node).
    pub fn errors(&self) -> Vec<GrammarError> {
        let mut out = self.link_errors.clone();
        for (id, _) in self.nodes() {
            out.extend(self.body(id).errors.iter().cloned());
        }
        out
    }

    /// The node and its ancestors, innermost first.
    pub fn chain(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut cur = Some(id);
        let mut steps = 0;
        std::iter::from_fn(move || {
            let id = cur?;
            steps += 1;
            cur = if steps > self.nodes.len() {
                None
            } else {
                self.node(id).parent
            };
            Some(id)
        })
    }

    /// Load grammar files given as `(file name, text)`, e.g. `("bgp.frr", "...")`, with
    /// every node compiled and every mistake returned.
    pub fn load(files: &[(&'static str, &'static str)]) -> (Grammar, Vec<GrammarError>) {
        let g = Grammar::link(files);
        let errors = g.errors();
        (g, errors)
    }

    /// Read the files' directives and link the nodes; commands are compiled on first use.
    pub fn link(files: &[(&'static str, &'static str)]) -> Grammar {
        let mut errors = Vec::new();
        let asts: Vec<FileAst> = files
            .iter()
            .map(|(f, t)| parse_part(f, t, Part::Header, &mut errors))
            .collect();
        let mut err = |file: &str, line: u32, message: String| {
            errors.push(GrammarError {
                file: file.to_string(),
                line,
                message,
            });
        };

        let mut nodes: Vec<Node> = Vec::new();
        let mut by_name: FastMap<&'static str, NodeId> = FastMap::default();
        let mut node_of_file: Vec<Option<NodeId>> = Vec::new();
        for (ast, source) in asts.iter().zip(files) {
            let stem = ast.file.strip_suffix(".frr").unwrap_or(ast.file);
            let name = match ast.node {
                Some((n, line)) => {
                    if n != stem {
                        err(
                            ast.file,
                            line,
                            format!("%node {n} does not match the file name {}", ast.file),
                        );
                    }
                    n
                }
                None => {
                    err(ast.file, 1, "missing %node".into());
                    stem
                }
            };
            if ast.checked.is_none() {
                err(ast.file, 1, "missing %checked or %opaque".into());
            }
            if by_name.contains_key(name) {
                err(
                    ast.file,
                    ast.node.map_or(1, |n| n.1),
                    format!("node {name} is defined twice"),
                );
                node_of_file.push(None);
                continue;
            }
            let id = NodeId(nodes.len() as u16);
            by_name.insert(name, id);
            node_of_file.push(Some(id));
            nodes.push(Node {
                name,
                title: ast.title.unwrap_or(name),
                parent: None,
                checked: ast.checked.unwrap_or(true),
                source: *source,
                body: OnceLock::new(),
            });
        }
        let root = match by_name.get(ROOT) {
            Some(&id) => id,
            None => {
                // No grammar at all (or no config node): an empty root keeps parsing total.
                if !files.is_empty() {
                    err("config.frr", 1, "there is no config node".into());
                }
                nodes.push(Node {
                    name: ROOT,
                    title: "configuration",
                    parent: None,
                    checked: true,
                    source: ("config.frr", ""),
                    body: OnceLock::new(),
                });
                NodeId(nodes.len() as u16 - 1)
            }
        };

        for (ast, id) in asts.iter().zip(&node_of_file) {
            let Some(id) = *id else { continue };
            match ast.parent {
                Some((p, line)) => match by_name.get(p) {
                    Some(&pid) if pid == id => {
                        err(ast.file, line, "a node cannot be its own parent".into())
                    }
                    Some(&pid) => nodes[id.0 as usize].parent = Some(pid),
                    None => err(ast.file, line, format!("unknown parent node {p}")),
                },
                None if id != root => {
                    err(ast.file, 1, "missing %parent".into());
                    nodes[id.0 as usize].parent = Some(root);
                }
                None => {}
            }
        }
        // A parent chain must reach the root; break cycles at the node where they are found.
        for i in 0..nodes.len() {
            let mut seen = vec![false; nodes.len()];
            let mut cur = NodeId(i as u16);
            while let Some(p) = nodes[cur.0 as usize].parent {
                if seen[p.0 as usize] {
                    let file = format!("{}.frr", nodes[i].name);
                    err(&file, 1, "the %parent chain loops".into());
                    nodes[i].parent = Some(root);
                    break;
                }
                seen[p.0 as usize] = true;
                cur = p;
            }
        }
        Grammar {
            nodes,
            by_name,
            root,
            link_errors: errors,
            fast: OnceLock::new(),
        }
    }

    /// Compile one node's command lines.
    fn compile(&self, id: NodeId, (file, text): (&'static str, &'static str)) -> Body {
        let mut body = Body::default();
        let ast = parse_part(file, text, Part::Commands, &mut body.errors);
        let mut err = |line: u32, message: String| {
            body.errors.push(GrammarError {
                file: file.to_string(),
                line,
                message,
            });
        };
        let mut seen: FastMap<&'static str, usize> = FastMap::default();
        let mut commands: Vec<CommandDef> = Vec::new();
        for c in &ast.commands {
            let graph = match Graph::compile(&c.elems) {
                Ok(g) => g,
                Err(m) => {
                    err(c.line, format!("{m}: `{}`", c.text));
                    continue;
                }
            };
            let enter = match c.enter {
                Some((n, line)) => match self.by_name.get(n) {
                    Some(&e) => Some(e),
                    None => {
                        err(line, format!("@enter names unknown node {n}"));
                        continue;
                    }
                },
                None => None,
            };
            let def = CommandDef {
                text: c.text,
                file,
                line: c.line,
                node: id,
                since: c.since,
                until: c.until,
                enter,
                exit: c.exit,
                end: c.end,
                hidden: c.hidden,
                deprecated: c.deprecated,
                graph,
            };
            if let Some(&prev) = seen.get(c.text) {
                let p: &CommandDef = &commands[prev];
                if overlap((p.since, p.until), (def.since, def.until)) {
                    err(c.line, format!("duplicate of line {}: `{}`", p.line, c.text));
                    continue;
                }
            }
            seen.insert(c.text, commands.len());
            commands.push(def);
        }
        let mut trie = Trie::new();
        let mut starts = Starts::default();
        for (i, c) in commands.iter().enumerate() {
            let ci = command_id(id, i);
            trie.insert(ci, &c.graph, c.since, c.until);
            for &h in c.graph.next(c.graph.start()) {
                if h == END {
                    continue;
                }
                let tok = c.graph.toks[h as usize];
                match tok {
                    Tok::Keyword(k) => starts.kw.push((k, ci)),
                    _ if starts.other.last() != Some(&ci) => starts.other.push(ci),
                    _ => {}
                }
                if !starts.toks.contains(&tok) {
                    starts.toks.push(tok);
                }
            }
        }
        trie.seal();
        starts.kw.sort();
        body.commands = commands;
        body.trie = trie;
        body.starts = starts;
        body
    }
}

fn overlap(
    a: (Option<FrrVersion>, Option<FrrVersion>),
    b: (Option<FrrVersion>, Option<FrrVersion>),
) -> bool {
    let lo =
        a.0.unwrap_or(FrrVersion::new(0, 0))
            .max(b.0.unwrap_or(FrrVersion::new(0, 0)));
    let hi = match (a.1, b.1) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    };
    hi.is_none_or(|h| lo < h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_nodes_and_reports_mistakes() {
        let (g, errors) = Grammar::load(&[
            (
                "config.frr",
                "%node config\n%checked\nrouter bgp (1-4294967295) @enter bgp\n",
            ),
            (
                "bgp.frr",
                "%node bgp\n%parent config\n%checked\nexit @exit\nexit @exit\nx @enter nowhere\n",
            ),
            ("af.frr", "%node af\n%parent bgp\n"),
        ]);
        let bgp = g.node_by_name("bgp").unwrap_or(NodeId(0));
        assert_eq!(g.node(bgp).parent, Some(g.root()));
        let msgs: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            msgs,
            vec![
                "grammar/af.frr:1: missing %checked or %opaque",
                "grammar/bgp.frr:5: duplicate of line 4: `exit`",
                "grammar/bgp.frr:6: @enter names unknown node nowhere",
            ]
        );
        assert_eq!(g.chain(NodeId(2)).count(), 3);
    }

    #[test]
    fn no_files_still_gives_a_root() {
        let (g, errors) = Grammar::load(&[]);
        assert!(errors.is_empty());
        assert_eq!(g.node(g.root()).name, "config");
    }
}
