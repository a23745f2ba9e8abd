//! early-end: `end` before the last line, or `exit` at the top level. vtysh ignores `end`
//! but bgpd reading its own file stops configuring there; a top-level `exit` makes vtysh
//! 9.1+ stop reading and FRR 8.x fail every later line.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::Config;
use crate::syntax::IssueKind;

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
        for issue in &cfg.syntax_issues {
            let d = match issue.kind {
                IssueKind::EndInFile => Diagnostic::new(&META, cfg.file, issue.span, "`end` before the last command: bgpd reading this file stops configuring here")
                    .help("remove `end`, or move it to the last line"),
                IssueKind::TopLevelExit => Diagnostic::new(&META, cfg.file, issue.span, "`exit` at the top level: vtysh 9.1+ stops reading the file here, FRR 8.x rejects every later line")
                    .help("remove this `exit`; blocks are closed by `exit` inside them"),
                _ => continue,
            };
            out.push(d);
        }
    }
}
