//! unused-definition: a prefix-list, route-map, list or peer-group that nothing uses.
//! Usually a leftover or a typo on the side that should use it.

use super::undefined_reference::defined_names;
use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::{Config, ObjectKind};
use crate::source::Span;
use crate::hash::FastSet;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR102",
    name: "unused-definition",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "a prefix-list, route-map, community/as-path/access list or peer-group that nothing uses",
    docs: include_str!("../../docs/rules/FRR102.md"),
};

pub struct UnusedDefinition;

impl Rule for UnusedDefinition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        // One pass over the references, so that the check stays linear in the file size.
        // Names are shared (`Arc<str>`): the references are told apart by address first, and
        // only each distinct name is hashed as text.
        let mut seen: FastSet<(ObjectKind, usize)> = FastSet::default();
        let mut used: FastSet<(ObjectKind, &str)> = FastSet::default();
        for r in &cfg.references {
            if seen.insert((r.kind, std::sync::Arc::as_ptr(&r.name).cast::<u8>() as usize)) {
                used.insert((r.kind, &*r.name));
            }
        }
        for kind in ObjectKind::ALL {
            for name in defined_names(cfg, kind) {
                let used = used.contains(&(kind, name))
                    // Used under the other family's keyword, where no list of that family
                    // exists: family-mismatch's finding, which points here too.
                    || matches!(kind, ObjectKind::PrefixList(afi)
                        if used.contains(&(ObjectKind::PrefixList(afi.other()), name))
                            && !cfg.prefix_lists.contains_key(&(afi.other(), name.to_string())))
                    // Commands the model does not lower (zebra, other daemons) may use it.
                    || cfg.unmodelled_words.contains(name);
                if used {
                    continue;
                }
                let Some(span) = definition_span(cfg, kind, name) else { continue };
                let what = if kind == ObjectKind::PeerGroup { "has no members and is used by no listen range" } else { "is never used" };
                out.push(
                    Diagnostic::new(&META, cfg.file, span, format!("{kind} {name} {what}"))
                        .label("defined here")
                        .help("remove it, or use it where it was meant to apply (a typo in the user's name is common: check the references to similar names)"),
                );
            }
        }
    }
}

fn definition_span(cfg: &Config, kind: ObjectKind, name: &str) -> Option<Span> {
    let n = name.to_string();
    Some(match kind {
        ObjectKind::PrefixList(afi) => cfg.prefix_lists.get(&(afi, n))?.span,
        ObjectKind::AccessList(afi) => cfg.access_lists.get(&(afi, n))?.span,
        ObjectKind::RouteMap => cfg.route_maps.get(&n)?.span,
        ObjectKind::CommunityList => cfg.community_lists.get(&n)?.span,
        ObjectKind::LargeCommunityList => cfg.large_community_lists.get(&n)?.span,
        ObjectKind::ExtCommunityList => cfg.ext_community_lists.get(&n)?.span,
        ObjectKind::AsPathList => cfg.as_path_lists.get(&n)?.span,
        ObjectKind::PeerGroup => cfg.routers.iter().find_map(|r| r.peer_groups.get(&n))?.span,
    })
}
