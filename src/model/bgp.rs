//! `router bgp`: the instance, its peer-groups and neighbors, per-family settings, and the
//! effective view of a neighbor once peer-group inheritance is applied the way FRR does
//! (`peer_group2peer_config_copy`: members inherit unless they override; `description`
//! and `port` are not inherited).

use super::{AfiSafi, Asn, Direction, Secret, Spanned};
use crate::source::Span;
use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// `remote-as` forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RemoteAs {
    Asn(Asn),
    Internal,
    External,
    /// `remote-as auto` (FRR 10.2+): whatever the OPEN carries.
    Auto,
}

impl RemoteAs {
    /// Does a peer announcing `peer_asn` satisfy this, for a router in `local`?
    pub fn accepts(self, local: Asn, peer_asn: Asn) -> bool {
        match self {
            RemoteAs::Asn(a) => a == peer_asn,
            RemoteAs::Internal => peer_asn == local,
            RemoteAs::External => peer_asn != local,
            RemoteAs::Auto => true,
        }
    }

    /// Is the session iBGP, if it can be told from the configuration alone?
    pub fn is_ibgp(self, local: Asn) -> Option<bool> {
        match self {
            RemoteAs::Asn(a) => Some(a == local),
            RemoteAs::Internal => Some(true),
            RemoteAs::External => Some(false),
            RemoteAs::Auto => None,
        }
    }
}

impl fmt::Display for RemoteAs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemoteAs::Asn(a) => write!(f, "{a}"),
            RemoteAs::Internal => f.write_str("internal"),
            RemoteAs::External => f.write_str("external"),
            RemoteAs::Auto => f.write_str("auto"),
        }
    }
}

/// `timers KEEPALIVE HOLD` as written (FRR order: keepalive first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timers {
    pub keepalive: u16,
    pub hold: u16,
}

impl Timers {
    /// The keepalive FRR really uses: it silently lowers a keepalive above hold/3.
    pub fn effective_keepalive(&self) -> u16 {
        if self.hold == 0 {
            self.keepalive
        } else {
            self.keepalive.min(self.hold / 3)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateSource {
    Address(IpAddr),
    Interface(String),
}

/// How a neighbor is named.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeerId {
    Address(IpAddr),
    /// `neighbor IFNAME interface …` (BGP unnumbered).
    Interface(String),
}

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerId::Address(a) => write!(f, "{a}"),
            PeerId::Interface(i) => f.write_str(i),
        }
    }
}

/// A policy name attached to a peer, and where.
pub type PolicyRef = Spanned<String>;

/// Per-family settings of a neighbor or peer-group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerAf {
    /// `neighbor X activate` (true) / `no neighbor X activate` (false); `None` = not said.
    pub activate: Option<Spanned<bool>>,
    pub route_map_in: Option<PolicyRef>,
    pub route_map_out: Option<PolicyRef>,
    pub prefix_list_in: Option<PolicyRef>,
    pub prefix_list_out: Option<PolicyRef>,
    pub filter_list_in: Option<PolicyRef>,
    pub filter_list_out: Option<PolicyRef>,
    pub distribute_list_in: Option<PolicyRef>,
    pub distribute_list_out: Option<PolicyRef>,
    pub unsuppress_map: Option<PolicyRef>,
    pub soft_reconfiguration_inbound: Option<Span>,
    pub next_hop_self: Option<Span>,
    pub route_reflector_client: Option<Span>,
    pub default_originate: Option<Span>,
    pub allowas_in: Option<Span>,
    pub remove_private_as: Option<Span>,
    pub as_override: Option<Span>,
    pub maximum_prefix: Option<Spanned<u32>>,
    pub weight: Option<Spanned<u32>>,
}

impl PeerAf {
    pub fn route_map(&self, d: Direction) -> Option<&PolicyRef> {
        match d {
            Direction::In => self.route_map_in.as_ref(),
            Direction::Out => self.route_map_out.as_ref(),
        }
    }

    pub fn prefix_list(&self, d: Direction) -> Option<&PolicyRef> {
        match d {
            Direction::In => self.prefix_list_in.as_ref(),
            Direction::Out => self.prefix_list_out.as_ref(),
        }
    }

    pub fn filter_list(&self, d: Direction) -> Option<&PolicyRef> {
        match d {
            Direction::In => self.filter_list_in.as_ref(),
            Direction::Out => self.filter_list_out.as_ref(),
        }
    }

    pub fn distribute_list(&self, d: Direction) -> Option<&PolicyRef> {
        match d {
            Direction::In => self.distribute_list_in.as_ref(),
            Direction::Out => self.distribute_list_out.as_ref(),
        }
    }

    /// FRR's notion of "policy configured" for RFC 8212: any filter name in that direction,
    /// whether or not the object exists (`bgp_route.c`), plus unsuppress-map for out.
    pub fn has_policy(&self, d: Direction) -> bool {
        self.route_map(d).is_some()
            || self.prefix_list(d).is_some()
            || self.filter_list(d).is_some()
            || self.distribute_list(d).is_some()
            || (d == Direction::Out && self.unsuppress_map.is_some())
    }
}

