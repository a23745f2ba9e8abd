//! Lowering of `router bgp`: instance settings, peer-groups, neighbors (with FRR's order
//! rules: a neighbor must be declared by `remote-as`, `peer-group` or `interface` before
//! other commands name it), and per-family neighbor policy.

use super::{Cmd, Ctx, Handler, LowerIssueKind, Lowerer};
use crate::model::{
    AfFlag, AfiSafi, Asn, BgpRouter, ListenRange, Neighbor, Network, ObjectKind, PeerAf, PeerGroup, PeerId, PeerSettings,
    PolicyRef, PolicySlot, Redistribute, Reference, RemoteAs, Secret, Spanned, Timers, UpdateSource, Usage,
};
use crate::model::Direction;
use crate::source::Span;

pub(crate) static HANDLERS: &[(&str, Handler)] = &[
    ("bgp router-id", router_id),
    ("bgp ebgp-requires-policy", ebgp_requires_policy),
    ("bgp default ipv4-unicast", default_ipv4_unicast),
    ("bgp network import-check", network_import_check),
    ("timers bgp", timers_bgp),
    ("bgp listen range", listen_range),
    ("neighbor", neighbor),
    ("network", network),
    ("redistribute", redistribute),
    ("aggregate-address", aggregate),
];

pub(crate) fn open_router(lw: &mut Lowerer, c: &Cmd<'_>) -> usize {
    let mut r = BgpRouter::new(c.span);
    if c.len() > 2 {
        match c.asn(2) {
            Some(a) => r.asn = Some(Spanned::new(Asn(a), c.span(2))),
            None => lw.issue(c.span(2), LowerIssueKind::InvalidValue, "AS number must be 1-4294967295", "write the AS number as a plain number or in asdot form"),
        }
        if let Some(i) = c.find_kw(3, "vrf") {
            r.vrf = Some(c.text(i + 1).to_string());
        }
        if let Some(i) = c.find_kw(3, "view") {
            r.view = Some(c.text(i + 1).to_string());
        }
    }
    // A second `router bgp` for the same VRF or view re-enters that instance (FRR keeps one
    // instance per VRF/view); with another AS number bgpd refuses the line.
    if let Some(i) = lw.cfg.routers.iter().position(|x| x.vrf == r.vrf && x.view == r.view) {
        let existing = lw.cfg.routers[i].asn.as_ref().map(|a| a.value);
        if let (Some(old), Some(new)) = (existing, r.asn.as_ref()) {
            if old != new.value {
                lw.issue(
                    new.span,
                    LowerIssueKind::Rejected,
                    format!("this BGP instance already runs AS {old}: FRR rejects this line (\"BGP is already running; AS is {old}\")"),
                    format!("use `router bgp {old}` to add to the instance, or give the new instance its own `vrf`"),
                );
            }
        }
        return i;
    }
    lw.cfg.routers.push(r);
    lw.cfg.routers.len() - 1
}

fn router<'r>(lw: &'r mut Lowerer, ctx: Ctx) -> Option<&'r mut BgpRouter> {
    ctx.router.map(move |r| &mut lw.cfg.routers[r])
}

fn router_id(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let neg = c.neg;
    let id = match c.ip(2) {
        Some(std::net::IpAddr::V4(a)) => Some(Spanned::new(a, c.span(2))),
        _ => None,
    };
    let Some(r) = router(lw, ctx) else { return false };
    r.router_id = if neg { None } else { id };
    true
}

fn flag(c: &Cmd<'_>) -> Option<Spanned<bool>> {
    Some(Spanned::new(!c.neg, c.span))
}

fn ebgp_requires_policy(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let Some(r) = router(lw, ctx) else { return false };
    r.ebgp_requires_policy = flag(c);
    true
}

fn default_ipv4_unicast(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let Some(r) = router(lw, ctx) else { return false };
    r.default_ipv4_unicast = flag(c);
    true
}

fn network_import_check(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let Some(r) = router(lw, ctx) else { return false };
    r.network_import_check = flag(c);
    true
}

