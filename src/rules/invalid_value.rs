//! invalid-value: a value FRR rejects although the line has the right shape (a number
//! out of range, a malformed prefix, ge/le out of order, a hold time of 1 or 2, …).

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::lower::LowerIssueKind;
use crate::model::Config;
use crate::syntax::IssueKind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR002",
    name: "invalid-value",
    severity: Severity::Error,
    group: RuleGroup::Frr,
    summary: "a value FRR rejects: out of range, malformed, or inconsistent with the rest of the line",
    docs: include_str!("../../docs/rules/FRR002.md"),
};

pub struct InvalidValue;

impl Rule for InvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for issue in &cfg.syntax_issues {
            if let IssueKind::InvalidValue { expected } = &issue.kind {
                out.push(
                    Diagnostic::new(&META, cfg.file, issue.span, format!("invalid value: expected {expected}"))
                        .label("FRR rejects this line because of this value")
                        .help(format!("write a value of the form {expected}")),
                );
            }
        }
        for issue in cfg.lower_issues.iter().filter(|i| i.kind == LowerIssueKind::InvalidValue) {
            out.push(Diagnostic::new(&META, cfg.file, issue.span, issue.message.clone()).help(issue.help.clone()));
        }
    }
}
