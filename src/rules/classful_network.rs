//! classful-network: `network A.B.C.D` without a length. FRR applies the classful mask
//! (10.7.0.0 becomes 10.0.0.0/8), which is rarely what was meant.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::Config;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR205",
    name: "classful-network",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "`network` without a prefix length: FRR applies the classful mask",
    docs: include_str!("../../docs/rules/FRR205.md"),
};

pub struct ClassfulNetwork;

impl Rule for ClassfulNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for r in &cfg.routers {
            for af in r.afs.values() {
                for n in af.networks.iter().filter(|n| n.classful) {
                    out.push(
                        Diagnostic::new(&META, cfg.file, n.prefix.span, format!("no prefix length: FRR announces the classful {}", n.prefix.value))
                            .label("classful mask applied")
                            .help(format!("write the length explicitly, e.g. `network {}`", n.prefix.value)),
                    );
                }
            }
        }
    }
}