/// FRR: hold must be 0 or at least 3.
fn check_hold(lw: &mut Lowerer, hold: i64, span: Span) -> bool {
    if hold == 1 || hold == 2 {
        lw.issue(span, LowerIssueKind::InvalidValue, format!("hold time {hold} is invalid: FRR accepts 0 or 3-65535 and rejects this line"), "use a hold time of at least 3 seconds, or 0 to disable keepalives");
        return false;
    }
    true
}

fn timers_bgp(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    if c.neg {
        if let Some(r) = router(lw, ctx) {
            r.timers = None;
        }
        return true;
    }
    let (Some(k), Some(h)) = (c.num(2), c.num(3)) else { return false };
    if !check_hold(lw, h, c.span(3)) {
        return true;
    }
    let t = Timers { keepalive: k as u16, hold: h as u16 };
    let span = c.span(2).to(c.span(3));
    let Some(r) = router(lw, ctx) else { return false };
    r.timers = Some(Spanned::new(t, span));
    true
}

fn listen_range(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let (Some(p), Some(gi)) = (c.prefix(3), c.find_kw(4, "peer-group")) else { return false };
    let group = c.spanned(gi + 1);
    lw.cfg.references.push(Reference {
        kind: ObjectKind::PeerGroup,
        name: lw.names.get(&group.value),
        span: group.span,
        usage: Usage::PeerGroupMember { peer: p.to_string().into() },
    });
    let neg = c.neg;
    let Some(r) = router(lw, ctx) else { return false };
    if !neg {
        r.listen_ranges.push(ListenRange { range: Spanned::new(p, c.span(3)), group });
    }
    true
}

/// Which object a `neighbor WORD` names, as FRR resolves it at that line.
enum Target {
    Group(String),
    Neighbor(usize),
    Undeclared,
}

fn resolve(index: &mut NeighborIndex, ri: usize, r: &BgpRouter, c: &Cmd<'_>) -> Target {
    let id = match c.ip(1) {
        Some(a) => PeerId::Address(a),
        None => {
            let name = c.text(1);
            if r.peer_groups.contains_key(name) {
                return Target::Group(name.to_string());
            }
            PeerId::Interface(name.to_string())
        }
    };
    match index.find(ri, r, &id) {
        Some(i) => Target::Neighbor(i),
        None => Target::Undeclared,
    }
}

/// Neighbors by router and name. Neighbors are appended at the end of the router's list,
/// so the index catches up with the tail; a removal shifts positions, which the id check
/// notices, and the router's entries are rebuilt.
#[derive(Debug, Default)]
pub(crate) struct NeighborIndex {
    map: super::FastMap<(usize, PeerId), usize>,
    indexed: super::FastMap<usize, usize>,
    /// The last neighbor found, by router and position: a peer's lines mostly follow each
    /// other (`remote-as`, `description`, then its policies in each family), and FRR writes
    /// the peers of every address family in the order they were declared, so the next
    /// peer is most often the one after it.
    last: Option<(usize, usize)>,
}

impl NeighborIndex {
    fn find(&mut self, ri: usize, r: &BgpRouter, id: &PeerId) -> Option<usize> {
        if let Some((lr, li)) = self.last {
            if lr == ri {
                for i in [li, li + 1] {
                    if r.neighbors.get(i).is_some_and(|n| &n.id == id) {
                        self.last = Some((ri, i));
                        return Some(i);
                    }
                }
            }
        }
        let found = self.find_indexed(ri, r, id);
        if let Some(i) = found {
            self.last = Some((ri, i));
        }
        found
    }

    fn find_indexed(&mut self, ri: usize, r: &BgpRouter, id: &PeerId) -> Option<usize> {
        let done = self.indexed.entry(ri).or_insert(0);
        if *done > r.neighbors.len() {
            *done = 0;
        }
        for (i, n) in r.neighbors.iter().enumerate().skip(*done) {
            self.map.insert((ri, n.id.clone()), i);
        }
        *done = r.neighbors.len();
        match self.map.get(&(ri, id.clone())) {
            Some(&i) if r.neighbors.get(i).is_some_and(|n| &n.id == id) => Some(i),
            // Stale after a removal: rebuild this router's entries and look again.
            Some(_) => {
                self.map.retain(|k, _| k.0 != ri);
                for (i, n) in r.neighbors.iter().enumerate() {
                    self.map.insert((ri, n.id.clone()), i);
                }
                self.map.get(&(ri, id.clone())).copied().filter(|&i| r.neighbors.get(i).is_some_and(|n| &n.id == id))
            }
            None => None,
        }
    }
}

