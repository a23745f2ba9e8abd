//! neighbor-shutdown (info): the router's neighbor for a Cilium node is administratively
//! shut down (`neighbor X shutdown`, or its peer-group's): the session stays down (bgpd shows
//! `Idle (Admin)` and refuses the node's connections) until `no neighbor X shutdown`.

use super::describe;
use crate::crosscheck::{Problem, Session, World};
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "XC010",
    name: "neighbor-shutdown",
    severity: Severity::Info,
    group: RuleGroup::Crosscheck,
    summary: "the router's neighbor for a Cilium node is shut down: the session stays down",
    docs: include_str!("../../../docs/rules/XC010.md"),
};

pub(crate) fn check(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    for s in sessions {
        let Some(ri) = s.router else { continue };
        for p in &s.problems {
            let Problem::Shutdown { span } = p else { continue };
            out.push(
                Diagnostic::new(&META, world.routers[ri].cfg.file, *span, format!("{}: the neighbor is shut down, so the session stays down", describe(world, s)))
                    .help("remove `neighbor X shutdown` when the session should come up"),
            );
        }
    }
}
