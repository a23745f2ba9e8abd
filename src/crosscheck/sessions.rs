//! The predicted BGP sessions between Cilium nodes and FRR routers, and between the FRR
//! routers themselves, with everything that keeps each one down and what each router does
//! with every prefix the node announces. The cross-check rules and `frrlint sessions` read
//! the same [`Session`] values.
//!
//! Pairing: Cilium's `peerAddress` is matched against each router's addresses (router-id,
//! update-source, interface addresses, `--router-address`); the node side of the session
//! is the override's `localAddress`, else the node's InternalIP of the peer's family, and
//! the router's neighbor for it is the `neighbor` with that address (or a `bgp listen
//! range` covering it).

use super::{RouterView, World};
use crate::k8s::effective::{Announcement, Instance, NodeBgp, Peer, PeerAddress, Predicted};
use crate::k8s::resources::{Afi as KAfi, Safi};
use crate::k8s::Loc;
use crate::model::{Afi, AfiSafi, Asn, BgpRouter, Community, Config, Direction, EffectivePeer, PeerId, RemoteAs, Spanned};
use crate::policy::{self, Decision, Route};
use crate::hash::{FastHasher, FastMap};
use crate::source::Span;
use ipnet::IpNet;
use std::net::IpAddr;

/// Which side expects the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A Cilium peer (and possibly the matching FRR neighbor).
    Cilium,
    /// An FRR neighbor whose address is a Kubernetes node that does not peer back.
    FrrToNode,
    /// Two FRR routers given on the command line.
    FrrToFrr,
}

/// Where a session stands, as predicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Established,
    Down,
}

/// TCP-MD5 on the two sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Md5 {
    None,
    Same,
    Differ,
    CiliumOnly,
    FrrOnly,
}

/// What a router does with one announced prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixOutcome {
    pub prefix: IpNet,
    /// Set when the prefix stands for "some address of these pools".
    pub pools: Vec<String>,
    pub accepted: bool,
    pub decision: Decision,
    /// Why Cilium announces it.
    pub via: Loc,
}

/// Something that keeps a session down or loses routes; each rule reports its own kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Cilium dials an address no given router owns.
    NoRouterAtAddress { peer: Loc },
    /// The router has no neighbor (or listen range) for the node's address.
    NoNeighborForNode { node_address: Option<IpAddr>, peer: Loc },
    /// An FRR neighbor is a Kubernetes node that runs no session towards this router.
    NodeNotPeering { neighbor: Span, node_loc: Loc, why: String },
    /// Cilium expects `expected` but the router is `actual` (or local-as).
    RouterAsnMismatch { expected: At32, actual: Spanned<Asn> },
    /// The router's neighbor expects `remote_as` but the node speaks `node_asn`.
    NodeAsnMismatch { remote_as: Spanned<RemoteAs>, node_asn: At32 },
    /// Cilium dials `port` but the router listens on `listen`.
    PortMismatch { port: u16, port_loc: Option<Loc>, listen: u16 },
    /// FRR dials `port` (neighbor port) but Cilium listens on `cilium_listen` (None: not at all).
    FrrDialsNowhere { port: Spanned<u16>, cilium_listen: Option<u16> },
    PasswordMismatch { md5: Md5, frr: Option<Span>, cilium: Option<Loc> },
    /// The secret is missing or unusable (secret-missing reports it; here it explains the session).
    SecretProblem { detail: String },
    /// A family Cilium announces in is not active on the FRR neighbor.
    FamilyNotActive { afs: AfiSafi, cilium: Option<Loc>, neighbor: Span },
    /// eBGP multihop configured on one side only.
    MultihopMismatch { frr: Option<Spanned<u8>>, cilium: u8, cilium_loc: Option<Loc> },
    /// Cilium's instance has no local ASN: the agent refuses it.
    NoLocalAsn { loc: Loc },
    /// `ttl-security hops N` on the router, but Cilium sends with a TTL below 256-N.
    TtlSecurity { span: Span, hops: u8, cilium: u8, cilium_loc: Option<Loc> },
    /// `neighbor X shutdown`: the router keeps the session administratively down.
    Shutdown { span: Span },
    /// The neighbor is active in no address family: bgpd refuses its connection.
    NoFamilyActive { neighbor: Span },
    /// Between two FRR routers: router `missing_in` has no neighbor for router `towards`.
    FrrNoNeighbor { missing_in: usize, towards: usize, at: super::frr_pairs::FrrEnd },
    /// Between two FRR routers: `router`'s remote-as does not accept `other`'s AS.
    FrrAsnMismatch { router: usize, remote_as: Spanned<RemoteAs>, file: crate::source::FileId, other: usize, other_asn: Spanned<Asn>, other_file: crate::source::FileId },
    /// Between two FRR routers: passwords differ or only one side has one.
    FrrPasswordMismatch { a: super::frr_pairs::FrrEnd, b: super::frr_pairs::FrrEnd, differ: bool, a_name: String, b_name: String },
}

