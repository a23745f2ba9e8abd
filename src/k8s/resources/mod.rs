//! The resources frrlint reads, as typed Rust values with the location of every field:
//! Cilium's BGP and LB-IPAM custom resources, and the core objects their selectors and
//! references point at (Secret, Service, Gateway, Node). Each file holds the types of one
//! API area and the code that reads them from YAML.

pub mod advert;
pub mod bgp;
pub mod bgpv1;
pub mod core;
pub mod pool;

use super::at::{At, Loc};
use super::decode::Reader;
use super::yaml::YNode;
use std::collections::BTreeMap;

/// The kinds this crate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    ClusterConfig,
    PeerConfig,
    Advertisement,
    NodeConfigOverride,
    PeeringPolicy,
    LbIpPool,
    Secret,
    Service,
    Gateway,
    Node,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::ClusterConfig,
        Kind::PeerConfig,
        Kind::Advertisement,
        Kind::NodeConfigOverride,
        Kind::PeeringPolicy,
        Kind::LbIpPool,
        Kind::Secret,
        Kind::Service,
        Kind::Gateway,
        Kind::Node,
    ];

    /// The Kubernetes `kind:` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ClusterConfig => "CiliumBGPClusterConfig",
            Kind::PeerConfig => "CiliumBGPPeerConfig",
            Kind::Advertisement => "CiliumBGPAdvertisement",
            Kind::NodeConfigOverride => "CiliumBGPNodeConfigOverride",
            Kind::PeeringPolicy => "CiliumBGPPeeringPolicy",
            Kind::LbIpPool => "CiliumLoadBalancerIPPool",
            Kind::Secret => "Secret",
            Kind::Service => "Service",
            Kind::Gateway => "Gateway",
            Kind::Node => "Node",
        }
    }

    pub fn from_kind(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether this is one of Cilium's custom resources (checked against its CRD schema).
    pub fn is_cilium(self) -> bool {
        !matches!(self, Kind::Secret | Kind::Service | Kind::Gateway | Kind::Node)
    }

    /// The `cilium.io` versions Cilium ever served for this kind.
    pub fn cilium_apis(self) -> &'static [CiliumApi] {
        match self {
            Kind::PeeringPolicy => &[CiliumApi::V2Alpha1],
            k if k.is_cilium() => &[CiliumApi::V2Alpha1, CiliumApi::V2],
            _ => &[],
        }
    }
}

/// A `cilium.io` API version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CiliumApi {
    V2Alpha1,
    V2,
}

impl CiliumApi {
    pub fn as_str(self) -> &'static str {
        match self {
            CiliumApi::V2Alpha1 => "cilium.io/v2alpha1",
            CiliumApi::V2 => "cilium.io/v2",
        }
    }

    pub fn parse(api_version: &str) -> Option<CiliumApi> {
        match api_version {
            "cilium.io/v2alpha1" => Some(CiliumApi::V2Alpha1),
            "cilium.io/v2" => Some(CiliumApi::V2),
            _ => None,
        }
    }
}

/// `apiVersion`, `kind` and the `metadata` fields frrlint uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    pub api_version: At<String>,
    pub kind: At<String>,
    pub name: At<String>,
    /// As written; namespaced kinds without one live in `default`.
    pub namespace: Option<At<String>>,
    pub labels: BTreeMap<String, String>,
    /// Where each label is written (its value).
    pub label_locs: BTreeMap<String, Loc>,
    pub annotations: BTreeMap<String, String>,
    /// The whole object (its first line), for findings about the object as such.
    pub loc: Loc,
}

impl Meta {
    /// The namespace a namespaced object lives in.
    pub fn namespace_or_default(&self) -> &str {
        self.namespace.as_ref().map_or("default", |n| n.value.as_str())
    }
}

/// Namespace and name of a namespaced object; orders maps of them.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NsName {
    pub namespace: String,
    pub name: String,
}

impl NsName {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        NsName { namespace: namespace.into(), name: name.into() }
    }
}

