//! The three labs of `../shared/fixtures`: what each must (and must not) produce.

use super::{lab_dir, run_texts, yaml_files, Run};
use crate::k8s::effective::{ConfigRef, LbAddresses, NoInstanceReason, Predicted, RouterId};
use crate::k8s::resources::NsName;
use crate::k8s::CiliumVersion;

fn lab(name: &str, version: CiliumVersion) -> Run {
    run_texts(&yaml_files(&lab_dir(name)), version)
}

fn dump(r: &Run) -> String {
    r.diags.iter().map(|d| format!("{} {:?} {}\n", d.rule, r.findings().first(), d.message)).collect()
}

#[test]
fn mdhlabs_findings() {
    let r = lab("mdhlabs", CiliumVersion::NEWEST);
    let f = r.findings();
    let expected = [
        ("advertisement-selects-nothing", "mdhlabs-bgp-peer-config.yaml".to_string(), 14),
        ("gateway-labels-not-propagated", "cd-bgp-gw.prod.yaml".to_string(), 8),
    ];
    for e in &expected {
        assert!(f.contains(e), "missing {e:?} in\n{}", dump(&r));
    }
    assert!(!r.rules().contains(&"secret-missing"), "{}", dump(&r));
    // The pool is v2alpha1, deprecated since 1.18: that is the only other finding.
    let others: Vec<_> = f.iter().filter(|x| !expected.contains(x)).collect();
    assert!(others.iter().all(|x| x.0 == "deprecated-api"), "{}", dump(&r));
}

#[test]
fn mdhlabs_effective() {
    let r = lab("mdhlabs", CiliumVersion::NEWEST);
    assert_eq!(r.eff.nodes.len(), 3);
    for (name, n) in &r.eff.nodes {
        assert_eq!(n.config, Some(ConfigRef::ClusterConfig("mdhlabs-bgp-cluster-config".into())), "{name}");
        let i = &n.instances[0];
        assert_eq!(i.local_asn.as_ref().map(|a| a.value), Some(65432));
        assert!(i.listen_port.is_none(), "Cilium does not listen by default");
        assert!(matches!(i.router_id, RouterId::NodeAddress(_)));
        assert_eq!(i.peers.len(), 2);
        let p = &i.peers[0];
        assert_eq!(p.name.value, "fedora1");
        assert_eq!(p.peer_asn.as_ref().map(|a| a.value), Some(62112));
        assert_eq!(
            (p.peer_port.value, p.hold_time.value, p.keepalive.value, p.connect_retry.value),
            (179, 90, 30, 120)
        );
        assert!(p.password.is_some() && p.password_problem.is_none());
        assert!(p.graceful_restart.value && p.graceful_restart.from.is_some());
        assert_eq!(p.families.len(), 1);
        assert!(p.families[0].announcements.is_empty(), "the family selects no advertisement");
    }
    // The Gateway's Service has Cilium's labels, not the Gateway's, and an address from the pool.
    let gw = &r.eff.services[&NsName::new("prod", "cilium-gateway-cd-bgp-gw")];
    assert!(!gw.labels.contains_key("mdhlabs-bgp"));
    assert_eq!(gw.labels.get("io.cilium.gateway/owning-gateway").map(String::as_str), Some("cd-bgp-gw"));
    assert!(matches!(&gw.lb, LbAddresses::FromPools(p) if p[0].pool == "mdhlabs-bgp-vip-pool-prod"));
}

#[test]
fn mdhlabs_with_the_chain_fixed_announces_pool_addresses() {
    let mut files = yaml_files(&lab_dir("mdhlabs"));
    for (name, text) in &mut files {
        if name == "mdhlabs-bgp-peer-config.yaml" {
            *text = text.replace("loadbalancer-services", "mdhlabs-bgp-advertisement");
        }
    }
    let r = run_texts(&files, CiliumVersion::NEWEST);
    let p = &r.eff.nodes["kube1"].instances[0].peers[0];
    let anns = &p.families[0].announcements;
    // cd-bgp-svc (labelled mdhlabs-bgp: enable) gets some /32 of the prod pool; the Gateway's
    // Service does not carry the label, so it is not announced.
    assert_eq!(anns.len(), 1, "{anns:?}");
    match &anns[0].prefix {
        Predicted::FromPools { pools, prefix_len } => {
            assert_eq!(*prefix_len, 32);
            assert_eq!(pools[0].pool, "mdhlabs-bgp-vip-pool-prod");
            assert_eq!(pools[0].blocks[0].to_string(), "192.168.77.128/25");
        }
        other => panic!("{other:?}"),
    }
    assert!(!r.rules().contains(&"advertisement-selects-nothing"), "{}", dump(&r));
}

