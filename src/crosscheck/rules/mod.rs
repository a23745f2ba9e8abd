//! The cross-check rules: one file each, listed in [`RULES`]. Each reads the predicted
//! sessions (and the world, for names and locations) and reports its own kinds of problem.

use super::{Session, World};
use crate::diag::{Diagnostic, RuleMeta};

mod ebgp_multihop_mismatch;
mod peer_address_unknown;
mod peer_asn_mismatch;
mod peer_family_mismatch;
mod peer_password_mismatch;
mod peer_port_mismatch;
mod neighbor_shutdown;
mod node_not_peering;
mod prefix_rejected;
mod router_disagreement;
mod timers_mismatch;

/// A cross-check rule: its metadata and its check.
pub struct CrossRule {
    pub meta: &'static RuleMeta,
    pub run: fn(&World<'_>, &[Session], &mut Vec<Diagnostic>),
}

/// Every cross-check rule. Adding one: a file and a line here.
pub static RULES: &[CrossRule] = &[
    CrossRule { meta: &peer_asn_mismatch::META, run: peer_asn_mismatch::check },
    CrossRule { meta: &peer_address_unknown::META, run: peer_address_unknown::check },
    CrossRule { meta: &peer_port_mismatch::META, run: peer_port_mismatch::check },
    CrossRule { meta: &peer_password_mismatch::META, run: peer_password_mismatch::check },
    CrossRule { meta: &prefix_rejected::META, run: prefix_rejected::check },
    CrossRule { meta: &node_not_peering::META, run: node_not_peering::check },
    CrossRule { meta: &timers_mismatch::META, run: timers_mismatch::check },
    CrossRule { meta: &ebgp_multihop_mismatch::META, run: ebgp_multihop_mismatch::check },
    CrossRule { meta: &router_disagreement::META, run: router_disagreement::check },
    CrossRule { meta: peer_family_mismatch::META, run: peer_family_mismatch::check },
    CrossRule { meta: &neighbor_shutdown::META, run: neighbor_shutdown::check },
];

/// "node kube1 (192.168.99.12) -> router fedora1 (192.168.99.10)".
pub(crate) fn describe(world: &World<'_>, s: &Session) -> String {
    let node = match s.node_address {
        Some(a) => format!("node {} ({a})", s.node),
        None => format!("node {}", s.node),
    };
    let router = match s.router {
        Some(r) => format!("router {} ({})", world.routers[r].name, s.peer_address),
        None => format!("{}", s.peer_address),
    };
    format!("{node} -> {router}")
}
