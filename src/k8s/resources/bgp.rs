//! The BGPv2 custom resources (`cilium.io/v2alpha1` from 1.16, `cilium.io/v2` from 1.18):
//! CiliumBGPClusterConfig, CiliumBGPPeerConfig and CiliumBGPNodeConfigOverride, as written
//! (no defaults applied; see `effective`). CiliumBGPAdvertisement is in `advert`.

pub(crate) use super::advert::{read_advertisement, read_attributes};
pub use super::advert::{AdvertEntry, AdvertType, Advertisement, Attributes, ServiceAdvert};
use super::{check_unique, read_family, Afi, CiliumApi, Meta, Safi};
use crate::k8s::at::{At, Loc};
use crate::k8s::decode::Reader;
use crate::k8s::selector::{read_selector, LabelSelector};
use crate::k8s::yaml::YNode;
use std::net::{IpAddr, Ipv4Addr};

const U32_MAX: u32 = u32::MAX;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterConfig {
    pub meta: Meta,
    pub api: At<CiliumApi>,
    /// Absent or empty: every node.
    pub node_selector: Option<LabelSelector>,
    pub instances: Vec<ClusterInstance>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterInstance {
    pub loc: Loc,
    pub name: At<String>,
    pub local_asn: Option<At<u32>>,
    /// The listen port (1.18+); absent: Cilium does not listen.
    pub local_port: Option<At<u16>>,
    pub peers: Vec<ClusterPeer>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterPeer {
    pub loc: Loc,
    pub name: At<String>,
    /// A plain address (whitespace and an IPv6 zone are dropped, as Cilium does).
    pub peer_address: Option<At<IpAddr>>,
    /// As written; 0 and absent both mean "any AS" from 1.17.
    pub peer_asn: Option<At<u32>>,
    pub auto_discovery: Option<At<AutoDiscovery>>,
    pub peer_config_ref: Option<At<String>>,
    /// Unnumbered peering over this interface (unreleased Cilium only).
    pub peer_interface: Option<At<String>>,
}

/// `peers[].autoDiscovery`: the peer address is found at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AutoDiscovery {
    /// The node's default gateway of this family.
    DefaultGateway { family: Option<Afi> },
    /// IPv6 link-local neighbour on this interface.
    Unnumbered { interface: Option<String> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerConfig {
    pub meta: Meta,
    pub api: At<CiliumApi>,
    /// The `transport` key, if written (1.16 defaults `localPort` to 179 when it is).
    pub transport: Option<Loc>,
    pub peer_port: Option<At<u16>>,
    /// v2alpha1 only: the *source* port of outgoing connections; deprecated in 1.17.
    pub transport_local_port: Option<At<u16>>,
    pub source_interface: Option<At<String>>,
    pub connect_retry_seconds: Option<At<u32>>,
    pub hold_time_seconds: Option<At<u16>>,
    pub keepalive_seconds: Option<At<u16>>,
    pub auth_secret_ref: Option<At<String>>,
    pub ebgp_multihop: Option<At<u8>>,
    pub graceful_restart: Option<GracefulRestartSpec>,
    /// The `families` key, if written; an empty or absent list means IPv4 and IPv6 unicast.
    pub families_loc: Option<Loc>,
    pub families: Vec<FamilySpec>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GracefulRestartSpec {
    pub loc: Loc,
    pub enabled: Option<At<bool>>,
    pub restart_time_seconds: Option<At<u16>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FamilySpec {
    pub loc: Loc,
    pub afi: At<Afi>,
    pub safi: At<Safi>,
    /// Selects CiliumBGPAdvertisements by their labels; absent: nothing is advertised.
    pub advertisements: Option<LabelSelector>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeConfigOverride {
    /// `metadata.name` is the node's name.
    pub meta: Meta,
    pub api: At<CiliumApi>,
    pub instances: Vec<OverrideInstance>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverrideInstance {
    pub loc: Loc,
    pub name: At<String>,
    pub router_id: Option<At<Ipv4Addr>>,
    /// Per-node listen port.
    pub local_port: Option<At<u16>>,
    /// 1.17+.
    pub local_asn: Option<At<u32>>,
    pub peers: Vec<OverridePeer>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverridePeer {
    pub loc: Loc,
    pub name: At<String>,
    pub local_address: Option<At<IpAddr>>,
    /// Deprecated: never had an effect.
    pub local_port: Option<At<u16>>,
}

/// A required, non-empty `name` (1–255 characters).
fn read_name(r: &mut Reader, n: &YNode, what: &str) -> Option<At<String>> {
    let name = r.string(n.get("name"), "name");
    match &name {
        None => {
            r.invalid(n.loc, format!("{what} has no `name`"), "add a unique name; the API server rejects the object")
        }
        Some(s) if s.value.is_empty() || s.value.len() > 255 => {
            r.invalid(s.loc, format!("{what} name must be 1 to 255 characters"), "shorten or fill in the name")
        }
        _ => {}
    }
    name
}

pub(super) fn required_list<'n>(
    r: &mut Reader,
    root: &'n YNode,
    spec: Option<&'n YNode>,
    key: &str,
    kind: &str,
) -> &'n [YNode] {
    let items = r.list(spec.and_then(|s| s.get(key)), key);
    if items.is_empty() {
        let loc = spec.and_then(|s| s.entry(key).map(|(k, _)| k.loc)).unwrap_or(root.loc);
        r.invalid(
            loc,
            format!("{kind} needs at least one entry in `spec.{key}`"),
            format!("add spec.{key}; the API server rejects the object"),
        );
    }
    items
}

pub(crate) fn read_cluster_config(r: &mut Reader, meta: Meta, api: At<CiliumApi>, root: &YNode) -> ClusterConfig {
    let spec = r.mapping(root.get("spec"), "spec");
    let node_selector = spec.and_then(|s| read_selector(r, s, "nodeSelector"));
    let mut instances = Vec::new();
    let items = required_list(r, root, spec, "bgpInstances", "CiliumBGPClusterConfig");
    if items.len() > 16 {
        r.invalid(items[16].loc, "more than 16 bgpInstances", "the schema allows at most 16 instances per config");
    }
    for i in items {
        let Some(i) = r.mapping(Some(i), "bgpInstances[]") else { continue };
        let Some(name) = read_name(r, i, "a BGP instance") else { continue };
        let mut peers = Vec::new();
        for p in r.list(i.get("peers"), "peers") {
            let Some(p) = r.mapping(Some(p), "peers[]") else { continue };
            let Some(pname) = read_name(r, p, "a peer") else { continue };
            let ref_node = r.mapping(p.get("peerConfigRef"), "peerConfigRef");
            let peer_config_ref = ref_node.and_then(|n| {
                let s = r.string(n.get("name"), "name");
                if s.is_none() {
                    r.invalid(n.loc, "peerConfigRef has no `name`", "name the CiliumBGPPeerConfig to use");
                }
                s
            });
            if p.entry("peerAddress").is_none() && p.entry("autoDiscovery").is_none() {
                if api.value == CiliumApi::V2 {
                    r.invalid(
                        pname.loc,
                        format!("peer `{}` has neither peerAddress nor autoDiscovery", pname.value),
                        "set peerAddress to the router's address; the API server rejects the object",
                    );
                } else {
                    r.diags.push(
                        crate::diag::Diagnostic::new(
                            &crate::k8s::checks::invalid_manifest::META,
                            pname.loc.file,
                            pname.loc.span,
                            format!("peer `{}` has no peerAddress; Cilium skips it", pname.value),
                        )
                        .severity(crate::diag::Severity::Warning)
                        .help("set peerAddress to the router's address"),
                    );
                }
            }
            peers.push(ClusterPeer {
                loc: p.loc,
                name: pname,
                peer_address: r.ip(p.get("peerAddress"), "peerAddress"),
                peer_asn: r.u32(p.get("peerASN"), "peerASN", 0, U32_MAX),
                auto_discovery: read_auto_discovery(r, p),
                peer_config_ref,
                peer_interface: r.string(p.get("peerInterface"), "peerInterface"),
            });
        }
        check_unique(r, "peer", peers.iter().map(|p| &p.name));
        instances.push(ClusterInstance {
            loc: i.loc,
            local_asn: r.u32(i.get("localASN"), "localASN", 1, U32_MAX),
            local_port: r.u16(i.get("localPort"), "localPort", 1, 65535),
            name,
            peers,
        });
    }
    check_unique(r, "BGP instance", instances.iter().map(|i| &i.name));
    ClusterConfig { meta, api, node_selector, instances }
}

fn read_auto_discovery(r: &mut Reader, p: &YNode) -> Option<At<AutoDiscovery>> {
    let ad = r.mapping(p.get("autoDiscovery"), "autoDiscovery")?;
    let mode = r.one_of(ad.get("mode"), "mode", &[("DefaultGateway", 0u8), ("Unnumbered", 1u8)]);
    let value = match mode.map(|m| m.value) {
        Some(0) => {
            let dg = r.mapping(ad.get("defaultGateway"), "defaultGateway");
            if dg.is_none() {
                r.invalid(
                    ad.loc,
                    "autoDiscovery mode DefaultGateway needs `defaultGateway`",
                    "add defaultGateway.addressFamily: ipv4 or ipv6",
                );
            }
            let family = dg.and_then(|d| r.one_of(d.get("addressFamily"), "addressFamily", &super::AFIS[..2]));
            AutoDiscovery::DefaultGateway { family: family.map(|f| f.value) }
        }
        Some(_) => {
            let un = r.mapping(ad.get("unnumbered"), "unnumbered");
            AutoDiscovery::Unnumbered {
                interface: un.and_then(|u| r.string(u.get("interface"), "interface")).map(|s| s.value),
            }
        }
        None => {
            if ad.get("mode").is_none() {
                r.invalid(ad.loc, "autoDiscovery needs a `mode`", "set mode: DefaultGateway");
            }
            return None;
        }
    };
    Some(At::new(value, ad.loc))
}

pub(crate) fn read_peer_config(r: &mut Reader, meta: Meta, api: At<CiliumApi>, root: &YNode) -> PeerConfig {
    let spec = r.mapping(root.get("spec"), "spec");
    let get = |k: &str| spec.and_then(|s| s.get(k));
    let transport_node = r.mapping(get("transport"), "transport");
    let timers = r.mapping(get("timers"), "timers");
    let t = |k: &str| transport_node.and_then(|n| n.get(k));
    let tm = |k: &str| timers.and_then(|n| n.get(k));
    let gr = r.mapping(get("gracefulRestart"), "gracefulRestart").map(|g| {
        let enabled = r.boolean(g.get("enabled"), "enabled");
        if g.get("enabled").is_none() {
            r.invalid(g.loc, "gracefulRestart needs `enabled`", "add enabled: true or false");
        }
        GracefulRestartSpec {
            loc: g.loc,
            enabled,
            restart_time_seconds: r.u16(g.get("restartTimeSeconds"), "restartTimeSeconds", 1, 4095),
        }
    });
    let hold = r.u16(tm("holdTimeSeconds"), "holdTimeSeconds", 3, 65535);
    let keepalive = r.u16(tm("keepAliveTimeSeconds"), "keepAliveTimeSeconds", 1, 65535);
    if let Some(k) = &keepalive {
        let h = hold.as_ref().map_or(90, |h| h.value);
        if k.value > h {
            let held = if hold.is_some() { "holdTimeSeconds" } else { "the default holdTimeSeconds" };
            r.invalid(
                k.loc,
                format!("keepAliveTimeSeconds {} is longer than {held} {h}", k.value),
                "keepalive must not exceed the hold time; a third of it is usual",
            );
        }
    }
    let mut families = Vec::new();
    for f in r.list(get("families"), "families") {
        let Some(f) = r.mapping(Some(f), "families[]") else { continue };
        let Some((afi, safi)) = read_family(r, f) else { continue };
        families.push(FamilySpec { loc: f.loc, afi, safi, advertisements: read_selector(r, f, "advertisements") });
    }
    PeerConfig {
        meta,
        api,
        transport: spec.and_then(|s| s.entry("transport")).map(|(k, _)| k.loc),
        peer_port: r.u16(t("peerPort"), "peerPort", 1, 65535),
        transport_local_port: r.u16(t("localPort"), "localPort", 1, 65535),
        source_interface: r.string(t("sourceInterface"), "sourceInterface"),
        connect_retry_seconds: r.u32(tm("connectRetryTimeSeconds"), "connectRetryTimeSeconds", 1, i32::MAX as u32),
        hold_time_seconds: hold,
        keepalive_seconds: keepalive,
        auth_secret_ref: r.string(get("authSecretRef"), "authSecretRef"),
        ebgp_multihop: r.u8(get("ebgpMultihop"), "ebgpMultihop", 1, 255),
        graceful_restart: gr,
        families_loc: spec.and_then(|s| s.entry("families")).map(|(k, _)| k.loc),
        families,
    }
}

pub(crate) fn read_override(r: &mut Reader, meta: Meta, api: At<CiliumApi>, root: &YNode) -> NodeConfigOverride {
    let spec = r.mapping(root.get("spec"), "spec");
    let mut instances = Vec::new();
    for i in required_list(r, root, spec, "bgpInstances", "CiliumBGPNodeConfigOverride") {
        let Some(i) = r.mapping(Some(i), "bgpInstances[]") else { continue };
        let Some(name) = read_name(r, i, "a BGP instance") else { continue };
        let router_id = r.ip(i.get("routerID"), "routerID").and_then(|ip| match ip.value {
            IpAddr::V4(v4) => Some(At::new(v4, ip.loc)),
            IpAddr::V6(_) => {
                r.invalid(ip.loc, "routerID must be an IPv4 address", "write the router ID as dotted IPv4");
                None
            }
        });
        let mut peers = Vec::new();
        for p in r.list(i.get("peers"), "peers") {
            let Some(p) = r.mapping(Some(p), "peers[]") else { continue };
            let Some(pname) = read_name(r, p, "a peer") else { continue };
            peers.push(OverridePeer {
                loc: p.loc,
                name: pname,
                local_address: r.ip(p.get("localAddress"), "localAddress"),
                local_port: r.u16(p.get("localPort"), "localPort", 1, 65535),
            });
        }
        check_unique(r, "peer", peers.iter().map(|p| &p.name));
        instances.push(OverrideInstance {
            loc: i.loc,
            router_id,
            local_port: r.u16(i.get("localPort"), "localPort", 1, 65535),
            local_asn: r.u32(i.get("localASN"), "localASN", 1, U32_MAX),
            name,
            peers,
        });
    }
    check_unique(r, "BGP instance", instances.iter().map(|i| &i.name));
    NodeConfigOverride { meta, api, instances }
}
