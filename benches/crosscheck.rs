//! `frrlint check` on a large cross-check: 50 FRR routers, each with a 10,000-entry
//! prefix-list and a neighbor for every node that peers with it; 2,000 Cilium nodes in 50
//! racks, each rack's ClusterConfig giving its nodes 4 router peers; 200 LB pools, each with
//! one LoadBalancer Service. The goal is the whole check (parse, lint, manifests, sessions,
//! every prefix through every inbound policy) in under 1 second.
//!
//! The inputs are written once to a temporary directory; each sample runs `check_paths`.

use frrlint::check::{check_paths, CheckOptions};
use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    divan::main();
}

const ROUTERS: usize = 50;
const NODES: usize = 2000;
const RACKS: usize = 50;
const PEERS: usize = 4;
const PLIST: usize = 10_000;
const POOLS: usize = 200;
const SERVICES: usize = 200;

fn router_addr(r: usize) -> String {
    format!("10.0.0.{}", r + 1)
}

fn node_addr(n: usize) -> String {
    format!("10.1.{}.{}", n / 250, n % 250 + 1)
}

/// The routers rack `k`'s nodes peer with.
fn rack_routers(k: usize) -> Vec<usize> {
    (0..PEERS).map(|i| (k * PEERS + i) % ROUTERS).collect()
}

fn router_conf(r: usize) -> String {
    let mut t = format!("frr version 8.4\nfrr defaults traditional\nhostname r{r}\n!\n");
    for i in 0..PLIST - 1 {
        let _ = writeln!(t, "ip prefix-list CLUSTER seq {} deny 172.{}.{}.0/24", (i + 1) * 5, 16 + i / 256 % 16, i % 256);
    }
    let _ = writeln!(t, "ip prefix-list CLUSTER seq {} permit 192.168.0.0/16 le 32\n!", PLIST * 5);
    t.push_str("route-map CILIUM-IN permit 10\n match ip address prefix-list CLUSTER\nexit\n!\nroute-map CILIUM-OUT deny 10\nexit\n!\n");
    let _ = writeln!(t, "router bgp 64512\n bgp router-id {}\n neighbor CILIUM peer-group\n neighbor CILIUM remote-as 65000\n neighbor CILIUM password bench-secret", router_addr(r));
    let nodes: Vec<usize> = (0..NODES).filter(|n| rack_routers(n % RACKS).contains(&r)).collect();
    for n in &nodes {
        let _ = writeln!(t, " neighbor {} peer-group CILIUM", node_addr(*n));
    }
    t.push_str(" !\n address-family ipv4 unicast\n  neighbor CILIUM route-map CILIUM-IN in\n  neighbor CILIUM route-map CILIUM-OUT out\n exit-address-family\nexit\n!\nend\n");
    t
}

fn manifests() -> String {
    let mut y = String::new();
    for n in 0..NODES {
        let _ = write!(y, "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: node{n}\n  labels:\n    rack: r{}\nstatus:\n  addresses:\n  - type: InternalIP\n    address: {}\n", n % RACKS, node_addr(n));
    }
    for k in 0..RACKS {
        let _ = write!(y, "---\napiVersion: cilium.io/v2\nkind: CiliumBGPClusterConfig\nmetadata:\n  name: rack{k}\nspec:\n  nodeSelector:\n    matchLabels:\n      rack: r{k}\n  bgpInstances:\n  - name: main\n    localASN: 65000\n    peers:\n");
        for r in rack_routers(k) {
            let _ = write!(y, "    - name: r{r}\n      peerAddress: {}\n      peerASN: 64512\n      peerConfigRef:\n        name: peer\n", router_addr(r));
        }
    }
    y.push_str("---\napiVersion: cilium.io/v2\nkind: CiliumBGPPeerConfig\nmetadata:\n  name: peer\nspec:\n  authSecretRef: bgp-auth\n  families:\n  - afi: ipv4\n    safi: unicast\n    advertisements:\n      matchLabels:\n        advertise: bgp\n");
    y.push_str("---\napiVersion: cilium.io/v2\nkind: CiliumBGPAdvertisement\nmetadata:\n  name: services\n  labels:\n    advertise: bgp\nspec:\n  advertisements:\n  - advertisementType: Service\n    service:\n      addresses:\n      - LoadBalancerIP\n    selector:\n      matchLabels:\n        bgp: \"yes\"\n");
    y.push_str("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: bgp-auth\n  namespace: kube-system\nstringData:\n  password: bench-secret\n");
    for p in 0..POOLS {
        let _ = write!(y, "---\napiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata:\n  name: pool{p}\nspec:\n  blocks:\n  - cidr: 192.168.{p}.0/24\n  serviceSelector:\n    matchLabels:\n      pool: p{p}\n");
    }
    for s in 0..SERVICES {
        let p = s % POOLS;
        let _ = write!(y, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc{s}\n  namespace: default\n  labels:\n    bgp: \"yes\"\n    pool: p{p}\nspec:\n  type: LoadBalancer\nstatus:\n  loadBalancer:\n    ingress:\n    - ip: 192.168.{p}.{}\n", s / POOLS + 1);
    }
    y
}

fn inputs() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("frrlint-bench-crosscheck-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("frr")).expect("temp dir");
    std::fs::create_dir_all(dir.join("k8s")).expect("temp dir");
    for r in 0..ROUTERS {
        std::fs::write(dir.join(format!("frr/r{r}.conf")), router_conf(r)).expect("write");
    }
    std::fs::write(dir.join("k8s/cluster.yaml"), manifests()).expect("write");
    dir
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn check_50_routers_2000_nodes(bencher: divan::Bencher) {
    let dir = inputs();
    let report = check_paths(std::slice::from_ref(&dir), &CheckOptions::default());
    let cross = report.crosscheck.as_ref().expect("manifests read");
    // The workload is what it claims: 8,000 Cilium sessions up, every VIP accepted.
    let up = cross.sessions.iter().filter(|s| s.state == frrlint::crosscheck::State::Established).count();
    assert_eq!(up, NODES * PEERS, "sessions up");
    assert!(cross.sessions.iter().all(|s| s.prefixes.iter().all(|p| p.accepted)));
    bencher.bench(|| check_paths(divan::black_box(std::slice::from_ref(&dir)), &CheckOptions::default()));
    let _ = std::fs::remove_dir_all(&dir);
}
