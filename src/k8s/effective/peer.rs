//! One node's BGPv2 instances and their peers, with every default applied: the equivalent
//! of the `CiliumBGPNodeConfig` the operator renders. BGPv1 is in `policy`, which shares the
//! peer types and defaults here.

use super::announce::{self, Announcement, Out, ServiceAdvert, Withheld, WithheldReason};
use super::routes::Routes;
use super::{Ctx, NodeAnnotation};
use crate::k8s::at::{At, Loc, Setting};
use crate::k8s::cluster::Cluster;
use crate::k8s::resources::bgp::{AdvertType, Advertisement, AutoDiscovery, ClusterConfig, ClusterPeer, PeerConfig};
use crate::k8s::resources::core::Node;
use crate::k8s::resources::{Afi, CiliumApi, Kind, NsName, Safi, ServiceAddressType};
use crate::k8s::served::served;
use crate::k8s::version::Feature;
use crate::model::Secret;
use std::net::{IpAddr, Ipv4Addr};

/// What configures a node's BGP.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConfigRef {
    ClusterConfig(String),
    PeeringPolicy(String),
}

/// One BGP instance (BGPv2) or virtual router (BGPv1) on one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub config: ConfigRef,
    /// The instance name (BGPv2 only).
    pub name: Option<At<String>>,
    pub loc: Loc,
    /// `None`: not set anywhere; the agent refuses the instance ("missing ASN").
    pub local_asn: Option<At<u32>>,
    pub router_id: RouterId,
    /// The port Cilium listens on; `None`: it does not listen and only dials out.
    pub listen_port: Option<At<u16>>,
    pub peers: Vec<Peer>,
    pub skipped_peers: Vec<SkippedPeer>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouterId {
    /// Set by a NodeConfigOverride or the BGPv1 node annotation.
    Set(At<Ipv4Addr>),
    /// The node's first IPv4 InternalIP.
    NodeAddress(At<Ipv4Addr>),
    /// An IPv6-only node: derived from a MAC address at run time.
    Unknown,
}

/// A peer Cilium does not configure, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedPeer {
    pub name: At<String>,
    pub reason: SkipReason,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// `peerConfigRef` names a PeerConfig that does not exist (or whose API version this
    /// release does not serve).
    MissingPeerConfig(At<String>),
    /// Neither `peerAddress` nor (a usable) `autoDiscovery`.
    NoAddress,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerAddress {
    Ip(At<IpAddr>),
    /// Found at run time (the node's default gateway of this family).
    AutoDiscovered(At<AutoDiscovery>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    /// The BGPv2 peer name; for BGPv1 the `peerAddress` as written.
    pub name: At<String>,
    pub address: PeerAddress,
    /// `None`: any AS (BGPv2 `peerASN` 0 or unset).
    pub peer_asn: Option<At<u32>>,
    /// Port Cilium dials (the router's listen port).
    pub peer_port: Setting<u16>,
    /// Source address from a NodeConfigOverride; `None`: the kernel's route lookup decides.
    pub local_address: Option<At<IpAddr>>,
    /// `transport.sourceInterface` (1.19, v2).
    pub source_interface: Option<At<String>>,
    /// Source port of outgoing connections: only v2alpha1 `transport.localPort` sets it
    /// (1.16 defaults it to 179 when `transport` is written); `None`: ephemeral.
    pub source_port: Option<Setting<u16>>,
    /// The PeerConfig in use; `None`: built-in defaults (no peerConfigRef, or BGPv1).
    pub peer_config: Option<At<String>>,
    pub auth_secret_ref: Option<At<String>>,
    /// The TCP-MD5 password; never printed.
    pub password: Option<Secret>,
    /// The Secret the password comes from (its `metadata.name`): a location whose source
    /// line never holds the password.
    pub password_loc: Option<Loc>,
    /// Why `auth_secret_ref` gives no password.
    pub password_problem: Option<PasswordProblem>,
    pub hold_time: Setting<u16>,
    pub keepalive: Setting<u16>,
    pub connect_retry: Setting<u32>,
    /// 1: off (TTL 1).
    pub ebgp_multihop: Setting<u8>,
    pub graceful_restart: Setting<bool>,
    pub restart_time: Setting<u16>,
    pub families: Vec<Family>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    /// No such Secret in the BGP secrets namespace: Cilium logs it and runs the session
    /// without TCP-MD5. `elsewhere`: Secrets of that name in other namespaces.
    SecretNotFound { namespace: String, name: String, elsewhere: Vec<(NsName, Loc)> },
    /// The Secret has no `password` key: a hard error, the instance's peers are not
    /// reconciled. `keys`: the keys it has.
    NoPasswordKey { secret: NsName, loc: Loc, keys: Vec<String> },
    /// `password` is empty: treated like a missing key.
    EmptyPassword { secret: NsName, loc: Loc },
}

/// One negotiated address family and what Cilium announces in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Family {
    pub afi: Afi,
    pub safi: Safi,
    /// The `families[]` entry; `None`: a default family.
    pub loc: Option<Loc>,
    /// Names of the CiliumBGPAdvertisements its selector picks (BGPv2).
    pub advertisements: Vec<String>,
    pub announcements: Routes<Announcement>,
    pub withheld: Routes<Withheld>,
}