impl std::fmt::Display for NsName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// Read `metadata`; `None` (with a finding) if the object has no name.
pub(crate) fn read_meta(r: &mut Reader, root: &YNode, api_version: At<String>, kind: At<String>) -> Option<Meta> {
    let md = r.mapping(root.get("metadata"), "metadata");
    let name = md.and_then(|m| r.string(m.get("name"), "name"));
    let Some(name) = name else {
        r.invalid(kind.loc, format!("{} has no metadata.name", kind.value), "give the object a name; it was not read");
        return None;
    };
    let namespace = md.and_then(|m| r.string(m.get("namespace"), "namespace"));
    let labels_at = md.map(|m| r.string_map(m.get("labels"), "labels")).unwrap_or_default();
    let annotations = md.map(|m| r.string_map(m.get("annotations"), "annotations")).unwrap_or_default();
    Some(Meta {
        label_locs: labels_at.iter().map(|(k, v)| (k.clone(), v.loc)).collect(),
        labels: labels_at.into_iter().map(|(k, v)| (k, v.value)).collect(),
        annotations: annotations.into_iter().map(|(k, v)| (k, v.value)).collect(),
        loc: kind.loc,
        api_version,
        kind,
        name,
        namespace,
    })
}

/// Address family names used by BGP families and auto-discovery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Afi {
    Ipv4,
    Ipv6,
    L2vpn,
    Ls,
    Opaque,
}

pub(crate) const AFIS: &[(&str, Afi)] =
    &[("ipv4", Afi::Ipv4), ("ipv6", Afi::Ipv6), ("l2vpn", Afi::L2vpn), ("ls", Afi::Ls), ("opaque", Afi::Opaque)];

impl Afi {
    pub fn as_str(self) -> &'static str {
        AFIS.iter().find(|(_, a)| *a == self).map_or("?", |(s, _)| s)
    }
}

/// Subsequent address family; Cilium only supports `unicast` in practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Safi {
    Unicast,
    Multicast,
    MplsLabel,
    Encapsulation,
    Vpls,
    Evpn,
    Ls,
    SrPolicy,
    Mup,
    MplsVpn,
    MplsVpnMulticast,
    RouteTargetConstraints,
    FlowspecUnicast,
    FlowspecVpn,
    KeyValue,
}

pub(crate) const SAFIS: &[(&str, Safi)] = &[
    ("unicast", Safi::Unicast),
    ("multicast", Safi::Multicast),
    ("mpls_label", Safi::MplsLabel),
    ("encapsulation", Safi::Encapsulation),
    ("vpls", Safi::Vpls),
    ("evpn", Safi::Evpn),
    ("ls", Safi::Ls),
    ("sr_policy", Safi::SrPolicy),
    ("mup", Safi::Mup),
    ("mpls_vpn", Safi::MplsVpn),
    ("mpls_vpn_multicast", Safi::MplsVpnMulticast),
    ("route_target_constraints", Safi::RouteTargetConstraints),
    ("flowspec_unicast", Safi::FlowspecUnicast),
    ("flowspec_vpn", Safi::FlowspecVpn),
    ("key_value", Safi::KeyValue),
];

impl Safi {
    pub fn as_str(self) -> &'static str {
        SAFIS.iter().find(|(_, a)| *a == self).map_or("?", |(s, _)| s)
    }
}

/// Which Service addresses an advertisement or a BGPv1 router announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceAddressType {
    LoadBalancerIp,
    ClusterIp,
    ExternalIp,
}

pub(crate) const SERVICE_ADDRESS_TYPES: &[(&str, ServiceAddressType)] = &[
    ("LoadBalancerIP", ServiceAddressType::LoadBalancerIp),
    ("ClusterIP", ServiceAddressType::ClusterIp),
    ("ExternalIP", ServiceAddressType::ExternalIp),
];

impl ServiceAddressType {
    pub fn as_str(self) -> &'static str {
        SERVICE_ADDRESS_TYPES.iter().find(|(_, a)| *a == self).map_or("?", |(s, _)| s)
    }
}

/// Read `afi`/`safi` of a family entry.
pub(crate) fn read_family(r: &mut Reader, n: &YNode) -> Option<(At<Afi>, At<Safi>)> {
    let afi = r.one_of(n.get("afi"), "afi", AFIS);
    let safi = r.one_of(n.get("safi"), "safi", SAFIS);
    if n.get("afi").is_none() || n.get("safi").is_none() {
        r.invalid(
            n.loc,
            "a family needs both `afi` and `safi`",
            "add the missing field, for example afi: ipv4, safi: unicast",
        );
    }
    Some((afi?, safi?))
}

/// Report repeated `name`s in a list the API server keys by name (`listType=map`).
pub(crate) fn check_unique<'a>(r: &mut Reader, what: &str, names: impl IntoIterator<Item = &'a At<String>>) {
    let mut seen: BTreeMap<&str, Loc> = BTreeMap::new();
    for n in names {
        if seen.insert(n.value.as_str(), n.loc).is_some() {
            r.invalid(
                n.loc,
                format!("{what} `{}` is listed twice", n.value),
                "names in this list must be unique; the API server rejects the object",
            );
        }
    }
}