fn peer_id(c: &Cmd<'_>) -> PeerId {
    match c.ip(1) {
        Some(a) => PeerId::Address(a),
        None => PeerId::Interface(c.text(1).to_string()),
    }
}

fn create_neighbor(r: &mut BgpRouter, id: PeerId, span: Span) -> usize {
    let default_on = r.default_ipv4_unicast.as_ref().map(|s| s.value).unwrap_or(true);
    r.neighbors.push(Neighbor { id, span, group: None, settings: PeerSettings::default(), default_ipv4_activated: default_on });
    r.neighbors.len() - 1
}

fn neighbor(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let Some(ri) = ctx.router else { return false };
    let sub = c.kw(2).unwrap_or("");
    match sub {
        "peer-group" if c.len() == 3 => declare_group(lw, c, ri),
        "peer-group" => join_group(lw, c, ri),
        "remote-as" => remote_as(lw, c, ri),
        "interface" if c.ip(1).is_none() => interface_neighbor(lw, c, ri),
        _ => settings_command(lw, c, ri, ctx, sub),
    }
}

fn declare_group(lw: &mut Lowerer, c: &Cmd<'_>, ri: usize) -> bool {
    let name = c.text(1).to_string();
    let r = &mut lw.cfg.routers[ri];
    if c.neg {
        r.peer_groups.remove(&name);
        return true;
    }
    if let Some(g) = r.peer_groups.get(&name) {
        let first = g.span;
        lw.cfg.duplicates.push(crate::model::Duplicate {
            kind: ObjectKind::PeerGroup,
            name,
            span: c.span(1),
            first,
            what: crate::model::DuplicateKind::Redeclared,
        });
        return true;
    }
    r.peer_groups.insert(name.clone(), PeerGroup { name, span: c.span(1), settings: PeerSettings::default() });
    true
}

fn join_group(lw: &mut Lowerer, c: &Cmd<'_>, ri: usize) -> bool {
    let group = c.spanned(3);
    lw.cfg.references.push(Reference {
        kind: ObjectKind::PeerGroup,
        name: lw.names.get(&group.value),
        span: group.span,
        usage: Usage::PeerGroupMember { peer: lw.names.get(c.text(1)) },
    });
    let r = &mut lw.cfg.routers[ri];
    let index = &mut lw.neighbor_index;
    let Some(g) = r.peer_groups.get(&group.value) else {
        lw.issue(group.span, LowerIssueKind::Rejected, format!("peer-group {} is not declared yet: FRR rejects this line (\"Configure the peer-group first\")", group.value), format!("declare it first with `neighbor {} peer-group`", group.value));
        return true;
    };
    let group_has_as = g.settings.remote_as.is_some();
    let idx = match resolve(index, ri, r, c) {
        Target::Neighbor(i) => i,
        Target::Group(_) => return false,
        Target::Undeclared => {
            if c.neg {
                return true;
            }
            create_neighbor(r, peer_id(c), c.span(1))
        }
    };
    let n = &mut r.neighbors[idx];
    if c.neg {
        n.group = None;
        return true;
    }
    // Joining a group that has a remote-as replaces the member's own (FRR <= 10.6).
    if group_has_as {
        n.settings.remote_as = None;
    }
    n.group = Some(group);
    true
}

fn remote_as_value(lw: &mut Lowerer, c: &Cmd<'_>, i: usize) -> Option<RemoteAs> {
    match c.kw(i) {
        Some("internal") => Some(RemoteAs::Internal),
        Some("external") => Some(RemoteAs::External),
        Some("auto") => Some(RemoteAs::Auto),
        _ => match c.asn(i) {
            Some(a) => Some(RemoteAs::Asn(Asn(a))),
            None => {
                lw.issue(c.span(i), LowerIssueKind::InvalidValue, format!("`{}` is not an AS number", c.text(i)), "use 1-4294967295, asdot X.Y, internal or external");
                None
            }
        },
    }
}

