//! peer-asn-mismatch: the AS numbers the two ends expect of each other differ. The side
//! that receives the wrong AS in the OPEN sends a NOTIFICATION (Bad Peer AS) and the
//! session never comes up.

use super::describe;
use crate::crosscheck::{Problem, Session, World};
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "XC001",
    name: "peer-asn-mismatch",
    severity: Severity::Error,
    group: RuleGroup::Crosscheck,
    summary: "Cilium and FRR disagree on an AS number: the session is refused with Bad Peer AS",
    docs: include_str!("../../../docs/rules/XC001.md"),
};

pub(crate) fn check(world: &World<'_>, sessions: &[Session], out: &mut Vec<Diagnostic>) {
    for s in sessions {
        let Some(ri) = s.router else { continue };
        let file = world.routers[ri].cfg.file;
        for p in &s.problems {
            match p {
                Problem::RouterAsnMismatch { expected, actual } => out.push(
                    Diagnostic::new(&META, expected.loc.file, expected.loc.span, format!("{}: Cilium expects the router in AS {}, but router {} is AS {}", describe(world, s), expected.value, world.routers[ri].name, actual.value))
                        .label("peerASN")
                        .related(file, actual.span, "the router's AS")
                        .help(format!("set peerASN to {} (or fix the router's AS); 0 accepts any AS on Cilium 1.17+", actual.value)),
                ),
                Problem::NodeAsnMismatch { remote_as, node_asn } => out.push(
                    Diagnostic::new(&META, file, remote_as.span, format!("{}: router {} expects remote-as {} but node {} speaks AS {}", describe(world, s), world.routers[ri].name, remote_as.value, s.node, node_asn.value))
                        .label("remote-as")
                        .related(node_asn.loc.file, node_asn.loc.span, "the node's localASN")
                        .help(format!("use `remote-as {}` for this neighbor, or set localASN to what the router expects", node_asn.value)),
                ),
                Problem::FrrAsnMismatch { router, remote_as, file, other, other_asn, other_file } => out.push(
                    Diagnostic::new(&META, *file, remote_as.span, format!("router {} expects remote-as {} from router {}, which presents AS {}", world.routers[*router].name, remote_as.value, world.routers[*other].name, other_asn.value))
                        .label("remote-as")
                        .related(*other_file, other_asn.span, "the AS it presents")
                        .help(format!("use `remote-as {}` (or internal/external) for this neighbor", other_asn.value)),
                ),
                _ => {}
            }
        }
    }
}
