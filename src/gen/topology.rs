//! The topology file as written: serde types for the TOML schema documented in
//! docs/topology.md. Unknown keys are rejected, and every value a finding may point at is
//! kept with its byte span ([`S`]). Nothing is checked here beyond TOML's own types; meaning
//! (ranges, references, overlaps) is `plan`'s job.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A value and the byte range it was written at in the topology file.
pub type S<T> = toml::Spanned<T>;

/// Labels as `key = "value"` pairs (a Kubernetes label map or a matchLabels selector).
pub type Labels = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topology {
    /// Defaults for every router: the FRR release and `frr defaults` profile.
    #[serde(default)]
    pub frr: Option<FrrDefaults>,
    /// Named passwords: `[passwords.NAME]` with one of `env`, `file` or `value`.
    #[serde(default)]
    pub passwords: BTreeMap<S<String>, Password>,
    #[serde(default)]
    pub routers: Vec<Router>,
    #[serde(default)]
    pub clusters: Vec<Cluster>,
    /// iBGP full meshes between routers.
    #[serde(default)]
    pub meshes: Vec<Mesh>,
    /// Sessions between routers and every BGP node of a cluster.
    #[serde(default)]
    pub peerings: Vec<Peering>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrrDefaults {
    /// The release as `show running-config` prints it (`8.4.4`).
    pub version: Option<S<String>>,
    /// `traditional` (FRR's default) or `datacenter`.
    pub profile: Option<S<String>>,
}

/// Where a password comes from: exactly one of the three.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Password {
    /// An environment variable read at generation time.
    pub env: Option<S<String>>,
    /// A file, relative to the topology file; one trailing newline is dropped.
    pub file: Option<S<String>>,
    /// The password itself (allowed, with a warning: it then lives in the topology).
    pub value: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Router {
    /// Also the `hostname` and the output file name.
    pub name: S<String>,
    pub asn: S<i64>,
    /// Defaults to the first IPv4 address.
    pub router_id: Option<S<String>>,
    /// The addresses the router owns; the first of each family is the one peers use.
    pub addresses: S<Vec<S<String>>>,
    /// The port bgpd listens on (`bgpd -p`); Cilium dials it. Default 179.
    pub listen_port: Option<S<i64>>,
    /// Prefixes the router originates (`network`).
    #[serde(default)]
    pub networks: Vec<S<String>>,
    pub frr_version: Option<S<String>>,
    pub profile: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    pub name: S<String>,
    pub asn: S<i64>,
    pub cilium_version: S<String>,
    /// Where Cilium reads BGP passwords (Helm `bgpControlPlane.secretsNamespace.name`).
    pub secrets_namespace: Option<S<String>>,
    /// The ClusterConfig's nodeSelector (matchLabels); default: the listed nodes by hostname.
    pub node_selector: Option<S<Labels>>,
    /// The port Cilium listens on; unset, Cilium only dials out (its default).
    pub listen_port: Option<S<i64>>,
    /// The Service CIDRs, needed to announce ClusterIPs.
    #[serde(default)]
    pub service_cidrs: Vec<S<String>>,
    /// The ranges external IPs come from, needed to announce ExternalIPs.
    #[serde(default)]
    pub external_ip_cidrs: Vec<S<String>>,
    pub nodes: S<Vec<Node>>,
    #[serde(default)]
    pub pools: Vec<Pool>,
    pub announce: Option<S<Announce>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub name: S<String>,
    pub addresses: S<Vec<S<String>>>,
    #[serde(default)]
    pub labels: Labels,
    /// Needed on IPv6-only nodes; generates a NodeConfigOverride.
    pub router_id: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub name: S<String>,
    #[serde(default)]
    pub cidrs: Vec<S<String>>,
    #[serde(default)]
    pub ranges: Vec<S<AddressRange>>,
    pub service_selector: Option<S<Labels>>,
    pub allow_first_last_ips: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressRange {
    pub start: S<String>,
    pub stop: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Announce {
    /// `LoadBalancerIP` (default), `ClusterIP`, `ExternalIP`.
    pub addresses: Option<Vec<S<String>>>,
    /// Service selectors (matchLabels), one advertisement entry each.
    #[serde(default)]
    pub services: Vec<S<Labels>>,
    /// Gateways whose generated Service is announced.
    #[serde(default)]
    pub gateways: Vec<S<GatewayRef>>,
    pub aggregation_length_ipv4: Option<S<i64>>,
    pub aggregation_length_ipv6: Option<S<i64>>,
    /// Standard communities (`65000:100`) or well-known names (`no-export`).
    #[serde(default)]
    pub communities: Vec<S<String>>,
    #[serde(default)]
    pub large_communities: Vec<S<String>>,
    /// Only iBGP peers see it (Cilium ignores it on eBGP sessions).
    pub local_preference: Option<S<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayRef {
    pub namespace: S<String>,
    pub name: S<String>,
}

/// Session settings shared by meshes and peerings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timers {
    pub keepalive: S<i64>,
    pub hold: S<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mesh {
    /// Also the peer-group name.
    pub name: S<String>,
    pub routers: S<Vec<S<String>>>,
    pub password: Option<S<String>>,
    pub timers: Option<S<Timers>>,
    pub connect_retry: Option<S<i64>>,
    /// `ipv4`, `ipv6`; default: every family all members have an address in.
    pub families: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub next_hop_self: bool,
    #[serde(default)]
    pub soft_reconfiguration: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Peering {
    /// Also the peer-group name on the routers and the CiliumBGPPeerConfig name.
    pub name: S<String>,
    pub cluster: S<String>,
    pub routers: S<Vec<S<String>>>,
    pub password: Option<S<String>>,
    pub timers: Option<S<Timers>>,
    pub connect_retry: Option<S<i64>>,
    pub families: Option<S<Vec<S<String>>>>,
    /// TTL for eBGP sessions between non-adjacent peers (2-255).
    pub ebgp_multihop: Option<S<i64>>,
    /// Cilium's graceful restart (FRR is a helper by default).
    pub graceful_restart: Option<S<bool>>,
    /// Cilium's restart time in seconds (1-4095) when graceful restart is on.
    pub restart_time: Option<S<i64>>,
    #[serde(default)]
    pub soft_reconfiguration: bool,
    /// What the routers accept from the cluster, beyond the announced ranges.
    pub import: Option<S<Import>>,
    /// What the routers send to the cluster (default: nothing).
    pub export: Option<S<Export>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Import {
    pub local_preference: Option<S<i64>>,
    /// Added (additive) to every accepted route.
    #[serde(default)]
    pub communities: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    /// Prefixes sent as they are (exact match).
    #[serde(default)]
    pub prefixes: Vec<S<String>>,
}

/// Read the TOML. A syntax or schema error comes back with its byte range.
pub fn parse(text: &str) -> Result<Topology, (String, Option<std::ops::Range<usize>>)> {
    toml::from_str(text).map_err(|e| (e.message().to_string(), e.span()))
}
