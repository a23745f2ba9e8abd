//! The session half of `family-mismatch` (FRR304): Cilium announces routes in an address
//! family the FRR neighbor is not activated in, so none of them is exchanged.

use super::describe;
use crate::crosscheck::{Problem, Session, World};
use crate::diag::{Diagnostic, RuleMeta};

pub(crate) static META: &RuleMeta = &crate::rules::FAMILY_MISMATCH;

pub(crate) fn check(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    for s in sessions {
        let Some(ri) = s.router else { continue };
        let r = &world.routers[ri];
        for p in &s.problems {
            if let Problem::NoFamilyActive { neighbor } = p {
                out.push(
                    Diagnostic::new(META, r.cfg.file, *neighbor, format!("{}: the router's neighbor is active in no address family, so bgpd refuses the connection (\"no AF activated for peer\")", describe(world, s)))
                        .help("activate the neighbor with `neighbor X activate` under `address-family ipv4 unicast` (and ipv6 unicast if Cilium announces IPv6)"),
                );
                continue;
            }
            let Problem::FamilyNotActive { afs, cilium, neighbor } = p else { continue };
            let mut d = Diagnostic::new(META, r.cfg.file, *neighbor, format!("{}: Cilium announces {afs} routes but the router's neighbor is not active in {afs}: none is exchanged", describe(world, s)))
                .help(format!("add `neighbor X activate` under `address-family {afs}` on router {}, or drop the family on the Cilium side", r.name));
            if let Some(c) = cilium {
                d = d.related(c.file, c.span, "Cilium family");
            }
            out.push(d);
        }
    }
}
