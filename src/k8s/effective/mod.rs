//! What Cilium would actually run, computed from the [`Cluster`] for one Cilium release:
//! for every Node, the BGP instances, peers, settings (defaults applied) and announced
//! prefixes, or why it has none; the Services Cilium sees (Gateway Services included) with
//! their predicted LoadBalancer addresses; and every selector that selects nothing, with
//! the reason, so rules can explain instead of guess.

pub mod announce;
pub mod peer;
mod policy;
pub mod routes;
pub mod services;

use super::at::{At, Loc};
use super::cluster::Cluster;
use super::resources::core::Node;
use super::resources::{Afi, CiliumApi, Kind, Meta, NsName, Safi};
use super::selector::LabelSelector;
use super::served::served;
use super::version::CiliumVersion;
pub use announce::{Announcement, Predicted, Source, Withheld, WithheldReason};
pub use peer::{
    resolve_password, ConfigRef, Family, Instance, PasswordProblem, Peer, PeerAddress, RouterId, SkipReason,
    SkippedPeer,
};
pub use routes::Routes;
pub use services::{LbAddresses, PoolChoice, ServiceOrigin, ServiceView};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::Arc;

/// The namespace Cilium reads BGP Secrets from unless configured otherwise
/// (Helm `bgpControlPlane.secretsNamespace.name`).
pub const DEFAULT_SECRETS_NAMESPACE: &str = "kube-system";

/// Choices that are not in the manifests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveOptions {
    pub version: CiliumVersion,
    /// The BGP secrets namespace (`--bgp-secrets-namespace`).
    pub secrets_namespace: String,
}

impl Default for EffectiveOptions {
    fn default() -> Self {
        EffectiveOptions { version: CiliumVersion::NEWEST, secrets_namespace: DEFAULT_SECRETS_NAMESPACE.into() }
    }
}

/// Cilium's view of the cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effective {
    pub options: EffectiveOptions,
    /// Every Node read, by name.
    pub nodes: BTreeMap<String, NodeBgp>,
    /// Every Service Cilium sees, Gateway Services included.
    pub services: BTreeMap<NsName, ServiceView>,
    /// Selectors (and missing selectors) that select nothing.
    pub empty_selections: Vec<EmptySelection>,
    /// What each served ClusterConfig or PeeringPolicy gives a node that has no labels'
    /// worth of detail: no override, no known addresses or pod CIDRs (router ID unknown).
    /// For cross-checks when no Node manifests were given.
    pub per_config: BTreeMap<ConfigRef, Vec<Instance>>,
}

/// One node's BGP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeBgp {
    pub name: At<String>,
    /// The config that drives it.
    pub config: Option<ConfigRef>,
    pub instances: Vec<Instance>,
    /// Set when `instances` is empty.
    pub no_instance: Option<NoInstanceReason>,
    /// Other configs that select this node but lose (conflicts, BGPv1 winning over BGPv2).
    pub overridden: Vec<ConfigRef>,
}

/// Why a node runs no BGP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoInstanceReason {
    /// No ClusterConfig or PeeringPolicy exists (in an API version this release serves).
    NoBgpConfig,
    /// Configs exist but none selects the node: each with its nodeSelector.
    NotSelected { configs: Vec<(ConfigRef, Option<Loc>)> },
    /// Several PeeringPolicies select it: Cilium applies none.
    ConflictingPolicies(Vec<String>),
    /// Only configs this release does not serve select it (a PeeringPolicy in 1.19, a
    /// `cilium.io/v2` config before 1.18…).
    NotServed(Vec<ConfigRef>),
}

/// A selection that comes out empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmptySelection {
    /// The selector, or the entry that lacks one.
    pub loc: Loc,
    pub what: EmptyKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmptyKind {
    /// A PeerConfig family without `advertisements`: it announces nothing.
    FamilyWithoutSelector { peer_config: String, afi: Afi, safi: Safi },
    /// A PeerConfig family whose selector matches no CiliumBGPAdvertisement's labels.
    FamilySelectsNoAdvertisement { peer_config: String, afi: Afi, safi: Safi },
    /// A PeerConfig without `families`: IPv4 and IPv6 unicast with no advertisements.
    NoFamilies { peer_config: String },
    /// A Service advertisement without `selector`: no Service is selected.
    ServiceAdvertWithoutSelector { advertisement: String },
    /// A Service advertisement whose selector matches no Service.
    ServiceSelectorMatchesNoService { advertisement: String },
    /// A BGPv1 `serviceSelector` that matches no Service.
    PolicySelectsNoService { policy: String },
    /// A BGPv1 virtual router with neither `exportPodCIDR` nor `serviceSelector`.
    PolicyAnnouncesNothing { policy: String },
    /// A nodeSelector matching no Node.
    NodeSelectorMatchesNoNode { config: ConfigRef },
    /// A NodeConfigOverride named after no Node.
    OverrideMatchesNoNode { node: String },
}