pub(super) const DEFAULT_FAMILIES: [(Afi, Safi); 2] = [(Afi::Ipv4, Safi::Unicast), (Afi::Ipv6, Safi::Unicast)];

/// The instances a ClusterConfig gives `node`.
pub(crate) fn from_cluster_config(ctx: &Ctx, node: &Node, cc: &ClusterConfig) -> Vec<Instance> {
    let v = ctx.version;
    let ov = ctx
        .cluster
        .overrides
        .get(&node.meta.name.value)
        .filter(|o| served(Kind::NodeConfigOverride, o.api.value, v).exists());
    let annotation = |asn: Option<u32>| asn.and_then(|a| NodeAnnotation::read(node, a));
    cc.instances
        .iter()
        .map(|i| {
            let oi = ov.and_then(|o| o.instances.iter().find(|x| x.name.value == i.name.value));
            let local_asn = oi
                .and_then(|o| o.local_asn.clone().filter(|_| v.has(Feature::OverrideLocalAsn)))
                .or_else(|| i.local_asn.clone());
            let ann =
                if v.has(Feature::PeeringPolicy) { annotation(local_asn.as_ref().map(|a| a.value)) } else { None };
            let listen_port = oi
                .and_then(|o| o.local_port.clone())
                .or_else(|| i.local_port.clone().filter(|_| v.has(Feature::ClusterLocalPort)))
                .or_else(|| ann.as_ref().and_then(|a| a.local_port.clone()));
            let router_id = match oi.and_then(|o| o.router_id.clone()) {
                Some(r) => RouterId::Set(r),
                None => router_id(node, ann.as_ref()),
            };
            let mut peers = Vec::new();
            let mut skipped_peers = Vec::new();
            for p in &i.peers {
                match cluster_peer(
                    ctx,
                    node,
                    p,
                    oi.and_then(|o| o.peers.iter().find(|x| x.name.value == p.name.value))
                        .and_then(|x| x.local_address.clone()),
                ) {
                    Ok(peer) => peers.push(peer),
                    Err(reason) => skipped_peers.push(SkippedPeer { name: p.name.clone(), reason }),
                }
            }
            Instance {
                config: ConfigRef::ClusterConfig(cc.meta.name.value.clone()),
                name: Some(i.name.clone()),
                loc: i.name.loc,
                local_asn,
                router_id,
                listen_port,
                peers,
                skipped_peers,
            }
        })
        .collect()
}

pub(super) fn router_id(node: &Node, ann: Option<&NodeAnnotation>) -> RouterId {
    if let Some(r) = ann.and_then(|a| a.router_id.clone()) {
        return RouterId::Set(r);
    }
    node.internal_ips
        .iter()
        .find_map(|ip| match ip.value {
            IpAddr::V4(v4) => Some(RouterId::NodeAddress(At::new(v4, ip.loc))),
            IpAddr::V6(_) => None,
        })
        .unwrap_or(RouterId::Unknown)
}

