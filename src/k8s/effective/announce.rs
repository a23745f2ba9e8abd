//! Which prefixes a node announces for one address family: its own pod CIDRs, and the
//! addresses of the Services an advertisement (or a BGPv1 virtual router) selects, as host
//! routes or aggregates, or "some address of pool P" where LB-IPAM has yet to choose.

use super::services::{LbAddresses, PoolChoice, ServiceView};
use crate::k8s::at::{At, Loc};
use crate::k8s::resources::bgp::Attributes;
use crate::k8s::resources::core::{IpFamily, Node, ServiceType};
use crate::k8s::resources::pool::PoolRange;
use crate::k8s::resources::{Afi, NsName, ServiceAddressType};
use crate::k8s::version::{CiliumVersion, Feature};
use ipnet::IpNet;
use std::net::IpAddr;

/// A route Cilium will announce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Announcement {
    pub prefix: Predicted,
    pub source: Source,
    /// The advertisement entry (or BGPv1 field) that causes it.
    pub via: Loc,
    /// Communities and local preference (BGPv2 advertisements only).
    pub attributes: Option<Attributes>,
    /// `externalTrafficPolicy: Local` (or `internalTrafficPolicy` for ClusterIPs): only
    /// nodes with a local endpoint of the Service announce it.
    pub local_endpoints_only: bool,
}

/// A prefix, known or predicted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Predicted {
    /// This exact prefix: a /32 or /128 host route, a masked aggregate, or a pod CIDR.
    Exact(IpNet),
    /// LB-IPAM has not assigned the address yet: it will be one address from one of these
    /// pools, announced with this prefix length (the router must accept any of them).
    FromPools { pools: Vec<PoolChoice>, prefix_len: u8 },
}

impl Predicted {
    /// Whether every route this prediction stands for lies inside `net`.
    pub fn within(&self, net: &IpNet) -> bool {
        match self {
            Predicted::Exact(p) => net.contains(p),
            Predicted::FromPools { pools, .. } => pools.iter().flat_map(|c| &c.blocks).all(|b| match b {
                PoolRange::Cidr(c) => net.contains(c),
                PoolRange::Range { start, stop } => net.contains(start) && net.contains(stop),
            }),
        }
    }
}

/// What a route is for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    PodCidr {
        node: String,
    },
    Service {
        service: NsName,
        address: ServiceAddressType,
    },
    /// Per-node CIDRs from CiliumPodIPPools (not modelled).
    PodIpPool {
        node: String,
    },
    /// The addresses of a node's interface (not modelled).
    Interface {
        interface: Option<String>,
    },
}

/// Something selected that yields no route, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withheld {
    pub source: Source,
    pub via: Loc,
    pub reason: WithheldReason,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WithheldReason {
    /// The Node manifest has no `spec.podCIDRs` (with cluster-pool IPAM the allocation lives
    /// in the CiliumNode object, which is not read): the prefix is unknown, not absent.
    PodCidrUnknown,
    /// No cluster IP is written (the API server allocates it): unknown, not absent.
    ClusterIpUnknown,
    /// LB-IPAM leaves the Service pending: nothing to announce.
    LbPending,
    /// `loadBalancerClass` is not Cilium's BGP class: BGP does not announce it.
    LbClassNotAnnounced(At<String>),
    /// The Service is not of type LoadBalancer.
    NotLoadBalancer,
    /// Multi-pool IPAM (CiliumPodIPPool) is not modelled.
    PodIpPoolNotModelled,
    /// Interface addresses are not known from manifests.
    InterfaceNotModelled,
}

/// Settings of one Service advertisement entry.
pub(crate) struct ServiceAdvert<'a> {
    pub addresses: &'a [ServiceAddressType],
    pub aggregation_v4: Option<u8>,
    pub aggregation_v6: Option<u8>,
    pub via: Loc,
    pub attributes: Option<&'a Attributes>,
}

pub(crate) struct Out<'o> {
    pub announcements: &'o mut Vec<Announcement>,
    pub withheld: &'o mut Vec<Withheld>,
}

fn afi_of(ip: IpAddr) -> Afi {
    if ip.is_ipv4() {
        Afi::Ipv4
    } else {
        Afi::Ipv6
    }
}

