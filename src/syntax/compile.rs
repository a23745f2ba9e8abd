//! The grammar compiler: links the nodes of the grammar files (`%` directives) and compiles
//! a node's command lines into its command graphs and prefix tree. Nothing here depends on
//! the rest of the crate, so that build.rs compiles the embedded grammar with this same code
//! (see `precompiled`); the runtime only compiles a node itself when no precompiled body
//! fits.

use super::grammar_file::{parse_part, FileAst, GrammarError, Part};
use super::index::Trie;
use super::pattern::{Graph, END};
use super::token::Tok;
use super::version::FrrVersion;
use super::NodeId;
use crate::hash::FastMap;

/// The name of the node every configuration starts in.
pub const ROOT: &str = "config";

/// A node as the `%` directives describe it, before its commands are compiled.
#[derive(Debug, Clone)]
pub struct NodeHead {
    pub name: &'static str,
    pub title: &'static str,
    pub parent: Option<NodeId>,
    pub checked: bool,
    /// The grammar file, `(name, text)`; empty for a node no file defines.
    pub source: (&'static str, &'static str),
}

/// Every node of a set of grammar files, in file order (a node's id is its place here).
#[derive(Debug)]
pub struct Linked {
    pub nodes: Vec<NodeHead>,
    pub by_name: FastMap<&'static str, NodeId>,
    pub root: NodeId,
    /// Mistakes in the `%` directives and the links between nodes.
    pub errors: Vec<GrammarError>,
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
pub(crate) fn command_id(node: NodeId, i: usize) -> u32 {
    (u32::from(node.0) << 16) | i as u32
}


/// Read the files' directives and link the nodes (their commands are compiled apart, see
/// [`compile_node`]).
pub fn link(files: &[(&'static str, &'static str)]) -> Linked {
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

    let mut nodes: Vec<NodeHead> = Vec::new();
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
        nodes.push(NodeHead {
            name,
            title: ast.title.unwrap_or(name),
            parent: None,
            checked: ast.checked.unwrap_or(true),
            source: *source,
        });
    }
    let root = match by_name.get(ROOT) {
        Some(&id) => id,
        None => {
            // No grammar at all (or no config node): an empty root keeps parsing total.
            if !files.is_empty() {
                err("config.frr", 1, "there is no config node".into());
            }
            nodes.push(NodeHead {
                name: ROOT,
                title: "configuration",
                parent: None,
                checked: true,
                source: ("config.frr", ""),
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
    Linked { nodes, by_name, root, errors }
}


/// Compile one node's command lines; `by_name` (from [`link`]) resolves `@enter`.
pub fn compile_node(
    id: NodeId,
    (file, text): (&'static str, &'static str),
    by_name: &FastMap<&'static str, NodeId>,
) -> Body {
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
            Some((n, line)) => match by_name.get(n) {
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