fn remote_as(lw: &mut Lowerer, c: &Cmd<'_>, ri: usize) -> bool {
    if c.neg {
        let r = &mut lw.cfg.routers[ri];
        match resolve(&mut lw.neighbor_index, ri, r, c) {
            Target::Group(g) => {
                if let Some(g) = r.peer_groups.get_mut(&g) {
                    g.settings.remote_as = None;
                }
            }
            Target::Neighbor(i) => {
                r.neighbors.remove(i);
            }
            Target::Undeclared => {}
        }
        return true;
    }
    let Some(value) = remote_as_value(lw, c, 3) else { return true };
    let v = Spanned::new(value, c.span(3));
    let version = lw.cfg.version;
    let r = &mut lw.cfg.routers[ri];
    match resolve(&mut lw.neighbor_index, ri, r, c) {
        Target::Group(g) => {
            if let Some(g) = r.peer_groups.get_mut(&g) {
                g.settings.remote_as = Some(v);
            }
        }
        Target::Neighbor(i) => {
            let group_as = r.neighbors[i]
                .group
                .as_ref()
                .and_then(|g| r.peer_groups.get(&g.value))
                .and_then(|g| g.settings.remote_as.clone());
            if group_as.is_some() && version < crate::syntax::FrrVersion::new(10, 7) {
                lw.issue(c.span(3), LowerIssueKind::Rejected, "a peer-group member cannot override the group's remote-as before FRR 10.7: FRR rejects this line", "set remote-as on the peer-group only, or remove the neighbor from the group");
                return true;
            }
            r.neighbors[i].settings.remote_as = Some(v);
        }
        Target::Undeclared => {
            let i = create_neighbor(r, peer_id(c), c.span(1));
            r.neighbors[i].settings.remote_as = Some(v);
        }
    }
    true
}

/// `neighbor IFNAME interface [v6only] [peer-group PG | remote-as X]`.
fn interface_neighbor(lw: &mut Lowerer, c: &Cmd<'_>, ri: usize) -> bool {
    if c.neg {
        let name = c.text(1).to_string();
        lw.cfg.routers[ri].neighbors.retain(|n| n.id != PeerId::Interface(name.clone()));
        return true;
    }
    let ras = c.find_kw(3, "remote-as").and_then(|i| remote_as_value(lw, c, i + 1).map(|v| Spanned::new(v, c.span(i + 1))));
    let group = c.find_kw(3, "peer-group").map(|i| c.spanned(i + 1));
    if let Some(g) = &group {
        lw.cfg.references.push(Reference {
            kind: ObjectKind::PeerGroup,
            name: lw.names.get(&g.value),
            span: g.span,
            usage: Usage::PeerGroupMember { peer: lw.names.get(c.text(1)) },
        });
    }
    let id = PeerId::Interface(c.text(1).to_string());
    let r = &mut lw.cfg.routers[ri];
    // Through the index, as every other neighbor line: a scan per line would make many
    // interface peers quadratic.
    let idx = match lw.neighbor_index.find(ri, r, &id) {
        Some(i) => i,
        None => create_neighbor(r, id, c.span(1)),
    };
    let n = &mut r.neighbors[idx];
    if ras.is_some() {
        n.settings.remote_as = ras;
    }
    if group.is_some() {
        n.group = group;
    }
    true
}