/// The node's own pod CIDRs of family `afi`.
pub(crate) fn pod_cidr(node: &Node, afi: Afi, via: Loc, attributes: Option<&Attributes>, out: &mut Out) {
    let source = Source::PodCidr { node: node.meta.name.value.clone() };
    if node.pod_cidrs.is_empty() {
        out.withheld.push(Withheld { source, via, reason: WithheldReason::PodCidrUnknown });
        return;
    }
    for c in node.pod_cidrs.iter().filter(|c| afi_of(c.value.addr()) == afi) {
        out.announcements.push(Announcement {
            prefix: Predicted::Exact(c.value),
            source: source.clone(),
            via,
            attributes: attributes.cloned(),
            local_endpoints_only: false,
        });
    }
}

/// The routes for one Service under one advertisement entry, in family `afi`.
pub(crate) fn service(v: &ServiceView, adv: &ServiceAdvert, afi: Afi, version: CiliumVersion, out: &mut Out) {
    let v4 = afi == Afi::Ipv4;
    for &addr in adv.addresses {
        let local = match addr {
            ServiceAddressType::ClusterIp => v.internal_traffic_local,
            _ => v.external_traffic_local,
        };
        // Aggregation needs 1.18 and Cluster traffic policy; 0 falls back to host routes.
        let agg = if v4 { adv.aggregation_v4 } else { adv.aggregation_v6 }
            .filter(|l| *l > 0 && !local && version.has(Feature::ServiceAggregation));
        let exact = |ips: &[At<IpAddr>]| -> Vec<Predicted> {
            ips.iter().filter(|ip| afi_of(ip.value) == afi).map(|ip| Predicted::Exact(host(ip.value, agg))).collect()
        };
        let (routes, reason) = match addr {
            ServiceAddressType::ExternalIp => (exact(&v.external_ips), None),
            ServiceAddressType::ClusterIp
                if v.cluster_ips.is_empty() && v.service_type != ServiceType::ExternalName =>
            {
                (Vec::new(), Some(WithheldReason::ClusterIpUnknown))
            }
            ServiceAddressType::ClusterIp => (exact(&v.cluster_ips), None),
            ServiceAddressType::LoadBalancerIp if !v.lb_announced_by_bgp() => {
                (Vec::new(), v.load_balancer_class.clone().map(WithheldReason::LbClassNotAnnounced))
            }
            ServiceAddressType::LoadBalancerIp => match &v.lb {
                LbAddresses::Assigned(ips) | LbAddresses::Requested { ips, .. } => (exact(ips), None),
                LbAddresses::FromPools(choices) => {
                    let fam = if v4 { IpFamily::V4 } else { IpFamily::V6 };
                    let pools: Vec<PoolChoice> = choices
                        .iter()
                        .map(|c| PoolChoice {
                            blocks: c.blocks.iter().copied().filter(|b| b.is_ipv4() == v4).collect(),
                            ..c.clone()
                        })
                        .filter(|c| !c.blocks.is_empty())
                        .collect();
                    let routes = if pools.is_empty() || !v.families.contains(&fam) {
                        Vec::new()
                    } else {
                        vec![Predicted::FromPools { pools, prefix_len: agg.unwrap_or(if v4 { 32 } else { 128 }) }]
                    };
                    (routes, None)
                }
                LbAddresses::Pending { .. } | LbAddresses::OtherClass(_) => {
                    (Vec::new(), Some(WithheldReason::LbPending))
                }
                LbAddresses::NotLoadBalancer => (Vec::new(), Some(WithheldReason::NotLoadBalancer)),
            },
        };
        let source = Source::Service { service: v.key.clone(), address: addr };
        for prefix in routes {
            out.announcements.push(Announcement {
                prefix,
                source: source.clone(),
                via: adv.via,
                attributes: adv.attributes.cloned(),
                local_endpoints_only: local,
            });
        }
        if let Some(reason) = reason {
            out.withheld.push(Withheld { source, via: adv.via, reason });
        }
    }
}

/// `ip` as a host route, or masked to `agg` bits.
fn host(ip: IpAddr, agg: Option<u8>) -> IpNet {
    let full = if ip.is_ipv4() { 32 } else { 128 };
    let len = agg.unwrap_or(full).min(full);
    IpNet::new(ip, len).map(|n| n.trunc()).unwrap_or_else(|_| IpNet::from(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_routes_and_aggregates() {
        let ip: IpAddr = "192.168.77.129".parse().unwrap();
        assert_eq!(host(ip, None).to_string(), "192.168.77.129/32");
        assert_eq!(host(ip, Some(24)).to_string(), "192.168.77.0/24");
        let v6: IpAddr = "fd00::5".parse().unwrap();
        assert_eq!(host(v6, None).to_string(), "fd00::5/128");
        assert_eq!(host(v6, Some(64)).to_string(), "fd00::/64");
    }
}
