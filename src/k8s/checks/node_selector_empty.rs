//! node-selector-empty: a ClusterConfig or PeeringPolicy nodeSelector that selects none of
//! the Nodes given, or a NodeConfigOverride named after no Node. Cilium then creates no
//! BGP instance from it (condition `cilium.io/NoMatchingNode`), so its peers wait forever.

use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::k8s::cluster::Cluster;
use crate::k8s::decode::did_you_mean;
use crate::k8s::effective::{ConfigRef, Effective, EmptyKind};
use crate::k8s::selector::LabelSelector;

pub static META: RuleMeta = RuleMeta {
    code: "K8S007",
    name: "node-selector-empty",
    severity: Severity::Warning,
    group: RuleGroup::Kubernetes,
    summary: "a nodeSelector (or NodeConfigOverride name) that matches none of the Nodes given",
    docs: include_str!("../../../docs/rules/K8S007.md"),
};

pub fn check_node_selector_empty(cluster: &Cluster, eff: &Effective, out: &mut Vec<Diagnostic>) {
    // Without Node manifests there is nothing to compare with.
    if cluster.nodes.is_empty() {
        return;
    }
    let n = cluster.nodes.len();
    for e in &eff.empty_selections {
        let loc = e.loc;
        match &e.what {
            EmptyKind::NodeSelectorMatchesNoNode { config } => {
                let (kind, name, sel) = match config {
                    ConfigRef::ClusterConfig(c) => (
                        "CiliumBGPClusterConfig",
                        c,
                        cluster.cluster_configs.get(c).and_then(|x| x.node_selector.as_ref()),
                    ),
                    ConfigRef::PeeringPolicy(p) => (
                        "CiliumBGPPeeringPolicy",
                        p,
                        cluster.peering_policies.get(p).and_then(|x| x.node_selector.as_ref()),
                    ),
                };
                let desc = sel.map_or_else(String::new, |s| format!("{} ", s.describe()));
                let mut d = Diagnostic::new(&META, loc.file, loc.span, format!("nodeSelector {desc}of {kind} `{name}` matches none of the {n} Node{}; Cilium runs no BGP from it", if n == 1 { "" } else { "s" }))
                    .help("fix the selector or label the nodes; without a nodeSelector every node is selected");
                if let Some(sel) = sel {
                    d = near_miss(cluster, sel, d);
                }
                out.push(d);
            }
            EmptyKind::OverrideMatchesNoNode { node } => {
                let names = cluster.nodes.keys().map(|s| s.as_str());
                let help = match did_you_mean(node, names) {
                    Some(s) => format!("the name must equal a node's name: did you mean `{s}`?"),
                    None => "name the override exactly like the node it configures".to_string(),
                };
                out.push(
                    Diagnostic::new(
                        &META,
                        loc.file,
                        loc.span,
                        format!("CiliumBGPNodeConfigOverride `{node}` is named after no Node; it applies nowhere"),
                    )
                    .help(help),
                );
            }
            _ => {}
        }
    }
}

/// Point at a node that has the selector's key with another value.
fn near_miss(cluster: &Cluster, sel: &LabelSelector, d: Diagnostic) -> Diagnostic {
    for (key, want) in &sel.match_labels {
        for node in cluster.nodes.values() {
            if let (Some(have), Some(at)) = (node.meta.labels.get(key), node.meta.label_locs.get(key)) {
                if have != &want.value {
                    return d.related(
                        at.file,
                        at.span,
                        format!("node {} is labelled {key}: {have}", node.meta.name.value),
                    );
                }
            }
        }
    }
    d
}
