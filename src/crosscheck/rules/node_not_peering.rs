//! node-not-peering: an FRR neighbor is a Kubernetes node that runs no session towards
//! this router (not selected by any BGP config, or its peers point elsewhere). The router
//! waits for a peer that never comes.

use crate::crosscheck::{Problem, Session, World};
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "XC006",
    name: "node-not-peering",
    severity: Severity::Error,
    group: RuleGroup::Crosscheck,
    summary: "an FRR neighbor is a Kubernetes node that never peers with this router",
    docs: include_str!("../../../docs/rules/XC006.md"),
};

pub(crate) fn check(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    for s in sessions {
        let Some(ri) = s.router else { continue };
        for p in &s.problems {
            let Problem::NodeNotPeering { neighbor, node_loc, why } = p else { continue };
            out.push(
                Diagnostic::new(&META, world.routers[ri].cfg.file, *neighbor, format!("neighbor {} is node {}, which never opens a session to router {}: {why}", s.peer_address, s.node, world.routers[ri].name))
                    .related(node_loc.file, node_loc.span, "the node's address")
                    .help("select the node in the BGP config (labels or nodeSelector), or remove the neighbor"),
            );
        }
    }
}
