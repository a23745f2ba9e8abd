//! `router bgp`: the instance, its peer-groups and neighbors, per-family settings, and the
//! effective view of a neighbor once peer-group inheritance is applied the way FRR does
//! (`peer_group2peer_config_copy`: members inherit unless they override; `description`
//! and `port` are not inherited).

mod small_map;

pub use small_map::SmallMap;

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
pub type PolicyRef = Spanned<std::sync::Arc<str>>;

/// Which policy a `neighbor X …` line names in a family: a filter of one direction, or the
/// unsuppress-map (which applies outbound).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicySlot {
    RouteMap(Direction),
    PrefixList(Direction),
    FilterList(Direction),
    DistributeList(Direction),
    UnsuppressMap,
}

impl PolicySlot {
    pub fn direction(self) -> Direction {
        match self {
            PolicySlot::RouteMap(d) | PolicySlot::PrefixList(d) | PolicySlot::FilterList(d) | PolicySlot::DistributeList(d) => d,
            PolicySlot::UnsuppressMap => Direction::Out,
        }
    }
}

/// A per-family switch of a neighbor, on when its line is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AfFlag {
    SoftReconfigurationInbound,
    NextHopSelf,
    RouteReflectorClient,
    DefaultOriginate,
    AllowasIn,
    RemovePrivateAs,
    AsOverride,
}

/// Per-family settings of a neighbor or peer-group. A family names a few of the nine
/// policies and turns on a few switches at most, so both are kept as small maps rather than
/// a field each: thousands of neighbors times their families make this the model's bulk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerAf {
    /// `neighbor X activate` (true) / `no neighbor X activate` (false); `None` = not said.
    pub activate: Option<Spanned<bool>>,
    pub policies: SmallMap<PolicySlot, PolicyRef>,
    /// The switches turned on, each with its line.
    pub flags: SmallMap<AfFlag, Span>,
    pub maximum_prefix: Option<Spanned<u32>>,
    pub weight: Option<Spanned<u32>>,
}

impl PeerAf {
    pub fn policy(&self, slot: PolicySlot) -> Option<&PolicyRef> {
        self.policies.get(&slot)
    }

    pub fn route_map(&self, d: Direction) -> Option<&PolicyRef> {
        self.policy(PolicySlot::RouteMap(d))
    }

    pub fn prefix_list(&self, d: Direction) -> Option<&PolicyRef> {
        self.policy(PolicySlot::PrefixList(d))
    }

    pub fn filter_list(&self, d: Direction) -> Option<&PolicyRef> {
        self.policy(PolicySlot::FilterList(d))
    }

    pub fn distribute_list(&self, d: Direction) -> Option<&PolicyRef> {
        self.policy(PolicySlot::DistributeList(d))
    }

    pub fn unsuppress_map(&self) -> Option<&PolicyRef> {
        self.policy(PolicySlot::UnsuppressMap)
    }

    /// The line that turned `f` on, if it is on.
    pub fn flag(&self, f: AfFlag) -> Option<Span> {
        self.flags.get(&f).copied()
    }

    /// FRR's notion of "policy configured" for RFC 8212: any filter name in that direction,
    /// whether or not the object exists (`bgp_route.c`), plus unsuppress-map for out.
    pub fn has_policy(&self, d: Direction) -> bool {
        self.route_map(d).is_some()
            || self.prefix_list(d).is_some()
            || self.filter_list(d).is_some()
            || self.distribute_list(d).is_some()
            || (d == Direction::Out && self.unsuppress_map().is_some())
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
    /// By family, in FRR's printing order.
    pub af: SmallMap<AfiSafi, PeerAf>,
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
    /// The neighbor's own settings when it has no peer-group (borrowed, as most neighbors
    /// are), the merge with the group's otherwise.
    pub settings: Settings<'a>,
}

/// A neighbor's settings, borrowed or merged with its group's. The merged copy is boxed so
/// that the many borrowed ones stay two words wide (a list of every eBGP peer and family
/// would otherwise hold a full `PeerSettings` per entry).
#[derive(Debug, Clone)]
pub enum Settings<'a> {
    Own(&'a PeerSettings),
    Merged(Box<PeerSettings>),
}

/// Equal when the settings are (as `Cow` compares).
impl PartialEq for Settings<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Settings<'_> {}

impl std::ops::Deref for Settings<'_> {
    type Target = PeerSettings;
    fn deref(&self) -> &PeerSettings {
        match self {
            Settings::Own(s) => s,
            Settings::Merged(s) => s,
        }
    }
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
            Some(g) => Settings::Merged(Box::new(inherit(&n.settings, &g.settings))),
            None => Settings::Own(&n.settings),
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
            // A clone borrows, unless the neighbor is a peer-group member.
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

/// A policy or switch the member sets itself replaces the group's.
fn own_wins<T: Clone>(own: &T, _group: &T) -> T {
    own.clone()
}

fn inherit(own: &PeerSettings, g: &PeerSettings) -> PeerSettings {
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
        af: SmallMap::overlay(&own.af, &g.af, inherit_af),
    }
}

