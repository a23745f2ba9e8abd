//! Plan -> one `model::Config` per router: the policy design in typed form. Per router, one
//! peer-group per peer class (an iBGP mesh, a cluster peering) and family; per cluster and
//! family, a prefix-list of what Cilium announces (its ranges with the host length, plus the
//! aggregate length when aggregation is on); per cluster peer-group, a route-map in
//! (permit that list, optionally setting local-preference and communities, then an explicit
//! deny) and a route-map out (what the topology exports, then an explicit deny).
//!
//! Nothing here formats text: `emit_frr` prints the result.

use super::names;
use super::plan::{ClusterPlan, MeshPlan, PeeringPlan, Plan, RouterPlan, SessionPlan, BGP_PORT};
use crate::model::{
    Action, AfFlag, Afi, AfiSafi, BgpRouter, Community, Config, Defaults, Direction, MatchKind, MatchStmt, Neighbor,
    Network, PeerAf, PeerGroup, PeerId, PeerSettings, PolicySlot, PrefixList, PrefixListEntry, RemoteAs, RouteMap, RouteMapEntry, SetKind, SetStmt,
    SetValue, Spanned, UpdateSource,
};
use crate::source::{FileId, Span};
use ipnet::IpNet;
use std::net::IpAddr;

/// The route-map sequence of the entry that permits what the session accepts or sends.
const PERMIT_SEQ: u16 = 10;
/// The route-map sequence of the explicit deny that ends every generated route-map.
const DENY_SEQ: u16 = 100;

/// Build every router's configuration, in the plan's router order.
pub fn build(plan: &Plan) -> Vec<(String, Config)> {
    (0..plan.routers.len()).map(|i| (plan.routers[i].name.clone(), build_router(plan, i))).collect()
}

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Span::default())
}

fn on() -> Option<Span> {
    Some(Span::default())
}

/// One router's configuration.
pub fn build_router(plan: &Plan, index: usize) -> Config {
    let r = &plan.routers[index];
    let mut cfg = Config::empty(FileId(0), r.frr_version);
    cfg.version_line = Some(spanned(r.frr_version_text.clone()));
    cfg.profile = spanned(r.profile);
    cfg.defaults = Defaults::for_version(r.frr_version, r.profile);
    cfg.hostname = Some(spanned(r.name.clone()));
    let mut bgp = BgpRouter::new(Span::default());
    bgp.asn = Some(spanned(r.asn));
    bgp.router_id = Some(spanned(r.router_id));
    // Activation is explicit per family: a neighbor carries exactly the families the topology names.
    bgp.default_ipv4_unicast = Some(spanned(false));
    for n in &r.networks {
        let af = bgp.afs.entry(AfiSafi::unicast(Afi::of(n))).or_default();
        af.networks.push(Network { prefix: spanned(*n), route_map: None, classful: false });
    }
    for m in plan.meshes.iter().filter(|m| m.session.routers.contains(&index)) {
        mesh(plan, m, index, &mut bgp);
    }
    for p in plan.peerings.iter().filter(|p| p.session.routers.contains(&index)) {
        peering(plan, p, index, &mut bgp, &mut cfg);
    }
    cfg.routers.push(bgp);
    cfg
}

/// The peer-group settings every session shares.
fn group_settings(r: &RouterPlan, s: &SessionPlan, afi: Afi, remote: RemoteAs) -> PeerSettings {
    let mut g = PeerSettings {
        remote_as: Some(spanned(remote)),
        password: s.password.as_ref().map(|p| spanned(p.secret.clone())),
        timers: s.timers.map(spanned),
        connect_retry: s.connect_retry.map(spanned),
        ..PeerSettings::default()
    };
    // Peers expect the session from the address the topology gives the router; the router-id
    // is an address FRR sources from anyway, any other must be named.
    if let Some(a) = r.address(afi) {
        if a != IpAddr::V4(r.router_id) {
            g.update_source = Some(spanned(UpdateSource::Address(a)));
        }
    }
    let mut af = PeerAf { activate: Some(spanned(true)), ..PeerAf::default() };
    af.flags.set(AfFlag::SoftReconfigurationInbound, s.soft_reconfiguration.then(Span::default));
    g.af.insert(AfiSafi::unicast(afi), af);
    g
}

