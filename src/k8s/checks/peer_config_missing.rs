//! peer-config-missing: a ClusterConfig peer whose `peerConfigRef` names no
//! CiliumBGPPeerConfig. Cilium skips such a peer entirely (condition
//! `cilium.io/MissingPeerConfigs`); a peer with no reference at all runs on built-in
//! defaults, which advertise nothing.

use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::k8s::cluster::Cluster;
use crate::k8s::decode::did_you_mean;
use crate::k8s::effective::Effective;
use crate::k8s::resources::Kind;
use crate::k8s::served::served;

pub static META: RuleMeta = RuleMeta {
    code: "K8S004",
    name: "peer-config-missing",
    severity: Severity::Error,
    group: RuleGroup::Kubernetes,
    summary: "a peer whose peerConfigRef names no CiliumBGPPeerConfig, so Cilium skips it",
    docs: include_str!("../../../docs/rules/K8S004.md"),
};

pub fn check_peer_config_missing(cluster: &Cluster, eff: &Effective, out: &mut Vec<Diagnostic>) {
    let v = eff.options.version;
    let existing: Vec<&str> = cluster
        .peer_configs
        .values()
        .filter(|pc| served(Kind::PeerConfig, pc.api.value, v).exists())
        .map(|pc| pc.meta.name.value.as_str())
        .collect();
    for cc in cluster.cluster_configs.values().filter(|cc| served(Kind::ClusterConfig, cc.api.value, v).exists()) {
        for p in cc.instances.iter().flat_map(|i| &i.peers) {
            let peer = &p.name.value;
            match &p.peer_config_ref {
                Some(r) if existing.contains(&r.value.as_str()) => {}
                Some(r) => {
                    let unserved = cluster.peer_configs.get(&r.value);
                    let help = match (unserved, did_you_mean(&r.value, existing.iter().copied())) {
                        (Some(pc), _) => format!(
                            "it exists as {}, which Cilium {v} does not serve; change its apiVersion",
                            pc.api.value.as_str()
                        ),
                        (None, Some(s)) => format!("did you mean `{s}`?"),
                        (None, None) => "create the CiliumBGPPeerConfig or fix the name".to_string(),
                    };
                    out.push(
                        Diagnostic::new(
                            &META,
                            r.loc.file,
                            r.loc.span,
                            format!("CiliumBGPPeerConfig `{}` does not exist; Cilium skips peer `{peer}`", r.value),
                        )
                        .help(help),
                    );
                }
                None => out.push(
                    Diagnostic::new(
                        &META,
                        p.name.loc.file,
                        p.name.loc.span,
                        format!("peer `{peer}` has no peerConfigRef; Cilium uses defaults that advertise nothing"),
                    )
                    .severity(Severity::Warning)
                    .help("add peerConfigRef naming a CiliumBGPPeerConfig whose families select advertisements"),
                ),
            }
        }
    }
}
