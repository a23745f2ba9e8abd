//! secret-missing: an `authSecretRef` whose password Cilium cannot read. A missing Secret
//! is a soft failure (Cilium runs the session without TCP-MD5, so a router that expects a
//! password never accepts it); a Secret without a `password` key is a hard error that stops
//! the instance's peers from being reconciled.

use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::k8s::at::At;
use crate::k8s::cluster::Cluster;
use crate::k8s::effective::{resolve_password, Effective, PasswordProblem};
use crate::k8s::resources::{CiliumApi, Kind};
use crate::k8s::served::served;

pub static META: RuleMeta = RuleMeta {
    code: "K8S003",
    name: "secret-missing",
    severity: Severity::Error,
    group: RuleGroup::Kubernetes,
    summary: "an authSecretRef whose Secret or `password` key Cilium cannot find in its secrets namespace",
    docs: include_str!("../../../docs/rules/K8S003.md"),
};

pub fn check_secret_missing(cluster: &Cluster, eff: &Effective, out: &mut Vec<Diagnostic>) {
    let v = eff.options.version;
    let mut refs: Vec<&At<String>> = cluster
        .peer_configs
        .values()
        .filter(|pc| served(Kind::PeerConfig, pc.api.value, v).exists())
        .filter_map(|pc| pc.auth_secret_ref.as_ref())
        .collect();
    if served(Kind::PeeringPolicy, CiliumApi::V2Alpha1, v).exists() {
        let neighbors = cluster.peering_policies.values().flat_map(|p| &p.routers).flat_map(|r| &r.neighbors);
        refs.extend(neighbors.filter_map(|n| n.auth_secret_ref.as_ref()));
    }
    let ns = eff.options.secrets_namespace.as_str();
    for r in refs {
        let Err(problem) = resolve_password(cluster, ns, &r.value) else { continue };
        out.push(finding(cluster, r, problem));
    }
}

fn finding(cluster: &Cluster, r: &At<String>, problem: PasswordProblem) -> Diagnostic {
    let d = |msg: String| Diagnostic::new(&META, r.loc.file, r.loc.span, msg);
    match problem {
        PasswordProblem::SecretNotFound { namespace, name, elsewhere } if !elsewhere.is_empty() => {
            let mut diag =
                d(format!("Secret `{name}` is not in {namespace}, the namespace Cilium reads BGP passwords from"))
                    .label("Cilium runs this session without TCP-MD5")
                    .help(format!(
                "move the Secret to namespace {namespace}, or set the Helm value bgpControlPlane.secretsNamespace.name"
            ));
            for (k, loc) in elsewhere {
                diag = diag.related(loc.file, loc.span, format!("a Secret of that name in namespace {}", k.namespace));
            }
            diag
        }
        PasswordProblem::SecretNotFound { namespace, name, .. } if cluster.secrets.is_empty() => d(format!(
            "no Secret {namespace}/{name} among the manifests; without it Cilium runs the session without TCP-MD5"
        ))
        .severity(Severity::Warning)
        .help(format!(
            "add the Secret (namespace {namespace}, key password) to the checked files, unless it is managed elsewhere"
        )),
        PasswordProblem::SecretNotFound { namespace, name, .. } => {
            d(format!("Secret {namespace}/{name} does not exist; Cilium runs the session without TCP-MD5"))
                .help(format!("create Secret {name} in namespace {namespace} with key password, or fix the name"))
        }
        PasswordProblem::NoPasswordKey { secret, loc, keys } => {
            let has =
                if keys.is_empty() { "it has no keys".to_string() } else { format!("it has {}", keys.join(", ")) };
            d(format!("Secret {secret} has no `password` key ({has}); the agent fails to reconcile these peers"))
                .related(loc.file, loc.span, "the Secret")
                .help("store the password under the key `password`")
        }
        PasswordProblem::EmptyPassword { secret, loc } => {
            d(format!("the `password` of Secret {secret} is empty; the agent fails to reconcile these peers"))
                .related(loc.file, loc.span, "the empty value")
                .help("set the password, or remove authSecretRef to run without TCP-MD5")
        }
    }
}