/// Per-neighbor settings, session-level or per-family.
fn settings_command(lw: &mut Lowerer, c: &Cmd<'_>, ri: usize, ctx: Ctx, sub: &str) -> bool {
    let target = resolve(&mut lw.neighbor_index, ri, &lw.cfg.routers[ri], c);
    let peer_name = c.text(1);
    if matches!(target, Target::Undeclared) {
        if !c.neg {
            lw.issue(c.span(1), LowerIssueKind::Rejected, format!("neighbor {peer_name} is not declared: FRR rejects this line (\"Specify remote-as or peer-group commands first\")"), format!("declare it first with `neighbor {peer_name} remote-as ASN` or `neighbor {peer_name} peer-group GROUP`"));
        }
        return true;
    }
    let afs = ctx.af.unwrap_or(AfiSafi::Ipv4Unicast);
    let mut invalid: Option<(Span, String, String)> = None;
    let neg = c.neg;
    {
        // References go straight into the config, beside the router being changed.
        let refs = Refs { out: &mut lw.cfg.references, names: &mut lw.names, peer: peer_name };
        let r = &mut lw.cfg.routers[ri];
        let s: &mut PeerSettings = match &target {
            Target::Group(g) => match r.peer_groups.get_mut(g) {
                Some(g) => &mut g.settings,
                None => return false,
            },
            Target::Neighbor(i) => &mut r.neighbors[*i].settings,
            Target::Undeclared => return true,
        };
        let at = |i: usize| c.span(i);
        let span_if = |on: bool| if on { Some(c.span) } else { None };
        match sub {
            "local-as" => s.local_as = if neg { None } else { c.asn(3).map(|a| Spanned::new(Asn(a), at(3))) },
            "description" => s.description = if neg { None } else { Some(Spanned::new(c.rest(3), c.rest_span(3))) },
            "password" => s.password = if neg { None } else { Some(Spanned::new(Secret::new(c.text(3)), at(3))) },
            "port" => s.port = if neg { None } else { c.num(3).map(|p| Spanned::new(p as u16, at(3))) },
            "timers" => {
                if c.is_kw(3, "connect") {
                    s.connect_retry = if neg { None } else { c.num(4).map(|p| Spanned::new(p as u16, at(4))) };
                } else if c.is_kw(3, "delayopen") {
                    return false;
                } else if neg {
                    s.timers = None;
                } else if let (Some(k), Some(h)) = (c.num(3), c.num(4)) {
                    if h == 1 || h == 2 {
                        invalid = Some((at(4), format!("hold time {h} is invalid: FRR accepts 0 or 3-65535 and rejects this line"), "use a hold time of at least 3 seconds, or 0 to disable keepalives".into()));
                    } else {
                        s.timers = Some(Spanned::new(Timers { keepalive: k as u16, hold: h as u16 }, at(3).to(at(4))));
                    }
                }
            }
            "ebgp-multihop" => s.ebgp_multihop = if neg { None } else { Some(Spanned::new(c.num(3).unwrap_or(255) as u8, c.span)) },
            "ttl-security" => s.ttl_security = if neg { None } else { c.num(4).map(|h| Spanned::new(h as u8, c.span)) },
            "disable-connected-check" | "enforce-multihop" => s.disable_connected_check = span_if(!neg),
            "update-source" => {
                s.update_source = if neg {
                    None
                } else {
                    Some(Spanned::new(
                        match c.ip(3) {
                            Some(a) => UpdateSource::Address(a),
                            None => UpdateSource::Interface(c.text(3).to_string()),
                        },
                        at(3),
                    ))
                }
            }
            "passive" => s.passive = span_if(!neg),
            "shutdown" => s.shutdown = span_if(!neg),
            "bfd" => s.bfd = span_if(!neg),
            "capability" if c.is_kw(3, "extended-nexthop") => s.capability_extended_nexthop = span_if(!neg),
            _ => {
                let af = s.af.get_or_default(afs);
                if !af_command(af, afs, c, sub, refs) {
                    return false;
                }
            }
        }
    }
    if let Some((span, m, h)) = invalid {
        lw.issue(span, LowerIssueKind::InvalidValue, m, h);
    }
    true
}

/// Where a neighbor line's references go, with the shared names and the line's peer.
struct Refs<'a> {
    out: &'a mut Vec<Reference>,
    names: &'a mut super::Names,
    peer: &'a str,
}

impl Refs<'_> {
    fn push(&mut self, kind: ObjectKind, name: &str, span: Span, usage: impl FnOnce(std::sync::Arc<str>) -> Usage) {
        let name = self.names.get(name);
        self.push_shared(kind, name, span, usage);
    }

    /// [`Refs::push`] for a name already shared.
    fn push_shared(&mut self, kind: ObjectKind, name: std::sync::Arc<str>, span: Span, usage: impl FnOnce(std::sync::Arc<str>) -> Usage) {
        let peer = self.names.get(self.peer);
        self.out.push(Reference { kind, name, span, usage: usage(peer) });
    }
}

