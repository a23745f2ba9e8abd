//! family-mismatch: policy of one address family applied to routes of the other. An
//! IPv4 prefix-list never matches an IPv6 route (and vice versa), so a route-map entry
//! built on it is skipped and routes fall to the implicit deny; an entry matching both
//! `ip` and `ipv6` can never match at all.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::hash::{FastMap, FastSet};
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
        // Route-map entries whose family cannot match the family they are applied in: each
        // (route-map, family) once, at its first use, so that many neighbors sharing a map
        // cost one pass over it.
        // Hashed by the name's address (a name is shared by its uses) while the tens of
        // thousands of references are read; then the few distinct uses sorted by name, for
        // findings in a stable order. Two copies of one name (a model not built by lowering)
        // are two entries until the sort puts them side by side: the first use is kept.
        let mut first: FastMap<(*const u8, Afi), (usize, &crate::model::Reference)> = FastMap::default();
        for (i, r) in cfg.references.iter().enumerate() {
            let (ObjectKind::RouteMap, Usage::NeighborPolicy { afs, .. }) = (r.kind, &r.usage) else { continue };
            let Some(route_afi) = afs.afi() else { continue };
            first.entry((r.name.as_ptr(), route_afi)).or_insert((i, r));
        }
        let mut uses: Vec<((&str, Afi), usize, &crate::model::Reference)> = first.into_iter().map(|((_, afi), (i, r))| ((&*r.name, afi), i, r)).collect();
        uses.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        uses.dedup_by(|b, a| a.0 == b.0);
        // The entries reported here: a list of the other family named in one of them is
        // the same mistake, already said.
        let mut reported: FastSet<(&str, u16)> = FastSet::default();
        for ((name, route_afi), _, r) in uses {
            let Some(rm) = cfg.route_maps.get(name) else { continue };
            for e in rm.entries.values() {
                if let Some(m) = e.matches.iter().find(|m| match_afi(&m.kind).is_some_and(|a| a != route_afi)) {
                    reported.insert((rm.name.as_str(), e.seq));
                    out.push(
                        Diagnostic::new(&META, cfg.file, m.span, format!("route-map {} entry {} matches {} prefixes only, but the route-map is applied to {} routes: the entry never matches", rm.name, e.seq, match_afi(&m.kind).map(|a| a.to_string()).unwrap_or_default(), AfiSafi::unicast(route_afi)))
                            .related(cfg.file, r.span, "applied here")
                            .help(format!("use `match {} address prefix-list …` for {route_afi} routes, or a separate route-map per family", route_afi.ip_keyword())),
                    );
                }
            }
        }
        // A prefix-list named for one family (by a neighbor, or a route-map's `match`) that
        // exists only in the other: FRR looks for a list of the family named, finds none,
        // and the neighbor denies every route or the match never matches.
        // The lists by family and name, borrowed: a lookup per reference copies no name.
        let lists: FastMap<(Afi, &str), &PrefixList> = cfg.prefix_lists.iter().map(|((afi, name), pl)| ((*afi, name.as_str()), pl)).collect();
        for r in &cfg.references {
            let ObjectKind::PrefixList(afi) = r.kind else { continue };
            let other = afi.other();
            if lists.contains_key(&(afi, &*r.name)) {
                continue;
            }
            let Some(pl) = lists.get(&(other, &*r.name)) else { continue };
            let d = match &r.usage {
                Usage::NeighborPolicy { .. } => Diagnostic::new(&META, cfg.file, r.span, format!("{} prefix-list {} is used in an {afi} address family but is defined only as {}", afi.ip_keyword(), r.name, other.ip_keyword()))
                    .label("FRR looks for a list of this family, finds none, and denies every route")
                    .help(format!("define `{} prefix-list {} …`, or use the list in the matching address family", afi.ip_keyword(), r.name)),
                Usage::RouteMapMatch { map, seq } if !reported.contains(&(&**map, *seq)) => Diagnostic::new(&META, cfg.file, r.span, format!("{} prefix-list {} is matched in route-map {map} entry {seq} but is defined only as {}", afi.ip_keyword(), r.name, other.ip_keyword()))
                    .label("FRR looks for a list of this family, finds none: the match never matches and the entry is skipped")
                    .help(format!("write `match {} address prefix-list {}` if the entry is for {other} routes, or define `{} prefix-list {} …`", other.ip_keyword(), r.name, afi.ip_keyword(), r.name)),
                _ => continue,
            };
            out.push(d.related(cfg.file, pl.span, "defined for the other family here"));
        }
        // One entry matching both families never matches.
        for rm in cfg.route_maps.values() {
            for e in rm.entries.values() {
                let has = |afi: Afi| e.matches.iter().any(|m| match_afi(&m.kind) == Some(afi));
                if has(Afi::Ipv4) && has(Afi::Ipv6) {
                    out.push(
                        Diagnostic::new(&META, cfg.file, e.span, format!("route-map {} entry {} matches both IPv4 and IPv6 lists: no route is both, so it never matches", rm.name, e.seq))
                            .help("split the entry into one per address family"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};
    use crate::syntax::ParseOptions;

    fn messages(text: &str) -> Vec<String> {
        let file = SourceFile::new("t.conf", text);
        let cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
        let mut out = Vec::new();
        FamilyMismatch.check(&cfg, &mut out);
        out.into_iter().map(|d| d.message).collect()
    }

    /// An IPv6 list named under `match ip`: said once, as the list's family where the map
    /// is applied to IPv4 routes, and as the map's family where it is applied to IPv6 routes
    /// (the fixture checks findings by line, which two findings on one line would pass).
    #[test]
    fn a_list_of_the_other_family_in_a_match_is_reported_once() {
        let config = |af: &str| {
            format!(
                "router bgp 65001\n neighbor 2001:db8::1 remote-as 65001\n address-family {af} unicast\n  neighbor 2001:db8::1 activate\n  neighbor 2001:db8::1 route-map RM in\n exit-address-family\nexit\nroute-map RM permit 10\n match ip address prefix-list ONLY6\nexit\nipv6 prefix-list ONLY6 seq 5 permit 2001:db8::/32 le 64\n"
            )
        };
        let v4 = messages(&config("ipv4"));
        assert_eq!(v4, vec!["ip prefix-list ONLY6 is matched in route-map RM entry 10 but is defined only as ipv6".to_string()]);
        let v6 = messages(&config("ipv6"));
        assert_eq!(v6.len(), 1, "{v6:?}");
        assert!(v6[0].starts_with("route-map RM entry 10 matches ipv4 prefixes only"), "{v6:?}");
    }
    /// A map applied in one family by two neighbors is reported once, at its first use,
    /// also when the two uses hold separate copies of its name (a model not built by
    /// lowering, which shares one).
    #[test]
    fn a_map_used_twice_is_reported_once_at_its_first_use() {
        let text = "router bgp 65001\n neighbor 2001:db8::1 remote-as 65001\n neighbor 2001:db8::2 remote-as 65001\n address-family ipv6 unicast\n  neighbor 2001:db8::1 activate\n  neighbor 2001:db8::1 route-map RM in\n  neighbor 2001:db8::2 activate\n  neighbor 2001:db8::2 route-map RM in\n exit-address-family\nexit\nroute-map RM permit 10\n match ip address prefix-list V4\nexit\nip prefix-list V4 seq 5 permit 10.0.0.0/8\n";
        let file = SourceFile::new("t.conf", text);
        let mut cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
        let uses: Vec<usize> = (0..cfg.references.len()).filter(|&i| cfg.references[i].kind == ObjectKind::RouteMap).collect();
        assert_eq!(uses.len(), 2);
        for copied in [false, true] {
            if copied {
                let own: std::sync::Arc<str> = std::sync::Arc::from(&*cfg.references[uses[1]].name);
                cfg.references[uses[1]].name = own;
            }
            let mut out = Vec::new();
            FamilyMismatch.check(&cfg, &mut out);
            assert_eq!(out.len(), 1, "{out:?}");
            assert_eq!(out[0].related[0].span, cfg.references[uses[0]].span, "copied: {copied}");
        }
    }
}
