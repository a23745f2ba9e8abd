//! The loaded grammar: every CLI node with its parent, mode and commands, linked and indexed.
//! [`Grammar::load`] takes the text of the grammar files and returns the grammar together
//! with every mistake found (a line in error is left out); it never panics, so that a bad
//! grammar file can only cost the commands it spells wrong.

use super::fast::FastPaths;
use super::grammar_file::{parse_file, FileAst, GrammarError};
use super::index::Trie;
use super::pattern::{Graph, END};
use super::token::Tok;
use super::version::FrrVersion;
use super::NodeId;
use std::collections::HashMap;

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
    /// Indices into [`Grammar::command`], in file order.
    pub commands: Vec<u32>,
    pub(crate) trie: Trie,
    pub(crate) starts: Starts,
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

/// Every node and command.
#[derive(Debug)]
pub struct Grammar {
    nodes: Vec<Node>,
    commands: Vec<CommandDef>,
    root: NodeId,
    pub(crate) fast: FastPaths,
}

impl Grammar {
    pub fn node(&self, id: NodeId) -> &Node {
        // Ids only come from this grammar; fall back to the root rather than panic.
        self.nodes
            .get(id.0 as usize)
            .unwrap_or(&self.nodes[self.root.0 as usize])
    }

    pub fn node_by_name(&self, name: &str) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| n.name == name)
            .map(|i| NodeId(i as u16))
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

    pub fn command(&self, i: u32) -> &CommandDef {
        &self.commands[i as usize]
    }

    pub fn commands(&self) -> &[CommandDef] {
        &self.commands
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

    /// Load grammar files given as `(file name, text)`, e.g. `("bgp.frr", "...")`.
    pub fn load(files: &[(&'static str, &'static str)]) -> (Grammar, Vec<GrammarError>) {
        let mut errors = Vec::new();
        let asts: Vec<FileAst> = files
            .iter()
            .map(|(f, t)| parse_file(f, t, &mut errors))
            .collect();
        let mut err = |file: &str, line: u32, message: String| {
            errors.push(GrammarError {
                file: file.to_string(),
                line,
                message,
            });
        };

        let mut nodes: Vec<Node> = Vec::new();
        let mut by_name: HashMap<&'static str, NodeId> = HashMap::new();
        let mut node_of_file: Vec<Option<NodeId>> = Vec::new();
        for ast in &asts {
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
                commands: Vec::new(),
                trie: Trie::new(),
                starts: Starts::default(),
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
                    commands: Vec::new(),
                    trie: Trie::new(),
                    starts: Starts::default(),
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

        let mut commands: Vec<CommandDef> = Vec::new();
        for (ast, id) in asts.iter().zip(&node_of_file) {
            let Some(id) = *id else { continue };
            let mut seen: HashMap<&'static str, u32> = HashMap::new();
            for c in &ast.commands {
                let graph = match Graph::compile(&c.elems) {
                    Ok(g) => g,
                    Err(m) => {
                        err(ast.file, c.line, format!("{m}: `{}`", c.text));
                        continue;
                    }
                };
                let enter = match c.enter {
                    Some((n, line)) => match by_name.get(n) {
                        Some(&e) => Some(e),
                        None => {
                            err(ast.file, line, format!("@enter names unknown node {n}"));
                            continue;
                        }
                    },
                    None => None,
                };
                let def = CommandDef {
                    text: c.text,
                    file: ast.file,
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
                    let p = &commands[prev as usize];
                    if overlap((p.since, p.until), (def.since, def.until)) {
                        err(
                            ast.file,
                            c.line,
                            format!("duplicate of line {}: `{}`", p.line, c.text),
                        );
                        continue;
                    }
                }
                let idx = commands.len() as u32;
                seen.insert(c.text, idx);
                nodes[id.0 as usize].commands.push(idx);
                commands.push(def);
            }
        }
        for (i, c) in commands.iter().enumerate() {
            let node = &mut nodes[c.node.0 as usize];
            node.trie.insert(i as u32, &c.graph, c.since, c.until);
            for &h in c.graph.next(c.graph.start()) {
                if h == END {
                    continue;
                }
                let tok = c.graph.toks[h as usize];
                match tok {
                    Tok::Keyword(k) => node.starts.kw.push((k, i as u32)),
                    _ if node.starts.other.last() != Some(&(i as u32)) => {
                        node.starts.other.push(i as u32)
                    }
                    _ => {}
                }
                if !node.starts.toks.contains(&tok) {
                    node.starts.toks.push(tok);
                }
            }
        }
        for n in &mut nodes {
            n.trie.seal();
            n.starts.kw.sort();
        }
        let mut g = Grammar {
            nodes,
            commands,
            root,
            fast: FastPaths::default(),
        };
        g.fast = FastPaths::new(&g);
        (g, errors)
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
