//! Cilium's semantics, one behaviour per test: defaults by release, overrides, selection,
//! passwords, and the prefixes each node announces.

use super::{run_yaml, Run};
use crate::k8s::effective::{effective, EffectiveOptions};
use crate::k8s::effective::{
    ConfigRef, Effective, LbAddresses, NoInstanceReason, Peer, Predicted, RouterId, SkipReason, WithheldReason,
};
use crate::k8s::resources::NsName;
use crate::k8s::CiliumVersion;

fn v(minor: u8) -> CiliumVersion {
    CiliumVersion::new(minor)
}

const CHAIN: &str = r#"
apiVersion: cilium.io/v2
kind: CiliumBGPClusterConfig
metadata: {name: cilium-bgp}
spec:
  bgpInstances:
  - name: i1
    localASN: 65010
    localPort: 1790
    peers:
    - {name: tor1, peerAddress: 10.0.0.1, peerASN: 0, peerConfigRef: {name: peer}}
    - {name: tor2, peerAddress: "fd00::1", peerConfigRef: {name: peer}}
    - {name: tor3, peerAddress: 10.0.0.3, peerConfigRef: {name: nope}}
---
apiVersion: cilium.io/v2
kind: CiliumBGPPeerConfig
metadata: {name: peer}
spec:
  authSecretRef: auth
  families:
  - {afi: ipv4, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
  - {afi: ipv6, safi: unicast, advertisements: {matchLabels: {advertise: bgp}}}
---
apiVersion: cilium.io/v2
kind: CiliumBGPAdvertisement
metadata: {name: adv, labels: {advertise: bgp}}
spec:
  advertisements:
  - advertisementType: PodCIDR
  - advertisementType: Service
    service: {addresses: [LoadBalancerIP, ClusterIP, ExternalIP], aggregationLengthIPv4: 24}
    selector: {matchExpressions: [{key: somekey, operator: NotIn, values: [never-used-value]}]}
---
apiVersion: v1
kind: Node
metadata: {name: n1}
spec: {podCIDRs: [10.244.1.0/24, "fd00:244:1::/64"]}
status: {addresses: [{type: InternalIP, address: 192.168.0.11}]}
---
apiVersion: v1
kind: Secret
metadata: {name: auth, namespace: kube-system}
data: {password: Zmlyc3Q=}
stringData: {password: second}
"#;

fn peer<'a>(r: &'a Run, node: &str, name: &str) -> &'a Peer {
    r.eff.nodes[node].instances[0].peers.iter().find(|p| p.name.value == name).unwrap_or_else(|| panic!("peer {name}"))
}

fn prefixes(p: &Peer, family: usize) -> Vec<String> {
    p.families[family]
        .announcements
        .iter()
        .map(|a| match &a.prefix {
            Predicted::Exact(n) => n.to_string(),
            Predicted::FromPools { pools, prefix_len } => format!("pool:{}/{prefix_len}", pools[0].pool),
        })
        .collect()
}

#[test]
fn cluster_config_defaults_and_overrides() {
    let r = run_yaml(CHAIN, v(19));
    let i = &r.eff.nodes["n1"].instances[0];
    assert_eq!(i.listen_port.as_ref().map(|p| p.value), Some(1790));
    assert!(matches!(&i.router_id, RouterId::NodeAddress(a) if a.value.to_string() == "192.168.0.11"));
    let tor1 = peer(&r, "n1", "tor1");
    assert!(tor1.peer_asn.is_none(), "peerASN 0 means any AS");
    assert_eq!(tor1.peer_port.value, 179);
    assert!(tor1.peer_port.is_default());
    assert_eq!(tor1.password.as_ref().map(|p| p.expose()), Some("second"), "stringData wins over data");
    assert_eq!(i.skipped_peers.len(), 1);
    assert!(matches!(&i.skipped_peers[0].reason, SkipReason::MissingPeerConfig(n) if n.value == "nope"));
    // The same ClusterConfig in 1.17 (as v2alpha1): localPort is dropped, Cilium does not listen.
    let r = run_yaml(&CHAIN.replace("cilium.io/v2\n", "cilium.io/v2alpha1\n"), v(17));
    assert!(r.eff.nodes["n1"].instances[0].listen_port.is_none());
}

