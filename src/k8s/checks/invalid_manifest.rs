//! invalid-manifest: YAML the API server would refuse. Syntax errors, budget breaches, wrong
//! types and schema range violations are found while reading (`read`); this check adds the
//! rules that depend on the Cilium release.

use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::k8s::cluster::Cluster;
use crate::k8s::effective::Effective;

pub static META: RuleMeta = RuleMeta {
    code: "K8S008",
    name: "invalid-manifest",
    severity: Severity::Error,
    group: RuleGroup::Kubernetes,
    summary: "a manifest the API server would reject: YAML syntax, types, schema ranges and rules",
    docs: include_str!("../../../docs/rules/K8S008.md"),
};

pub fn check_invalid_manifest(_cluster: &Cluster, _eff: &Effective, _out: &mut Vec<Diagnostic>) {}
