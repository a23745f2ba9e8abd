//! Cross-checks: the FRR routers of the run against the Cilium cluster and against each
//! other. [`World`] holds both sides; [`sessions::predict`] computes every session and its
//! problems; one rule per file under `rules/` turns problems into findings that point at
//! both the FRR line and the YAML field.

mod frr_pairs;
pub mod rules;
pub mod sessions;
pub mod table;

pub use sessions::{predict, Md5, Origin, PrefixOutcome, Problem, Session, State};

use crate::diag::{Diagnostic, RuleMeta};
use crate::k8s::effective::NoInstanceReason;
use crate::k8s::{Cluster, Effective, Loc};
use crate::model::{BgpRouter, Config, PeerId};
use crate::source::Span;
use std::net::IpAddr;

/// One FRR router of the run.
#[derive(Debug)]
pub struct RouterView<'a> {
    /// `hostname`, else the file name without extension.
    pub name: String,
    pub cfg: &'a Config,
    /// Addresses it owns, with where the configuration says so (None: `--router-address`).
    pub addresses: Vec<(IpAddr, Option<Span>)>,
    /// The port bgpd listens on (`bgpd -p`, 179 unless `--router-port` says otherwise).
    pub listen_port: u16,
}

impl RouterView<'_> {
    /// The default-VRF BGP instance.
    pub fn bgp(&self) -> Option<(&Config, &BgpRouter)> {
        self.cfg.routers.iter().find(|r| r.vrf.is_none() && r.view.is_none()).map(|r| (self.cfg, r))
    }
}

/// Both sides of the run.
pub struct World<'a> {
    pub routers: Vec<RouterView<'a>>,
    pub cluster: &'a Cluster,
    pub effective: &'a Effective,
}

impl<'a> World<'a> {
    /// `extra` are `--router-address NAME=IP` pairs; `ports` are `--router-port NAME=PORT`.
    pub fn new(configs: &'a [Config], names: &[String], cluster: &'a Cluster, effective: &'a Effective, extra: &[(String, IpAddr)], ports: &[(String, u16)]) -> World<'a> {
        let routers = configs
            .iter()
            .zip(names)
            .map(|(cfg, file_name)| {
                let name = cfg.hostname.as_ref().map(|h| h.value.clone()).unwrap_or_else(|| file_name.clone());
                let mut addresses: Vec<(IpAddr, Option<Span>)> = cfg.owned_addresses().into_iter().map(|a| (a.value, Some(a.span))).collect();
                for (n, ip) in extra {
                    if *n == name || n == file_name {
                        addresses.push((*ip, None));
                    }
                }
                let listen_port = ports.iter().find(|(n, _)| *n == name || n == file_name).map(|p| p.1).unwrap_or(179);
                RouterView { name, cfg, addresses, listen_port }
            })
            .collect();
        World { routers, cluster, effective }
    }

    pub fn router_owning(&self, addr: IpAddr) -> Option<usize> {
        self.routers.iter().position(|r| r.addresses.iter().any(|(a, _)| *a == addr))
    }

    /// The node whose InternalIP (or override localAddress) is `addr`.
    pub fn node_with_address(&self, addr: IpAddr) -> Option<(String, Loc)> {
        for (name, n) in &self.cluster.nodes {
            if let Some(ip) = n.internal_ips.iter().find(|a| a.value == addr) {
                return Some((name.clone(), ip.loc));
            }
        }
        for nb in self.effective.nodes.values() {
            for i in &nb.instances {
                for p in &i.peers {
                    if let Some(l) = p.local_address.as_ref().filter(|l| l.value == addr) {
                        return Some((nb.name.value.clone(), l.loc));
                    }
                }
            }
        }
        None
    }

    /// Why `node` runs no session towards `router`, in words.
    pub fn why_not_peering(&self, node: &str, router: &RouterView<'_>) -> String {
        let Some(nb) = self.effective.nodes.get(node) else {
            return format!("node {node} is not among the Kubernetes manifests given");
        };
        if let Some(reason) = &nb.no_instance {
            return match reason {
                NoInstanceReason::NoBgpConfig => format!("no CiliumBGPClusterConfig or CiliumBGPPeeringPolicy exists, so node {node} runs no BGP"),
                NoInstanceReason::NotSelected { configs } => {
                    let names: Vec<String> = configs.iter().map(|(c, _)| config_name(c)).collect();
                    format!("node {node} is not selected by the nodeSelector of {}", names.join(", "))
                }
                NoInstanceReason::ConflictingPolicies(p) => format!("several CiliumBGPPeeringPolicies select node {node} ({}), so Cilium applies none", p.join(", ")),
                NoInstanceReason::NotServed(c) => format!("only configs this Cilium version does not serve select node {node} ({})", c.iter().map(config_name).collect::<Vec<_>>().join(", ")),
            };
        }
        let addrs: Vec<String> = router.addresses.iter().map(|(a, _)| a.to_string()).collect();
        format!("node {node} runs BGP but none of its peers is an address of router {} ({})", router.name, addrs.join(", "))
    }
}

fn config_name(c: &crate::k8s::effective::ConfigRef) -> String {
    match c {
        crate::k8s::effective::ConfigRef::ClusterConfig(n) => format!("CiliumBGPClusterConfig {n}"),
        crate::k8s::effective::ConfigRef::PeeringPolicy(n) => format!("CiliumBGPPeeringPolicy {n}"),
    }
}

/// Every cross-check rule's metadata.
pub fn rule_metas() -> Vec<&'static RuleMeta> {
    rules::RULES.iter().map(|r| r.meta).collect()
}

