//! unreachable-route-map-entry: a route-map entry that can never be evaluated because an
//! earlier entry without any `match` (a catch-all) ends evaluation for every route.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::{Action, Config};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR302",
    name: "unreachable-route-map-entry",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "a route-map entry after a catch-all entry (no match, no on-match): it is never evaluated",
    docs: include_str!("../../docs/rules/FRR302.md"),
};

pub struct UnreachableRouteMapEntry;

impl Rule for UnreachableRouteMapEntry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for rm in cfg.route_maps.values() {
            let mut catch_all = None;
            for e in rm.entries.values() {
                if let Some(c) = catch_all {
                    let (seq, span, action): (u16, _, Action) = c;
                    out.push(
                        Diagnostic::new(&META, cfg.file, e.span, format!("route-map {} entry {} is never evaluated: entry {seq} has no match clause and {} every route", rm.name, e.seq, super::verb(action)))
                            .related(cfg.file, span, "catch-all entry")
                            .help("move the catch-all entry last (highest sequence number), or give it a match clause"),
                    );
                    continue;
                }
                let continues = e.action == Action::Permit && (e.on_match.is_some() || e.call.is_some());
                if e.matches_everything() && !continues {
                    catch_all = Some((e.seq, e.span, e.action));
                }
            }
        }
    }
}