/// A u32 with its YAML location.
pub type At32 = crate::k8s::At<u32>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub origin: Origin,
    pub node: String,
    pub node_address: Option<IpAddr>,
    pub node_asn: Option<u32>,
    pub instance: Option<String>,
    /// Cilium's peer entry (name and location), when Cilium has one.
    pub peer: Option<(String, Loc)>,
    pub peer_address: IpAddr,
    pub router: Option<usize>,
    pub router_asn: Option<u32>,
    /// The FRR neighbor's span in the router's file.
    pub neighbor: Option<Span>,
    pub port: u16,
    pub md5: Md5,
    /// Negotiated hold and keepalive (seconds), when both sides are known.
    pub hold: Option<u16>,
    pub keepalive: Option<u16>,
    /// Both sides' timers when they differ (Cilium hold/keepalive, FRR hold/keepalive).
    pub timers: Option<((u16, u16, Option<Loc>), (u16, u16, Option<Span>))>,
    pub state: State,
    pub problems: Vec<Problem>,
    pub prefixes: Vec<PrefixOutcome>,
    /// When the session announces nothing (down, or nothing selected): what the router
    /// would do with the cluster's LoadBalancer addresses once they are announced.
    pub potential: Vec<PrefixOutcome>,
}

impl Session {
    /// A session between `node` and `peer_address` with nothing predicted yet (down, no
    /// problems, no prefixes); the caller fills in what it knows.
    pub(crate) fn new(origin: Origin, node: String, peer_address: IpAddr, port: u16) -> Session {
        Session {
            origin,
            node,
            node_address: None,
            node_asn: None,
            instance: None,
            peer: None,
            peer_address,
            router: None,
            router_asn: None,
            neighbor: None,
            port,
            md5: Md5::None,
            hold: None,
            keepalive: None,
            timers: None,
            state: State::Down,
            problems: Vec::new(),
            prefixes: Vec::new(),
            potential: Vec::new(),
        }
    }

    fn down_if_problems(&mut self) {
        let fatal = self.problems.iter().any(|p| {
            !matches!(p, Problem::FrrDialsNowhere { .. } | Problem::FamilyNotActive { .. } | Problem::MultihopMismatch { .. })
        });
        self.state = if fatal { State::Down } else { State::Established };
    }
}

/// Runs routes through routers' inbound policy, fast: one prefix-list index per router, and
/// one evaluation per (router, neighbor policy, route), since the many sessions of a
/// cluster share their routers' policies.
pub(crate) struct Evaluator {
    indexes: Vec<policy::PolicyIndex>,
    /// Per router: whether any route-map looks at the peer or the next hop (then a verdict
    /// depends on the session, and is not shared).
    per_session: Vec<bool>,
    signatures: FastMap<(usize, AfiSafi, usize), u32>,
    memo: FastMap<MemoKey, Decision>,
}

/// (router, neighbor policy signature, prefix, AS path, communities).
type MemoKey = (usize, u32, ipnet::IpNet, Vec<Asn>, Vec<Community>);

