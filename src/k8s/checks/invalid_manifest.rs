//! invalid-manifest: a manifest the API server (or Cilium's agent) refuses. YAML syntax
//! errors, parser budget breaches, wrong types, schema ranges and single-object rules are
//! found while reading ([`crate::k8s::read`]); this check adds the rules that depend on the
//! Cilium release: ranges and enum values that changed, validation rules added later, and
//! instances the agent refuses.

use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::k8s::cluster::Cluster;
use crate::k8s::effective::Effective;
use crate::k8s::resources::bgp::{AdvertType, AutoDiscovery};
use crate::k8s::resources::{CiliumApi, Kind};
use crate::k8s::served::served;
use crate::k8s::version::Feature;

pub static META: RuleMeta = RuleMeta {
    code: "K8S008",
    name: "invalid-manifest",
    severity: Severity::Error,
    group: RuleGroup::Kubernetes,
    summary: "a manifest the API server would reject: YAML syntax, types, schema ranges and rules",
    docs: include_str!("../../../docs/rules/K8S008.md"),
};

pub fn check_invalid_manifest(cluster: &Cluster, eff: &Effective, out: &mut Vec<Diagnostic>) {
    let v = eff.options.version;
    let mut push = |loc: crate::k8s::at::Loc, severity: Severity, msg: String, help: &str| {
        out.push(Diagnostic::new(&META, loc.file, loc.span, msg).severity(severity).help(help.to_string()));
    };
    for cc in cluster.cluster_configs.values().filter(|c| served(Kind::ClusterConfig, c.api.value, v).exists()) {
        let ov_asn = |inst: &str| {
            cluster
                .overrides
                .values()
                .any(|o| o.instances.iter().any(|i| i.name.value == inst && i.local_asn.is_some()))
                && v.has(Feature::OverrideLocalAsn)
        };
        for i in &cc.instances {
            if i.local_asn.is_none() && !ov_asn(&i.name.value) {
                push(
                    i.name.loc,
                    Severity::Error,
                    format!("BGP instance `{}` has no localASN; the agent refuses it (\"missing ASN\")", i.name.value),
                    "set localASN, the cluster's AS number",
                );
            }
            for p in &i.peers {
                if let Some(asn) = p.peer_asn.as_ref().filter(|a| a.value == 0 && !v.has(Feature::PeerAsnZeroAny)) {
                    push(
                        asn.loc,
                        Severity::Error,
                        format!("peerASN 0 (any AS) needs Cilium 1.17; Cilium {v} requires 1 or more"),
                        "write the router's AS number",
                    );
                }
                if let Some(ad) = &p.auto_discovery {
                    if matches!(ad.value, AutoDiscovery::Unnumbered { .. }) && !v.has(Feature::Unnumbered) {
                        push(
                            ad.loc,
                            Severity::Error,
                            format!("autoDiscovery mode Unnumbered is in no Cilium release up to {v}"),
                            "use mode DefaultGateway or a peerAddress",
                        );
                    }
                }
            }
        }
    }
    for a in cluster.advertisements.values().filter(|a| served(Kind::Advertisement, a.api.value, v).exists()) {
        for e in &a.entries {
            let t = e.advertisement_type.value;
            let tloc = e.advertisement_type.loc;
            if t == AdvertType::Interface && !(v.has(Feature::Interface) && a.api.value == CiliumApi::V2) {
                push(
                    tloc,
                    Severity::Error,
                    format!("advertisementType Interface needs cilium.io/v2 and Cilium 1.19 (checking {v})"),
                    "use PodCIDR or Service, or upgrade",
                );
            }
            if t == AdvertType::Service && e.service.is_none() {
                let (sev, msg) = if v.has(Feature::CelServiceRequired) {
                    (
                        Severity::Error,
                        "a Service advertisement needs `service.addresses`; the API server rejects it".to_string(),
                    )
                } else {
                    (
                        Severity::Warning,
                        "a Service advertisement without `service.addresses` announces nothing".to_string(),
                    )
                };
                push(tloc, sev, msg, "add service: {addresses: [LoadBalancerIP]}");
            }
            if t != AdvertType::Service && e.service.is_some() && v.has(Feature::Interface) {
                push(
                    tloc,
                    Severity::Error,
                    format!("`service` is only allowed with advertisementType Service (Cilium {v})"),
                    "remove `service` or change the type",
                );
            }
            if t == AdvertType::PodCidr {
                if let Some(sel) = &e.selector {
                    let sev = if v.has(Feature::CelPodCidrNoSelector) { Severity::Error } else { Severity::Warning };
                    let msg = if sev == Severity::Error {
                        "a PodCIDR advertisement must not have a selector; the API server rejects it".to_string()
                    } else {
                        "a PodCIDR advertisement ignores its selector; every node announces its own pod CIDR"
                            .to_string()
                    };
                    push(sel.loc, sev, msg, "remove the selector");
                }
            }
        }
    }
}
