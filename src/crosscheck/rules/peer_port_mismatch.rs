//! peer-port-mismatch: Cilium dials `peerPort` (default 179), which must be the port bgpd
//! listens on; FRR's `neighbor X port N` only changes where FRR dials, which works only if
//! Cilium listens there (a `localPort`), otherwise FRR's attempts are refused.

use super::describe;
use crate::crosscheck::{Problem, Session, World};
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "XC003",
    name: "peer-port-mismatch",
    severity: Severity::Error,
    group: RuleGroup::Crosscheck,
    summary: "Cilium dials a port bgpd does not listen on, or FRR dials a port Cilium does not listen on",
    docs: include_str!("../../../docs/rules/XC003.md"),
};

pub(crate) fn check(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    for s in sessions {
        let Some(ri) = s.router else { continue };
        let r = &world.routers[ri];
        for p in &s.problems {
            match p {
                Problem::PortMismatch { port, port_loc, listen } => {
                    let (file, span) = match (port_loc, &s.peer) {
                        (Some(l), _) => (l.file, l.span),
                        (None, Some((_, l))) => (l.file, l.span),
                        (None, None) => continue,
                    };
                    out.push(
                        Diagnostic::new(&META, file, span, format!("{}: Cilium dials port {port} but bgpd on {} listens on {listen}: the session never comes up", describe(world, s), r.name))
                            .help(format!("set transport.peerPort to {listen}, or start bgpd with -p {port} (pass --router-port {}={port} if it already is)", r.name)),
                    );
                }
                Problem::FrrDialsNowhere { port, cilium_listen } => {
                    let what = match cilium_listen {
                        None => "Cilium does not listen at all (no localPort)".to_string(),
                        Some(l) => format!("Cilium listens on {l}"),
                    };
                    out.push(
                        Diagnostic::new(&META, r.cfg.file, port.span, format!("router {} dials node {} on port {} but {what}: its connection attempts are refused; the session relies on Cilium dialing in", r.name, s.node, port.value))
                            .severity(Severity::Warning)
                            .help("remove `port` (FRR's listen port is what Cilium's peerPort must match), or set localPort on the Cilium side to this port"),
                    );
                }
                _ => {}
            }
        }
    }
}