impl Evaluator {
    fn new(world: &World<'_>) -> Evaluator {
        let per_session = world
            .routers
            .iter()
            .map(|r| {
                r.cfg.route_maps.values().flat_map(|m| m.entries.values()).flat_map(|e| &e.matches).any(|m| {
                    matches!(m.kind, crate::model::MatchKind::Peer(_) | crate::model::MatchKind::NextHopAddress(_) | crate::model::MatchKind::NextHopPrefixList { .. })
                })
            })
            .collect();
        Evaluator {
            indexes: world.routers.iter().map(|r| policy::PolicyIndex::new(r.cfg)).collect(),
            per_session,
            signatures: Default::default(),
            memo: Default::default(),
        }
    }

    fn inbound(&mut self, ri: usize, cfg: &Config, r: &BgpRouter, nb: &EffectivePeer<'_>, route: &Route) -> Decision {
        if self.per_session[ri] {
            return policy::eval_neighbor_indexed(cfg, &self.indexes[ri], r, nb, Direction::In, route).decision;
        }
        let afs = AfiSafi::unicast(route.afi());
        // The neighbor (by its declaration) stands for everything eval_neighbor reads of it;
        // neighbors of one peer-group without own policy share the group's signature.
        let sig_key = (ri, afs, nb.neighbor.span.start as usize);
        let sig = match self.signatures.get(&sig_key) {
            Some(s) => *s,
            None => {
                let text = format!(
                    "{:?}|{}|{:?}",
                    nb.af(afs).map(|a| (a.route_map(Direction::In), a.prefix_list(Direction::In), a.filter_list(Direction::In), a.distribute_list(Direction::In))),
                    nb.is_active(afs),
                    nb.settings.remote_as.as_ref().map(|r| r.value),
                );
                let id = {
                    use std::hash::{Hash, Hasher};
                    let mut h = FastHasher::default();
                    text.hash(&mut h);
                    h.finish() as u32
                };
                self.signatures.insert(sig_key, id);
                id
            }
        };
        let key = (ri, sig, route.prefix, route.as_path.clone(), route.communities.clone());
        if let Some(d) = self.memo.get(&key) {
            return d.clone();
        }
        let d = policy::eval_neighbor_indexed(cfg, &self.indexes[ri], r, nb, Direction::In, route).decision;
        self.memo.insert(key, d.clone());
        d
    }
}

/// Compute every session of the world.
pub fn predict(world: &World<'_>) -> Vec<Session> {
    let mut ev = Evaluator::new(world);
    let ev = &mut ev;
    let mut out = Vec::new();
    for (name, node) in &world.effective.nodes {
        for inst in &node.instances {
            for peer in &inst.peers {
                if let PeerAddress::Ip(addr) = &peer.address {
                    out.push(cilium_session(world, ev, name, node, inst, peer, addr.value, addr.loc));
                }
            }
        }
    }
    let frr_side = frr_to_node(world, ev, &out);
    out.extend(frr_side);
    out.extend(super::frr_pairs::predict(world));
    out
}

/// The node's address for a session to `peer` (override localAddress, else the first
/// InternalIP of the same family).
fn node_address(world: &World<'_>, node: &str, peer: &Peer, peer_addr: IpAddr) -> Option<IpAddr> {
    if let Some(a) = &peer.local_address {
        return Some(a.value);
    }
    let n = world.cluster.nodes.get(node)?;
    n.internal_ips.iter().map(|a| a.value).find(|a| a.is_ipv4() == peer_addr.is_ipv4())
}

/// The FRR neighbor for `addr` on `router`: an address neighbor, or a listen range.
fn find_neighbor<'a>(r: &'a BgpRouter, addr: IpAddr) -> Option<EffectivePeer<'a>> {
    r.neighbors.iter().find(|n| n.id == PeerId::Address(addr)).map(|n| r.effective(n))
}

