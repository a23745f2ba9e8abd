//! peer-address-unknown: one side expects a session the other cannot have. Cilium dials a
//! peerAddress that none of the routers owns, or the router has no neighbor (nor listen
//! range) for the node's address and closes the connection.

use super::describe;
use crate::crosscheck::{Problem, Session, World};
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "XC002",
    name: "peer-address-unknown",
    severity: Severity::Error,
    group: RuleGroup::Crosscheck,
    summary: "Cilium peers an address no router owns, or the router has no neighbor for the node",
    docs: include_str!("../../../docs/rules/XC002.md"),
};

pub(crate) fn check(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    // One finding per peerAddress field, naming every node that uses it.
    let mut nodes_at: std::collections::BTreeMap<(crate::source::FileId, u32), Vec<String>> = Default::default();
    for s in sessions {
        for p in &s.problems {
            if let Problem::NoRouterAtAddress { peer } = p {
                let v = nodes_at.entry((peer.file, peer.span.start)).or_default();
                if !v.contains(&s.node) {
                    v.push(s.node.clone());
                }
            }
        }
    }
    for s in sessions {
        for p in &s.problems {
            match p {
                Problem::NoRouterAtAddress { peer } => {
                    let Some(nodes) = nodes_at.remove(&(peer.file, peer.span.start)) else { continue };
                    let known: Vec<String> = world
                        .routers
                        .iter()
                        .map(|r| format!("{} ({})", r.name, r.addresses.iter().map(|a| a.0.to_string()).collect::<Vec<_>>().join(", ")))
                        .collect();
                    let mut d = Diagnostic::new(&META, peer.file, peer.span, format!("{} {} peer{} with {}, which none of the given routers owns: the sessions go nowhere", if nodes.len() == 1 { "node" } else { "nodes" }, nodes.join(", "), if nodes.len() == 1 { "s" } else { "" }, s.peer_address))
                        .label("peerAddress");
                    d = if known.is_empty() {
                        d.help("give the router configurations on the command line, or --router-address NAME=IP for addresses they do not show")
                    } else {
                        d.help(format!("peer with a router address ({}); if the router owns this address without saying so in its configuration, pass --router-address NAME={}", known.join("; "), s.peer_address))
                    };
                    for r in &world.routers {
                        if let Some((_, Some(span))) = r.addresses.first() {
                            d = d.related(r.cfg.file, *span, format!("router {} is here", r.name));
                        }
                    }
                    out.push(d);
                }
                Problem::NoNeighborForNode { node_address, peer } => {
                    let Some(ri) = s.router else { continue };
                    let r = &world.routers[ri];
                    let who = node_address.map(|a| a.to_string()).unwrap_or_else(|| "its address (unknown: the Node has no InternalIP of that family)".into());
                    let mut d = Diagnostic::new(&META, peer.file, peer.span, format!("{}: router {} has no neighbor {who}, so it refuses the session", describe(world, s), r.name))
                        .label("Cilium dials this router")
                        .help(format!("add `neighbor {who} remote-as {}` (or a peer-group member) to router {}, or a `bgp listen range` covering the nodes", s.node_asn.map(|a| a.to_string()).unwrap_or_else(|| "ASN".into()), r.name));
                    if let Some((_, router)) = r.bgp() {
                        d = d.related(r.cfg.file, router.span, "router bgp");
                    }
                    out.push(d);
                }
                Problem::FrrNoNeighbor { missing_in, towards, at } => {
                    let (m, t) = (&world.routers[*missing_in], &world.routers[*towards]);
                    let addrs: Vec<String> = t.addresses.iter().map(|a| a.0.to_string()).collect();
                    out.push(
                        Diagnostic::new(&META, at.file, at.span, format!("router {} peers with router {} at {}, but {} has no neighbor for any address of {} ({}): the session never comes up", t.name, m.name, s.peer_address, m.name, t.name, addrs.join(", ")))
                            .help(format!("add the matching neighbor on router {}", m.name)),
                    );
                }
                _ => {}
            }
        }
    }
}