fn af_command(af: &mut PeerAf, afs: AfiSafi, c: &Cmd<'_>, sub: &str, mut refs: Refs<'_>) -> bool {
    let neg = c.neg;
    let afi = afs.afi().unwrap_or(crate::model::Afi::Ipv4);
    // The policy named in this direction (`None` on a `no` line), holding the shared name its
    // reference holds.
    let mut policy = |kind: ObjectKind, usage_dir: Option<Direction>| -> Option<(Option<PolicyRef>, Direction)> {
        let dir = match c.kw(4) {
            Some("in") => Direction::In,
            Some("out") => Direction::Out,
            _ => usage_dir?,
        };
        if neg {
            return Some((None, dir));
        }
        let name = Spanned::new(refs.names.get(c.text(3)), c.span(3));
        refs.push_shared(kind, name.value.clone(), name.span, |peer| Usage::NeighborPolicy { peer, direction: dir, afs });
        Some((Some(name), dir))
    };
    let mut set_policy = |kind: ObjectKind, slot: fn(Direction) -> PolicySlot, usage_dir: Option<Direction>| -> bool {
        let Some((n, d)) = policy(kind, usage_dir) else { return false };
        af.policies.set(slot(d), n);
        true
    };
    let flag = match sub {
        "activate" => {
            af.activate = Some(Spanned::new(!neg, c.span));
            return true;
        }
        "route-map" => return set_policy(ObjectKind::RouteMap, PolicySlot::RouteMap, None),
        // The list's family is the family of the node the command is in.
        "prefix-list" => return set_policy(ObjectKind::PrefixList(afi), PolicySlot::PrefixList, None),
        "filter-list" => return set_policy(ObjectKind::AsPathList, PolicySlot::FilterList, None),
        "distribute-list" => return set_policy(ObjectKind::AccessList(afi), PolicySlot::DistributeList, None),
        "unsuppress-map" => return set_policy(ObjectKind::RouteMap, |_| PolicySlot::UnsuppressMap, Some(Direction::Out)),
        "soft-reconfiguration" => AfFlag::SoftReconfigurationInbound,
        "next-hop-self" => AfFlag::NextHopSelf,
        "route-reflector-client" => AfFlag::RouteReflectorClient,
        "default-originate" => {
            if let Some(i) = c.find_kw(3, "route-map") {
                if !neg {
                    refs.push(ObjectKind::RouteMap, c.text(i + 1), c.span(i + 1), |peer| Usage::NeighborOther { peer });
                }
            }
            AfFlag::DefaultOriginate
        }
        "allowas-in" => AfFlag::AllowasIn,
        "remove-private-AS" => AfFlag::RemovePrivateAs,
        "as-override" => AfFlag::AsOverride,
        "maximum-prefix" => {
            af.maximum_prefix = if neg { None } else { c.num(3).map(|n| Spanned::new(n as u32, c.span(3))) };
            return true;
        }
        "weight" => {
            af.weight = if neg { None } else { c.num(3).map(|n| Spanned::new(n as u32, c.span(3))) };
            return true;
        }
        _ => return false,
    };
    af.flags.set(flag, (!neg).then_some(c.span));
    true
}

fn af_config<'r>(lw: &'r mut Lowerer, ctx: Ctx) -> Option<&'r mut crate::model::AfConfig> {
    let afs = ctx.af?;
    let r = ctx.router?;
    Some(lw.cfg.routers[r].afs.entry(afs).or_default())
}

fn route_map_ref(lw: &mut Lowerer, c: &Cmd<'_>, from: usize, usage: Usage) -> Option<PolicyRef> {
    let i = c.find_kw(from, "route-map")?;
    let name = Spanned::new(lw.names.get(c.text(i + 1)), c.span(i + 1));
    if !c.neg {
        lw.cfg.references.push(Reference { kind: ObjectKind::RouteMap, name: name.value.clone(), span: name.span, usage });
    }
    Some(name)
}

fn network(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let (prefix, classful) = match c.prefix(1) {
        Some(p) => (p.trunc(), false),
        None => match (c.ip(1), c.find_kw(2, "mask")) {
            (Some(std::net::IpAddr::V4(a)), Some(mi)) => match c.ip(mi + 1) {
                Some(std::net::IpAddr::V4(m)) => match ipnet::Ipv4Net::with_netmask(a, m) {
                    Ok(n) => (ipnet::IpNet::V4(n.trunc()), false),
                    Err(_) => return false,
                },
                _ => return false,
            },
            (Some(std::net::IpAddr::V4(a)), None) => (classful_net(a), true),
            _ => return false,
        },
    };
    let rm = route_map_ref(lw, c, 2, Usage::Origination);
    let neg = c.neg;
    let Some(af) = af_config(lw, ctx) else { return false };
    let p = Spanned::new(prefix, c.span(1));
    if neg {
        af.networks.retain(|n| n.prefix.value != prefix);
    } else {
        af.networks.push(Network { prefix: p, route_map: rm, classful });
    }
    true
}