fn listen_range_covers(r: &BgpRouter, addr: IpAddr) -> Option<&crate::model::ListenRange> {
    r.listen_ranges.iter().find(|l| l.range.value.contains(&addr))
}

fn cilium_session(world: &World<'_>, ev: &mut Evaluator, node_name: &str, _node: &NodeBgp, inst: &Instance, peer: &Peer, addr: IpAddr, addr_loc: Loc) -> Session {
    let node_addr = node_address(world, node_name, peer, addr);
    let mut s = Session::new(Origin::Cilium, node_name.to_string(), addr, peer.peer_port.value);
    s.node_address = node_addr;
    s.node_asn = inst.local_asn.as_ref().map(|a| a.value);
    s.instance = inst.name.as_ref().map(|n| n.value.clone());
    s.peer = Some((peer.name.value.clone(), peer.name.loc));
    if inst.local_asn.is_none() {
        s.problems.push(Problem::NoLocalAsn { loc: inst.loc });
    }
    let Some(ri) = world.router_owning(addr) else {
        s.problems.push(Problem::NoRouterAtAddress { peer: addr_loc });
        s.down_if_problems();
        return s;
    };
    s.router = Some(ri);
    let rv = &world.routers[ri];
    let Some((cfg, r)) = rv.bgp() else {
        s.problems.push(Problem::NoRouterAtAddress { peer: addr_loc });
        s.down_if_problems();
        return s;
    };
    s.router_asn = r.local_asn().map(|a| a.0);
    // A node inside a `bgp listen range` becomes a dynamic neighbor of the range's
    // peer-group when it connects: it is checked like a member of that group.
    let dynamic;
    let nb = match node_addr.and_then(|a| find_neighbor(r, a)) {
        Some(nb) => nb,
        None => match node_addr.and_then(|a| listen_range_covers(r, a).map(|lr| (a, lr))) {
            Some((a, lr)) => {
                dynamic = crate::model::Neighbor {
                    id: PeerId::Address(a),
                    span: lr.range.span,
                    group: Some(lr.group.clone()),
                    settings: Default::default(),
                    default_ipv4_activated: r.default_ipv4_unicast.as_ref().map(|d| d.value).unwrap_or(true),
                };
                r.effective(&dynamic)
            }
            None => {
                s.problems.push(Problem::NoNeighborForNode { node_address: node_addr, peer: addr_loc });
                s.down_if_problems();
                return s;
            }
        },
    };
    s.neighbor = Some(nb.neighbor.span);
    if let Some(sd) = nb.settings.shutdown {
        s.problems.push(Problem::Shutdown { span: sd });
    }
    // bgpd refuses a connection from a neighbor with no address family activated
    // ("incoming conn rejected - no AF activated for peer", checked on 8.4.4).
    if !AfiSafi::ALL.iter().any(|afs| nb.is_active(*afs)) {
        s.problems.push(Problem::NoFamilyActive { neighbor: nb.neighbor.span });
    }
    check_asn(&mut s, r, &nb, inst, peer);
    check_port(&mut s, rv, &nb, inst, peer);
    check_password(&mut s, &nb, peer);
    check_multihop(&mut s, r, &nb, inst, peer);
    check_timers(&mut s, cfg, r, &nb, peer);
    s.down_if_problems();
    // A session that never comes up sends nothing; what its router would do with the
    // cluster's addresses is still worth knowing (`potential`, below).
    if s.state == State::Established {
        check_prefixes(&mut s, ev, ri, cfg, r, &nb, inst, peer);
    }
    if s.prefixes.is_empty() {
        s.potential = potential(world, ev, ri, cfg, r, &nb, s.node_asn, s.node_address);
    }
    s
}