#[test]
fn announcements_per_family() {
    let text = format!(
        "{CHAIN}---\napiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: shop}}\nspec: {{type: LoadBalancer, clusterIP: 10.96.0.10, externalIPs: [203.0.113.7]}}\nstatus: {{loadBalancer: {{ingress: [{{ip: 192.0.2.77}}, {{ip: \"2001:db8::7\"}}]}}}}\n"
    );
    let r = run_yaml(&text, v(19));
    let p = peer(&r, "n1", "tor1");
    // IPv4: the node's pod CIDR, the LB IP and the external IP aggregated to /24 (eTP Cluster),
    // the cluster IP aggregated too (iTP Cluster).
    let mut v4 = prefixes(p, 0);
    v4.sort();
    assert_eq!(v4, ["10.244.1.0/24", "10.96.0.0/24", "192.0.2.0/24", "203.0.113.0/24"]);
    let mut v6 = prefixes(p, 1);
    v6.sort();
    assert_eq!(v6, ["2001:db8::7/128", "fd00:244:1::/64"]);
    // Before 1.18 there is no aggregation: host routes.
    let r = run_yaml(&text.replace("cilium.io/v2\n", "cilium.io/v2alpha1\n"), v(17));
    let mut v4 = prefixes(peer(&r, "n1", "tor1"), 0);
    v4.sort();
    assert_eq!(v4, ["10.244.1.0/24", "10.96.0.10/32", "192.0.2.77/32", "203.0.113.7/32"]);
}

#[test]
fn local_traffic_policy_keeps_host_routes_and_other_classes_are_not_announced() {
    let text = format!(
        "{CHAIN}---\napiVersion: v1\nkind: Service\nmetadata: {{name: local, namespace: a}}\nspec: {{type: LoadBalancer, externalTrafficPolicy: Local}}\nstatus: {{loadBalancer: {{ingress: [{{ip: 192.0.2.1}}]}}}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: l2, namespace: a}}\nspec: {{type: LoadBalancer, loadBalancerClass: io.cilium/l2-announcer}}\nstatus: {{loadBalancer: {{ingress: [{{ip: 192.0.2.2}}]}}}}\n"
    );
    let r = run_yaml(&text, v(19));
    let p = peer(&r, "n1", "tor1");
    let local: Vec<_> = p.families[0]
        .announcements
        .iter()
        .filter(|a| matches!(&a.prefix, Predicted::Exact(n) if n.to_string() == "192.0.2.1/32"))
        .collect();
    assert_eq!(local.len(), 1);
    assert!(local[0].local_endpoints_only);
    assert!(!prefixes(p, 0).iter().any(|x| x.starts_with("192.0.2.2") || x == "192.0.2.0/24"));
    assert!(p.families[0]
        .withheld
        .iter()
        .any(|w| matches!(&w.reason, WithheldReason::LbClassNotAnnounced(c) if c.value == "io.cilium/l2-announcer")));
    // Services without a written cluster IP: unknown, said so.
    assert!(p.families[0].withheld.iter().any(|w| w.reason == WithheldReason::ClusterIpUnknown));
}

#[test]
fn lb_ipam_prediction() {
    let pools = r#"
---
apiVersion: cilium.io/v2
kind: CiliumLoadBalancerIPPool
metadata: {name: shop}
spec:
  blocks: [{cidr: 192.0.2.0/24}]
  serviceSelector: {matchLabels: {io.kubernetes.service.namespace: shop}}
---
apiVersion: cilium.io/v2
kind: CiliumLoadBalancerIPPool
metadata: {name: off}
spec:
  disabled: true
  blocks: [{start: 198.51.100.1, stop: 198.51.100.9}]
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: shop}
spec: {type: LoadBalancer}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: shop, annotations: {lbipam.cilium.io/ips: 192.0.2.50}}
spec: {type: LoadBalancer}
---
apiVersion: v1
kind: Service
metadata: {name: c, namespace: other}
spec: {type: LoadBalancer}
"#;
    let r = run_yaml(&format!("{CHAIN}{pools}"), v(19));
    let s = |ns: &str, n: &str| &r.eff.services[&NsName::new(ns, n)].lb;
    assert!(matches!(s("shop", "a"), LbAddresses::FromPools(p) if p.len() == 1 && p[0].pool == "shop"));
    assert!(matches!(s("shop", "b"), LbAddresses::Requested { pool, .. } if pool == "shop"));
    assert!(matches!(s("other", "c"), LbAddresses::Pending { .. }), "the only other pool is disabled");
    let p = peer(&r, "n1", "tor1");
    let got = prefixes(p, 0);
    assert!(got.contains(&"pool:shop/24".to_string()), "{got:?}");
    assert!(got.contains(&"192.0.2.0/24".to_string()), "{got:?}");
}

