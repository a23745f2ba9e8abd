//! Sessions between the FRR routers of the run: a neighbor of router A whose address router
//! B owns is a session A–B. Both ends must name each other, agree on AS numbers and on the
//! TCP-MD5 password; FRR routers both listen and dial, so ports only matter when neither
//! direction can connect.

use super::sessions::{Md5, Origin, Problem, Session, State};
use super::World;
use crate::model::PeerId;
use crate::source::{FileId, Span};

/// The FRR side of a mismatch, in router B's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrrEnd {
    pub file: FileId,
    pub span: Span,
}

pub(crate) fn predict(world: &World<'_>) -> Vec<Session> {
    let mut out = Vec::new();
    for (ai, a) in world.routers.iter().enumerate() {
        let Some((_, ra)) = a.bgp() else { continue };
        for n in &ra.neighbors {
            let PeerId::Address(addr) = n.id else { continue };
            let Some(bi) = world.router_owning(addr) else { continue };
            if bi == ai {
                continue;
            }
            // Each pair once: from the router listed first.
            if bi < ai && has_neighbor_towards(world, bi, ai) {
                continue;
            }
            out.push(pair(world, ai, bi, n.span, addr));
        }
    }
    out
}

fn has_neighbor_towards(world: &World<'_>, from: usize, to: usize) -> bool {
    let Some((_, r)) = world.routers[from].bgp() else { return false };
    r.neighbors.iter().any(|n| matches!(n.id, PeerId::Address(a) if world.routers[to].addresses.iter().any(|(x, _)| *x == a)))
}

fn pair(world: &World<'_>, ai: usize, bi: usize, a_span: Span, b_addr: std::net::IpAddr) -> Session {
    let a = &world.routers[ai];
    let b = &world.routers[bi];
    let (_, ra) = a.bgp().expect("router A has a BGP instance");
    let na = ra.neighbors.iter().find(|n| n.span == a_span).expect("the neighbor exists");
    let ea = ra.effective(na);
    let mut s = Session::new(Origin::FrrToFrr, a.name.clone(), b_addr, b.listen_port);
    s.node_asn = ra.local_asn().map(|x| x.0);
    s.router = Some(bi);
    s.neighbor = Some(a_span);
    let Some((_, rb)) = b.bgp() else {
        s.problems.push(Problem::FrrNoNeighbor { missing_in: bi, towards: ai, at: FrrEnd { file: a.cfg.file, span: a_span } });
        return s;
    };
    s.router_asn = rb.local_asn().map(|x| x.0);
    // B's neighbor for one of A's addresses.
    let nb = rb.neighbors.iter().find(|n| matches!(n.id, PeerId::Address(x) if a.addresses.iter().any(|(y, _)| *y == x)));
    let Some(nb) = nb else {
        s.problems.push(Problem::FrrNoNeighbor { missing_in: bi, towards: ai, at: FrrEnd { file: a.cfg.file, span: a_span } });
        return s;
    };
    if let PeerId::Address(x) = nb.id {
        s.node_address = Some(x);
    }
    let eb = rb.effective(nb);
    // Each side's remote-as must accept the other's AS.
    // The AS each side presents to the other: its neighbor's local-as, else its own AS.
    for (me, other, my_peer, their_peer, my_router, other_router) in [(ai, bi, &ea, &eb, ra, rb), (bi, ai, &eb, &ea, rb, ra)] {
        let (Some(ras), Some(local)) = (&my_peer.settings.remote_as, my_router.local_asn()) else { continue };
        let Some(presented) = their_peer.settings.local_as.clone().or_else(|| other_router.asn.clone()) else { continue };
        if !ras.value.accepts(local, presented.value) {
            s.problems.push(Problem::FrrAsnMismatch {
                router: me,
                remote_as: ras.clone(),
                file: world.routers[me].cfg.file,
                other,
                other_asn: presented,
                other_file: world.routers[other].cfg.file,
            });
        }
    }
    let (pa, pb) = (ea.settings.password.as_ref(), eb.settings.password.as_ref());
    s.md5 = match (pa, pb) {
        (None, None) => Md5::None,
        (Some(x), Some(y)) if x.value == y.value => Md5::Same,
        (Some(_), Some(_)) => Md5::Differ,
        (Some(_), None) => Md5::FrrOnly,
        (None, Some(_)) => Md5::CiliumOnly,
    };
    if !matches!(s.md5, Md5::None | Md5::Same) {
        s.problems.push(Problem::FrrPasswordMismatch {
            a: FrrEnd { file: a.cfg.file, span: pa.map(|p| p.span).unwrap_or(a_span) },
            b: FrrEnd { file: b.cfg.file, span: pb.map(|p| p.span).unwrap_or(nb.span) },
            differ: s.md5 == Md5::Differ,
            a_name: a.name.clone(),
            b_name: b.name.clone(),
        });
    }
    s.state = if s.problems.is_empty() { State::Established } else { State::Down };
    s
}