/// Shared inputs of the computation.
/// Service routes and what was withheld, shared by every node using them.
pub(crate) type SharedRoutes = (Arc<[Announcement]>, Arc<[Withheld]>);

pub(crate) struct Ctx<'c> {
    pub cluster: &'c Cluster,
    pub version: CiliumVersion,
    pub secrets_namespace: &'c str,
    /// Every Service with the labels selectors see (pseudo-labels included), built once.
    pub service_labels: Vec<(&'c ServiceView, BTreeMap<String, String>)>,
    /// Service routes per family entry (or BGPv1 selector) and address family: the same on
    /// every node, so computed once and shared.
    route_cache: RefCell<BTreeMap<(Loc, Afi), SharedRoutes>>,
}

impl Ctx<'_> {
    /// Whether `sel` selects any Service.
    pub fn selects_a_service(&self, sel: &LabelSelector) -> bool {
        self.service_labels.iter().any(|(_, l)| sel.matches(l))
    }

    /// The routes of the Services `sel` selects, announced under `adv` in family `afi`.
    pub fn service_routes(
        &self,
        sel: &LabelSelector,
        adv: &announce::ServiceAdvert,
        afi: Afi,
        out: &mut announce::Out,
    ) {
        for (view, _) in self.service_labels.iter().filter(|(_, l)| sel.matches(l)) {
            announce::service(view, adv, afi, self.version, out);
        }
    }

    /// The shared routes under `key`, computed by `compute` the first time.
    pub fn shared_routes(&self, key: (Loc, Afi), compute: impl FnOnce(&mut announce::Out)) -> SharedRoutes {
        if let Some(r) = self.route_cache.borrow().get(&key) {
            return r.clone();
        }
        let (mut a, mut w) = (Vec::new(), Vec::new());
        compute(&mut announce::Out { announcements: &mut a, withheld: &mut w });
        let r: SharedRoutes = (Arc::from(a), Arc::from(w));
        self.route_cache.borrow_mut().insert(key, r.clone());
        r
    }
}

/// Compute what Cilium runs.
pub fn effective(cluster: &Cluster, options: &EffectiveOptions) -> Effective {
    let version = options.version;
    let services = services::services(cluster, version);
    let service_labels = services.values().map(|s| (s, s.selector_labels())).collect();
    let ctx = Ctx {
        cluster,
        version,
        secrets_namespace: &options.secrets_namespace,
        service_labels,
        route_cache: RefCell::new(BTreeMap::new()),
    };
    let nodes = cluster.nodes.iter().map(|(name, n)| (name.clone(), node_bgp(&ctx, n))).collect();
    let empty_selections = empty_selections(&ctx);
    let per_config = per_config(&ctx);
    Effective { options: options.clone(), nodes, services, empty_selections, per_config }
}

/// Instances of every served config on an anonymous node.
fn per_config(ctx: &Ctx) -> BTreeMap<ConfigRef, Vec<Instance>> {
    let (c, v) = (ctx.cluster, ctx.version);
    let mut out = BTreeMap::new();
    for cc in c.cluster_configs.values().filter(|cc| served(Kind::ClusterConfig, cc.api.value, v).exists()) {
        let node = anonymous_node(&cc.meta);
        out.insert(ConfigRef::ClusterConfig(cc.meta.name.value.clone()), peer::from_cluster_config(ctx, &node, cc));
    }
    if served(Kind::PeeringPolicy, CiliumApi::V2Alpha1, v).exists() {
        for p in c.peering_policies.values() {
            let node = anonymous_node(&p.meta);
            out.insert(ConfigRef::PeeringPolicy(p.meta.name.value.clone()), policy::from_peering_policy(ctx, &node, p));
        }
    }
    out
}

