//! stray-block-exit: `exit-address-family` (or `exit-vrf`, `exit-vni`) where no such block
//! is open. FRR rejects the line ("Unknown command"); it changes nothing in the running
//! configuration, but `vtysh -f` exits with an error and frr-reload.py refuses the file.
//! It usually means an address-family block was closed by an implicit exit earlier.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::Config;
use crate::syntax::IssueKind;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR007",
    name: "stray-block-exit",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "`exit-address-family` (or exit-vrf, exit-vni) with no such block open: FRR rejects the line",
    docs: include_str!("../../docs/rules/FRR007.md"),
};

pub struct StrayBlockExit;

impl Rule for StrayBlockExit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for issue in cfg.syntax_issues.iter().filter(|i| i.kind == IssueKind::StrayExit) {
            out.push(
                Diagnostic::new(&META, cfg.file, issue.span, "no block of this kind is open here: FRR rejects this line, so `vtysh -f` and frr-reload.py fail on the file")
                    .label("nothing to close")
                    .help("remove the line; if an address-family block was meant to be open, look for a line above that left it (implicit-block-exit)"),
            );
        }
    }
}
