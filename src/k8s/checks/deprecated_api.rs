//! deprecated-api: an API version, kind or field the selected Cilium release deprecated,
//! removed, or does not serve yet. Deprecated ones still work (with a warning); removed
//! ones are refused or, for fields, dropped, so the object no longer does what it says.

use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::k8s::at::Loc;
use crate::k8s::cluster::Cluster;
use crate::k8s::effective::Effective;
use crate::k8s::resources::{CiliumApi, Kind, Meta};
use crate::k8s::schema::{judge, Verdict};
use crate::k8s::served::{served, Served};
use crate::k8s::version::{CiliumVersion, Feature};

pub static META: RuleMeta = RuleMeta {
    code: "K8S002",
    name: "deprecated-api",
    severity: Severity::Warning,
    group: RuleGroup::Kubernetes,
    summary: "an API version, kind or field that the selected Cilium release deprecated, removed or does not serve yet",
    docs: include_str!("../../../docs/rules/K8S002.md"),
};

pub fn check_deprecated_api(cluster: &Cluster, eff: &Effective, out: &mut Vec<Diagnostic>) {
    let v = eff.options.version;
    let c = cluster;
    let objects = c
        .cluster_configs
        .values()
        .map(|o| (Kind::ClusterConfig, o.api.value, &o.meta))
        .chain(c.peer_configs.values().map(|o| (Kind::PeerConfig, o.api.value, &o.meta)))
        .chain(c.advertisements.values().map(|o| (Kind::Advertisement, o.api.value, &o.meta)))
        .chain(c.overrides.values().map(|o| (Kind::NodeConfigOverride, o.api.value, &o.meta)))
        .chain(c.peering_policies.values().map(|o| (Kind::PeeringPolicy, CiliumApi::V2Alpha1, &o.meta)))
        .chain(c.pools.values().map(|o| (Kind::LbIpPool, o.api.value, &o.meta)));
    for (kind, api, meta) in objects {
        api_finding(kind, api, meta, v, out);
    }
    for p in c.pools.values() {
        if let Some(key) = p.cidrs_key {
            cidrs_finding(key, !p.blocks.is_empty(), v, out);
        }
    }
    for pc in c.peer_configs.values().filter(|pc| pc.api.value == CiliumApi::V2Alpha1) {
        if let Some(lp) = pc.transport_local_port.as_ref().filter(|_| v.has(Feature::TransportLocalPortDeprecated)) {
            out.push(
                Diagnostic::new(&META, lp.loc.file, lp.loc.span, "transport.localPort is deprecated since Cilium 1.17 and has no effect")
                    .help("remove it: outgoing connections use an ephemeral source port; to make Cilium listen, set bgpInstances[].localPort"),
            );
        }
    }
    for o in c.overrides.values() {
        for p in o.instances.iter().flat_map(|i| &i.peers) {
            if let Some(lp) = &p.local_port {
                out.push(
                    Diagnostic::new(
                        &META,
                        lp.loc.file,
                        lp.loc.span,
                        "peers[].localPort of an override is deprecated and never had an effect",
                    )
                    .help("remove it: the source port is ephemeral; bgpInstances[].localPort sets the listen port"),
                );
            }
        }
    }
    for f in &c.fields {
        if judge(f, v) != Verdict::Retired {
            continue;
        }
        let path = f.dotted();
        let msg = match path.as_str() {
            "spec.transport.localPort" => {
                "transport.localPort does not exist in cilium.io/v2; the API server drops it".to_string()
            }
            p if p.ends_with("peerConfigRef.group") || p.ends_with("peerConfigRef.kind") => {
                format!(
                    "peerConfigRef.{} was removed in cilium.io/v2; the API server drops it",
                    f.path.last().map_or("", |s| s.as_str())
                )
            }
            // `spec.cidrs` is reported from the typed pool, with its consequence.
            _ => continue,
        };
        let help = if path == "spec.transport.localPort" {
            "remove it: the source port is ephemeral; bgpInstances[].localPort (1.18+) sets the listen port"
        } else {
            "remove it: v2 references are always CiliumBGPPeerConfig in cilium.io"
        };
        out.push(Diagnostic::new(&META, f.loc.file, f.loc.span, msg).help(help));
    }
}

fn api_finding(kind: Kind, api: CiliumApi, meta: &Meta, v: CiliumVersion, out: &mut Vec<Diagnostic>) {
    // A removed or deprecated kind is the kind's fault; a version problem the apiVersion's.
    let loc = if kind == Kind::PeeringPolicy { meta.kind.loc } else { meta.api_version.loc };
    let k = kind.as_str();
    let (severity, message, help) = match served(kind, api, v) {
        Served::Yes => return,
        Served::Deprecated { since } if kind == Kind::PeeringPolicy => (
            Severity::Warning,
            format!("{k} (BGPv1) is deprecated since Cilium {since} and removed in 1.19"),
            "migrate to CiliumBGPClusterConfig, CiliumBGPPeerConfig and CiliumBGPAdvertisement".to_string(),
        ),
        Served::Deprecated { since } => {
            let mut help = format!("change apiVersion to {}; the fields are the same", CiliumApi::V2.as_str());
            if kind == Kind::LbIpPool && v.minor() >= 19 {
                help.push_str(" (v2alpha1 pools are reported to be no longer served in 1.19)");
            }
            (Severity::Warning, format!("{} {k} is deprecated since Cilium {since}", api.as_str()), help)
        }
        Served::Removed { since } => (
            Severity::Error,
            format!(
                "{k} was removed in Cilium {since}; Cilium {v} ignores it and the nodes it selects run no BGP from it"
            ),
            "migrate to CiliumBGPClusterConfig, CiliumBGPPeerConfig and CiliumBGPAdvertisement".to_string(),
        ),
        Served::NotYet { since } => {
            let other =
                if api == CiliumApi::V2 && v.has(Feature::BgpV2Alpha1) { Some(CiliumApi::V2Alpha1) } else { None };
            let help = match other {
                Some(o) => format!("use apiVersion {} with Cilium {v}, or upgrade", o.as_str()),
                None => format!("upgrade Cilium to {since} or later"),
            };
            (
                Severity::Error,
                format!("{} {k} is served from Cilium {since}; Cilium {v} rejects it", api.as_str()),
                help,
            )
        }
    };
    out.push(Diagnostic::new(&META, loc.file, loc.span, message).severity(severity).help(help));
}

fn cidrs_finding(key: Loc, has_blocks: bool, v: CiliumVersion, out: &mut Vec<Diagnostic>) {
    if !v.has(Feature::PoolCidrsDeprecated) {
        return;
    }
    let d = if v.has(Feature::PoolCidrs) {
        Diagnostic::new(&META, key.file, key.span, "spec.cidrs is deprecated since Cilium 1.15 and removed in 1.16")
    } else {
        let consequence = if has_blocks { "its entries are ignored" } else { "the pool has no addresses" };
        Diagnostic::new(
            &META,
            key.file,
            key.span,
            format!("spec.cidrs was removed in Cilium 1.16; the API server drops it and {consequence}"),
        )
        .severity(Severity::Error)
    };
    out.push(d.help("rename `cidrs` to `blocks`; the entries keep the same form"));
}
