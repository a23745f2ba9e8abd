//! router-disagreement: routers that peer with the same Cilium nodes configure those
//! neighbors differently (a port, a password, a remote-as, timers, multihop, passive).
//! The cluster treats its peers alike, so one of the routers is almost always wrong.

use crate::crosscheck::{Session, World};
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::PeerId;
use crate::source::Span;
use std::collections::BTreeMap;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "XC009",
    name: "router-disagreement",
    severity: Severity::Warning,
    group: RuleGroup::Crosscheck,
    summary: "routers peering with the same Cilium nodes configure them differently",
    docs: include_str!("../../../docs/rules/XC009.md"),
};

/// One comparable setting of a router's neighbor for a node: its text (never a password)
/// and where it is.
fn settings(world: &World<'_>, ri: usize, node_addr: std::net::IpAddr) -> Option<BTreeMap<&'static str, (String, Span)>> {
    let (_, r) = world.routers[ri].bgp()?;
    let n = r.neighbors.iter().find(|n| n.id == PeerId::Address(node_addr))?;
    let e = r.effective(n);
    let s = &e.settings;
    let mut m = BTreeMap::new();
    let none = || ("not set".to_string(), n.span);
    // Compared as written: a peer-group's port is not applied to members by FRR, but two
    // routers writing different ports still disagree about the design.
    let group_port = e.group.and_then(|g| g.settings.port.as_ref()).map(|p| (format!("{} (on peer-group {}, which FRR does not apply to members)", p.value, e.group.map(|g| g.name.as_str()).unwrap_or("")), p.span));
    m.insert("port", s.port.as_ref().map(|p| (p.value.to_string(), p.span)).or(group_port).unwrap_or_else(none));
    m.insert("remote-as", s.remote_as.as_ref().map(|p| (p.value.to_string(), p.span)).unwrap_or_else(none));
    m.insert("timers", s.timers.as_ref().map(|p| (format!("{} {}", p.value.keepalive, p.value.hold), p.span)).unwrap_or_else(none));
    m.insert("ebgp-multihop", s.ebgp_multihop.as_ref().map(|p| (p.value.to_string(), p.span)).unwrap_or_else(none));
    m.insert("passive", s.passive.map(|sp| ("set".to_string(), sp)).unwrap_or_else(none));
    // Passwords are compared by a fingerprint of equality classes, never shown.
    m.insert("password", s.password.as_ref().map(|p| (format!("#{}", fingerprint(p.value.expose())), p.span)).unwrap_or_else(none));
    Some(m)
}

fn fingerprint(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

pub(crate) fn check(world: &World<'_>, _sessions: &[Session], out: &mut Vec<Diagnostic>) {
    // Node address -> routers that have a neighbor for it (whatever the sessions do).
    let mut by_node: BTreeMap<(String, std::net::IpAddr), Vec<usize>> = BTreeMap::new();
    for (ri, rv) in world.routers.iter().enumerate() {
        let Some((_, r)) = rv.bgp() else { continue };
        for n in &r.neighbors {
            let PeerId::Address(a) = n.id else { continue };
            let Some((node, _)) = world.node_with_address(a) else { continue };
            let v = by_node.entry((node, a)).or_default();
            if !v.contains(&ri) {
                v.push(ri);
            }
        }
    }
    // (file, span start) of the line to report -> the finding's parts and its nodes.
    struct Finding {
        file: crate::source::FileId,
        span: Span,
        other: (crate::source::FileId, Span),
        routers: (String, String),
        key: &'static str,
        detail: String,
        note: &'static str,
        nodes: Vec<String>,
    }
    let mut found: BTreeMap<(crate::source::FileId, u32, &'static str), Finding> = BTreeMap::new();
    for ((node, addr), routers) in &by_node {
        if routers.len() < 2 {
            continue;
        }
        let views: Vec<(usize, BTreeMap<&'static str, (String, Span)>)> = routers.iter().filter_map(|&ri| settings(world, ri, *addr).map(|m| (ri, m))).collect();
        for i in 0..views.len() {
            for j in (i + 1)..views.len() {
                let (ra, ma) = &views[i];
                let (rb, mb) = &views[j];
                for (key, (va, sa)) in ma {
                    let Some((vb, sb)) = mb.get(key) else { continue };
                    if va == vb {
                        continue;
                    }
                    let (fa, fb) = (world.routers[*ra].cfg.file, world.routers[*rb].cfg.file);
                    let (name_a, name_b) = (world.routers[*ra].name.clone(), world.routers[*rb].name.clone());
                    let shown = |v: &str| if *key == "password" { if v == "not set" { "not set".to_string() } else { "set".to_string() } } else { v.to_string() };
                    let detail = if *key == "password" && va != "not set" && vb != "not set" {
                        "the passwords differ".to_string()
                    } else {
                        format!("{name_a}: {}, {name_b}: {}", shown(va), shown(vb))
                    };
                    // Point at the router that sets the value when the other lacks it; when both
                    // set it, at the later router (the first one read is taken as the reference).
                    let (file, span, other) = if vb != "not set" { (fb, *sb, (fa, *sa)) } else { (fa, *sa, (fb, *sb)) };
                    let note = if *key == "port" {
                        let listens = world.effective.nodes.get(node).is_some_and(|n| n.instances.iter().any(|i| i.listen_port.is_some()));
                        if listens { "" } else { "; Cilium does not listen (no localPort), so the router that sets a port has its own connection attempts refused and depends on Cilium dialing its listen port" }
                    } else {
                        ""
                    };
                    let f = found.entry((file, span.start, key)).or_insert_with(|| Finding { file, span, other, routers: (name_a, name_b), key, detail, note, nodes: Vec::new() });
                    if !f.nodes.contains(node) {
                        f.nodes.push(node.clone());
                    }
                }
            }
        }
    }
    for f in found.into_values() {
        out.push(
            Diagnostic::new(&META, f.file, f.span, format!("routers {} and {} configure their neighbors for node {} differently: {} ({}){}", f.routers.0, f.routers.1, f.nodes.join(", "), f.key, f.detail, f.note))
                .related(f.other.0, f.other.1, "the other router")
                .help(format!("configure {} the same way on every router that peers with the cluster", f.key)),
        );
    }
}
