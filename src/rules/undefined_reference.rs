//! undefined-reference: a name used that nothing defines. What FRR then does depends on
//! where: a neighbor filter or route-map that does not exist denies every route, a `match`
//! on a missing list never matches, a `call` to a missing route-map is skipped.

use super::Rule;
use crate::diag::{suggest, Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::{Config, ObjectKind, Usage};
use crate::hash::{FastMap, FastSet};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR101",
    name: "undefined-reference",
    severity: Severity::Error,
    group: RuleGroup::Frr,
    summary: "a prefix-list, route-map, community, as-path or access list used but never defined",
    docs: include_str!("../../docs/rules/FRR101.md"),
};

pub struct UndefinedReference;

/// The names defined for a kind of object.
pub(crate) fn defined_names(cfg: &Config, kind: ObjectKind) -> Vec<&str> {
    match kind {
        ObjectKind::PrefixList(afi) => cfg.prefix_lists.keys().filter(|k| k.0 == afi).map(|k| k.1.as_str()).collect(),
        ObjectKind::AccessList(afi) => cfg.access_lists.keys().filter(|k| k.0 == afi).map(|k| k.1.as_str()).collect(),
        ObjectKind::RouteMap => cfg.route_maps.keys().map(String::as_str).collect(),
        ObjectKind::CommunityList => cfg.community_lists.keys().map(String::as_str).collect(),
        ObjectKind::LargeCommunityList => cfg.large_community_lists.keys().map(String::as_str).collect(),
        ObjectKind::ExtCommunityList => cfg.ext_community_lists.keys().map(String::as_str).collect(),
        ObjectKind::AsPathList => cfg.as_path_lists.keys().map(String::as_str).collect(),
        ObjectKind::PeerGroup => cfg.routers.iter().flat_map(|r| r.peer_groups.keys().map(String::as_str)).collect(),
    }
}

/// Every defined (kind, name), built once so that each reference is one lookup.
fn defined_set(cfg: &Config) -> FastSet<(ObjectKind, &str)> {
    let mut set = FastSet::default();
    for kind in ObjectKind::ALL {
        set.extend(defined_names(cfg, kind).into_iter().map(|n| (kind, n)));
    }
    set
}


impl Rule for UndefinedReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        let defined = defined_set(cfg);
        let resolves = |kind: ObjectKind, name: &str| {
            // Undeclared peer-groups are reported by command-rejected: FRR refuses the line.
            kind == ObjectKind::PeerGroup
                || defined.contains(&(kind, name))
                // The same name in the other address family is family-mismatch's finding.
                || matches!(kind, ObjectKind::PrefixList(afi)
                    if defined.contains(&(ObjectKind::PrefixList(afi.other()), name)))
        };
        // Names are shared (`Arc<str>`): tens of thousands of references to a few thousand
        // names are told apart by address, and each name is looked up as text once.
        let mut known: FastMap<(ObjectKind, usize), bool> = FastMap::default();
        for r in &cfg.references {
            let key = (r.kind, std::sync::Arc::as_ptr(&r.name).cast::<u8>() as usize);
            if *known.entry(key).or_insert_with(|| resolves(r.kind, &r.name)) {
                continue;
            }
            let (consequence, severity) = match &r.usage {
                Usage::NeighborPolicy { peer, direction, .. } => (format!("FRR denies every route {direction} for neighbor {peer}"), Severity::Error),
                Usage::Origination => ("FRR denies every route this command would originate".to_string(), Severity::Error),
                Usage::RouteMapMatch { map, seq } => (format!("this match never matches, so entry {seq} of route-map {map} is skipped"), Severity::Error),
                Usage::RouteMapCall { map, seq } => (format!("FRR skips the call in route-map {map} entry {seq} and goes on as permit"), Severity::Warning),
                _ => ("FRR treats the missing object as empty".to_string(), Severity::Warning),
            };
            let mut d = Diagnostic::new(&META, cfg.file, r.span, format!("{} {} is not defined: {consequence}", r.kind, r.name))
                .label("used here")
                .severity(severity);
            let names = defined_names(cfg, r.kind);
            d = match suggest(&r.name, names.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`? Otherwise define {} {}", r.kind, r.name)),
                None => d.help(format!("define {} {} or remove the reference", r.kind, r.name)),
            };
            out.push(d);
        }
    }
}
