//! Checks of a cluster: nodes, pools (and their overlaps), what it announces.

use super::{afi_of, first_of, to_u128, AnnouncePlan, Block, ClusterPlan, Cx, NodePlan, PoolPlan, ServiceAddress};
use crate::gen::issue::Issue;
use crate::gen::names;
use crate::gen::topology::{self as t, S};
use crate::k8s::{CiliumVersion, Feature};
use crate::model::{Afi, Community};
use ipnet::IpNet;
use std::collections::HashMap;
use std::ops::Range;

/// A pool and each of its blocks with where it was written.
type PoolWithSpans = (PoolPlan, Vec<(Block, Range<usize>)>);

/// A pool CIDR of some cluster: cluster index, bounds, where, what to call it.
type ClusterRange = (usize, (Afi, u128, u128), Range<usize>, String);

impl Cx {
    pub(super) fn clusters(&mut self, topo: &t::Topology) -> Vec<Option<(Range<usize>, ClusterPlan)>> {
        let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
        let mut out = Vec::new();
        for c in &topo.clusters {
            let name = c.name.get_ref();
            if let Some(first) = seen.get(name.as_str()) {
                self.issues.push(
                    Issue::error(c.name.span(), format!("cluster `{name}` is defined twice"))
                        .related(first.clone(), "first defined here"),
                );
            } else {
                seen.insert(name, c.name.span());
            }
            out.push(self.cluster(c));
        }
        self.pools_across_clusters(topo);
        out
    }