/// Session-level settings shared by neighbors and peer-groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerSettings {
    pub remote_as: Option<Spanned<RemoteAs>>,
    pub local_as: Option<Spanned<Asn>>,
    pub description: Option<Spanned<String>>,
    pub password: Option<Spanned<Secret>>,
    /// `neighbor X port N`: the port FRR dials (not the one it listens on).
    pub port: Option<Spanned<u16>>,
    pub timers: Option<Spanned<Timers>>,
    pub connect_retry: Option<Spanned<u16>>,
    /// `ebgp-multihop [N]` (no N = 255).
    pub ebgp_multihop: Option<Spanned<u8>>,
    pub ttl_security: Option<Spanned<u8>>,
    pub disable_connected_check: Option<Span>,
    pub update_source: Option<Spanned<UpdateSource>>,
    pub passive: Option<Span>,
    pub shutdown: Option<Span>,
    pub bfd: Option<Span>,
    pub capability_extended_nexthop: Option<Span>,
    pub af: BTreeMap<AfiSafi, PeerAf>,
}

/// `neighbor NAME peer-group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerGroup {
    pub name: String,
    /// The declaration line's name word.
    pub span: Span,
    pub settings: PeerSettings,
}

/// A neighbor (address or interface).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbor {
    pub id: PeerId,
    /// The word naming it in its first line.
    pub span: Span,
    pub group: Option<Spanned<String>>,
    pub settings: PeerSettings,
    /// Whether FRR activated it in ipv4 unicast when it was created (`bgp default
    /// ipv4-unicast` in force at that line; notes L17).
    pub default_ipv4_activated: bool,
}

/// A `network` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    pub prefix: Spanned<ipnet::IpNet>,
    pub route_map: Option<PolicyRef>,
    /// Written without a mask: FRR applied the classful one.
    pub classful: bool,
}

/// A `redistribute` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redistribute {
    pub protocol: Spanned<String>,
    pub route_map: Option<PolicyRef>,
    pub metric: Option<u32>,
}

/// Family-level (not per-neighbor) settings of an instance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AfConfig {
    /// The `address-family` line, if the family was opened explicitly.
    pub span: Option<Span>,
    pub networks: Vec<Network>,
    pub redistribute: Vec<Redistribute>,
    pub aggregates: Vec<Spanned<ipnet::IpNet>>,
}

/// `router bgp ASN [vrf NAME|view NAME]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BgpRouter {
    pub asn: Option<Spanned<Asn>>,
    pub vrf: Option<String>,
    pub view: Option<String>,
    /// The `router bgp` line.
    pub span: Span,
    pub router_id: Option<Spanned<Ipv4Addr>>,
    /// `[no] bgp ebgp-requires-policy` when written; the default applies otherwise.
    pub ebgp_requires_policy: Option<Spanned<bool>>,
    pub default_ipv4_unicast: Option<Spanned<bool>>,
    pub network_import_check: Option<Spanned<bool>>,
    pub timers: Option<Spanned<Timers>>,
    pub peer_groups: BTreeMap<String, PeerGroup>,
    pub neighbors: Vec<Neighbor>,
    pub listen_ranges: Vec<ListenRange>,
    pub afs: BTreeMap<AfiSafi, AfConfig>,
}

/// `bgp listen range PREFIX peer-group NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenRange {
    pub range: Spanned<ipnet::IpNet>,
    pub group: Spanned<String>,
}

/// A neighbor's settings once peer-group inheritance is applied. Each value says where
/// it came from (its span, in the member's or the group's line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectivePeer<'a> {
    pub neighbor: &'a Neighbor,
    pub group: Option<&'a PeerGroup>,
    pub settings: PeerSettings,
}

impl BgpRouter {
    pub fn new(span: Span) -> BgpRouter {
        BgpRouter {
            asn: None,
            vrf: None,
            view: None,
            span,
            router_id: None,
            ebgp_requires_policy: None,
            default_ipv4_unicast: None,
            network_import_check: None,
            timers: None,
            peer_groups: BTreeMap::new(),
            neighbors: Vec::new(),
            listen_ranges: Vec::new(),
            afs: BTreeMap::new(),
        }
    }

    pub fn local_asn(&self) -> Option<Asn> {
        self.asn.as_ref().map(|a| a.value)
    }

    pub fn neighbor(&self, id: &PeerId) -> Option<&Neighbor> {
        self.neighbors.iter().find(|n| &n.id == id)
    }

    /// Whether RFC 8212 enforcement is on for this instance under `defaults`.
    pub fn requires_policy(&self, defaults: &super::Defaults) -> bool {
        self.ebgp_requires_policy.as_ref().map(|s| s.value).unwrap_or(defaults.ebgp_requires_policy)
    }

    /// Resolve a neighbor's settings with its peer-group's.
    pub fn effective<'a>(&'a self, n: &'a Neighbor) -> EffectivePeer<'a> {
        let group = n.group.as_ref().and_then(|g| self.peer_groups.get(&g.value));
        let settings = match group {
            Some(g) => inherit(&n.settings, &g.settings),
            None => n.settings.clone(),
        };
        EffectivePeer { neighbor: n, group, settings }
    }

