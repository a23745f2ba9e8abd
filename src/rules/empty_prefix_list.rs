//! empty-prefix-list: a prefix-list with no entries (only a description, or every entry
//! removed). FRR treats an empty list as permitting everything.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::Config;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR303",
    name: "empty-prefix-list",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "a prefix-list with no entries: FRR lets every prefix through it",
    docs: include_str!("../../docs/rules/FRR303.md"),
};

pub struct EmptyPrefixList;

impl Rule for EmptyPrefixList {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for pl in cfg.prefix_lists.values().filter(|p| p.entries.is_empty()) {
            out.push(
                Diagnostic::new(&META, cfg.file, pl.span, format!("{} prefix-list {} has no entries: FRR permits every prefix through it", pl.afi.ip_keyword(), pl.name))
                    .help("add the entries it should hold, ending with an explicit deny if that is the intent"),
            );
        }
    }
}