/// What the router would do with every LoadBalancer address the cluster has or will
/// assign (as the host route Cilium announces), from this neighbor.
fn potential(world: &World<'_>, ev: &mut Evaluator, ri: usize, cfg: &Config, r: &BgpRouter, nb: &EffectivePeer<'_>, node_asn: Option<u32>, node_addr: Option<IpAddr>) -> Vec<PrefixOutcome> {
    use crate::k8s::effective::LbAddresses;
    let mut out: Vec<PrefixOutcome> = Vec::new();
    for svc in world.effective.services.values() {
        if !svc.lb_announced_by_bgp() {
            continue;
        }
        let mut cands: Vec<(IpNet, Vec<String>)> = Vec::new();
        match &svc.lb {
            LbAddresses::Assigned(ips) | LbAddresses::Requested { ips, .. } => {
                for ip in ips {
                    cands.push((IpNet::from(ip.value), Vec::new()));
                }
            }
            LbAddresses::FromPools(pools) => {
                let a = Announcement {
                    prefix: Predicted::FromPools { pools: pools.clone(), prefix_len: 32 },
                    source: crate::k8s::effective::Source::Service { service: svc.key.clone(), address: crate::k8s::resources::ServiceAddressType::LoadBalancerIp },
                    via: svc.loc(),
                    attributes: None,
                    local_endpoints_only: false,
                };
                cands.extend(candidates(&a).into_iter().filter(|(p, _)| p.addr().is_ipv4()));
                let a6 = Announcement { prefix: Predicted::FromPools { pools: pools.clone(), prefix_len: 128 }, ..a };
                cands.extend(candidates(&a6).into_iter().filter(|(p, _)| p.addr().is_ipv6()));
            }
            _ => {}
        }
        for (prefix, pools) in cands {
            if out.iter().any(|o| o.prefix == prefix) {
                continue;
            }
            let afs = AfiSafi::unicast(Afi::of(&prefix));
            if !nb.is_active(afs) {
                continue;
            }
            let mut route = Route::new(prefix);
            route.as_path = node_asn.map(|a| vec![Asn(a)]).unwrap_or_default();
            route.next_hop = node_addr;
            route.peer = node_addr;
            let decision = ev.inbound(ri, cfg, r, nb, &route);
            out.push(PrefixOutcome { prefix, pools, accepted: decision.permitted(), decision, via: svc.loc() });
        }
    }
    out
}

fn check_asn(s: &mut Session, r: &BgpRouter, nb: &EffectivePeer<'_>, inst: &Instance, peer: &Peer) {
    // The AS the router presents to this neighbor: local-as if set, else the instance's.
    let router_as = nb.settings.local_as.clone().or_else(|| r.asn.clone());
    if let (Some(expected), Some(actual)) = (&peer.peer_asn, &router_as) {
        if expected.value != actual.value.0 {
            s.problems.push(Problem::RouterAsnMismatch { expected: expected.clone(), actual: actual.clone() });
        }
    }
    if let (Some(ra), Some(node_asn), Some(local)) = (&nb.settings.remote_as, &inst.local_asn, r.local_asn()) {
        if !ra.value.accepts(local, Asn(node_asn.value)) {
            s.problems.push(Problem::NodeAsnMismatch { remote_as: ra.clone(), node_asn: node_asn.clone() });
        }
    }
}

fn check_port(s: &mut Session, rv: &RouterView<'_>, nb: &EffectivePeer<'_>, inst: &Instance, peer: &Peer) {
    if peer.peer_port.value != rv.listen_port {
        s.problems.push(Problem::PortMismatch { port: peer.peer_port.value, port_loc: peer.peer_port.from, listen: rv.listen_port });
    }
    // `neighbor X port N` changes only where FRR dials; it matters only if Cilium listens there.
    let cilium_listen = inst.listen_port.as_ref().map(|p| p.value);
    let frr_dials = nb.settings.port.clone().unwrap_or(Spanned::new(179, Span::default()));
    let passive = nb.settings.passive.is_some();
    if !passive && nb.settings.port.is_some() && cilium_listen != Some(frr_dials.value) {
        s.problems.push(Problem::FrrDialsNowhere { port: frr_dials, cilium_listen });
    }
}