    /// The (neighbor, family) pairs that are known eBGP and active in ipv4 or ipv6 unicast:
    /// what RFC 8212 enforcement applies to.
    pub fn ebgp_unicast(&self) -> Vec<(EffectivePeer<'_>, AfiSafi)> {
        let Some(local) = self.local_asn() else { return Vec::new() };
        let mut out = Vec::new();
        for p in self.effective_peers() {
            let ebgp = p.settings.remote_as.as_ref().is_some_and(|ra| ra.value.is_ibgp(local) == Some(false));
            if !ebgp {
                continue;
            }
            for afs in [AfiSafi::Ipv4Unicast, AfiSafi::Ipv6Unicast] {
                if p.is_active(afs) {
                    out.push((p.clone(), afs));
                }
            }
        }
        out
    }

    pub fn effective_peers(&self) -> Vec<EffectivePeer<'_>> {
        self.neighbors.iter().map(|n| self.effective(n)).collect()
    }
}

impl EffectivePeer<'_> {
    /// Is the neighbor active in `afs` (explicitly, through its group, or by FRR's default
    /// ipv4-unicast activation)?
    pub fn is_active(&self, afs: AfiSafi) -> bool {
        if let Some(a) = self.settings.af.get(&afs).and_then(|p| p.activate.as_ref()) {
            return a.value;
        }
        afs == AfiSafi::Ipv4Unicast && self.neighbor.default_ipv4_activated
    }

    pub fn af(&self, afs: AfiSafi) -> Option<&PeerAf> {
        self.settings.af.get(&afs)
    }

    /// The peer's hold and keepalive as FRR will offer them.
    pub fn timers(&self, router: &BgpRouter, defaults: &super::Defaults) -> Timers {
        self.settings
            .timers
            .as_ref()
            .map(|t| t.value)
            .or(router.timers.as_ref().map(|t| t.value))
            .unwrap_or(Timers { keepalive: defaults.keepalive, hold: defaults.hold })
    }
}

fn pick<T: Clone>(own: &Option<T>, group: &Option<T>) -> Option<T> {
    own.clone().or_else(|| group.clone())
}

fn inherit(own: &PeerSettings, g: &PeerSettings) -> PeerSettings {
    let mut af = g.af.clone();
    for (k, mine) in &own.af {
        let base = af.remove(k).unwrap_or_default();
        af.insert(*k, inherit_af(mine, &base));
    }
    PeerSettings {
        remote_as: pick(&own.remote_as, &g.remote_as),
        local_as: pick(&own.local_as, &g.local_as),
        // Not inherited by FRR.
        description: own.description.clone(),
        password: pick(&own.password, &g.password),
        // Not inherited by FRR.
        port: own.port.clone(),
        timers: pick(&own.timers, &g.timers),
        connect_retry: pick(&own.connect_retry, &g.connect_retry),
        ebgp_multihop: pick(&own.ebgp_multihop, &g.ebgp_multihop),
        ttl_security: pick(&own.ttl_security, &g.ttl_security),
        disable_connected_check: pick(&own.disable_connected_check, &g.disable_connected_check),
        update_source: pick(&own.update_source, &g.update_source),
        passive: pick(&own.passive, &g.passive),
        shutdown: pick(&own.shutdown, &g.shutdown),
        bfd: pick(&own.bfd, &g.bfd),
        capability_extended_nexthop: pick(&own.capability_extended_nexthop, &g.capability_extended_nexthop),
        af,
    }
}

fn inherit_af(own: &PeerAf, g: &PeerAf) -> PeerAf {
    PeerAf {
        activate: pick(&own.activate, &g.activate),
        route_map_in: pick(&own.route_map_in, &g.route_map_in),
        route_map_out: pick(&own.route_map_out, &g.route_map_out),
        prefix_list_in: pick(&own.prefix_list_in, &g.prefix_list_in),
        prefix_list_out: pick(&own.prefix_list_out, &g.prefix_list_out),
        filter_list_in: pick(&own.filter_list_in, &g.filter_list_in),
        filter_list_out: pick(&own.filter_list_out, &g.filter_list_out),
        distribute_list_in: pick(&own.distribute_list_in, &g.distribute_list_in),
        distribute_list_out: pick(&own.distribute_list_out, &g.distribute_list_out),
        unsuppress_map: pick(&own.unsuppress_map, &g.unsuppress_map),
        soft_reconfiguration_inbound: pick(&own.soft_reconfiguration_inbound, &g.soft_reconfiguration_inbound),
        next_hop_self: pick(&own.next_hop_self, &g.next_hop_self),
        route_reflector_client: pick(&own.route_reflector_client, &g.route_reflector_client),
        default_originate: pick(&own.default_originate, &g.default_originate),
        allowas_in: pick(&own.allowas_in, &g.allowas_in),
        remove_private_as: pick(&own.remove_private_as, &g.remove_private_as),
        as_override: pick(&own.as_override, &g.as_override),
        maximum_prefix: pick(&own.maximum_prefix, &g.maximum_prefix),
        weight: pick(&own.weight, &g.weight),
    }
}
