//! family-mismatch: policy of one address family applied to routes of the other. An
//! IPv4 prefix-list never matches an IPv6 route (and vice versa), so a route-map entry
//! built on it is skipped and routes fall to the implicit deny; an entry matching both
//! `ip` and `ipv6` can never match at all.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::hash::FastMap;
use crate::model::{Afi, AfiSafi, Config, MatchKind, ObjectKind, PrefixList, Usage};

pub static META: RuleMeta = RuleMeta {
    code: "FRR304",
    name: "family-mismatch",
    severity: Severity::Error,
    group: RuleGroup::Frr,
    summary: "an IPv4 list used for IPv6 routes or the reverse: it never matches",
    docs: include_str!("../../docs/rules/FRR304.md"),
};

pub struct FamilyMismatch;

fn match_afi(k: &MatchKind) -> Option<Afi> {
    match k {
        MatchKind::PrefixList { afi, .. } | MatchKind::AccessList { afi, .. } => Some(*afi),
        _ => None,
    }
}

impl Rule for FamilyMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        // A neighbor prefix-list in one family naming a list that exists only in the other.
        // The lists by family and name, borrowed: a lookup per reference copies no name.
        let lists: FastMap<(Afi, &str), &PrefixList> = cfg.prefix_lists.iter().map(|((afi, name), pl)| ((*afi, name.as_str()), pl)).collect();
        for r in &cfg.references {
            if let (ObjectKind::PrefixList(afi), Usage::NeighborPolicy { .. }) = (r.kind, &r.usage) {
                let other = if afi == Afi::Ipv4 { Afi::Ipv6 } else { Afi::Ipv4 };
                if !lists.contains_key(&(afi, &*r.name)) {
                    if let Some(pl) = lists.get(&(other, &*r.name)) {
                        out.push(
                            Diagnostic::new(&META, cfg.file, r.span, format!("{} prefix-list {} is used in an {afi} address family but is defined only as {}", afi.ip_keyword(), r.name, other.ip_keyword()))
                                .label("FRR looks for a list of this family, finds none, and denies every route")
                                .related(cfg.file, pl.span, "defined for the other family here")
                                .help(format!("define `{} prefix-list {} …`, or use the list in the matching address family", afi.ip_keyword(), r.name)),
                        );
                    }
                }
            }
        }
        // Route-map entries whose family cannot match the family they are applied in: each
        // (route-map, family) once, at its first use, so that many neighbors sharing a map
        // cost one pass over it.
        let mut uses: std::collections::BTreeMap<(&str, Afi), &crate::model::Reference> = std::collections::BTreeMap::new();
        for r in &cfg.references {
            let (ObjectKind::RouteMap, Usage::NeighborPolicy { afs, .. }) = (r.kind, &r.usage) else { continue };
            let Some(route_afi) = afs.afi() else { continue };
            uses.entry((&*r.name, route_afi)).or_insert(r);
        }
        for ((name, route_afi), r) in uses {
            let Some(rm) = cfg.route_maps.get(name) else { continue };
            for e in rm.entries.values() {
                if let Some(m) = e.matches.iter().find(|m| match_afi(&m.kind).is_some_and(|a| a != route_afi)) {
                    out.push(
                        Diagnostic::new(&META, cfg.file, m.span, format!("route-map {} entry {} matches {} prefixes only, but the route-map is applied to {} routes: the entry never matches", rm.name, e.seq, match_afi(&m.kind).map(|a| a.to_string()).unwrap_or_default(), AfiSafi::unicast(route_afi)))
                            .related(cfg.file, r.span, "applied here")
                            .help(format!("use `match {} address prefix-list …` for {route_afi} routes, or a separate route-map per family", route_afi.ip_keyword())),
                    );
                }
            }
        }
        // One entry matching both families never matches.
        for rm in cfg.route_maps.values() {
            for e in rm.entries.values() {
                let afis: Vec<Afi> = e.matches.iter().filter_map(|m| match_afi(&m.kind)).collect();
                if afis.contains(&Afi::Ipv4) && afis.contains(&Afi::Ipv6) {
                    out.push(
                        Diagnostic::new(&META, cfg.file, e.span, format!("route-map {} entry {} matches both IPv4 and IPv6 lists: no route is both, so it never matches", rm.name, e.seq))
                            .help("split the entry into one per address family"),
                    );
                }
            }
        }
    }
}
