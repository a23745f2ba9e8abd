//! ebgp-multihop-mismatch: eBGP multihop set on one side only. Cilium sends with TTL 1
//! unless `ebgpMultihop` > 1; FRR likewise without `ebgp-multihop`. With the peers not
//! directly connected, the side without multihop drops or never reaches the other.

use super::describe;
use crate::crosscheck::{Problem, Session, World};
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "XC008",
    name: "ebgp-multihop-mismatch",
    severity: Severity::Warning,
    group: RuleGroup::Crosscheck,
    summary: "eBGP multihop is configured on one side only",
    docs: include_str!("../../../docs/rules/XC008.md"),
};

pub(crate) fn check(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    for s in sessions {
        let Some(ri) = s.router else { continue };
        let r = &world.routers[ri];
        for p in &s.problems {
            if let Problem::TtlSecurity { span, hops, cilium, cilium_loc } = p {
                let needed = 256 - u16::from(*hops);
                let mut d = Diagnostic::new(&META, r.cfg.file, *span, format!("{}: ttl-security hops {hops} drops segments that arrive with a TTL below {needed}, but Cilium sends with TTL {cilium} (ebgpMultihop): the session never comes up", describe(world, s)))
                    .severity(Severity::Error)
                    .help(format!("set ebgpMultihop: {needed} (or 255) in the CiliumBGPPeerConfig, or use `ebgp-multihop` instead of ttl-security on the router"));
                if let Some(c) = cilium_loc {
                    d = d.related(c.file, c.span, "Cilium ebgpMultihop");
                }
                out.push(d);
                continue;
            }
            let Problem::MultihopMismatch { frr, cilium, cilium_loc } = p else { continue };
            let d = match frr {
                Some(f) => {
                    let d = Diagnostic::new(&META, r.cfg.file, f.span, format!("{}: the router allows {} hops but Cilium sends with TTL 1 (ebgpMultihop {cilium}); this works only if they are directly connected", describe(world, s), f.value));
                    match cilium_loc {
                        Some(c) => d.related(c.file, c.span, "Cilium ebgpMultihop"),
                        None => d,
                    }
                }
                None => {
                    let loc = cilium_loc.or(s.peer.as_ref().map(|p| p.1));
                    let Some(loc) = loc else { continue };
                    Diagnostic::new(&META, loc.file, loc.span, format!("{}: Cilium sets ebgpMultihop {cilium} but the router has no ebgp-multihop; it drops the session unless the peers are directly connected", describe(world, s)))
                        .related(r.cfg.file, s.neighbor.unwrap_or_default(), "neighbor without ebgp-multihop")
                }
            };
            out.push(d.help("configure multihop on both sides (FRR `neighbor X ebgp-multihop N`, Cilium `ebgpMultihop: N`) or on neither"));
        }
    }
}
