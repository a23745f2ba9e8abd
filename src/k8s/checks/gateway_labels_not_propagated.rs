//! gateway-labels-not-propagated: a Gateway label that an advertisement or LB pool selects
//! on, which never reaches the Service Cilium generates for the Gateway. That Service
//! (`cilium-gateway-<name>`) carries only `spec.infrastructure.labels` and Cilium's own
//! labels, not the Gateway's metadata.labels, so the selector misses the Gateway's address.

use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::k8s::cluster::Cluster;
use crate::k8s::effective::services::{
    gateway_service_labels, gateway_service_name, SERVICE_NAMESPACE_LABEL, SERVICE_NAME_LABEL,
};
use crate::k8s::effective::Effective;
use crate::k8s::resources::core::Gateway;
use crate::k8s::resources::{CiliumApi, Kind, NsName};
use crate::k8s::selector::LabelSelector;
use crate::k8s::served::served;
use crate::k8s::version::Feature;
use std::collections::BTreeMap;

pub static META: RuleMeta = RuleMeta {
    code: "K8S006",
    name: "gateway-labels-not-propagated",
    severity: Severity::Error,
    group: RuleGroup::Kubernetes,
    summary: "a Gateway label that a selector relies on, which Cilium does not copy to the Gateway's generated Service",
    docs: include_str!("../../../docs/rules/K8S006.md"),
};

pub fn check_gateway_labels_not_propagated(cluster: &Cluster, eff: &Effective, out: &mut Vec<Diagnostic>) {
    let v = eff.options.version;
    let selectors = service_selectors(cluster, eff);
    for (key, g) in &cluster.gateways {
        let svc_key = NsName::new(key.namespace.clone(), gateway_service_name(&key.name));
        // The generated Service's labels: from a manifest of it if one was given.
        let actual = match eff.services.get(&svc_key) {
            Some(view) => view.selector_labels(),
            None => with_pseudo(gateway_service_labels(g, v), &svc_key),
        };
        let mut hoped = actual.clone();
        for (k, val) in &g.meta.labels {
            hoped.entry(k.clone()).or_insert_with(|| val.clone());
        }
        for (owner, sel) in &selectors {
            if sel.matches(&actual) || !sel.matches(&hoped) {
                continue;
            }
            // Another selector of the same object selects the Service anyway (e.g. by
            // `io.cilium.gateway/owning-gateway`): the missing label changes nothing.
            if selectors.iter().any(|(o, other)| o == owner && other.matches(&actual)) {
                continue;
            }
            out.push(finding(g, &svc_key, owner, sel, &actual, v.has(Feature::GatewayInfrastructureLabels)));
        }
    }
}

/// Every Service selector Cilium applies: advertisements, LB pools, BGPv1 routers.
fn service_selectors<'c>(cluster: &'c Cluster, eff: &Effective) -> Vec<(String, &'c LabelSelector)> {
    let v = eff.options.version;
    let mut out = Vec::new();
    for a in cluster.advertisements.values().filter(|a| served(Kind::Advertisement, a.api.value, v).exists()) {
        for sel in a.entries.iter().filter_map(|e| e.selector.as_ref()) {
            out.push((format!("CiliumBGPAdvertisement `{}`", a.meta.name.value), sel));
        }
    }
    for p in cluster.pools.values().filter(|p| served(Kind::LbIpPool, p.api.value, v).exists()) {
        if let Some(sel) = &p.service_selector {
            out.push((format!("CiliumLoadBalancerIPPool `{}`", p.meta.name.value), sel));
        }
    }
    if served(Kind::PeeringPolicy, CiliumApi::V2Alpha1, v).exists() {
        for p in cluster.peering_policies.values() {
            for sel in p.routers.iter().filter_map(|r| r.service_selector.as_ref()) {
                out.push((format!("CiliumBGPPeeringPolicy `{}`", p.meta.name.value), sel));
            }
        }
    }
    out
}

fn with_pseudo(mut labels: BTreeMap<String, String>, key: &NsName) -> BTreeMap<String, String> {
    labels.insert(SERVICE_NAME_LABEL.into(), key.name.clone());
    labels.insert(SERVICE_NAMESPACE_LABEL.into(), key.namespace.clone());
    labels
}

fn finding(
    g: &Gateway,
    svc: &NsName,
    owner: &str,
    sel: &LabelSelector,
    actual: &BTreeMap<String, String>,
    infra: bool,
) -> Diagnostic {
    // The Gateway labels the selector needs and the Service lacks; point at the first.
    let missing: Vec<(&String, &String)> = g
        .meta
        .labels
        .iter()
        .filter(|(k, v)| actual.get(*k) != Some(*v) && sel.required_labels().get(*k) == Some(*v))
        .collect();
    let (primary, shown) = match missing.first().and_then(|(k, _)| g.meta.label_locs.get(*k).map(|l| (*l, *k))) {
        Some((loc, k)) => (loc, format!("`{k}: {}`", g.meta.labels.get(k).map_or("", |v| v.as_str()))),
        None => (g.meta.name.loc, "labels".to_string()),
    };
    let labels_yaml: Vec<String> = missing.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let help = if infra {
        format!(
            "add {} under spec.infrastructure.labels of the Gateway; Cilium copies those to {}",
            labels_yaml.join(", "),
            svc.name
        )
    } else {
        "Cilium before 1.15 copies no Gateway labels; upgrade and use spec.infrastructure.labels, or select io.cilium.gateway/owning-gateway".to_string()
    };
    Diagnostic::new(
        &META,
        primary.file,
        primary.span,
        format!("Gateway label {shown} does not reach Service {svc}, so {owner} does not select it"),
    )
    .related(sel.loc.file, sel.loc.span, format!("{owner} selects {}", sel.describe()))
    .help(help)
}
