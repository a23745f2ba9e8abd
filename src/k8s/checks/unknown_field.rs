//! unknown-field: a field the CRD schema of the object's API version does not define in the
//! selected Cilium release. The API server prunes such fields without an error, so the
//! object silently means something else (a typo'd `peerASn` becomes "any AS").

use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::k8s::cluster::Cluster;
use crate::k8s::effective::Effective;
use crate::k8s::schema::{judge, Verdict};
use crate::k8s::served::served;
use crate::k8s::version::CiliumVersion;

pub static META: RuleMeta = RuleMeta {
    code: "K8S001",
    name: "unknown-field",
    severity: Severity::Error,
    group: RuleGroup::Kubernetes,
    summary: "a field Cilium's CRD schema does not define, which the API server silently drops",
    docs: include_str!("../../../docs/rules/K8S001.md"),
};

pub fn check_unknown_field(cluster: &Cluster, eff: &Effective, out: &mut Vec<Diagnostic>) {
    let v = eff.options.version;
    // An object the release does not serve is reported whole by deprecated-api.
    for f in cluster.fields.iter().filter(|f| served(f.kind, f.api, v).exists()) {
        let name = f.path.last().map_or("", |s| s.as_str());
        let what = format!("{} {}", f.api.as_str(), f.kind.as_str());
        let (message, help) = match judge(f, v) {
            Verdict::Known | Verdict::Retired => continue,
            Verdict::Unknown { suggestion: Some(s), .. } => {
                (format!("`{name}` is not a field of {what}; the API server drops it"), format!("did you mean `{s}`?"))
            }
            Verdict::Unknown { elsewhere: Some(p), .. } => {
                (format!("`{name}` is not a field here in {what}; the API server drops it"), format!("move it to {p}"))
            }
            Verdict::Unknown { .. } => (
                format!("`{name}` is not a field of {what}; the API server drops it"),
                "remove it, or check the field name against Cilium's documentation".to_string(),
            ),
            Verdict::AddedIn(since) => (
                format!("`{name}` {}; Cilium {v} drops it", needs(since)),
                "upgrade Cilium, or remove the field".to_string(),
            ),
            Verdict::OtherApi(api) => (
                format!("`{name}` exists only in {} {}; the API server drops it here", api.as_str(), f.kind.as_str()),
                format!("change apiVersion to {}", api.as_str()),
            ),
            Verdict::OtherApiAddedIn(api, since) => (
                format!(
                    "`{name}` exists only in {} {} and {}; the API server drops it here",
                    api.as_str(),
                    f.kind.as_str(),
                    needs(since)
                ),
                format!("upgrade Cilium and use apiVersion {}, or remove the field", api.as_str()),
            ),
        };
        out.push(Diagnostic::new(&META, f.loc.file, f.loc.span, message).help(help));
    }
}

/// "needs Cilium 1.18", or that no release has it yet.
fn needs(since: CiliumVersion) -> String {
    if since > CiliumVersion::NEWEST {
        format!("is in no Cilium release up to {}", CiliumVersion::NEWEST)
    } else {
        format!("needs Cilium {since}")
    }
}