fn cluster_peer(
    ctx: &Ctx,
    node: &Node,
    p: &ClusterPeer,
    local_address: Option<At<IpAddr>>,
) -> Result<Peer, SkipReason> {
    let v = ctx.version;
    let address = match (&p.peer_address, &p.auto_discovery) {
        (Some(a), _) => PeerAddress::Ip(a.clone()),
        (None, Some(ad))
            if v.has(Feature::AutoDiscovery) && matches!(ad.value, AutoDiscovery::DefaultGateway { .. }) =>
        {
            PeerAddress::AutoDiscovered(ad.clone())
        }
        _ => return Err(SkipReason::NoAddress),
    };
    let pc = match &p.peer_config_ref {
        Some(r) => {
            match ctx.cluster.peer_configs.get(&r.value).filter(|pc| served(Kind::PeerConfig, pc.api.value, v).exists())
            {
                Some(pc) => Some(pc),
                None => return Err(SkipReason::MissingPeerConfig(r.clone())),
            }
        }
        None => None,
    };
    let peer_asn = p.peer_asn.clone().filter(|a| a.value != 0);
    let mut peer = default_peer(p.name.clone(), address, peer_asn);
    peer.local_address = local_address;
    if let Some(pc) = pc {
        apply_peer_config(ctx, &mut peer, pc);
        peer.families = v2_families(ctx, node, pc);
    } else {
        peer.families = DEFAULT_FAMILIES.iter().map(|&(afi, safi)| empty_family(afi, safi, None)).collect();
    }
    Ok(peer)
}

pub(super) fn default_peer(name: At<String>, address: PeerAddress, peer_asn: Option<At<u32>>) -> Peer {
    Peer {
        name,
        address,
        peer_asn,
        peer_port: Setting::default_value(179),
        local_address: None,
        source_interface: None,
        source_port: None,
        peer_config: None,
        auth_secret_ref: None,
        password: None,
        password_loc: None,
        password_problem: None,
        hold_time: Setting::default_value(90),
        keepalive: Setting::default_value(30),
        connect_retry: Setting::default_value(120),
        ebgp_multihop: Setting::default_value(1),
        graceful_restart: Setting::default_value(false),
        restart_time: Setting::default_value(120),
        families: Vec::new(),
    }
}

pub(super) fn empty_family(afi: Afi, safi: Safi, loc: Option<Loc>) -> Family {
    Family { afi, safi, loc, advertisements: Vec::new(), announcements: Routes::default(), withheld: Routes::default() }
}

fn apply_peer_config(ctx: &Ctx, peer: &mut Peer, pc: &PeerConfig) {
    let v = ctx.version;
    peer.peer_config = Some(pc.meta.name.clone());
    peer.peer_port = Setting::or_default(pc.peer_port.as_ref(), 179);
    if pc.api.value == CiliumApi::V2Alpha1 {
        peer.source_port = match (&pc.transport_local_port, pc.transport) {
            (Some(p), _) => Some(Setting::or_default(Some(p), 179)),
            (None, Some(_)) if v.has(Feature::TransportLocalPortDefault179) => Some(Setting::default_value(179)),
            _ => None,
        };
    }
    if pc.api.value == CiliumApi::V2 && v.has(Feature::Interface) {
        peer.source_interface = pc.source_interface.clone();
    }
    peer.hold_time = Setting::or_default(pc.hold_time_seconds.as_ref(), 90);
    peer.keepalive = Setting::or_default(pc.keepalive_seconds.as_ref(), 30);
    peer.connect_retry = Setting::or_default(pc.connect_retry_seconds.as_ref(), 120);
    peer.ebgp_multihop = Setting::or_default(pc.ebgp_multihop.as_ref(), 1);
    if let Some(gr) = &pc.graceful_restart {
        peer.graceful_restart = Setting::or_default(gr.enabled.as_ref(), false);
        peer.restart_time = Setting::or_default(gr.restart_time_seconds.as_ref(), 120);
    }
    set_password(ctx, peer, pc.auth_secret_ref.as_ref());
}

/// Resolve `authSecretRef` for a peer.
pub(super) fn set_password(ctx: &Ctx, peer: &mut Peer, secret_ref: Option<&At<String>>) {
    let Some(r) = secret_ref else { return };
    peer.auth_secret_ref = Some(r.clone());
    match resolve_password(ctx.cluster, ctx.secrets_namespace, &r.value) {
        Ok((p, secret_name)) => {
            peer.password = Some(p.value);
            peer.password_loc = Some(secret_name);
        }
        Err(problem) => peer.password_problem = Some(problem),
    }
}

