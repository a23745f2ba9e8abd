//! The lab plan from frrlint's own view of both sides: routers from the FRR configs, nodes
//! configured the way Cilium configures GoBGP (never from the expected outcome).

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use frrlint::check::{CheckReport, CrossReport};
use frrlint::k8s::effective::{Instance, PasswordProblem, Peer, PeerAddress, Predicted, RouterId};
use frrlint::k8s::resources::{Afi, Safi};
use ipnet::IpNet;

use crate::lab::{Announcement, Family, LabNode, LabPeer, LabPlan, LabRouter};

/// A plan plus what could not be put into it (each such session is reported as unverified).
pub(super) struct Built {
    pub plan: LabPlan,
    /// (node, peer address) of Cilium peers the plan leaves out, with the reason.
    pub left_out: BTreeMap<(String, IpAddr), String>,
    /// Predicted prefixes the plan cannot announce (pool predictions without an address).
    pub not_announced: BTreeMap<IpNet, String>,
    /// (node, peer address) of peers Cilium itself never configures (its instance is refused),
    /// with the reason: GoBGP gets no neighbor, exactly as in the lab.
    pub refused: BTreeMap<(String, IpAddr), String>,
}

/// The prefix length that puts every address of one IP version on one subnet: the common
/// prefix of them all, at most /24 (IPv4) or /64 (IPv6), as on a typical LAN.
fn segment_len(addrs: &[IpAddr], v4: bool) -> u8 {
    let bits: Vec<u128> = addrs
        .iter()
        .filter(|a| a.is_ipv4() == v4)
        .map(|a| match a {
            IpAddr::V4(a) => u128::from(u32::from(*a)) << 96,
            IpAddr::V6(a) => u128::from(*a),
        })
        .collect();
    let max = if v4 { 24 } else { 64 };
    let Some(first) = bits.first() else {
        return max;
    };
    let common = bits
        .iter()
        .map(|b| (b ^ first).leading_zeros())
        .min()
        .unwrap_or(128);
    let common = if v4 { common.min(32) } else { common };
    u8::try_from(common).unwrap_or(max).min(max)
}

fn with_len(a: IpAddr, v4_len: u8, v6_len: u8) -> IpNet {
    let len = if a.is_ipv4() { v4_len } else { v6_len };
    IpNet::new(a, len).unwrap_or_else(|_| IpNet::from(a))
}

fn lab_family(afi: Afi, safi: Safi) -> Option<Family> {
    match (afi, safi) {
        (Afi::Ipv4, Safi::Unicast) => Some(Family::Ipv4Unicast),
        (Afi::Ipv6, Safi::Unicast) => Some(Family::Ipv6Unicast),
        _ => None,
    }
}

/// The GoBGP neighbor Cilium creates for `peer`, or why the lab cannot create it.
fn lab_peer(peer: &Peer) -> Result<LabPeer, String> {
    let PeerAddress::Ip(address) = &peer.address else {
        return Err("auto-discovered peer address (known only at run time)".into());
    };
    // GoBGP 3.10 needs a peer AS; Cilium's "any AS" (peerASN 0) has no lab equivalent here.
    let asn = peer
        .peer_asn
        .as_ref()
        .ok_or("peerASN 0 (any AS): GoBGP needs a value, the lab has none")?;
    let families: Vec<Family> = peer
        .families
        .iter()
        .filter_map(|f| lab_family(f.afi, f.safi))
        .collect();
    if families.is_empty() {
        return Err("no IPv4/IPv6 unicast family".into());
    }
    Ok(LabPeer {
        address: address.value,
        asn: asn.value,
        port: peer.peer_port.value,
        // The one place the Secret's value is read: to configure the lab's GoBGP.
        password: peer.password.as_ref().map(|p| p.expose().to_string()),
        hold: peer.hold_time.value,
        keepalive: peer.keepalive.value,
        connect_retry: u16::try_from(peer.connect_retry.value).unwrap_or(u16::MAX),
        ebgp_multihop: peer.ebgp_multihop.value,
        families,
    })
}