/// FRR's classful mask for `network A.B.C.D` without a length (class A /8, B /16, C /24).
pub(crate) fn classful_net(a: std::net::Ipv4Addr) -> ipnet::IpNet {
    let first = a.octets()[0];
    let len = if first < 128 {
        8
    } else if first < 192 {
        16
    } else {
        24
    };
    ipnet::IpNet::V4(ipnet::Ipv4Net::new(a, len).map(|n| n.trunc()).unwrap_or_default())
}

fn redistribute(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let rm = route_map_ref(lw, c, 2, Usage::Origination);
    let metric = c.find_kw(2, "metric").and_then(|i| c.num(i + 1)).map(|m| m as u32);
    let proto = c.spanned(1);
    let neg = c.neg;
    let Some(af) = af_config(lw, ctx) else { return false };
    if neg {
        af.redistribute.retain(|r| r.protocol.value != proto.value);
    } else {
        af.redistribute.push(Redistribute { protocol: proto, route_map: rm, metric });
    }
    true
}

fn aggregate(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let Some(p) = c.prefix(1) else { return false };
    let _ = route_map_ref(lw, c, 2, Usage::Origination);
    let neg = c.neg;
    let Some(af) = af_config(lw, ctx) else { return false };
    if !neg {
        af.aggregates.push(Spanned::new(p.trunc(), c.span(1)));
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::model::{Config, Direction, PeerId};
    use crate::source::{FileId, SourceFile};
    use crate::syntax::ParseOptions;

    /// Each family's lines reach the peer they name, whether peers come in the order they
    /// were declared (the order FRR writes), out of it, after a removal has shifted them, or
    /// repeated.
    #[test]
    fn family_lines_find_their_peer_in_any_order() {
        let text = "router bgp 65000\n neighbor 10.0.0.1 remote-as 1\n neighbor 10.0.0.2 remote-as 2\n neighbor 10.0.0.3 remote-as 3\n neighbor 10.0.0.4 remote-as 4\n no neighbor 10.0.0.2 remote-as 2\n address-family ipv4 unicast\n  neighbor 10.0.0.1 route-map A1 in\n  neighbor 10.0.0.3 route-map A3 in\n  neighbor 10.0.0.4 route-map A4 in\n  neighbor 10.0.0.1 route-map B1 out\n  neighbor 10.0.0.4 route-map B4 out\n  neighbor 10.0.0.3 route-map B3 out\n  neighbor 10.0.0.3 prefix-list C3 out\n exit-address-family\nexit\n";
        let file = SourceFile::new("n.conf", text.to_string());
        let cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
        let r = &cfg.routers[0];
        let got: Vec<(String, Option<String>, Option<String>)> = r
            .neighbors
            .iter()
            .map(|n| {
                let af = n.settings.af.get(&crate::model::AfiSafi::Ipv4Unicast);
                let rm = |d| af.and_then(|a| a.route_map(d)).map(|p| p.value.to_string());
                (n.id.to_string(), rm(Direction::In), rm(Direction::Out))
            })
            .collect();
        let want = |a: &str, i: &str, o: &str| (a.to_string(), Some(i.to_string()), Some(o.to_string()));
        assert_eq!(got, vec![want("10.0.0.1", "A1", "B1"), want("10.0.0.3", "A3", "B3"), want("10.0.0.4", "A4", "B4")]);
        assert!(r.neighbors.iter().all(|n| n.id != PeerId::Address("10.0.0.2".parse().expect("an address"))));
        let c3 = r.neighbors[1].settings.af.get(&crate::model::AfiSafi::Ipv4Unicast).and_then(|a| a.prefix_list(Direction::Out));
        assert_eq!(c3.map(|p| &*p.value), Some("C3"));
    }
}