    pub(super) fn cluster(&mut self, c: &t::Cluster) -> Option<(Range<usize>, ClusterPlan)> {
        let before = self.errors();
        let name = c.name.get_ref().clone();
        if !names::is_dns_label(&name) {
            self.issues.push(
                Issue::error(c.name.span(), format!("`{name}` cannot be a cluster name"))
                    .help("use a DNS label (lower-case letters, digits and `-`): it names the Cilium objects"),
            );
        }
        let asn = self.asn(&c.asn);
        let cilium = match c.cilium_version.get_ref().parse::<CiliumVersion>() {
            Ok(v) if v.has(Feature::BgpV2Alpha1) => Some(v),
            Ok(_) => {
                self.issues.push(
                    Issue::error(
                        c.cilium_version.span(),
                        format!(
                            "frrgen generates BGPv2 resources, which Cilium {} does not have",
                            c.cilium_version.get_ref()
                        ),
                    )
                    .help("target Cilium 1.16 or newer"),
                );
                None
            }
            Err(e) => {
                self.err(c.cilium_version.span(), e.to_string());
                None
            }
        };
        let secrets_namespace = match &c.secrets_namespace {
            Some(ns) if !names::is_dns_label(ns.get_ref()) => {
                self.err(ns.span(), format!("`{}` is not a namespace name", ns.get_ref()));
                None
            }
            Some(ns) => Some(ns.get_ref().clone()),
            None => Some("kube-system".to_string()),
        };
        let listen_port = match &c.listen_port {
            Some(p) => Some(self.port(p)?),
            None => None,
        };
        let mut nodes = Vec::new();
        let mut node_names: HashMap<&str, Range<usize>> = HashMap::new();
        if c.nodes.get_ref().is_empty() {
            self.err(c.nodes.span(), format!("cluster `{name}` has no nodes"));
        }
        for n in c.nodes.get_ref() {
            let nn = n.name.get_ref();
            if let Some(first) = node_names.get(nn.as_str()) {
                self.issues.push(
                    Issue::error(n.name.span(), format!("node `{nn}` is listed twice in cluster `{name}`"))
                        .related(first.clone(), "first listed here"),
                );
                continue;
            }
            node_names.insert(nn, n.name.span());
            if !names::is_dns_subdomain(nn) {
                self.err(n.name.span(), format!("`{nn}` is not a Kubernetes node name"));
            }
            let addresses = self.addresses(&n.addresses, &format!("node `{nn}`"));
            let router_id = n.router_id.as_ref().and_then(|r| self.ipv4(r));
            if let Some(sel) = &c.node_selector {
                let missing: Vec<String> = sel
                    .get_ref()
                    .iter()
                    .filter(|(k, v)| n.labels.get(*k) != Some(*v))
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                if !missing.is_empty() {
                    self.issues.push(
                        Issue::error(
                            n.name.span(),
                            format!(
                                "node `{nn}` lacks the node_selector label {}: Cilium would not run BGP on it",
                                missing.join(", ")
                            ),
                        )
                        .related(sel.span(), "node_selector")
                        .help("add the label under the node's `labels`, or change node_selector"),
                    );
                }
            }
            if first_of(&addresses, Afi::Ipv4).is_none() && router_id.is_none() {
                self.issues.push(
                    Issue::error(
                        n.name.span(),
                        format!("node `{nn}` has no IPv4 address, so Cilium cannot derive its router ID"),
                    )
                    .help("add `router_id = \"A.B.C.D\"` to the node"),
                );
            }
            nodes.push(NodePlan { name: nn.clone(), addresses, labels: n.labels.clone(), router_id });
        }
        nodes.sort_by(|a, b| a.name.cmp(&b.name));
        let mut pools = Vec::new();
        let mut pool_names: HashMap<&str, Range<usize>> = HashMap::new();
        for p in &c.pools {
            let pn = p.name.get_ref();
            if let Some(first) = pool_names.get(pn.as_str()) {
                self.issues.push(
                    Issue::error(p.name.span(), format!("pool `{pn}` is defined twice"))
                        .related(first.clone(), "first defined here"),
                );
                continue;
            }
            pool_names.insert(pn, p.name.span());
            if !names::is_dns_subdomain(pn) {
                self.err(p.name.span(), format!("`{pn}` is not a Kubernetes object name"));
            }
            let mut blocks = Vec::new();
            for cidr in &p.cidrs {
                if let Some(n) = self.prefix(cidr) {
                    blocks.push((Block::Cidr(n), cidr.span()));
                }
            }
            for r in &p.ranges {
                let (Some(start), Some(stop)) = (self.ip(&r.get_ref().start), self.ip(&r.get_ref().stop)) else {
                    continue;
                };
                if afi_of(&start) != afi_of(&stop) || to_u128(start) > to_u128(stop) {
                    self.err(r.span(), format!("range {start} - {stop} is empty or mixes address families"));
                    continue;
                }
                blocks.push((Block::Range { start, stop }, r.span()));
            }
            if blocks.is_empty() {
                self.err(p.name.span(), format!("pool `{pn}` has no cidrs or ranges"));
            }
            pools.push((
                PoolPlan {
                    name: pn.clone(),
                    blocks: blocks.iter().map(|(b, _)| *b).collect(),
                    service_selector: p.service_selector.as_ref().map(|s| s.get_ref().clone()),
                    allow_first_last_ips: p.allow_first_last_ips.as_ref().map(|b| *b.get_ref()),
                },
                blocks,
            ));
        }
        let service_cidrs: Vec<IpNet> = c.service_cidrs.iter().filter_map(|s| self.prefix(s)).collect();
        let external_ip_cidrs: Vec<IpNet> = c.external_ip_cidrs.iter().filter_map(|s| self.prefix(s)).collect();
        // Pools, Service CIDRs and external ranges must not overlap: Cilium marks the pools in
        // conflict, and the routers' prefix-lists would shadow each other.
        let mut ranges: Vec<(Block, Range<usize>, String)> = Vec::new();
        for (p, blocks) in &pools {
            ranges.extend(blocks.iter().map(|(b, s)| (*b, s.clone(), format!("pool `{}`", p.name))));
        }
        for (list, what) in [(&c.service_cidrs, "service_cidrs"), (&c.external_ip_cidrs, "external_ip_cidrs")] {
            for s in list {
                if let Ok(n) = s.get_ref().parse::<IpNet>() {
                    ranges.push((Block::Cidr(n.trunc()), s.span(), what.to_string()));
                }
            }
        }
        self.overlaps(&mut ranges);
        let announce = self.announce(c, &pools, &service_cidrs, &external_ip_cidrs, cilium);
        if self.errors() > before {
            return None;
        }
        Some((
            c.name.span(),
            ClusterPlan {
                name,
                asn: asn?,
                cilium: cilium?,
                secrets_namespace: secrets_namespace?,
                node_selector: c.node_selector.as_ref().map(|s| s.get_ref().clone()),
                listen_port,
                nodes,
                pools: pools.into_iter().map(|(p, _)| p).collect(),
                announce: announce?,
                service_cidrs,
                external_ip_cidrs,
            },
        ))
    }