fn inherit_af(own: &PeerAf, g: &PeerAf) -> PeerAf {
    PeerAf {
        activate: pick(&own.activate, &g.activate),
        policies: SmallMap::overlay(&own.policies, &g.policies, own_wins),
        flags: SmallMap::overlay(&own.flags, &g.flags, own_wins),
        maximum_prefix: pick(&own.maximum_prefix, &g.maximum_prefix),
        weight: pick(&own.weight, &g.weight),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s<T>(v: T, at: u32) -> Spanned<T> {
        Spanned::new(v, Span { start: at, end: at + 1 })
    }

    /// Thousands of neighbors carry one per family: this size shows in peak memory.
    #[test]
    fn per_family_settings_stay_small() {
        assert!(std::mem::size_of::<PeerAf>() <= 80, "PeerAf is {} bytes", std::mem::size_of::<PeerAf>());
    }

    #[test]
    fn members_inherit_per_family_what_they_do_not_set() {
        let mut group = PeerAf { activate: Some(s(true, 1)), ..PeerAf::default() };
        group.policies.insert(PolicySlot::RouteMap(Direction::In), s("G-IN".into(), 2));
        group.policies.insert(PolicySlot::PrefixList(Direction::Out), s("G-OUT".into(), 3));
        group.flags.insert(AfFlag::NextHopSelf, Span { start: 4, end: 5 });
        let mut own = PeerAf::default();
        own.policies.insert(PolicySlot::RouteMap(Direction::In), s("OWN-IN".into(), 6));
        own.flags.insert(AfFlag::AllowasIn, Span { start: 7, end: 8 });
        let mut r = BgpRouter::new(Span::default());
        let mut g = PeerSettings::default();
        g.af.insert(AfiSafi::Ipv4Unicast, group);
        g.af.insert(AfiSafi::Ipv6Unicast, PeerAf { activate: Some(s(false, 9)), ..PeerAf::default() });
        r.peer_groups.insert("G".into(), PeerGroup { name: "G".into(), span: Span::default(), settings: g });
        let mut mine = PeerSettings::default();
        mine.af.insert(AfiSafi::Ipv4Unicast, own);
        let n = Neighbor {
            id: PeerId::Interface("eth0".into()),
            span: Span::default(),
            group: Some(s("G".into(), 0)),
            settings: mine,
            default_ipv4_activated: false,
        };
        let p = r.effective(&n);
        let v4 = p.af(AfiSafi::Ipv4Unicast).expect("ipv4 unicast settings");
        assert_eq!(v4.route_map(Direction::In).map(|r| &*r.value), Some("OWN-IN"));
        assert_eq!(v4.prefix_list(Direction::Out).map(|r| &*r.value), Some("G-OUT"));
        assert_eq!(v4.flag(AfFlag::NextHopSelf), Some(Span { start: 4, end: 5 }));
        assert_eq!(v4.flag(AfFlag::AllowasIn), Some(Span { start: 7, end: 8 }));
        assert!(p.is_active(AfiSafi::Ipv4Unicast));
        assert!(!p.is_active(AfiSafi::Ipv6Unicast));
        assert_eq!(p.settings.af.keys().copied().collect::<Vec<_>>(), [AfiSafi::Ipv4Unicast, AfiSafi::Ipv6Unicast]);
    }
}