fn member(id: IpAddr, group: &str, description: &str, port: Option<u16>) -> Neighbor {
    Neighbor {
        id: PeerId::Address(id),
        span: Span::default(),
        group: Some(spanned(group.to_string())),
        settings: PeerSettings {
            description: Some(spanned(description.to_string())),
            // FRR does not pass `port` from a peer-group to its members: it goes on each member.
            port: port.filter(|p| *p != BGP_PORT).map(spanned),
            ..PeerSettings::default()
        },
        default_ipv4_activated: false,
    }
}

fn mesh(plan: &Plan, m: &MeshPlan, index: usize, bgp: &mut BgpRouter) {
    let r = &plan.routers[index];
    for &afi in &m.session.families {
        let group = m.session.group(afi);
        let mut settings = group_settings(r, &m.session, afi, RemoteAs::Asn(r.asn));
        if m.next_hop_self {
            if let Some(af) = settings.af.get_mut(&AfiSafi::unicast(afi)) {
                af.flags.set(AfFlag::NextHopSelf, on());
            }
        }
        bgp.peer_groups.insert(group.clone(), PeerGroup { name: group.clone(), span: Span::default(), settings });
        for &other in m.session.routers.iter().filter(|o| **o != index) {
            let o = &plan.routers[other];
            if let Some(a) = o.address(afi) {
                bgp.neighbors.push(member(a, &group, &o.name, Some(o.listen_port)));
            }
        }
    }
}

fn peering(plan: &Plan, p: &PeeringPlan, index: usize, bgp: &mut BgpRouter, cfg: &mut Config) {
    let r = &plan.routers[index];
    let c = &plan.clusters[p.cluster];
    for &afi in &p.session.families {
        let group = p.session.group(afi);
        let mut settings = group_settings(r, &p.session, afi, RemoteAs::Asn(c.asn));
        settings.ebgp_multihop = p.ebgp_multihop.map(spanned);
        // Cilium only dials out unless it was given a listen port: FRR's own attempts would be
        // refused, so FRR waits for Cilium's.
        if c.listen_port.is_none() {
            settings.passive = on();
        }
        let afs = AfiSafi::unicast(afi);
        if let Some(af) = settings.af.get_mut(&afs) {
            af.policies.insert(PolicySlot::RouteMap(Direction::In), spanned(names::route_map_in(&group).into()));
            af.policies.insert(PolicySlot::RouteMap(Direction::Out), spanned(names::route_map_out(&group).into()));
        }
        bgp.peer_groups.insert(group.clone(), PeerGroup { name: group.clone(), span: Span::default(), settings });
        for n in &c.nodes {
            if let Some(a) = n.address(afi) {
                bgp.neighbors.push(member(a, &group, &n.name, c.listen_port));
            }
        }
        import_policy(c, p, &group, afi, cfg);
        export_policy(p, &group, afi, cfg);
    }
}