    /// Sort blocks by start and report each one that overlaps an earlier one.
    pub(super) fn overlaps(&mut self, ranges: &mut [(Block, Range<usize>, String)]) {
        ranges.sort_by_key(|(b, s, _)| {
            let (afi, lo, hi) = b.bounds();
            (afi, lo, hi, s.start)
        });
        // The block reaching furthest so far: any later block of the same family starting
        // at or before its end overlaps it.
        let mut reach: Option<(Afi, u128, usize)> = None;
        for i in 0..ranges.len() {
            let (afi, lo, hi) = ranges[i].0.bounds();
            if let Some((rafi, rhi, j)) = reach {
                if rafi == afi && lo <= rhi {
                    let (a, b) = (&ranges[j], &ranges[i]);
                    let (later, earlier) = if b.1.start >= a.1.start { (b, a) } else { (a, b) };
                    self.issues.push(
                        Issue::error(later.1.clone(), format!("{} overlaps {}", later.2, earlier.2))
                            .related(earlier.1.clone(), "overlapping range")
                            .help("Cilium allocates each address from one pool; make the ranges disjoint"),
                    );
                }
                if rafi == afi && rhi >= hi {
                    continue;
                }
            }
            reach = Some((afi, hi, i));
        }
    }

    /// Pools of different clusters may overlap on purpose (anycast), but usually do not.
    pub(super) fn pools_across_clusters(&mut self, topo: &t::Topology) {
        let mut ranges: Vec<ClusterRange> = Vec::new();
        for (ci, c) in topo.clusters.iter().enumerate() {
            for p in &c.pools {
                for cidr in &p.cidrs {
                    if let Ok(n) = cidr.get_ref().parse::<IpNet>() {
                        let what = format!("pool `{}` of cluster `{}`", p.name.get_ref(), c.name.get_ref());
                        ranges.push((ci, Block::Cidr(n.trunc()).bounds(), cidr.span(), what));
                    }
                }
            }
        }
        for (i, a) in ranges.iter().enumerate() {
            if let Some(b) =
                ranges[..i].iter().find(|b| b.0 != a.0 && b.1 .0 == a.1 .0 && b.1 .1 <= a.1 .2 && a.1 .1 <= b.1 .2)
            {
                self.issues.push(
                    Issue::warning(a.2.clone(), format!("{} overlaps {}", a.3, b.3))
                        .related(b.2.clone(), "overlapping range")
                        .help("the routers accept these prefixes from both clusters; make sure that is intended"),
                );
            }
        }
    }

