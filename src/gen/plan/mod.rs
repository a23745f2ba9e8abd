//! Topology -> plan: every check that needs more than TOML's types (names, ranges,
//! references, overlaps, passwords), and the resolved values the builders read. A finding
//! points at the TOML bytes it is about; when any finding is an error there is no plan, so
//! nothing can be written from a bad topology.

mod cluster;
mod session;
mod values;

pub use values::{afi_of, range_to_cidrs};

use super::issue::Issue;
use super::names;
use super::secrets::{self, Env};
use super::topology::{self as t, Labels, S};
use crate::k8s::CiliumVersion;
use crate::model::{Afi, Asn, Community, Profile, Secret, Timers};
use crate::syntax::FrrVersion;
use ipnet::IpNet;
use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr};
use std::ops::Range;
use std::path::Path;
use values::{first_of, to_u128};

/// Cilium's own timer defaults (hold 90 s, keepalive 30 s): used for both sides when the
/// topology says nothing, so that FRR (whose default is 180/60) and Cilium agree.
pub const DEFAULT_TIMERS: Timers = Timers { keepalive: 30, hold: 90 };
/// The BGP port.
pub const BGP_PORT: u16 = 179;

/// A topology with every value checked and resolved.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The topology's file name, for the generated files' headers.
    pub source_name: String,
    pub routers: Vec<RouterPlan>,
    pub clusters: Vec<ClusterPlan>,
    pub meshes: Vec<MeshPlan>,
    pub peerings: Vec<PeeringPlan>,
}

#[derive(Debug, Clone)]
pub struct RouterPlan {
    pub name: String,
    pub asn: Asn,
    pub router_id: Ipv4Addr,
    pub addresses: Vec<IpAddr>,
    pub listen_port: u16,
    pub networks: Vec<IpNet>,
    /// As written (`8.4.4`): `show running-config` prints the full release.
    pub frr_version_text: String,
    pub frr_version: FrrVersion,
    pub profile: Profile,
}

impl RouterPlan {
    /// The address peers use for this family: the first one written.
    pub fn address(&self, afi: Afi) -> Option<IpAddr> {
        first_of(&self.addresses, afi)
    }
}

#[derive(Debug, Clone)]
pub struct ClusterPlan {
    /// A DNS label: also the ClusterConfig's name.
    pub name: String,
    pub asn: Asn,
    pub cilium: CiliumVersion,
    pub secrets_namespace: String,
    pub node_selector: Option<Labels>,
    /// Cilium's listen port; `None`: Cilium only dials out.
    pub listen_port: Option<u16>,
    pub nodes: Vec<NodePlan>,
    pub pools: Vec<PoolPlan>,
    pub announce: AnnouncePlan,
    pub service_cidrs: Vec<IpNet>,
    pub external_ip_cidrs: Vec<IpNet>,
}

impl ClusterPlan {
    /// The name of the one BGP instance each node runs.
    pub fn instance_name(&self) -> String {
        format!("as{}", self.asn)
    }

    /// Every range whose addresses Cilium announces, with their family.
    pub fn announced_ranges(&self) -> Vec<IpNet> {
        let mut out = Vec::new();
        for a in &self.announce.addresses {
            match a {
                ServiceAddress::LoadBalancerIp => {
                    for p in &self.pools {
                        for b in &p.blocks {
                            out.extend(b.cidrs());
                        }
                    }
                }
                ServiceAddress::ClusterIp => out.extend(self.service_cidrs.iter().copied()),
                ServiceAddress::ExternalIp => out.extend(self.external_ip_cidrs.iter().copied()),
            }
        }
        out.sort();
        out.dedup();
        out
    }

