//! implicit-block-exit: an indented line that is not a command of the block it sits in,
//! so FRR silently leaves the block and runs it in a parent; later lines then land in the
//! parent too (e.g. per-family neighbor commands applied to ipv4 unicast).

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::Config;
use crate::syntax::{grammar, IssueKind};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR003",
    name: "implicit-block-exit",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "an indented line that silently leaves its address-family or block",
    docs: include_str!("../../docs/rules/FRR003.md"),
};

pub struct ImplicitBlockExit;

impl Rule for ImplicitBlockExit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        let g = grammar();
        for issue in &cfg.syntax_issues {
            if let IssueKind::ImplicitExit { from, to } = issue.kind {
                out.push(
                    Diagnostic::new(&META, cfg.file, issue.span, format!("this line is not a command of {}: FRR leaves the block and runs it in {}", g.node(from).title, g.node(to).title))
                        .label("indented as if inside the block")
                        .help(format!("move the line out of the {} block (or end the block with `exit` first) so that the file says what FRR does", g.node(from).title)),
                );
            }
        }
    }
}
