//! The loaded grammar: every CLI node with its parent, mode and commands, linked and indexed.
//! Loading reads only the files' `%` directives, which link the nodes; a node's commands are
//! made ready (patterns, prefix tree) the first time something asks for them, so a run pays
//! only for the nodes its files use: the embedded grammar decodes what build.rs compiled
//! (`precompiled`), other grammars are compiled then (`compile`). [`Grammar::load`]
//! compiles every node and returns every mistake found (a line in error is left out);
//! nothing here panics, so that a bad grammar file can only cost the commands it spells
//! wrong.

use super::compile;
pub(crate) use super::compile::Body;
pub use super::compile::CommandDef;
use super::fast::FastPaths;
use super::grammar_file::GrammarError;
use super::precompiled;
use super::NodeId;
use crate::hash::FastMap;
use std::sync::OnceLock;

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

/// Every node and command.
#[derive(Debug)]
pub struct Grammar {
    nodes: Vec<Node>,
    by_name: FastMap<&'static str, NodeId>,
    root: NodeId,
    /// Mistakes in the `%` directives and the links between nodes.
    link_errors: Vec<GrammarError>,
    fast: OnceLock<FastPaths>,
    /// Node bodies compiled at build time, for the embedded grammar.
    precompiled: Option<precompiled::Blob>,
}

impl Grammar {
    pub fn node(&self, id: NodeId) -> &Node {
        // Ids only come from this grammar; fall back to the root rather than panic.
        self.nodes
            .get(id.0 as usize)
            .unwrap_or(&self.nodes[self.root.0 as usize])
    }

    /// A node's compiled commands (decoded or compiled now if this is the first use).
    pub(crate) fn body(&self, id: NodeId) -> &Body {
        let node = self.node(id);
        node.body.get_or_init(|| {
            self.precompiled
                .as_ref()
                .and_then(|b| b.body(id, node.name))
                .unwrap_or_else(|| compile::compile_node(id, node.source, &self.by_name))
        })
    }

    /// The ids of a node's commands, in file order.
    pub fn commands_of(&self, id: NodeId) -> impl Iterator<Item = u32> + '_ {
        (0..self.body(id).commands.len()).map(move |i| compile::command_id(id, i))
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
        let linked = compile::link(files);
        Grammar {
            nodes: linked
                .nodes
                .into_iter()
                .map(|h| Node {
                    name: h.name,
                    title: h.title,
                    parent: h.parent,
                    checked: h.checked,
                    source: h.source,
                    body: OnceLock::new(),
                })
                .collect(),
            by_name: linked.by_name,
            root: linked.root,
            link_errors: linked.errors,
            fast: OnceLock::new(),
            precompiled: None,
        }
    }

    /// Whether node bodies come from build.rs's blob.
    #[cfg(test)]
    pub(crate) fn is_precompiled(&self) -> bool {
        self.precompiled.is_some()
    }

    /// Take node bodies from `blob` (build.rs's compilation of these same files) instead of
    /// compiling them; a node the blob does not hold, or holds under another name, is still
    /// compiled here.
    pub(crate) fn with_precompiled(mut self, blob: &'static [u8]) -> Grammar {
        self.precompiled = precompiled::Blob::open(blob);
        self
    }
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