/// Run every cross-check rule.
pub fn check(world: &World<'_>, sessions: &[Session]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in rules::RULES {
        (r.run)(world, sessions, &mut out);
    }
    out
}

/// The reasons a session is down or loses routes, in one line, for the session table.
pub fn explain(world: &World<'_>, s: &Session) -> String {
    let mut v: Vec<String> = s
        .problems
        .iter()
        .map(|p| match p {
            Problem::NoRouterAtAddress { .. } => format!("no router owns {}", s.peer_address),
            Problem::NoNeighborForNode { node_address, .. } => format!("router has no neighbor {}", node_address.map(|a| a.to_string()).unwrap_or_else(|| "for the node".into())),
            Problem::NodeNotPeering { why, .. } => why.clone(),
            Problem::RouterAsnMismatch { expected, actual } => format!("Cilium expects AS {}, router is AS {}", expected.value, actual.value),
            Problem::NodeAsnMismatch { remote_as, node_asn } => format!("router expects remote-as {}, node is AS {}", remote_as.value, node_asn.value),
            Problem::PortMismatch { port, listen, .. } => format!("Cilium dials port {port}, bgpd listens on {listen}"),
            Problem::FrrDialsNowhere { port, .. } => format!("FRR dials port {} where Cilium does not listen (harmless while Cilium dials)", port.value),
            Problem::PasswordMismatch { md5, .. } => format!("MD5 {}", match md5 { Md5::Differ => "passwords differ", Md5::CiliumOnly => "set on Cilium only", Md5::FrrOnly => "set on FRR only", _ => "" }),
            Problem::SecretProblem { .. } => "the auth Secret is missing or unusable".to_string(),
            Problem::FamilyNotActive { afs, .. } => format!("neighbor not active in {afs}"),
            Problem::MultihopMismatch { .. } => "ebgp-multihop on one side only".to_string(),
            Problem::NoLocalAsn { .. } => "no localASN: Cilium refuses the instance".to_string(),
            Problem::Shutdown { .. } => "neighbor shut down on the router".to_string(),
            Problem::TtlSecurity { hops, cilium, .. } => format!("ttl-security hops {hops} needs TTL {} but Cilium sends {cilium}", 256 - u16::from(*hops)),
            Problem::NoFamilyActive { .. } => "neighbor active in no address family: bgpd refuses it".to_string(),
            Problem::FrrNoNeighbor { missing_in, .. } => format!("router {} has no neighbor for it", world.routers[*missing_in].name),
            Problem::FrrAsnMismatch { router, remote_as, .. } => format!("router {} expects remote-as {}", world.routers[*router].name, remote_as.value),
            Problem::FrrPasswordMismatch { differ, .. } => if *differ { "MD5 passwords differ".to_string() } else { "MD5 set on one router only".to_string() },
        })
        .collect();
    let rejected = s.prefixes.iter().filter(|p| !p.accepted).count();
    if s.state == State::Established && rejected > 0 {
        v.push(format!("{rejected} prefix(es) rejected by inbound policy"));
    }
    v.join("; ")
}

/// Whether a neighbor address of a router is another router of the run.
pub fn is_router_address(world: &World<'_>, id: &PeerId) -> Option<usize> {
    match id {
        PeerId::Address(a) => world.router_owning(*a),
        PeerId::Interface(_) => None,
    }
}
