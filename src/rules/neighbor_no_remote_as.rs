//! neighbor-no-remote-as: a neighbor with no AS from itself or its peer-group (created by
//! joining a group that has none, or by `neighbor IF interface` alone). FRR accepts it, but
//! the session can never come up.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::Config;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR203",
    name: "neighbor-no-remote-as",
    severity: Severity::Error,
    group: RuleGroup::Frr,
    summary: "a neighbor without remote-as (own or inherited): its session never comes up",
    docs: include_str!("../../docs/rules/FRR203.md"),
};

pub struct NeighborNoRemoteAs;

impl Rule for NeighborNoRemoteAs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for r in &cfg.routers {
            for p in r.effective_peers() {
                if p.settings.remote_as.is_some() {
                    continue;
                }
                let mut d = Diagnostic::new(&META, cfg.file, p.neighbor.span, format!("neighbor {} has no remote-as: its session never comes up", p.neighbor.id))
                    .help(format!("add `neighbor {} remote-as ASN` (or internal/external){}", p.neighbor.id, p.group.map(|g| format!(", or set it on peer-group {}", g.name)).unwrap_or_default()));
                if let Some(g) = p.group {
                    d = d.related(cfg.file, g.span, "its peer-group has no remote-as either");
                }
                out.push(d);
            }
        }
    }
}