    pub fn aggregation(&self, afi: Afi) -> Option<u8> {
        match afi {
            Afi::Ipv4 => self.announce.aggregation_v4,
            Afi::Ipv6 => self.announce.aggregation_v6,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NodePlan {
    pub name: String,
    pub addresses: Vec<IpAddr>,
    pub labels: Labels,
    pub router_id: Option<Ipv4Addr>,
}

impl NodePlan {
    pub fn address(&self, afi: Afi) -> Option<IpAddr> {
        first_of(&self.addresses, afi)
    }

    /// More than one address of the family: Cilium's source address would be the kernel's
    /// choice, so the generator pins it.
    pub fn ambiguous(&self, afi: Afi) -> bool {
        self.addresses.iter().filter(|a| afi_of(a) == afi).count() > 1
    }
}

#[derive(Debug, Clone)]
pub struct PoolPlan {
    pub name: String,
    pub blocks: Vec<Block>,
    pub service_selector: Option<Labels>,
    pub allow_first_last_ips: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    Cidr(IpNet),
    Range { start: IpAddr, stop: IpAddr },
}

impl Block {
    /// The smallest set of prefixes covering the block exactly.
    pub fn cidrs(&self) -> Vec<IpNet> {
        match *self {
            Block::Cidr(n) => vec![n],
            Block::Range { start, stop } => range_to_cidrs(start, stop),
        }
    }

    fn bounds(&self) -> (Afi, u128, u128) {
        match *self {
            Block::Cidr(n) => (Afi::of(&n), to_u128(n.network()), to_u128(n.broadcast())),
            Block::Range { start, stop } => (afi_of(&start), to_u128(start), to_u128(stop)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceAddress {
    LoadBalancerIp,
    ClusterIp,
    ExternalIp,
}

impl ServiceAddress {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceAddress::LoadBalancerIp => "LoadBalancerIP",
            ServiceAddress::ClusterIp => "ClusterIP",
            ServiceAddress::ExternalIp => "ExternalIP",
        }
    }
}

#[derive(Debug, Clone)]
pub struct AnnouncePlan {
    pub addresses: Vec<ServiceAddress>,
    pub services: Vec<Labels>,
    /// `(namespace, name)`.
    pub gateways: Vec<(String, String)>,
    pub aggregation_v4: Option<u8>,
    pub aggregation_v6: Option<u8>,
    /// `a:b` values, sorted.
    pub communities: Vec<String>,
    /// Cilium's well-known community names, sorted.
    pub well_known: Vec<String>,
    pub large_communities: Vec<String>,
    pub local_preference: Option<u32>,
}

/// A password and the name it was given in the topology.
#[derive(Debug, Clone)]
pub struct PasswordPlan {
    pub name: String,
    pub secret: Secret,
}

impl PasswordPlan {
    /// The Kubernetes Secret holding it.
    pub fn secret_name(&self) -> String {
        format!("bgp-auth-{}", names::dns_label(&self.name))
    }
}

/// What meshes and peerings share: one peer class, one peer-group per family.
#[derive(Debug, Clone)]
pub struct SessionPlan {
    pub name: String,
    pub routers: Vec<usize>,
    pub families: Vec<Afi>,
    pub password: Option<PasswordPlan>,
    /// `None`: FRR's defaults (meshes only; peerings always have timers).
    pub timers: Option<Timers>,
    pub connect_retry: Option<u16>,
    pub soft_reconfiguration: bool,
}

impl SessionPlan {
    /// The peer-group for a family: the session's name, with `-V4`/`-V6` when it has both.
    pub fn group(&self, afi: Afi) -> String {
        if self.families.len() > 1 {
            format!("{}-{}", self.name, names::afi_suffix(afi))
        } else {
            self.name.clone()
        }
    }
}

#[derive(Debug, Clone)]
pub struct MeshPlan {
    pub session: SessionPlan,
    pub next_hop_self: bool,
}

#[derive(Debug, Clone)]
pub struct PeeringPlan {
    pub session: SessionPlan,
    pub cluster: usize,
    pub ebgp_multihop: Option<u8>,
    /// Restart time when Cilium's graceful restart is on.
    pub graceful_restart: Option<u16>,
    pub import_local_preference: Option<u32>,
    pub import_communities: Vec<Community>,
    pub export: Vec<IpNet>,
}

impl PeeringPlan {
    /// The CiliumBGPPeerConfig for a family.
    pub fn peer_config_name(&self, afi: Afi) -> String {
        let base = names::dns_label(&self.session.name);
        if self.session.families.len() > 1 {
            format!("{base}-{afi}")
        } else {
            base
        }
    }

    /// The ClusterConfig peer name of a router for a family.
    pub fn peer_name(&self, router: &RouterPlan, afi: Afi) -> String {
        if self.session.families.len() > 1 {
            format!("{}-{afi}", router.name)
        } else {
            router.name.clone()
        }
    }
}

/// Check a parsed topology and resolve it. `base` is the topology's directory (password
/// files are relative to it). Returns no plan when any finding is an error.
pub fn plan(topo: &t::Topology, source_name: &str, base: &Path, env: &dyn Env) -> (Option<Plan>, Vec<Issue>) {
    let mut cx = Cx {
        issues: Vec::new(),
        addresses: HashMap::new(),
        router_names: topo.routers.iter().map(|r| r.name.get_ref().clone()).collect(),
        cluster_names: topo.clusters.iter().map(|c| c.name.get_ref().clone()).collect(),
        router_asns: Vec::new(),
    };
    let passwords = cx.passwords(topo, base, env);
    let routers = cx.routers(topo);
    cx.router_asns = routers.iter().map(|r| r.as_ref().map(|(_, r)| r.asn)).collect();
    let clusters = cx.clusters(topo);
    let used_passwords = std::cell::RefCell::new(std::collections::BTreeSet::new());
    let meshes: Vec<MeshPlan> =
        topo.meshes.iter().filter_map(|m| cx.mesh(m, &routers, &passwords, &used_passwords)).collect();
    let peerings: Vec<PeeringPlan> =
        topo.peerings.iter().filter_map(|p| cx.peering(p, &routers, &clusters, &passwords, &used_passwords)).collect();
    cx.session_names(topo);
    cx.duplicate_sessions(topo);
    cx.coverage(topo, &clusters, &peerings);
    for (name, p) in &topo.passwords {
        if !used_passwords.borrow().contains(name.get_ref()) && p.env.is_some() | p.file.is_some() | p.value.is_some() {
            cx.issues.push(Issue::warning(
                name.span(),
                format!("password `{}` is not used by any mesh or peering", name.get_ref()),
            ));
        }
    }
    if topo.routers.is_empty() {
        cx.issues.push(Issue::file_error("the topology has no routers").help("add a [[routers]] table"));
    }
    super::issue::sort(&mut cx.issues);
    let ok = !cx.issues.iter().any(Issue::is_error);
    let plan = ok.then(|| Plan {
        source_name: source_name.to_string(),
        routers: routers.into_iter().map(|r| r.map(|(_, r)| r)).collect::<Option<Vec<_>>>().unwrap_or_default(),
        clusters: clusters.into_iter().map(|c| c.map(|(_, c)| c)).collect::<Option<Vec<_>>>().unwrap_or_default(),
        meshes,
        peerings,
    });
    (plan, cx.issues)
}

/// The checking context: findings so far and every address seen (for duplicates).
struct Cx {
    issues: Vec<Issue>,
    addresses: HashMap<IpAddr, (Range<usize>, String)>,
    /// Names as written, by index, so that a session naming a router or cluster with
    /// errors of its own gets no second finding.
    router_names: Vec<String>,
    cluster_names: Vec<String>,
    /// Each router's AS, by index (`None` where it was not valid).
    router_asns: Vec<Option<Asn>>,
}

type Passwords = BTreeMap<String, Option<Secret>>;

impl Cx {
    pub(super) fn err(&mut self, span: Range<usize>, msg: impl Into<String>) {
        self.issues.push(Issue::error(span, msg));
    }

    pub(super) fn passwords(&mut self, topo: &t::Topology, base: &Path, env: &dyn Env) -> Passwords {
        let mut out = BTreeMap::new();
        for (name, p) in &topo.passwords {
            let secret = secrets::resolve(name, p, base, env, &mut self.issues);
            out.insert(name.get_ref().clone(), secret);
        }
        out
    }

    /// Routers by index (so sessions can refer to them); `None` where a router had errors.
    pub(super) fn routers(&mut self, topo: &t::Topology) -> Vec<Option<(Range<usize>, RouterPlan)>> {
        let defaults = topo.frr.as_ref();
        let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
        let mut out = Vec::new();
        for r in &topo.routers {
            let name = r.name.get_ref();
            if let Some(first) = seen.get(name.as_str()) {
                self.issues.push(
                    Issue::error(r.name.span(), format!("router `{name}` is defined twice"))
                        .related(first.clone(), "first defined here"),
                );
            } else {
                seen.insert(name, r.name.span());
            }
            out.push(self.router(r, defaults));
        }
        out
    }

    pub(super) fn router(
        &mut self,
        r: &t::Router,
        defaults: Option<&t::FrrDefaults>,
    ) -> Option<(Range<usize>, RouterPlan)> {
        let before = self.errors();
        let name = r.name.get_ref().clone();
        if !names::is_hostname(&name) {
            self.issues.push(
                Issue::error(r.name.span(), format!("`{name}` cannot be a router name"))
                    .help("use letters, digits, `-`, `_` and `.`, starting with a letter or digit (it becomes the hostname and a file name)"),
            );
        }
        let asn = self.asn(&r.asn);
        let addresses = self.addresses(&r.addresses, &format!("router `{name}`"));
        let router_id = match &r.router_id {
            Some(s) => self.ipv4(s),
            None => match first_of(&addresses, Afi::Ipv4) {
                Some(IpAddr::V4(a)) => Some(a),
                _ => {
                    self.issues.push(
                        Issue::error(
                            r.name.span(),
                            format!("router `{name}` has no IPv4 address to use as its router-id"),
                        )
                        .help("add `router_id = \"A.B.C.D\"`"),
                    );
                    None
                }
            },
        };
        let listen_port = r.listen_port.as_ref().map_or(Some(BGP_PORT), |p| self.port(p));
        let mut networks = Vec::new();
        for n in &r.networks {
            if let Some(n) = self.prefix(n) {
                if networks.contains(&n) {
                    self.issues.push(Issue::warning(span_of(&r.networks, &n), format!("network {n} is listed twice")));
                } else {
                    networks.push(n);
                }
            }
        }
        networks.sort();
        let version = r.frr_version.as_ref().or(defaults.and_then(|d| d.version.as_ref()));
        let frr = match version {
            Some(v) => self.frr_version(v),
            None => {
                self.issues.push(
                    Issue::error(r.name.span(), format!("router `{name}` has no FRR version"))
                        .help("set `version` under [frr], or `frr_version` on the router, to the release show running-config prints (e.g. \"8.4.4\")"),
                );
                None
            }
        };
        let profile = match r.profile.as_ref().or(defaults.and_then(|d| d.profile.as_ref())) {
            None => Some(Profile::Traditional),
            Some(p) => match Profile::parse(p.get_ref()) {
                Some(p) => Some(p),
                None => {
                    self.issues.push(
                        Issue::error(p.span(), format!("`{}` is not an FRR defaults profile", p.get_ref()))
                            .help("use `traditional` or `datacenter`"),
                    );
                    None
                }
            },
        };
        if self.errors() > before {
            return None;
        }
        let (frr_version_text, frr_version) = frr?;
        Some((
            r.name.span(),
            RouterPlan {
                name,
                asn: asn?,
                router_id: router_id?,
                addresses,
                listen_port: listen_port?,
                networks,
                frr_version_text,
                frr_version,
                profile: profile?,
            },
        ))
    }

    pub(super) fn errors(&self) -> usize {
        self.issues.iter().filter(|i| i.is_error()).count()
    }
}

pub(super) fn span_of(list: &[S<String>], n: &IpNet) -> Range<usize> {
    list.iter().find(|s| s.get_ref().trim().parse::<IpNet>().ok().as_ref() == Some(n)).map_or(0..0, |s| s.span())
}

#[cfg(test)]
mod tests;