/// A node nobody named (no override can match the empty name), located at `config`.
fn anonymous_node(config: &Meta) -> Node {
    let name = At::new(String::new(), config.name.loc);
    let meta = Meta {
        api_version: At::new("v1".into(), config.loc),
        kind: At::new("Node".into(), config.loc),
        name,
        namespace: None,
        labels: BTreeMap::new(),
        label_locs: BTreeMap::new(),
        annotations: BTreeMap::new(),
        loc: config.loc,
    };
    Node { meta, internal_ips: Vec::new(), pod_cidrs: Vec::new() }
}

fn selects(sel: Option<&LabelSelector>, node: &Node) -> bool {
    sel.is_none_or(|s| s.matches(&node.meta.labels))
}

fn node_bgp(ctx: &Ctx, node: &Node) -> NodeBgp {
    let v = ctx.version;
    let c = ctx.cluster;
    let mut out = NodeBgp {
        name: node.meta.name.clone(),
        config: None,
        instances: Vec::new(),
        no_instance: None,
        overridden: Vec::new(),
    };
    let policies: Vec<_> =
        c.peering_policies.values().filter(|_| served(Kind::PeeringPolicy, CiliumApi::V2Alpha1, v).exists()).collect();
    let configs: Vec<_> =
        c.cluster_configs.values().filter(|cc| served(Kind::ClusterConfig, cc.api.value, v).exists()).collect();
    let pol: Vec<_> = policies.iter().filter(|p| selects(p.node_selector.as_ref(), node)).collect();
    let ccs: Vec<_> = configs.iter().filter(|cc| selects(cc.node_selector.as_ref(), node)).collect();
    let cc_refs = || ccs.iter().map(|cc| ConfigRef::ClusterConfig(cc.meta.name.value.clone()));
    if pol.len() > 1 {
        out.no_instance =
            Some(NoInstanceReason::ConflictingPolicies(pol.iter().map(|p| p.meta.name.value.clone()).collect()));
        out.overridden = cc_refs().collect();
        return out;
    }
    if let Some(p) = pol.first() {
        out.config = Some(ConfigRef::PeeringPolicy(p.meta.name.value.clone()));
        out.instances = policy::from_peering_policy(ctx, node, p);
        out.overridden = cc_refs().collect();
        return out;
    }
    if let Some(cc) = ccs.first() {
        out.config = Some(ConfigRef::ClusterConfig(cc.meta.name.value.clone()));
        out.instances = peer::from_cluster_config(ctx, node, cc);
        out.overridden = cc_refs().skip(1).collect();
        return out;
    }
    let unserved: Vec<ConfigRef> = c
        .peering_policies
        .values()
        .filter(|p| {
            !served(Kind::PeeringPolicy, CiliumApi::V2Alpha1, v).exists() && selects(p.node_selector.as_ref(), node)
        })
        .map(|p| ConfigRef::PeeringPolicy(p.meta.name.value.clone()))
        .chain(
            c.cluster_configs
                .values()
                .filter(|cc| {
                    !served(Kind::ClusterConfig, cc.api.value, v).exists() && selects(cc.node_selector.as_ref(), node)
                })
                .map(|cc| ConfigRef::ClusterConfig(cc.meta.name.value.clone())),
        )
        .collect();
    out.no_instance = Some(if policies.is_empty() && configs.is_empty() {
        if unserved.is_empty() {
            NoInstanceReason::NoBgpConfig
        } else {
            NoInstanceReason::NotServed(unserved)
        }
    } else {
        let mut all: Vec<(ConfigRef, Option<Loc>)> = policies
            .iter()
            .map(|p| (ConfigRef::PeeringPolicy(p.meta.name.value.clone()), p.node_selector.as_ref().map(|s| s.loc)))
            .collect();
        all.extend(configs.iter().map(|cc| {
            (ConfigRef::ClusterConfig(cc.meta.name.value.clone()), cc.node_selector.as_ref().map(|s| s.loc))
        }));
        NoInstanceReason::NotSelected { configs: all }
    });
    out
}

