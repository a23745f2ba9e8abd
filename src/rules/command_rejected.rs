//! command-rejected: a line that passes FRR's syntax check (`vtysh -C`) but that bgpd
//! rejects when it loads the configuration, so the running router silently lacks it.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::lower::LowerIssueKind;
use crate::model::Config;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR004",
    name: "command-rejected",
    severity: Severity::Error,
    group: RuleGroup::Frr,
    summary: "a command vtysh -C accepts but bgpd rejects in its context (undeclared neighbor or peer-group, …)",
    docs: include_str!("../../docs/rules/FRR004.md"),
};

pub struct CommandRejected;

impl Rule for CommandRejected {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for issue in cfg.lower_issues.iter().filter(|i| i.kind == LowerIssueKind::Rejected) {
            out.push(Diagnostic::new(&META, cfg.file, issue.span, issue.message.clone()).help(issue.help.clone()));
        }
    }
}
