//! The legacy BGPv1 `CiliumBGPPeeringPolicy` (`cilium.io/v2alpha1` only; deprecated in 1.18,
//! removed in 1.19), as written.

use super::bgp::{read_attributes, Attributes};
use super::{read_family, Afi, Meta, Safi, ServiceAddressType, SERVICE_ADDRESS_TYPES};
use crate::k8s::at::{At, Loc};
use crate::k8s::decode::Reader;
use crate::k8s::selector::{read_selector, LabelSelector};
use crate::k8s::yaml::YNode;
use ipnet::IpNet;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeeringPolicy {
    pub meta: Meta,
    /// Absent or empty: every node.
    pub node_selector: Option<LabelSelector>,
    pub routers: Vec<VirtualRouter>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualRouter {
    pub loc: Loc,
    pub local_asn: Option<At<u32>>,
    pub export_pod_cidr: Option<At<bool>>,
    /// Absent: no Service is announced.
    pub service_selector: Option<LabelSelector>,
    /// Absent: `[LoadBalancerIP]`.
    pub service_advertisements: Option<At<Vec<At<ServiceAddressType>>>>,
    pub neighbors: Vec<Neighbor>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Neighbor {
    pub loc: Loc,
    /// A CIDR in BGPv1 (`10.0.0.1/32`); Cilium uses its address.
    pub peer_address: Option<At<IpNet>>,
    pub peer_asn: Option<At<u32>>,
    pub peer_port: Option<At<u16>>,
    pub auth_secret_ref: Option<At<String>>,
    pub ebgp_multihop_ttl: Option<At<u8>>,
    pub connect_retry_seconds: Option<At<u32>>,
    pub hold_time_seconds: Option<At<u16>>,
    pub keepalive_seconds: Option<At<u16>>,
    pub graceful_restart_enabled: Option<At<bool>>,
    pub graceful_restart_seconds: Option<At<u16>>,
    pub families: Vec<(At<Afi>, At<Safi>)>,
    pub path_attributes: Vec<PathAttributes>,
}

/// `advertisedPathAttributes[]`: attributes for routes of one selector type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathAttributes {
    pub loc: Loc,
    pub selector_type: At<String>,
    pub selector: Option<LabelSelector>,
    pub attributes: Attributes,
}

pub(crate) fn read_peering_policy(r: &mut Reader, meta: Meta, root: &YNode) -> PeeringPolicy {
    let spec = r.mapping(root.get("spec"), "spec");
    let node_selector = spec.and_then(|s| read_selector(r, s, "nodeSelector"));
    let items = r.list(spec.and_then(|s| s.get("virtualRouters")), "virtualRouters");
    if items.is_empty() {
        r.invalid(
            meta.loc,
            "CiliumBGPPeeringPolicy needs at least one entry in `spec.virtualRouters`",
            "add spec.virtualRouters; the API server rejects the object",
        );
    }
    let mut routers = Vec::new();
    for v in items {
        let Some(v) = r.mapping(Some(v), "virtualRouters[]") else { continue };
        let local_asn = r.u32(v.get("localASN"), "localASN", 0, u32::MAX);
        if v.get("localASN").is_none() {
            r.invalid(v.loc, "a virtual router needs `localASN`", "set the cluster's AS number");
        }
        let service_advertisements = v.entry("serviceAdvertisements").filter(|(_, n)| !n.is_null()).map(|(k, n)| {
            let list = r
                .list(Some(n), "serviceAdvertisements")
                .iter()
                .filter_map(|a| r.one_of(Some(a), "serviceAdvertisements", SERVICE_ADDRESS_TYPES))
                .collect();
            At::new(list, k.loc)
        });
        let neighbor_items = r.list(v.get("neighbors"), "neighbors");
        if neighbor_items.is_empty() {
            r.invalid(
                v.loc,
                "a virtual router needs at least one neighbor",
                "add neighbors; the API server rejects the object",
            );
        }
        let neighbors = neighbor_items.iter().filter_map(|n| read_neighbor(r, n)).collect();
        routers.push(VirtualRouter {
            loc: v.loc,
            local_asn,
            export_pod_cidr: r.boolean(v.get("exportPodCIDR"), "exportPodCIDR"),
            service_selector: read_selector(r, v, "serviceSelector"),
            service_advertisements,
            neighbors,
        });
    }
    PeeringPolicy { meta, node_selector, routers }
}

fn read_neighbor(r: &mut Reader, n: &YNode) -> Option<Neighbor> {
    let n = r.mapping(Some(n), "neighbors[]")?;
    for key in ["peerAddress", "peerASN"] {
        if n.get(key).is_none() {
            r.invalid(
                n.loc,
                format!("a neighbor needs `{key}`"),
                format!("add {key}; the API server rejects the object"),
            );
        }
    }
    let hold = r.u16(n.get("holdTimeSeconds"), "holdTimeSeconds", 3, 65535);
    let keepalive = r.u16(n.get("keepAliveTimeSeconds"), "keepAliveTimeSeconds", 1, 65535);
    if let Some(k) = &keepalive {
        let h = hold.as_ref().map_or(90, |h| h.value);
        if k.value > h {
            r.invalid(
                k.loc,
                format!("keepAliveTimeSeconds {} is longer than the hold time {h}", k.value),
                "keepalive must not exceed the hold time; a third of it is usual",
            );
        }
    }
    let gr = r.mapping(n.get("gracefulRestart"), "gracefulRestart");
    let mut families = Vec::new();
    for f in r.list(n.get("families"), "families") {
        if let Some(f) = r.mapping(Some(f), "families[]") {
            families.extend(read_family(r, f));
        }
    }
    let mut path_attributes = Vec::new();
    for a in r.list(n.get("advertisedPathAttributes"), "advertisedPathAttributes") {
        let Some(a) = r.mapping(Some(a), "advertisedPathAttributes[]") else { continue };
        let Some(selector_type) = r.string(a.get("selectorType"), "selectorType") else { continue };
        path_attributes.push(PathAttributes {
            loc: a.loc,
            selector_type,
            selector: read_selector(r, a, "selector"),
            attributes: read_attributes(r, Some(a)),
        });
    }
    Some(Neighbor {
        loc: n.loc,
        peer_address: r.cidr(n.get("peerAddress"), "peerAddress"),
        peer_asn: r.u32(n.get("peerASN"), "peerASN", 0, u32::MAX),
        peer_port: r.u16(n.get("peerPort"), "peerPort", 1, 65535),
        auth_secret_ref: r.string(n.get("authSecretRef"), "authSecretRef"),
        ebgp_multihop_ttl: r.u8(n.get("eBGPMultihopTTL"), "eBGPMultihopTTL", 1, 255),
        connect_retry_seconds: r.u32(n.get("connectRetryTimeSeconds"), "connectRetryTimeSeconds", 1, i32::MAX as u32),
        hold_time_seconds: hold,
        keepalive_seconds: keepalive,
        graceful_restart_enabled: gr.and_then(|g| r.boolean(g.get("enabled"), "enabled")),
        graceful_restart_seconds: gr.and_then(|g| r.u16(g.get("restartTimeSeconds"), "restartTimeSeconds", 1, 4095)),
        families,
        path_attributes,
    })
}