fn check_password(s: &mut Session, nb: &EffectivePeer<'_>, peer: &Peer) {
    let frr = nb.settings.password.as_ref();
    // A Secret that is not found only means "no MD5" (compared below); a Secret without a
    // usable `password` key is a hard error: the instance's peers are not reconciled.
    if let Some(problem) = &peer.password_problem {
        if !matches!(problem, crate::k8s::effective::PasswordProblem::SecretNotFound { .. }) {
            s.problems.push(Problem::SecretProblem { detail: format!("{problem:?}") });
        }
    }
    let cilium = peer.password.as_ref();
    s.md5 = match (cilium, frr) {
        (None, None) => Md5::None,
        (Some(c), Some(f)) if *c == f.value => Md5::Same,
        (Some(_), Some(_)) => Md5::Differ,
        (Some(_), None) => Md5::CiliumOnly,
        (None, Some(_)) => Md5::FrrOnly,
    };
    if matches!(s.md5, Md5::Differ | Md5::CiliumOnly | Md5::FrrOnly) {
        let cloc = peer.password_loc.or(peer.auth_secret_ref.as_ref().map(|a| a.loc));
        s.problems.push(Problem::PasswordMismatch { md5: s.md5, frr: frr.map(|f| f.span), cilium: cloc });
    }
}

fn check_multihop(s: &mut Session, r: &BgpRouter, nb: &EffectivePeer<'_>, inst: &Instance, peer: &Peer) {
    let ebgp = match (r.local_asn(), inst.local_asn.as_ref()) {
        (Some(a), Some(b)) => a.0 != b.value,
        _ => true,
    };
    if !ebgp {
        return;
    }
    let cilium = peer.ebgp_multihop.value;
    // GTSM: with `ttl-security hops N` bgpd drops segments that arrive with a TTL below
    // 256-N; Cilium sends with its ebgpMultihop as TTL (1 when off).
    if let Some(t) = &nb.settings.ttl_security {
        let needed = 256u16.saturating_sub(u16::from(t.value));
        if u16::from(cilium) < needed {
            s.problems.push(Problem::TtlSecurity { span: t.span, hops: t.value, cilium, cilium_loc: peer.ebgp_multihop.from });
        }
        return;
    }
    let frr = nb.settings.ebgp_multihop.clone().filter(|m| m.value > 1);
    if frr.is_some() != (cilium > 1) {
        s.problems.push(Problem::MultihopMismatch { frr, cilium, cilium_loc: peer.ebgp_multihop.from });
    }
}

fn check_timers(s: &mut Session, cfg: &Config, r: &BgpRouter, nb: &EffectivePeer<'_>, peer: &Peer) {
    let t = nb.timers(r, &cfg.defaults);
    let span = nb.settings.timers.as_ref().map(|t| t.span).or(r.timers.as_ref().map(|t| t.span));
    let (ch, ck) = (peer.hold_time.value, peer.keepalive.value);
    let hold = ch.min(t.hold);
    s.hold = Some(hold);
    // Each side sends keepalives at its own interval, capped to a third of the negotiated hold.
    s.keepalive = Some(t.effective_keepalive().min(if hold == 0 { u16::MAX } else { hold / 3 }).max(if hold == 0 { 0 } else { 1 }));
    if ch != t.hold || ck != t.effective_keepalive() {
        s.timers = Some(((ch, ck, peer.hold_time.from.or(peer.keepalive.from)), (t.hold, t.effective_keepalive(), span)));
    }
}

fn family_afs(afi: KAfi, safi: Safi) -> Option<AfiSafi> {
    match (afi, safi) {
        (KAfi::Ipv4, Safi::Unicast) => Some(AfiSafi::Ipv4Unicast),
        (KAfi::Ipv6, Safi::Unicast) => Some(AfiSafi::Ipv6Unicast),
        _ => None,
    }
}