#[test]
fn pool_cidrs_count_only_before_1_16() {
    let text = "apiVersion: cilium.io/v2alpha1\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: old}\nspec: {cidrs: [{cidr: 10.1.0.0/24}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: LoadBalancer}\n";
    let lb = |minor| run_yaml(text, v(minor)).eff.services[&NsName::new("default", "a")].lb.clone();
    assert!(matches!(lb(15), LbAddresses::FromPools(_)));
    assert!(matches!(lb(16), LbAddresses::Pending { .. }));
}

#[test]
fn gateway_service_labels_by_release() {
    let text = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, namespace: web, labels: {team: a}}\nspec:\n  infrastructure: {labels: {bgp: 'on'}}\n  addresses: [{type: IPAddress, value: 192.0.2.9}]\n";
    let labels =
        |ver: CiliumVersion| run_yaml(text, ver).eff.services[&NsName::new("web", "cilium-gateway-gw")].labels.clone();
    let l = labels(v(19));
    assert_eq!(l.get("bgp").map(String::as_str), Some("on"));
    assert_eq!(l.get("io.cilium.gateway/owning-gateway").map(String::as_str), Some("gw"));
    assert_eq!(l.get("gateway.networking.k8s.io/gateway-name").map(String::as_str), Some("gw"));
    assert!(!l.contains_key("team"), "metadata.labels are not copied");
    assert!(!labels("1.16.0".parse().unwrap()).contains_key("gateway.networking.k8s.io/gateway-name"));
    assert!(!labels(v(14)).contains_key("bgp"), "infrastructure labels are copied from 1.15");
}

#[test]
fn v2alpha1_transport_source_port_in_1_16() {
    let text = "apiVersion: cilium.io/v2alpha1\nkind: CiliumBGPClusterConfig\nmetadata: {name: c}\nspec:\n  bgpInstances:\n  - name: i\n    localASN: 65010\n    peers: [{name: p, peerAddress: 10.0.0.1, peerASN: 65000, peerConfigRef: {name: pc}}]\n---\napiVersion: cilium.io/v2alpha1\nkind: CiliumBGPPeerConfig\nmetadata: {name: pc}\nspec:\n  transport: {peerPort: 1179}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\n";
    let src = |minor| peer(&run_yaml(text, v(minor)), "n1", "p").source_port.clone();
    assert_eq!(src(16).map(|s| (s.value, s.is_default())), Some((179, true)));
    assert_eq!(src(17), None);
    assert_eq!(peer(&run_yaml(text, v(16)), "n1", "p").peer_port.value, 1179);
}

#[test]
fn overrides_per_node() {
    let text = format!("{CHAIN}---\napiVersion: cilium.io/v2\nkind: CiliumBGPNodeConfigOverride\nmetadata: {{name: n1}}\nspec:\n  bgpInstances:\n  - name: i1\n    routerID: 10.9.9.9\n    localPort: 11179\n    localASN: 65099\n    peers: [{{name: tor1, localAddress: 192.168.0.99}}]\n");
    let r = run_yaml(&text, v(19));
    let i = &r.eff.nodes["n1"].instances[0];
    assert!(matches!(&i.router_id, RouterId::Set(a) if a.value.to_string() == "10.9.9.9"));
    assert_eq!(i.listen_port.as_ref().map(|p| p.value), Some(11179));
    assert_eq!(i.local_asn.as_ref().map(|a| a.value), Some(65099));
    assert_eq!(peer(&r, "n1", "tor1").local_address.as_ref().map(|a| a.value.to_string()), Some("192.168.0.99".into()));
}