/// What the cluster announces in `afi`, as prefix-list ranges `(prefix, ge, le)`.
pub fn announced_entries(c: &ClusterPlan, afi: Afi) -> Vec<(IpNet, Option<u8>, Option<u8>)> {
    let max = afi.max_len();
    let mut out = Vec::new();
    let ranges: Vec<IpNet> = c.announced_ranges().into_iter().filter(|n| Afi::of(n) == afi).collect();
    // Every address as a host route: Cilium announces /32 and /128, and always does so for
    // Services with a Local traffic policy even when aggregating.
    for n in &ranges {
        out.push(length_range(*n, max, max));
    }
    if let Some(agg) = c.aggregation(afi) {
        for n in &ranges {
            let e = if agg >= n.prefix_len() {
                length_range(*n, agg, agg)
            } else {
                // The aggregate is wider than the range: the range's covering prefix, exactly.
                let wide = IpNet::new(n.network(), agg).map(|w| w.trunc()).unwrap_or(*n);
                (wide, None, None)
            };
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// The entry matching lengths `lo..=hi` inside `n`, written the shortest way FRR reads it.
fn length_range(n: IpNet, lo: u8, hi: u8) -> (IpNet, Option<u8>, Option<u8>) {
    let len = n.prefix_len();
    let max = n.max_prefix_len();
    match (lo == len, hi == len, hi == max) {
        (true, true, _) => (n, None, None),
        (true, false, _) => (n, None, Some(hi)),
        (false, _, true) => (n, Some(lo), None),
        (false, _, false) => (n, Some(lo), Some(hi)),
    }
}

fn prefix_list(cfg: &mut Config, afi: Afi, name: &str, entries: &[(IpNet, Option<u8>, Option<u8>)]) {
    let key = (afi, name.to_string());
    if cfg.prefix_lists.contains_key(&key) {
        return;
    }
    let mut pl = PrefixList::new(afi, name, Span::default());
    for (prefix, ge, le) in entries {
        let seq = pl.next_seq();
        pl.entries.push(PrefixListEntry {
            seq,
            seq_explicit: true,
            action: Action::Permit,
            prefix: *prefix,
            any: false,
            ge: *ge,
            le: *le,
            span: Span::default(),
            had_host_bits: false,
        });
    }
    cfg.prefix_lists.insert(key, pl);
}

fn match_list(afi: Afi, name: String) -> MatchStmt {
    MatchStmt { kind: MatchKind::PrefixList { afi, name: name.into() }, span: Span::default(), name_span: None }
}

/// A route-map: an optional permit entry, then the explicit deny.
fn route_map(cfg: &mut Config, name: String, permit: Option<RouteMapEntry>) {
    let mut rm = RouteMap::new(name.clone(), Span::default());
    if let Some(e) = permit {
        rm.entries.insert(e.seq, e);
    }
    rm.entries.insert(DENY_SEQ, RouteMapEntry::new(DENY_SEQ, Action::Deny, Span::default()));
    cfg.route_maps.insert(name, rm);
}

fn import_policy(c: &ClusterPlan, p: &PeeringPlan, group: &str, afi: Afi, cfg: &mut Config) {
    let entries = announced_entries(c, afi);
    // Without anything announced in the family there is nothing to permit: an empty
    // prefix-list would let everything through.
    let permit = (!entries.is_empty()).then(|| {
        let list = names::services_list(&c.name, afi);
        prefix_list(cfg, afi, &list, &entries);
        let mut e = RouteMapEntry::new(PERMIT_SEQ, Action::Permit, Span::default());
        e.matches.push(match_list(afi, list));
        if let Some(lp) = p.import_local_preference {
            e.sets.push(SetStmt { kind: SetKind::LocalPreference(SetValue::Absolute(lp)), span: Span::default() });
        }
        if !p.import_communities.is_empty() {
            let values: Vec<Community> = p.import_communities.clone();
            e.sets.push(SetStmt {
                kind: SetKind::Community { values, additive: true, none: false },
                span: Span::default(),
            });
        }
        e
    });
    route_map(cfg, names::route_map_in(group), permit);
}

fn export_policy(p: &PeeringPlan, group: &str, afi: Afi, cfg: &mut Config) {
    let entries: Vec<(IpNet, Option<u8>, Option<u8>)> =
        p.export.iter().filter(|n| Afi::of(n) == afi).map(|n| (*n, None, None)).collect();
    let permit = (!entries.is_empty()).then(|| {
        let list = names::export_list(group);
        prefix_list(cfg, afi, &list, &entries);
        let mut e = RouteMapEntry::new(PERMIT_SEQ, Action::Permit, Span::default());
        e.matches.push(match_list(afi, list));
        e
    });
    route_map(cfg, names::route_map_out(group), permit);
}