fn empty_selections(ctx: &Ctx) -> Vec<EmptySelection> {
    let (c, v) = (ctx.cluster, ctx.version);
    let mut out = Vec::new();
    let mut push = |loc: Loc, what: EmptyKind| out.push(EmptySelection { loc, what });
    for pc in c.peer_configs.values().filter(|p| served(Kind::PeerConfig, p.api.value, v).exists()) {
        let name = pc.meta.name.value.clone();
        if pc.families.is_empty() {
            push(pc.families_loc.unwrap_or(pc.meta.name.loc), EmptyKind::NoFamilies { peer_config: name.clone() });
        }
        for f in &pc.families {
            let (afi, safi) = (f.afi.value, f.safi.value);
            match &f.advertisements {
                None => push(f.afi.loc, EmptyKind::FamilyWithoutSelector { peer_config: name.clone(), afi, safi }),
                Some(sel) => {
                    let any = c
                        .advertisements
                        .values()
                        .any(|a| served(Kind::Advertisement, a.api.value, v).exists() && sel.matches(&a.meta.labels));
                    if !any {
                        push(sel.loc, EmptyKind::FamilySelectsNoAdvertisement { peer_config: name.clone(), afi, safi });
                    }
                }
            }
        }
    }
    for a in c.advertisements.values().filter(|a| served(Kind::Advertisement, a.api.value, v).exists()) {
        let name = a.meta.name.value.clone();
        for e in a.entries.iter().filter(|e| e.advertisement_type.value == super::resources::bgp::AdvertType::Service) {
            match &e.selector {
                None => push(
                    e.advertisement_type.loc,
                    EmptyKind::ServiceAdvertWithoutSelector { advertisement: name.clone() },
                ),
                Some(sel) if !ctx.selects_a_service(sel) => {
                    push(sel.loc, EmptyKind::ServiceSelectorMatchesNoService { advertisement: name.clone() })
                }
                Some(_) => {}
            }
        }
    }
    for p in c.peering_policies.values().filter(|_| served(Kind::PeeringPolicy, CiliumApi::V2Alpha1, v).exists()) {
        let name = p.meta.name.value.clone();
        for r in &p.routers {
            let pods = r.export_pod_cidr.as_ref().is_some_and(|e| e.value);
            match &r.service_selector {
                None if !pods => push(r.loc, EmptyKind::PolicyAnnouncesNothing { policy: name.clone() }),
                Some(sel) if !ctx.selects_a_service(sel) => {
                    push(sel.loc, EmptyKind::PolicySelectsNoService { policy: name.clone() })
                }
                _ => {}
            }
        }
        if let Some(sel) = &p.node_selector {
            if !c.nodes.values().any(|n| sel.matches(&n.meta.labels)) {
                push(sel.loc, EmptyKind::NodeSelectorMatchesNoNode { config: ConfigRef::PeeringPolicy(name.clone()) });
            }
        }
    }
    for cc in c.cluster_configs.values().filter(|cc| served(Kind::ClusterConfig, cc.api.value, v).exists()) {
        if let Some(sel) = &cc.node_selector {
            if !c.nodes.values().any(|n| sel.matches(&n.meta.labels)) {
                push(
                    sel.loc,
                    EmptyKind::NodeSelectorMatchesNoNode {
                        config: ConfigRef::ClusterConfig(cc.meta.name.value.clone()),
                    },
                );
            }
        }
    }
    for o in c.overrides.values().filter(|o| served(Kind::NodeConfigOverride, o.api.value, v).exists()) {
        if !c.nodes.contains_key(&o.meta.name.value) {
            push(o.meta.name.loc, EmptyKind::OverrideMatchesNoNode { node: o.meta.name.value.clone() });
        }
    }
    out.sort_by_key(|e| e.loc);
    out
}

/// BGPv1 per-node settings: `cilium.io/bgp-virtual-router.<asn>: "router-id=…,local-port=…"`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NodeAnnotation {
    pub router_id: Option<At<Ipv4Addr>>,
    pub local_port: Option<At<u16>>,
}

impl NodeAnnotation {
    pub fn read(node: &Node, asn: u32) -> Option<NodeAnnotation> {
        let text = node.meta.annotations.get(&format!("cilium.io/bgp-virtual-router.{asn}"))?;
        // Annotation values carry no spans of their own; point at the node's name.
        let loc = node.meta.name.loc;
        let mut a = NodeAnnotation::default();
        for part in text.split(',') {
            match part.trim().split_once('=') {
                Some(("router-id", v)) => a.router_id = v.trim().parse().ok().map(|ip| At::new(ip, loc)),
                Some(("local-port", v)) => a.local_port = v.trim().parse().ok().map(|p| At::new(p, loc)),
                _ => {}
            }
        }
        Some(a)
    }
}