/// What the instance's peers announce (union over peers and families; GoBGP sends its whole
/// RIB to every peer): exact prefixes with their communities and local preference.
fn announcements(
    instance: &Instance,
    not_announced: &mut BTreeMap<IpNet, String>,
) -> Vec<Announcement> {
    let mut out: BTreeMap<IpNet, Announcement> = BTreeMap::new();
    for peer in &instance.peers {
        for fam in &peer.families {
            for a in &fam.announcements {
                let prefix = match &a.prefix {
                    Predicted::Exact(p) => *p,
                    Predicted::FromPools { pools, .. } => {
                        let names: Vec<&str> = pools.iter().map(|c| c.pool.as_str()).collect();
                        for p in pool_candidates(&a.prefix) {
                            not_announced.insert(
                                p,
                                format!("an address LB-IPAM has yet to pick from {names:?}"),
                            );
                        }
                        continue;
                    }
                };
                let entry = out.entry(prefix).or_insert_with(|| Announcement {
                    prefix,
                    communities: Vec::new(),
                    local_pref: None,
                    origin: crate::lab::Origin::Igp,
                });
                if let Some(attrs) = &a.attributes {
                    // Overlapping advertisements: communities add up, local preference is the highest.
                    for c in attrs
                        .standard_communities
                        .iter()
                        .chain(&attrs.well_known_communities)
                    {
                        if !entry.communities.contains(&c.value) {
                            entry.communities.push(c.value.clone());
                        }
                    }
                    if let Some(lp) = &attrs.local_preference {
                        entry.local_pref =
                            Some(entry.local_pref.map_or(lp.value, |x| x.max(lp.value)));
                    }
                }
            }
        }
    }
    out.into_values().collect()
}

/// The concrete prefixes frrlint evaluates for a pool prediction (the ends of every block).
fn pool_candidates(p: &Predicted) -> Vec<IpNet> {
    use frrlint::k8s::resources::pool::PoolRange;
    let Predicted::FromPools { pools, prefix_len } = p else {
        return Vec::new();
    };
    let mut v = Vec::new();
    for b in pools.iter().flat_map(|c| &c.blocks) {
        let (first, last) = match b {
            PoolRange::Cidr(c) => (c.network(), c.broadcast()),
            PoolRange::Range { start, stop } => (*start, *stop),
        };
        for a in [first, last] {
            if let Ok(n) = IpNet::new(a, *prefix_len) {
                v.push(n.trunc());
            }
        }
    }
    v
}

