//! advertisement-selects-nothing: a link of the advertisement chain that selects nothing,
//! so Cilium announces nothing for it: a PeerConfig family without an `advertisements`
//! selector or whose selector matches no CiliumBGPAdvertisement (by its metadata.labels),
//! a Service advertisement without `selector`, or a Service selector matching no Service.

use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::k8s::at::Loc;
use crate::k8s::cluster::Cluster;
use crate::k8s::effective::{Effective, EmptyKind};
use crate::k8s::selector::LabelSelector;
use std::collections::BTreeMap;

pub static META: RuleMeta = RuleMeta {
    code: "K8S005",
    name: "advertisement-selects-nothing",
    severity: Severity::Warning,
    group: RuleGroup::Kubernetes,
    summary: "a PeerConfig family, advertisement or Service selector that selects nothing, so nothing is announced",
    docs: include_str!("../../../docs/rules/K8S005.md"),
};

/// Labelled objects a selector could have meant: `(description, labels, label locations)`.
type Candidate<'a> = (String, &'a BTreeMap<String, String>, &'a BTreeMap<String, Loc>);

pub fn check_advertisement_selects_nothing(cluster: &Cluster, eff: &Effective, out: &mut Vec<Diagnostic>) {
    let any_service = !eff.services.is_empty();
    for e in &eff.empty_selections {
        let loc = e.loc;
        let d = match &e.what {
            EmptyKind::FamilyWithoutSelector { peer_config, afi, safi } => Diagnostic::new(
                &META,
                loc.file,
                loc.span,
                format!("family {}/{} of CiliumBGPPeerConfig `{peer_config}` has no `advertisements` selector; Cilium announces nothing in it", afi.as_str(), safi.as_str()),
            )
            .help("add `advertisements` with matchLabels that match a CiliumBGPAdvertisement's metadata.labels"),
            EmptyKind::FamilySelectsNoAdvertisement { peer_config, afi, safi } => {
                let sel = cluster.peer_configs.get(peer_config).and_then(|pc| {
                    pc.families.iter().filter_map(|f| f.advertisements.as_ref()).find(|s| s.loc == loc)
                });
                let candidates: Vec<Candidate> = cluster
                    .advertisements
                    .values()
                    .map(|a| (format!("CiliumBGPAdvertisement `{}`", a.meta.name.value), &a.meta.labels, &a.meta.label_locs))
                    .collect();
                let msg = format!(
                    "advertisements selector {} of CiliumBGPPeerConfig `{peer_config}` matches no CiliumBGPAdvertisement; Cilium announces nothing for {}/{}",
                    sel.map_or_else(String::new, |s| s.describe()),
                    afi.as_str(),
                    safi.as_str()
                );
                near_miss(sel, loc, msg, &candidates, "the selector matches CiliumBGPAdvertisement metadata.labels; make the two agree")
            }
            EmptyKind::NoFamilies { peer_config } => Diagnostic::new(
                &META,
                loc.file,
                loc.span,
                format!("CiliumBGPPeerConfig `{peer_config}` lists no families; Cilium negotiates IPv4 and IPv6 unicast and announces nothing"),
            )
            .help("add families with an `advertisements` selector"),
            EmptyKind::ServiceAdvertWithoutSelector { advertisement } => Diagnostic::new(
                &META,
                loc.file,
                loc.span,
                format!("Service advertisement in `{advertisement}` has no selector; it selects no Service"),
            )
            .help("add a selector; to select every Service use matchExpressions [{key: somekey, operator: NotIn, values: [never-used-value]}]"),
            EmptyKind::ServiceSelectorMatchesNoService { advertisement } if any_service => {
                let sel = cluster.advertisements.get(advertisement).and_then(|a| a.entries.iter().filter_map(|e| e.selector.as_ref()).find(|s| s.loc == loc));
                if sel.is_some_and(|s| gateway_would_match(cluster, s)) {
                    continue; // gateway-labels-not-propagated explains this one
                }
                let msg = format!("selector {} of advertisement `{advertisement}` matches no Service; it announces nothing", sel.map_or_else(String::new, |s| s.describe()));
                near_miss(sel, loc, msg, &service_candidates(cluster), "make the selector match the Service's labels (or io.kubernetes.service.name / .namespace)")
            }
            EmptyKind::PolicySelectsNoService { policy } if any_service => {
                let sel = cluster.peering_policies.get(policy).and_then(|p| p.routers.iter().filter_map(|r| r.service_selector.as_ref()).find(|s| s.loc == loc));
                if sel.is_some_and(|s| gateway_would_match(cluster, s)) {
                    continue;
                }
                let msg = format!("serviceSelector {} of CiliumBGPPeeringPolicy `{policy}` matches no Service", sel.map_or_else(String::new, |s| s.describe()));
                near_miss(sel, loc, msg, &service_candidates(cluster), "make the selector match the Service's labels")
            }
            EmptyKind::PolicyAnnouncesNothing { policy } => Diagnostic::new(
                &META,
                loc.file,
                loc.span,
                format!("a virtual router of CiliumBGPPeeringPolicy `{policy}` neither exports pod CIDRs nor selects Services; it announces nothing"),
            )
            .help("set exportPodCIDR: true or a serviceSelector"),
            _ => continue,
        };
        out.push(d);
    }
}

fn service_candidates(cluster: &Cluster) -> Vec<Candidate<'_>> {
    cluster.services.iter().map(|(k, s)| (format!("Service {k}"), &s.meta.labels, &s.meta.label_locs)).collect()
}

/// Whether a Gateway's own labels would satisfy `sel` (the generated Service lacks them).
fn gateway_would_match(cluster: &Cluster, sel: &LabelSelector) -> bool {
    cluster.gateways.values().any(|g| sel.matches(&g.meta.labels))
}

/// The finding, pointing at the selector's label whose value differs from an object that
/// carries the same key, when there is one.
fn near_miss(sel: Option<&LabelSelector>, loc: Loc, msg: String, candidates: &[Candidate], help: &str) -> Diagnostic {
    if let Some(sel) = sel {
        for (key, want) in &sel.match_labels {
            for (desc, labels, locs) in candidates {
                let (Some(have), Some(at)) = (labels.get(key), locs.get(key)) else { continue };
                if have != &want.value {
                    return Diagnostic::new(&META, want.loc.file, want.loc.span, msg)
                        .related(at.file, at.span, format!("{desc} is labelled {key}: {have}"))
                        .help(help.to_string());
                }
            }
        }
    }
    Diagnostic::new(&META, loc.file, loc.span, msg).help(help.to_string())
}