    pub(super) fn announce(
        &mut self,
        c: &t::Cluster,
        pools: &[PoolWithSpans],
        service_cidrs: &[IpNet],
        external: &[IpNet],
        cilium: Option<CiliumVersion>,
    ) -> Option<AnnouncePlan> {
        let Some(a) = &c.announce else {
            self.issues.push(
                Issue::error(c.name.span(), format!("cluster `{}` announces nothing", c.name.get_ref()))
                    .help("add [clusters.announce] with `services` selectors or `gateways`"),
            );
            return None;
        };
        let span = a.span();
        let a = a.get_ref();
        let before = self.errors();
        let mut addresses = Vec::new();
        match &a.addresses {
            None => addresses.push(ServiceAddress::LoadBalancerIp),
            Some(list) => {
                for s in list {
                    let v = match s.get_ref().as_str() {
                        "LoadBalancerIP" => ServiceAddress::LoadBalancerIp,
                        "ClusterIP" => ServiceAddress::ClusterIp,
                        "ExternalIP" => ServiceAddress::ExternalIp,
                        other => {
                            self.issues.push(
                                Issue::error(s.span(), format!("`{other}` is not a Service address type"))
                                    .help("use LoadBalancerIP, ClusterIP or ExternalIP"),
                            );
                            continue;
                        }
                    };
                    let (missing, what) = match v {
                        ServiceAddress::LoadBalancerIp => (pools.is_empty(), "[[clusters.pools]]"),
                        ServiceAddress::ClusterIp => (service_cidrs.is_empty(), "service_cidrs"),
                        ServiceAddress::ExternalIp => (external.is_empty(), "external_ip_cidrs"),
                    };
                    if missing {
                        self.issues.push(
                            Issue::error(
                                s.span(),
                                format!("{} are announced but the cluster has no {what}", v.as_str()),
                            )
                            .help("the routers accept only the ranges the topology names"),
                        );
                    }
                    if !addresses.contains(&v) {
                        addresses.push(v);
                    }
                }
                if list.is_empty() {
                    self.err(span.clone(), "`addresses` is empty: nothing would be announced");
                }
            }
        }
        if addresses.contains(&ServiceAddress::LoadBalancerIp) && pools.is_empty() && a.addresses.is_none() {
            self.issues.push(
                Issue::error(
                    span.clone(),
                    format!("cluster `{}` announces LoadBalancer IPs but has no pools", c.name.get_ref()),
                )
                .help("add [[clusters.pools]], or set `addresses` to the kinds of address to announce"),
            );
        }
        addresses.sort();
        if a.services.is_empty() && a.gateways.is_empty() {
            self.issues.push(
                Issue::error(span.clone(), "no `services` selector and no `gateways`: nothing would be announced")
                    .help("Cilium announces only the Services an advertisement selects"),
            );
        }
        for s in &a.services {
            if s.get_ref().is_empty() {
                self.issues.push(
                    Issue::error(s.span(), "an empty selector selects no Service in a Cilium advertisement")
                        .help("name at least one label"),
                );
            }
        }
        let mut gateways = Vec::new();
        for g in &a.gateways {
            let g = g.get_ref();
            for s in [&g.namespace, &g.name] {
                if !names::is_dns_subdomain(s.get_ref()) {
                    self.err(s.span(), format!("`{}` is not a Kubernetes name", s.get_ref()));
                }
            }
            gateways.push((g.namespace.get_ref().clone(), g.name.get_ref().clone()));
        }
        let mut aggregation = |v: &Option<S<i64>>, max: i64| -> Option<Option<u8>> {
            let Some(v) = v else { return Some(None) };
            if !(1..max).contains(v.get_ref()) {
                self.err(v.span(), format!("aggregation length must be between 1 and {}", max - 1));
                return None;
            }
            if let Some(cv) = cilium {
                if !cv.has(Feature::ServiceAggregation) {
                    self.issues.push(
                        Issue::error(v.span(), format!("Cilium {cv} cannot aggregate Service routes"))
                            .help(format!("aggregation needs Cilium {}", Feature::ServiceAggregation.since())),
                    );
                    return None;
                }
            }
            Some(Some(*v.get_ref() as u8))
        };
        let aggregation_v4 = aggregation(&a.aggregation_length_ipv4, 32);
        let aggregation_v6 = aggregation(&a.aggregation_length_ipv6, 128);
        let mut communities = Vec::new();
        let mut well_known = Vec::new();
        for s in &a.communities {
            let v = s.get_ref();
            if names::CILIUM_WELL_KNOWN.contains(&v.as_str()) {
                well_known.push(v.clone());
            } else if v.contains(':') && Community::parse(v).is_some() {
                communities.push(v.clone());
            } else {
                self.issues.push(
                    Issue::error(s.span(), format!("`{v}` is not a community Cilium accepts"))
                        .help(format!("write AA:NN (each 0-65535) or one of {}", names::CILIUM_WELL_KNOWN.join(", "))),
                );
            }
        }
        communities.sort_by_key(|c| Community::parse(c).map(|c| c.0));
        communities.dedup();
        well_known.sort();
        well_known.dedup();
        let mut large_communities = Vec::new();
        for s in &a.large_communities {
            let parts: Vec<&str> = s.get_ref().split(':').collect();
            if parts.len() != 3 || parts.iter().any(|p| p.parse::<u32>().is_err()) {
                self.err(s.span(), format!("`{}` is not a large community (A:B:C, each 0-4294967295)", s.get_ref()));
            } else {
                large_communities.push(s.get_ref().clone());
            }
        }
        large_communities.sort();
        large_communities.dedup();
        let local_preference = match &a.local_preference {
            Some(lp) => Some(self.u32(lp, "local_preference")?),
            None => None,
        };
        if self.errors() > before {
            return None;
        }
        Some(AnnouncePlan {
            addresses,
            services: a.services.iter().map(|s| s.get_ref().clone()).collect(),
            gateways,
            aggregation_v4: aggregation_v4?,
            aggregation_v6: aggregation_v6?,
            communities,
            well_known,
            large_communities,
            local_preference,
        })
    }

