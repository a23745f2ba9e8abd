//! early-end: `end`, or `exit` at the top level, with commands after it. vtysh ignores
//! `end` but bgpd reading its own file stops configuring there; a top-level `exit` makes
//! vtysh 9.1+ stop reading and FRR 8.x fail every later line.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::Config;
use crate::model::lower::LowerIssueKind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR005",
    name: "early-end",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "`end` before the end of the file or `exit` at the top level: later lines may be lost",
    docs: include_str!("../../docs/rules/FRR005.md"),
};

pub struct EarlyEnd;

impl Rule for EarlyEnd {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        // Lowering keeps only the `end`/`exit` lines that have commands after them.
        for issue in cfg.lower_issues.iter().filter(|i| i.kind == LowerIssueKind::EarlyEnd) {
            out.push(Diagnostic::new(&META, cfg.file, issue.span, issue.message.clone()).help(issue.help.clone()));
        }
    }
}
