//! timers-mismatch (info): the two sides configure different hold or keepalive times. BGP
//! negotiates the smaller hold time; this says what will run.

use super::describe;
use crate::crosscheck::{Session, World};
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "XC007",
    name: "timers-mismatch",
    severity: Severity::Info,
    group: RuleGroup::Crosscheck,
    summary: "hold/keepalive differ between Cilium and FRR: the smaller hold time is negotiated",
    docs: include_str!("../../../docs/rules/XC007.md"),
};

pub(crate) fn check(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    for s in sessions {
        let (Some(ri), Some(((ch, ck, cloc), (fh, fk, fspan)))) = (s.router, &s.timers) else { continue };
        let r = &world.routers[ri];
        let msg = format!("{}: Cilium hold {ch}s keepalive {ck}s, FRR hold {fh}s keepalive {fk}s; the session runs with hold {}s", describe(world, s), s.hold.unwrap_or(0));
        let mut d = match fspan {
            Some(sp) => Diagnostic::new(&META, r.cfg.file, *sp, msg),
            None => Diagnostic::new(&META, r.cfg.file, s.neighbor.unwrap_or_default(), msg).label("FRR's default timers apply"),
        };
        if let Some(c) = cloc {
            d = d.related(c.file, c.span, "Cilium timers");
        }
        out.push(d.help("set the same timers on both sides (FRR: `neighbor X timers KEEPALIVE HOLD`; Cilium: PeerConfig timers)"));
    }
}