#[test]
fn edgerouter_findings_at_newest() {
    let r = lab("edgerouter-l4", CiliumVersion::NEWEST);
    let f = r.findings();
    let cidrs: Vec<_> =
        f.iter().filter(|x| x.0 == "deprecated-api" && r.diags.iter().any(|d| d.message.contains("cidrs"))).collect();
    assert!(!cidrs.is_empty(), "{}", dump(&r));
    for file in ["01-default-pool.yaml", "02-pool-with-selector.yaml"] {
        assert!(f.contains(&("deprecated-api", file.to_string(), 6)), "cidrs in {file}: {}", dump(&r));
    }
    assert!(f.contains(&("deprecated-api", "01-bgp-peering-policy.yaml".to_string(), 2)), "{}", dump(&r));
    assert!(
        r.diags.iter().any(|d| d.message.contains("CiliumBGPPeeringPolicy was removed in Cilium 1.19")),
        "{}",
        dump(&r)
    );
    // In 1.19 the policy is gone: no node runs BGP, and Effective says why.
    for n in r.eff.nodes.values() {
        assert!(n.instances.is_empty());
        assert!(
            matches!(&n.no_instance, Some(NoInstanceReason::NotServed(_) | NoInstanceReason::NoBgpConfig)),
            "{:?}",
            n.no_instance
        );
    }
}

#[test]
fn edgerouter_at_its_own_version() {
    // The write-up ran Cilium 1.14: cidrs and the PeeringPolicy were current.
    let r = lab("edgerouter-l4", CiliumVersion::new(14));
    assert!(r.diags.is_empty(), "{}", dump(&r));
    let w1 = &r.eff.nodes["worker01"];
    assert_eq!(w1.config, Some(ConfigRef::PeeringPolicy("01-bgp-peering-policy".into())));
    let p = &w1.instances[0].peers[0];
    assert_eq!(p.name.value, "192.168.101.1/32");
    assert_eq!(p.peer_asn.as_ref().map(|a| a.value), Some(64512));
    // worker02 and worker03 are not selected: Effective says so and by which selector.
    for w in ["worker02", "worker03"] {
        let n = &r.eff.nodes[w];
        assert!(n.instances.is_empty());
        match &n.no_instance {
            Some(NoInstanceReason::NotSelected { configs }) => {
                assert_eq!(configs[0].0, ConfigRef::PeeringPolicy("01-bgp-peering-policy".into()));
                assert!(configs[0].1.is_some());
            }
            other => panic!("{w}: {other:?}"),
        }
    }
}

#[test]
fn edgerouter_at_1_16_cidrs_removed_policy_still_served() {
    let r = lab("edgerouter-l4", CiliumVersion::new(16));
    let msgs: Vec<&str> = r.diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(msgs.iter().filter(|m| m.contains("spec.cidrs was removed")).count(), 2, "{}", dump(&r));
    assert!(!msgs.iter().any(|m| m.contains("PeeringPolicy")), "{}", dump(&r));
    assert!(!r.eff.nodes["worker01"].instances.is_empty());
}

#[test]
fn k3d_gateway_is_clean_at_its_version() {
    let r = lab("k3d-gateway", CiliumVersion::new(14));
    assert!(r.diags.is_empty(), "{}", dump(&r));
    assert_eq!(r.eff.nodes.values().filter(|n| n.instances.len() == 1).count(), 3);
    let p = &r.eff.nodes["k3d-cilium-cluster-server-0"].instances[0].peers[0];
    assert_eq!(p.peer_asn.as_ref().map(|a| a.value), Some(64513));
}

#[test]
fn k3d_gateway_has_no_errors_except_for_removed_apis() {
    use crate::diag::Severity;
    let r = lab("k3d-gateway", CiliumVersion::new(15));
    assert!(r.diags.iter().all(|d| d.severity < Severity::Error), "{}", dump(&r));
}

#[test]
fn no_secret_value_in_any_finding() {
    let mut read_one = false;
    for lab_name in ["mdhlabs", "edgerouter-l4", "k3d-gateway"] {
        for v in [14, 15, 16, 17, 18, 19] {
            let r = lab(lab_name, CiliumVersion::new(v));
            read_one |= r.cluster.secrets.values().any(|s| s.get("password").is_some());
            super::assert_no_secret_printed(&r, lab_name);
        }
    }
    assert!(read_one, "the mdhlabs Secret was read");
}