#[test]
fn peering_policy_semantics() {
    let policy = |name: &str, extra: &str| {
        format!("apiVersion: cilium.io/v2alpha1\nkind: CiliumBGPPeeringPolicy\nmetadata: {{name: {name}}}\nspec:\n  nodeSelector: {{matchLabels: {{bgp: 'on'}}}}\n  virtualRouters:\n  - localASN: 64512\n{extra}    neighbors: [{{peerAddress: 10.0.0.1/32, peerASN: 64513}}]\n---\n")
    };
    let node = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {bgp: 'on'}\n  annotations: {cilium.io/bgp-virtual-router.64512: 'router-id=10.7.7.7,local-port=1179'}\nspec: {podCIDR: 10.244.7.0/24}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: LoadBalancer}\nstatus: {loadBalancer: {ingress: [{ip: 192.0.2.3}]}}\n";
    // No serviceSelector: no Services; exportPodCIDR: the node's own CIDR.
    let r = run_yaml(&format!("{}{node}", policy("p", "    exportPodCIDR: true\n")), v(17));
    let i = &r.eff.nodes["n1"].instances[0];
    assert!(matches!(&i.router_id, RouterId::Set(a) if a.value.to_string() == "10.7.7.7"));
    assert_eq!(i.listen_port.as_ref().map(|p| p.value), Some(1179));
    assert_eq!(prefixes(&i.peers[0], 0), ["10.244.7.0/24"]);
    // A selector (the NotIn dummy): LoadBalancer IPs by default.
    let sel = "    serviceSelector: {matchExpressions: [{key: x, operator: NotIn, values: [y]}]}\n";
    let r = run_yaml(&format!("{}{node}", policy("p", sel)), v(17));
    assert_eq!(prefixes(&r.eff.nodes["n1"].instances[0].peers[0], 0), ["192.0.2.3/32"]);
    // Two policies on one node: none applies.
    let r = run_yaml(&format!("{}{}{node}", policy("p", sel), policy("q", sel)), v(17));
    assert!(matches!(&r.eff.nodes["n1"].no_instance, Some(NoInstanceReason::ConflictingPolicies(p)) if p.len() == 2));
    // A policy beats a ClusterConfig on the same node.
    let r = run_yaml(
        &format!("{}{}", policy("p", sel), CHAIN.replace("name: n1}", "name: n1, labels: {bgp: 'on'}}")),
        v(18),
    );
    let n = &r.eff.nodes["n1"];
    assert_eq!(n.config, Some(ConfigRef::PeeringPolicy("p".into())));
    assert_eq!(n.overridden, [ConfigRef::ClusterConfig("cilium-bgp".into())]);
}

#[test]
fn conflicting_cluster_configs_first_by_name_wins() {
    let second = CHAIN.replace("name: cilium-bgp}", "name: another}");
    let r = run_yaml(&format!("{CHAIN}---\n{}", second.split("---").next().unwrap_or("")), v(19));
    let n = &r.eff.nodes["n1"];
    assert_eq!(n.config, Some(ConfigRef::ClusterConfig("another".into())));
    assert_eq!(n.overridden, [ConfigRef::ClusterConfig("cilium-bgp".into())]);
}

#[test]
fn secrets_namespace_option_and_missing_reasons() {
    let r = run_yaml(CHAIN, v(19));
    let eff: Effective = effective(&r.cluster, &EffectiveOptions { version: v(19), secrets_namespace: "bgp".into() });
    let p = eff.nodes["n1"].instances[0].peers.iter().find(|p| p.name.value == "tor1").unwrap();
    assert!(p.password.is_none());
    assert!(format!("{:?}", p.password_problem).contains("SecretNotFound"));
}

#[test]
fn default_families_and_unknown_pod_cidrs() {
    let text = "apiVersion: cilium.io/v2\nkind: CiliumBGPClusterConfig\nmetadata: {name: c}\nspec:\n  bgpInstances:\n  - name: i\n    localASN: 65010\n    peers: [{name: p, peerAddress: 10.0.0.1, peerConfigRef: {name: pc}}]\n---\napiVersion: cilium.io/v2\nkind: CiliumBGPPeerConfig\nmetadata: {name: pc}\nspec: {}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Node, metadata: {name: n1}}\n";
    let r = run_yaml(text, v(19));
    let p = peer(&r, "n1", "p");
    let fams: Vec<_> = p.families.iter().map(|f| (f.afi.as_str(), f.safi.as_str(), f.loc.is_none())).collect();
    assert_eq!(fams, [("ipv4", "unicast", true), ("ipv6", "unicast", true)]);
    assert!(p.families.iter().all(|f| f.announcements.is_empty()));
    let r = run_yaml(&CHAIN.replace("spec: {podCIDRs: [10.244.1.0/24, \"fd00:244:1::/64\"]}\n", ""), v(19));
    assert!(peer(&r, "n1", "tor1").families[0].withheld.iter().any(|w| w.reason == WithheldReason::PodCidrUnknown));
}

#[test]
fn per_config_instances_without_node_manifests() {
    let text = CHAIN.split("---\napiVersion: v1\nkind: Node").next().unwrap_or("").to_string();
    let r = run_yaml(&text, v(19));
    assert!(r.eff.nodes.is_empty());
    let inst = &r.eff.per_config[&ConfigRef::ClusterConfig("cilium-bgp".into())];
    assert_eq!(inst[0].peers.len(), 2);
    assert_eq!(inst[0].router_id, RouterId::Unknown);
    assert!(inst[0].peers[0].families[0].withheld.iter().any(|w| w.reason == WithheldReason::PodCidrUnknown));
}