/// Routers from the FRR configs; nodes from Cilium's effective view, configured the way
/// Cilium configures GoBGP. A node without a BGP instance is there too, with no neighbor and
/// no listener: it exists and never dials.
pub(super) fn build_plan(
    name: &str,
    report: &CheckReport,
    cross: &CrossReport,
) -> Result<Built, String> {
    let mut left_out = BTreeMap::new();
    let mut not_announced = BTreeMap::new();
    let mut refused = BTreeMap::new();
    let node_addrs = |node: &str| -> Vec<IpAddr> {
        let mut v: Vec<IpAddr> = cross
            .cluster
            .nodes
            .get(node)
            .map(|n| n.internal_ips.iter().map(|a| a.value).collect())
            .unwrap_or_default();
        // An override's localAddress is an address the node owns too.
        if let Some(nb) = cross.effective.nodes.get(node) {
            for p in nb.instances.iter().flat_map(|i| &i.peers) {
                if let Some(l) = &p.local_address {
                    if !v.contains(&l.value) {
                        v.push(l.value);
                    }
                }
            }
        }
        v
    };
    let mut all: Vec<IpAddr> = cross
        .routers
        .iter()
        .flat_map(|r| r.addresses.iter().copied())
        .collect();
    for n in cross.effective.nodes.keys() {
        all.extend(node_addrs(n));
    }
    let (v4, v6) = (segment_len(&all, true), segment_len(&all, false));

    let mut routers = Vec::new();
    for r in &cross.routers {
        let cfg = report
            .configs
            .get(r.config)
            .ok_or_else(|| format!("router {}: no config {}", r.name, r.config))?;
        if r.addresses.is_empty() {
            return Err(format!(
                "router {} owns no address (no bgp router-id, update-source or interface address)",
                r.name
            ));
        }
        routers.push(LabRouter {
            name: r.name.clone(),
            config: report.sources.get(cfg.file).text.to_string(),
            addresses: r.addresses.iter().map(|a| with_len(*a, v4, v6)).collect(),
            listen_port: r.listen_port,
        });
    }

    let mut nodes = Vec::new();
    for (node, nb) in &cross.effective.nodes {
        let addrs = node_addrs(node);
        if addrs.is_empty() {
            return Err(format!("node {node} has no InternalIP"));
        }
        let first_v4 = addrs.iter().find_map(|a| match a {
            IpAddr::V4(a) => Some(*a),
            IpAddr::V6(_) => None,
        });
        let mut lab = LabNode {
            name: node.clone(),
            addresses: addrs.iter().map(|a| with_len(*a, v4, v6)).collect(),
            // Only used when the node has an instance; a node without one never speaks BGP.
            asn: 64512,
            router_id: first_v4.unwrap_or(Ipv4Addr::new(10, 255, 255, 254)),
            listen_port: None,
            peers: Vec::new(),
            announce: Vec::new(),
        };
        let skip_all =
            |i: &Instance, why: &str, left_out: &mut BTreeMap<(String, IpAddr), String>| {
                for p in &i.peers {
                    if let PeerAddress::Ip(a) = &p.address {
                        left_out.insert((node.clone(), a.value), why.to_string());
                    }
                }
            };
        match nb.instances.as_slice() {
            [] => {}
            [inst] => {
                let unusable_secret = inst.peers.iter().any(|p| {
                    matches!(
                        p.password_problem,
                        Some(
                            PasswordProblem::NoPasswordKey { .. }
                                | PasswordProblem::EmptyPassword { .. }
                        )
                    )
                });
                if inst.local_asn.is_none() || unusable_secret {
                    // Cilium refuses the instance ("missing ASN") or fails its reconcile
                    // ("missing password key"): no neighbor at all, as here.
                    let why = if unusable_secret {
                        "the Secret has no usable password key"
                    } else {
                        "no localASN"
                    };
                    skip_all(
                        inst,
                        &format!("Cilium configures no neighbor: {why}"),
                        &mut refused,
                    );
                } else {
                    lab.asn = inst.local_asn.as_ref().map(|a| a.value).unwrap_or(lab.asn);
                    lab.router_id = match &inst.router_id {
                        RouterId::Set(r) | RouterId::NodeAddress(r) => r.value,
                        RouterId::Unknown => lab.router_id,
                    };
                    lab.listen_port = inst.listen_port.as_ref().map(|p| p.value);
                    for p in &inst.peers {
                        match lab_peer(p) {
                            Ok(lp) => lab.peers.push(lp),
                            Err(why) => {
                                if let PeerAddress::Ip(a) = &p.address {
                                    left_out.insert((node.clone(), a.value), why);
                                }
                            }
                        }
                    }
                    lab.announce = announcements(inst, &mut not_announced);
                }
            }
            many => {
                for i in many {
                    skip_all(
                        i,
                        "several BGP instances on one node: the lab runs one gobgpd per node",
                        &mut left_out,
                    );
                }
            }
        }
        nodes.push(lab);
    }
    Ok(Built {
        plan: LabPlan {
            name: name.to_string(),
            routers,
            nodes,
        },
        left_out,
        not_announced,
        refused,
    })
}

/// The plan as JSON with every password masked, for printing.
pub(super) fn masked(plan: &LabPlan) -> String {
    let mut p = plan.clone();
    for peer in p.nodes.iter_mut().flat_map(|n| &mut n.peers) {
        if peer.password.is_some() {
            peer.password = Some("(masked)".into());
        }
    }
    serde_json::to_string_pretty(&p).unwrap_or_default()
}

#[test]
fn segment_length_covers_every_address() {
    let a = |s: &str| s.parse::<IpAddr>().unwrap();
    assert_eq!(
        segment_len(&[a("192.168.99.10"), a("192.168.99.12")], true),
        24
    );
    assert_eq!(
        segment_len(&[a("192.168.99.10"), a("192.168.98.12")], true),
        23
    );
    assert_eq!(
        segment_len(
            &[a("fd00:99::10"), a("fd00:99::12"), a("192.168.99.1")],
            false
        ),
        64
    );
    assert_eq!(segment_len(&[a("10.0.0.1")], true), 24);
}