    /// A cluster no peering reaches is an error; a family it announces that no peering
    /// carries is a warning.
    pub(super) fn coverage(
        &mut self,
        topo: &t::Topology,
        clusters: &[Option<(Range<usize>, ClusterPlan)>],
        peerings: &[super::PeeringPlan],
    ) {
        for (i, entry) in clusters.iter().enumerate() {
            let Some((span, c)) = entry else { continue };
            let mine: Vec<&super::PeeringPlan> = peerings.iter().filter(|p| p.cluster == i).collect();
            if mine.is_empty() {
                // A peering that names the cluster but failed has its own findings.
                if !topo.peerings.iter().any(|p| *p.cluster.get_ref() == c.name) {
                    self.issues.push(
                        Issue::error(
                            span.clone(),
                            format!("cluster `{}` has no peering: no router would hear from it", c.name),
                        )
                        .help(format!("add a [[peerings]] table with cluster = \"{}\"", c.name)),
                    );
                }
                continue;
            }
            if c.announce.local_preference.is_some() {
                let routers = mine.iter().flat_map(|p| p.session.routers.iter());
                let ibgp = routers.filter_map(|r| self.router_asns.get(*r).copied().flatten()).any(|asn| asn == c.asn);
                if !ibgp {
                    self.issues.push(
                        Issue::warning(span.clone(), format!("cluster `{}` sets local_preference but peers only over eBGP", c.name))
                            .help("Cilium sends local preference to iBGP peers only; set it on the routers with [peerings.import] local_preference"),
                    );
                }
            }
            let ranges = c.announced_ranges();
            for afi in [Afi::Ipv4, Afi::Ipv6] {
                let announced = ranges.iter().any(|n| Afi::of(n) == afi);
                if announced && !mine.iter().any(|p| p.session.families.contains(&afi)) {
                    self.issues.push(
                        Issue::warning(
                            span.clone(),
                            format!("cluster `{}` announces {afi} addresses but no peering carries {afi}", c.name),
                        )
                        .help("add the family to a peering, or the routers never learn these addresses"),
                    );
                }
            }
        }
    }
}