fn check_prefixes(s: &mut Session, ev: &mut Evaluator, ri: usize, cfg: &Config, r: &BgpRouter, nb: &EffectivePeer<'_>, inst: &Instance, peer: &Peer) {
    for fam in &peer.families {
        let Some(afs) = family_afs(fam.afi, fam.safi) else { continue };
        if !nb.is_active(afs) {
            if !fam.announcements.is_empty() {
                s.problems.push(Problem::FamilyNotActive { afs, cilium: fam.loc, neighbor: nb.neighbor.span });
            }
            continue;
        }
        for a in &fam.announcements {
            for (prefix, pools) in candidates(a) {
                if Afi::of(&prefix) != afs.afi().unwrap_or(Afi::Ipv4) {
                    continue;
                }
                let mut route = Route::new(prefix);
                route.as_path = inst.local_asn.as_ref().map(|a| vec![Asn(a.value)]).unwrap_or_default();
                route.next_hop = s.node_address;
                route.peer = s.node_address;
                if let Some(attrs) = &a.attributes {
                    route.communities = attrs
                        .standard_communities
                        .iter()
                        .chain(attrs.well_known_communities.iter())
                        .filter_map(|c| Community::parse(&c.value))
                        .collect();
                }
                let decision = ev.inbound(ri, cfg, r, nb, &route);
                s.prefixes.push(PrefixOutcome { prefix, pools, accepted: decision.permitted(), decision, via: a.via });
            }
        }
    }
}

/// The concrete prefixes that stand for an announcement: itself, or for a pool prediction
/// the first and last address of every block at the announced length (a router that
/// accepts both ends of every block with one prefix-list entry accepts the whole block).
fn candidates(a: &Announcement) -> Vec<(IpNet, Vec<String>)> {
    match &a.prefix {
        Predicted::Exact(p) => vec![(*p, Vec::new())],
        Predicted::FromPools { pools, prefix_len } => {
            let mut v = Vec::new();
            for choice in pools {
                for b in &choice.blocks {
                    let (first, last) = match b {
                        crate::k8s::resources::pool::PoolRange::Cidr(c) => (c.network(), c.broadcast()),
                        crate::k8s::resources::pool::PoolRange::Range { start, stop } => (*start, *stop),
                    };
                    for addr in [first, last] {
                        if let Ok(n) = IpNet::new(addr, *prefix_len) {
                            let n = n.trunc();
                            if !v.iter().any(|(x, _)| *x == n) {
                                v.push((n, vec![choice.pool.clone()]));
                            }
                        }
                    }
                }
            }
            v
        }
    }
}

/// FRR neighbors whose address is a Kubernetes node that has no Cilium session back.
fn frr_to_node(world: &World<'_>, ev: &mut Evaluator, cilium: &[Session]) -> Vec<Session> {
    let mut out = Vec::new();
    for (ri, rv) in world.routers.iter().enumerate() {
        for r in &rv.cfg.routers {
            for n in &r.neighbors {
                let PeerId::Address(addr) = n.id else { continue };
                let Some((node_name, node_loc)) = world.node_with_address(addr) else { continue };
                let covered = cilium.iter().any(|s| s.router == Some(ri) && s.node == node_name && s.node_address == Some(addr));
                if covered {
                    continue;
                }
                let why = world.why_not_peering(&node_name, rv);
                let nb = r.effective(n);
                let node_asn = match nb.settings.remote_as.as_ref().map(|r| r.value) {
                    Some(RemoteAs::Asn(a)) => Some(a.0),
                    _ => None,
                };
                let potential = potential(world, ev, ri, rv.cfg, r, &nb, node_asn, Some(addr));
                let mut s = Session::new(Origin::FrrToNode, node_name.clone(), addr, rv.listen_port);
                s.node_address = Some(addr);
                s.router = Some(ri);
                s.router_asn = r.local_asn().map(|a| a.0);
                s.neighbor = Some(n.span);
                s.problems.push(Problem::NodeNotPeering { neighbor: n.span, node_loc, why });
                s.potential = potential;
                s.down_if_problems();
                out.push(s);
            }
        }
    }
    out
}
