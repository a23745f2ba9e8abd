//! BGPv1: the virtual routers a `CiliumBGPPeeringPolicy` gives a node, with BGPv1's
//! defaults (LoadBalancer IPs only when a `serviceSelector` is set; no advertisement
//! selectors; the CIDR `peerAddress` used as the peer's name and address).

use super::announce::{self, Out, ServiceAdvert};
use super::peer::{
    default_peer, empty_family, router_id, set_password, ConfigRef, Instance, Peer, PeerAddress, DEFAULT_FAMILIES,
};
use super::routes::Routes;
use super::{Ctx, NodeAnnotation};
use crate::k8s::at::{At, Loc, Setting};
use crate::k8s::resources::bgpv1::{Neighbor, PeeringPolicy, VirtualRouter};
use crate::k8s::resources::core::Node;
use crate::k8s::resources::{Afi, Safi, ServiceAddressType};
use std::sync::Arc;

/// The virtual routers a PeeringPolicy gives `node`.
pub(crate) fn from_peering_policy(ctx: &Ctx, node: &Node, pp: &PeeringPolicy) -> Vec<Instance> {
    pp.routers
        .iter()
        .map(|r| {
            let ann = r.local_asn.as_ref().and_then(|a| NodeAnnotation::read(node, a.value));
            let peers = r.neighbors.iter().filter_map(|n| neighbor(ctx, node, r, n)).collect();
            Instance {
                config: ConfigRef::PeeringPolicy(pp.meta.name.value.clone()),
                name: None,
                loc: r.loc,
                local_asn: r.local_asn.clone(),
                router_id: router_id(node, ann.as_ref()),
                listen_port: ann.and_then(|a| a.local_port),
                peers,
                skipped_peers: Vec::new(),
            }
        })
        .collect()
}

fn neighbor(ctx: &Ctx, node: &Node, r: &VirtualRouter, n: &Neighbor) -> Option<Peer> {
    let addr = n.peer_address.as_ref()?;
    let name = At::new(addr.value.to_string(), addr.loc);
    let mut peer = default_peer(name, PeerAddress::Ip(At::new(addr.value.addr(), addr.loc)), n.peer_asn.clone());
    peer.peer_port = Setting::or_default(n.peer_port.as_ref(), 179);
    peer.hold_time = Setting::or_default(n.hold_time_seconds.as_ref(), 90);
    peer.keepalive = Setting::or_default(n.keepalive_seconds.as_ref(), 30);
    peer.connect_retry = Setting::or_default(n.connect_retry_seconds.as_ref(), 120);
    peer.ebgp_multihop = Setting::or_default(n.ebgp_multihop_ttl.as_ref(), 1);
    peer.graceful_restart = Setting::or_default(n.graceful_restart_enabled.as_ref(), false);
    peer.restart_time = Setting::or_default(n.graceful_restart_seconds.as_ref(), 120);
    set_password(ctx, &mut peer, n.auth_secret_ref.as_ref());
    let families: Vec<(Afi, Safi, Option<Loc>)> = if n.families.is_empty() {
        DEFAULT_FAMILIES.iter().map(|&(a, s)| (a, s, None)).collect()
    } else {
        n.families.iter().map(|(a, s)| (a.value, s.value, Some(a.loc))).collect()
    };
    let addresses: Vec<ServiceAddressType> = match &r.service_advertisements {
        Some(list) => list.value.iter().map(|a| a.value).collect(),
        None => vec![ServiceAddressType::LoadBalancerIp],
    };
    peer.families = families
        .into_iter()
        .map(|(afi, safi, loc)| {
            let mut fam = empty_family(afi, safi, loc);
            if safi != Safi::Unicast || !matches!(afi, Afi::Ipv4 | Afi::Ipv6) {
                return fam;
            }
            let (mut own_a, mut own_w) = (Vec::new(), Vec::new());
            if let Some(e) = r.export_pod_cidr.as_ref().filter(|e| e.value) {
                announce::pod_cidr(
                    node,
                    afi,
                    e.loc,
                    None,
                    &mut Out { announcements: &mut own_a, withheld: &mut own_w },
                );
            }
            let (shared_a, shared_w) = match &r.service_selector {
                Some(sel) => ctx.shared_routes((sel.loc, afi), |out| {
                    let adv = ServiceAdvert {
                        addresses: &addresses,
                        aggregation_v4: None,
                        aggregation_v6: None,
                        via: sel.loc,
                        attributes: None,
                    };
                    ctx.service_routes(sel, &adv, afi, out);
                }),
                None => (Arc::from(Vec::new()), Arc::from(Vec::new())),
            };
            fam.announcements = Routes::new(shared_a, own_a);
            fam.withheld = Routes::new(shared_w, own_w);
            fam
        })
        .collect();
    Some(peer)
}