/// The password Cilium reads for `authSecretRef: name` (key `password` of Secret `name` in
/// the BGP secrets namespace), and the location of the Secret's name.
pub fn resolve_password(cluster: &Cluster, namespace: &str, name: &str) -> Result<(At<Secret>, Loc), PasswordProblem> {
    let key = NsName::new(namespace, name);
    let Some(s) = cluster.secrets.get(&key) else {
        let elsewhere =
            cluster.secrets.iter().filter(|(k, _)| k.name == name).map(|(k, s)| (k.clone(), s.meta.name.loc)).collect();
        return Err(PasswordProblem::SecretNotFound {
            namespace: namespace.to_string(),
            name: name.to_string(),
            elsewhere,
        });
    };
    match s.get("password") {
        None => Err(PasswordProblem::NoPasswordKey {
            secret: key,
            loc: s.meta.name.loc,
            keys: s.keys().map(str::to_string).collect(),
        }),
        Some(p) if p.value.is_empty() => Err(PasswordProblem::EmptyPassword { secret: key, loc: p.loc }),
        Some(p) => Ok((p.clone(), s.meta.name.loc)),
    }
}

/// The families of a PeerConfig and what each announces on `node`.
fn v2_families(ctx: &Ctx, node: &Node, pc: &PeerConfig) -> Vec<Family> {
    if pc.families.is_empty() {
        return DEFAULT_FAMILIES.iter().map(|&(afi, safi)| empty_family(afi, safi, None)).collect();
    }
    pc.families
        .iter()
        .map(|f| {
            let mut fam = empty_family(f.afi.value, f.safi.value, Some(f.loc));
            let Some(sel) = &f.advertisements else { return fam };
            let adverts: Vec<&Advertisement> = ctx
                .cluster
                .advertisements
                .values()
                .filter(|a| {
                    served(Kind::Advertisement, a.api.value, ctx.version).exists() && sel.matches(&a.meta.labels)
                })
                .collect();
            fam.advertisements = adverts.iter().map(|a| a.meta.name.value.clone()).collect();
            if f.safi.value != Safi::Unicast || !matches!(f.afi.value, Afi::Ipv4 | Afi::Ipv6) {
                return fam;
            }
            let afi = f.afi.value;
            let (shared_a, shared_w) = ctx.shared_routes((f.loc, afi), |out| {
                for a in &adverts {
                    service_routes(ctx, a, afi, out);
                }
            });
            let (mut own_a, mut own_w) = (Vec::new(), Vec::new());
            let mut out = Out { announcements: &mut own_a, withheld: &mut own_w };
            for a in &adverts {
                node_routes(node, a, afi, &mut out);
            }
            fam.announcements = Routes::new(shared_a, own_a);
            fam.withheld = Routes::new(shared_w, own_w);
            fam
        })
        .collect()
}

/// The routes of an advertisement's Service entries: the same on every node.
fn service_routes(ctx: &Ctx, a: &Advertisement, afi: Afi, out: &mut Out) {
    for e in a.entries.iter().filter(|e| e.advertisement_type.value == AdvertType::Service) {
        let (Some(svc), Some(sel)) = (&e.service, &e.selector) else { continue };
        let addresses: Vec<ServiceAddressType> = svc.addresses.iter().map(|a| a.value).collect();
        let adv = ServiceAdvert {
            addresses: &addresses,
            aggregation_v4: svc.aggregation_length_v4.as_ref().map(|a| a.value),
            aggregation_v6: svc.aggregation_length_v6.as_ref().map(|a| a.value),
            via: e.loc,
            attributes: Some(&e.attributes),
        };
        ctx.service_routes(sel, &adv, afi, out);
    }
}

/// The routes of an advertisement that depend on the node (its pod CIDRs, pools, interfaces).
fn node_routes(node: &Node, a: &Advertisement, afi: Afi, out: &mut Out) {
    for e in &a.entries {
        let node_name = || node.meta.name.value.clone();
        match e.advertisement_type.value {
            AdvertType::PodCidr => announce::pod_cidr(node, afi, e.loc, Some(&e.attributes), out),
            AdvertType::Service => {}
            AdvertType::CiliumPodIpPool => out.withheld.push(Withheld {
                source: announce::Source::PodIpPool { node: node_name() },
                via: e.loc,
                reason: WithheldReason::PodIpPoolNotModelled,
            }),
            AdvertType::Interface => out.withheld.push(Withheld {
                source: announce::Source::Interface { interface: e.interface.as_ref().map(|i| i.value.clone()) },
                via: e.loc,
                reason: WithheldReason::InterfaceNotModelled,
            }),
        }
    }
}
