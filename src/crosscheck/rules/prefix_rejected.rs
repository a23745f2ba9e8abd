//! prefix-rejected: a prefix Cilium announces on a session that comes up is denied by the
//! router's inbound policy. Names the entry that denies it (or the implicit deny, the
//! missing policy, the undefined filter).

use crate::crosscheck::{Session, State, World};
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::crosscheck::PrefixOutcome;
use crate::policy::Decision;
use std::collections::BTreeMap;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "XC005",
    name: "prefix-rejected",
    severity: Severity::Error,
    group: RuleGroup::Crosscheck,
    summary: "a prefix Cilium announces is denied by the router's inbound policy",
    docs: include_str!("../../../docs/rules/XC005.md"),
};

pub(crate) fn check(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    for s in sessions {
        if s.state != State::Established {
            continue;
        }
        let Some(ri) = s.router else { continue };
        let r = &world.routers[ri];
        for p in s.prefixes.iter().filter(|p| !p.accepted) {
            let what = if p.pools.is_empty() { p.prefix.to_string() } else { format!("{} (an address of pool {})", p.prefix, p.pools.join(", ")) };
            let span = match &p.decision {
                Decision::DeniedBy { span, .. } | Decision::ImplicitDeny { span, .. } | Decision::Undefined { span, .. } => *span,
                _ => s.neighbor.unwrap_or_default(),
            };
            let help = match &p.decision {
                Decision::PolicyMissing => "attach an inbound route-map to the neighbor, or `no bgp ebgp-requires-policy`".to_string(),
                Decision::ImplicitDeny { object, .. } => format!("permit it in {object}; for Cilium's host routes a prefix-list entry needs `le 32` (or `le 128`)"),
                Decision::DeniedBy { reason, .. } => format!("{reason} denies it: narrow or reorder that entry if the route should be accepted"),
                Decision::Undefined { object, .. } => format!("define {object}"),
                _ => "check the neighbor's inbound policy".to_string(),
            };
            let d = match near_miss(r.cfg, &p.prefix) {
                Some((near, text)) => Diagnostic::new(&META, r.cfg.file, near, format!("router {} rejects {what} from node {}: {text}", r.name, s.node)).related(r.cfg.file, span, format!("{}", p.decision)),
                None => Diagnostic::new(&META, r.cfg.file, span, format!("router {} rejects {what} from node {}: {}", r.name, s.node, p.decision)),
            };
            out.push(d.related(p.via.file, p.via.span, "Cilium announces it because of this").help(help));
        }
    }
    potential(world, sessions, out);
}

/// Sessions that announce nothing today (down, or nothing selected): what the router would
/// reject of the cluster's LoadBalancer addresses once they are announced, one finding per
/// router, denying place and prefix, naming every node it concerns.
fn potential(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<(usize, u32, u32, String), (Vec<String>, &PrefixOutcome)> = BTreeMap::new();
    for s in sessions {
        let Some(ri) = s.router else { continue };
        for p in s.potential.iter().filter(|p| !p.accepted && !matches!(p.decision, Decision::PolicyMissing | Decision::Undefined { .. })) {
            let span = decision_span(&p.decision).unwrap_or_else(|| s.neighbor.unwrap_or_default());
            let e = groups.entry((ri, span.start, span.end, p.prefix.to_string())).or_insert_with(|| (Vec::new(), p));
            if !e.0.contains(&s.node) {
                e.0.push(s.node.clone());
            }
        }
    }
    let mut seen_near: Vec<(usize, u32)> = Vec::new();
    for ((ri, start, end, _), (nodes, p)) in groups {
        let r = &world.routers[ri];
        let what = if p.pools.is_empty() { p.prefix.to_string() } else { format!("{} (an address of pool {})", p.prefix, p.pools.join(", ")) };
        let decided = crate::source::Span { start, end };
        let d = match near_miss(r.cfg, &p.prefix) {
            Some((span, text)) => {
                if seen_near.contains(&(ri, span.start)) {
                    continue;
                }
                seen_near.push((ri, span.start));
                Diagnostic::new(&META, r.cfg.file, span, format!("router {} would reject {what} from node {} once Cilium announces it: {text}", r.name, nodes.join(", ")))
                    .related(r.cfg.file, decided, format!("{}", p.decision))
            }
            None => Diagnostic::new(&META, r.cfg.file, decided, format!("router {} would reject {what} from node {} once Cilium announces it: {}", r.name, nodes.join(", "), p.decision)),
        };
        out.push(
            d.related(p.via.file, p.via.span, "the Service whose LoadBalancer address it is")
                .help("Cilium announces each LoadBalancer IP as a /32 (/128): permit them with `le 32` (`le 128`) on the pool's prefix-list entry"),
        );
    }
}

/// A permit entry of a used prefix-list whose prefix contains `prefix` but whose length
/// range excludes it: the usual cause (`permit 192.168.77.0/24` without `le 32`).
fn near_miss(cfg: &crate::model::Config, prefix: &ipnet::IpNet) -> Option<(crate::source::Span, String)> {
    for pl in cfg.prefix_lists.values() {
        let used = cfg.references.iter().any(|r| *r.name == *pl.name && matches!(r.kind, crate::model::ObjectKind::PrefixList(_)));
        if !used {
            continue;
        }
        for e in &pl.entries {
            let (lo, hi) = e.len_range();
            let len = prefix.prefix_len();
            if e.action == crate::model::Action::Permit && !e.any && e.prefix.contains(prefix) && !(lo..=hi).contains(&len) {
                let range = if lo == hi { format!("exactly /{lo}") } else { format!("lengths /{lo} to /{hi}") };
                return Some((e.span, format!("{} prefix-list {} seq {} permits {} with {range} only, not /{len}", pl.afi.ip_keyword(), pl.name, e.seq, e.prefix)));
            }
        }
    }
    None
}

fn decision_span(d: &Decision) -> Option<crate::source::Span> {
    match d {
        Decision::DeniedBy { span, .. } | Decision::ImplicitDeny { span, .. } | Decision::Undefined { span, .. } => Some(*span),
        _ => None,
    }
}
