//! The core objects Cilium's BGP resources select or reference: Secret (the peer
//! password), Service (the addresses to announce), Gateway (which makes Cilium generate a
//! Service) and Node (labels, addresses, pod CIDRs). Only the fields that matter for BGP
//! are read.

use super::Meta;
use crate::k8s::at::{At, Loc};
use crate::k8s::base64;
use crate::k8s::decode::Reader;
use crate::k8s::yaml::{Value, YNode};
use crate::model::Secret;
use ipnet::IpNet;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// A Kubernetes Secret. Values are [`Secret`]s: they compare but never print. Their
/// location is the key's (`password:`), never the value's; in flow style the value is on the
/// same line, so a renderer must not print the source line of these locations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretObject {
    pub meta: Meta,
    /// `data`, base64-decoded.
    pub data: BTreeMap<String, At<Secret>>,
    pub string_data: BTreeMap<String, At<Secret>>,
}

impl SecretObject {
    /// The value of `key` as the API server stores it: `stringData` wins over `data`.
    pub fn get(&self, key: &str) -> Option<&At<Secret>> {
        self.string_data.get(key).or_else(|| self.data.get(key))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        let mut k: Vec<&str> = self.data.keys().chain(self.string_data.keys()).map(|s| s.as_str()).collect();
        k.sort_unstable();
        k.dedup();
        k.into_iter()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceType {
    ClusterIp,
    NodePort,
    LoadBalancer,
    ExternalName,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrafficPolicy {
    Cluster,
    Local,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub meta: Meta,
    /// Absent: ClusterIP.
    pub service_type: Option<At<ServiceType>>,
    /// `spec.clusterIP` and `spec.clusterIPs`, without duplicates; empty if unallocated or headless.
    pub cluster_ips: Vec<At<IpAddr>>,
    /// `clusterIP: None`.
    pub headless: bool,
    pub external_ips: Vec<At<IpAddr>>,
    /// The deprecated `spec.loadBalancerIP` request.
    pub load_balancer_ip: Option<At<IpAddr>>,
    /// Addresses requested from LB-IPAM by annotation (`lbipam.cilium.io/ips`).
    pub requested_ips: Vec<At<IpAddr>>,
    pub load_balancer_class: Option<At<String>>,
    /// Absent: Cluster.
    pub external_traffic_policy: Option<At<TrafficPolicy>>,
    /// Absent: Cluster.
    pub internal_traffic_policy: Option<At<TrafficPolicy>>,
    /// `spec.ipFamilies`; absent: the cluster's primary family (IPv4 assumed).
    pub ip_families: Vec<At<IpFamily>>,
    /// `status.loadBalancer.ingress[].ip`: the addresses actually assigned.
    pub ingress_ips: Vec<At<IpAddr>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IpFamily {
    V4,
    V6,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gateway {
    pub meta: Meta,
    pub gateway_class_name: Option<At<String>>,
    /// `spec.infrastructure.labels`: copied onto the generated Service (1.15+).
    pub infrastructure_labels: BTreeMap<String, At<String>>,
    /// The `spec.infrastructure` key, if written.
    pub infrastructure_loc: Option<Loc>,
    /// `spec.addresses[]` of type IPAddress: requested LB addresses.
    pub addresses: Vec<At<IpAddr>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub meta: Meta,
    /// `status.addresses[]` of type InternalIP.
    pub internal_ips: Vec<At<IpAddr>>,
    /// `spec.podCIDRs`, or `spec.podCIDR` when that is all there is.
    pub pod_cidrs: Vec<At<IpNet>>,
}

/// Read `data` and `stringData`. Every finding about a value points at the Secret's name,
/// never at the value or its line: a printed source line must not show a password.
pub(crate) fn read_secret(r: &mut Reader, meta: Meta, root: &YNode) -> SecretObject {
    let at = meta.name.loc;
    let name = meta.name.value.clone();
    let mut entries = |field: &str| -> Vec<(At<String>, Option<String>)> {
        let Some(node) = root.get(field) else { return Vec::new() };
        let Value::Map(items) = &node.value else {
            r.invalid(
                at,
                format!("`{field}` of Secret `{name}` must be a mapping"),
                format!("write {field} as key: value pairs"),
            );
            return Vec::new();
        };
        items
            .iter()
            .map(|(k, v)| {
                let text = match &v.value {
                    Value::Str(t) => Some(t.clone()),
                    Value::Null => Some(String::new()),
                    _ => {
                        r.invalid(
                            at,
                            format!("`{field}.{}` of Secret `{name}` must be a string", k.value),
                            "quote the value",
                        );
                        None
                    }
                };
                (k.clone(), text)
            })
            .collect()
    };
    let raw_data = entries("data");
    let raw_string_data = entries("stringData");
    let mut data = BTreeMap::new();
    for (k, text) in raw_data {
        let Some(text) = text else { continue };
        match base64::decode(&text) {
            Ok(bytes) => {
                let text = match String::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(e) => {
                        r.invalid(
                            at,
                            format!("`data.{}` of Secret `{name}` does not decode to text", k.value),
                            "data values are base64; if this is the plain value, move it to stringData",
                        );
                        String::from_utf8_lossy(e.as_bytes()).into_owned()
                    }
                };
                data.insert(k.value, At::new(Secret::new(text), k.loc));
            }
            Err(_) => r.invalid(
                at,
                format!("`data.{}` of Secret `{name}` is not valid base64", k.value),
                "base64-encode the value, or move the plain value to stringData",
            ),
        }
    }
    let string_data = raw_string_data
        .into_iter()
        .filter_map(|(k, text)| Some((k.value, At::new(Secret::new(text?), k.loc))))
        .collect();
    SecretObject { meta, data, string_data }
}

const SERVICE_TYPES: &[(&str, ServiceType)] = &[
    ("ClusterIP", ServiceType::ClusterIp),
    ("NodePort", ServiceType::NodePort),
    ("LoadBalancer", ServiceType::LoadBalancer),
    ("ExternalName", ServiceType::ExternalName),
];
const POLICIES: &[(&str, TrafficPolicy)] = &[("Cluster", TrafficPolicy::Cluster), ("Local", TrafficPolicy::Local)];
const FAMILIES: &[(&str, IpFamily)] = &[("IPv4", IpFamily::V4), ("IPv6", IpFamily::V6)];
/// LB-IPAM's request annotations, current and older spelling.
const LBIPAM_ANNOTATIONS: &[&str] = &["lbipam.cilium.io/ips", "io.cilium/lb-ipam-ips"];

pub(crate) fn read_service(r: &mut Reader, meta: Meta, root: &YNode) -> Service {
    let spec = r.mapping(root.get("spec"), "spec");
    let get = |k: &str| spec.and_then(|s| s.get(k));
    let mut headless = false;
    let mut cluster_ips: Vec<At<IpAddr>> = Vec::new();
    let mut ip_candidates: Vec<&YNode> = get("clusterIP").into_iter().collect();
    ip_candidates.extend(r.list(get("clusterIPs"), "clusterIPs"));
    for n in ip_candidates {
        match n.as_str() {
            Some("None") => headless = true,
            Some("") => {}
            _ => {
                if let Some(ip) = r.ip(Some(n), "clusterIP") {
                    if !cluster_ips.iter().any(|c| c.value == ip.value) {
                        cluster_ips.push(ip);
                    }
                }
            }
        }
    }
    let external_ips =
        r.list(get("externalIPs"), "externalIPs").iter().filter_map(|n| r.ip(Some(n), "externalIPs")).collect();
    let load_balancer_ip = match get("loadBalancerIP") {
        Some(n) if n.as_str() == Some("") => None,
        n => r.ip(n, "loadBalancerIP"),
    };
    let mut requested_ips = Vec::new();
    for a in LBIPAM_ANNOTATIONS {
        let Some(md) = root.get("metadata") else { break };
        let Some(ann) = md.get("annotations").and_then(|x| x.get(a)) else { continue };
        if let Some(s) = ann.as_str() {
            for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match part.parse::<IpAddr>() {
                    Ok(ip) => requested_ips.push(At::new(ip, ann.loc)),
                    Err(_) => r.invalid(
                        ann.loc,
                        format!("`{part}` in annotation {a} is not an IP address"),
                        "list addresses separated by commas",
                    ),
                }
            }
        }
    }
    let mut ingress_ips = Vec::new();
    let status_lb = root.get("status").and_then(|s| s.get("loadBalancer"));
    for i in r.list(status_lb.and_then(|l| l.get("ingress")), "ingress") {
        if let Some(ip) = i.get("ip") {
            ingress_ips.extend(r.ip(Some(ip), "ip"));
        }
    }
    Service {
        meta,
        service_type: r.one_of(get("type"), "type", SERVICE_TYPES),
        cluster_ips,
        headless,
        external_ips,
        load_balancer_ip,
        requested_ips,
        load_balancer_class: r.string(get("loadBalancerClass"), "loadBalancerClass"),
        external_traffic_policy: r.one_of(get("externalTrafficPolicy"), "externalTrafficPolicy", POLICIES),
        internal_traffic_policy: r.one_of(get("internalTrafficPolicy"), "internalTrafficPolicy", POLICIES),
        ip_families: r
            .list(get("ipFamilies"), "ipFamilies")
            .iter()
            .filter_map(|n| r.one_of(Some(n), "ipFamilies", FAMILIES))
            .collect(),
        ingress_ips,
    }
}

pub(crate) fn read_gateway(r: &mut Reader, meta: Meta, root: &YNode) -> Gateway {
    let spec = r.mapping(root.get("spec"), "spec");
    let infra = spec.and_then(|s| r.mapping(s.get("infrastructure"), "infrastructure"));
    let mut addresses = Vec::new();
    for a in r.list(spec.and_then(|s| s.get("addresses")), "addresses") {
        let Some(a) = r.mapping(Some(a), "addresses[]") else { continue };
        let ty = r.string(a.get("type"), "type");
        if ty.as_ref().is_none_or(|t| t.value == "IPAddress") {
            addresses.extend(r.ip(a.get("value"), "value"));
        }
    }
    Gateway {
        meta,
        gateway_class_name: spec.and_then(|s| r.string(s.get("gatewayClassName"), "gatewayClassName")),
        infrastructure_labels: infra.map(|i| r.string_map(i.get("labels"), "labels")).unwrap_or_default(),
        infrastructure_loc: spec.and_then(|s| s.entry("infrastructure")).map(|(k, _)| k.loc),
        addresses,
    }
}

pub(crate) fn read_node(r: &mut Reader, meta: Meta, root: &YNode) -> Node {
    let spec = r.mapping(root.get("spec"), "spec");
    let mut internal_ips = Vec::new();
    let status = r.mapping(root.get("status"), "status");
    for a in r.list(status.and_then(|s| s.get("addresses")), "addresses") {
        let Some(a) = r.mapping(Some(a), "addresses[]") else { continue };
        if a.get("type").and_then(|t| t.as_str()) == Some("InternalIP") {
            internal_ips.extend(r.ip(a.get("address"), "address"));
        }
    }
    let mut pod_cidrs: Vec<At<IpNet>> = r
        .list(spec.and_then(|s| s.get("podCIDRs")), "podCIDRs")
        .iter()
        .filter_map(|n| r.cidr(Some(n), "podCIDRs"))
        .collect();
    if pod_cidrs.is_empty() {
        pod_cidrs.extend(r.cidr(spec.and_then(|s| s.get("podCIDR")), "podCIDR"));
    }
    Node { meta, internal_ips, pod_cidrs }
}
