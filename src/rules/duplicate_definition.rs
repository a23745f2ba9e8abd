//! duplicate-definition: the same object or entry written twice, which FRR merges,
//! replaces or ignores without a word (a repeated prefix-list seq replaces the earlier
//! entry, a repeated route-map header reopens the entry, a second `match` of a kind
//! replaces the first instead of adding to it).

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::{Config, DuplicateKind};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR103",
    name: "duplicate-definition",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "an object or entry defined twice: FRR silently replaces, merges or ignores one of them",
    docs: include_str!("../../docs/rules/FRR103.md"),
};

pub struct DuplicateDefinition;

impl Rule for DuplicateDefinition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for d in &cfg.duplicates {
            let (msg, help) = match d.what {
                DuplicateKind::IgnoredRepeat => (format!("{} {}: this entry repeats an earlier one and FRR keeps only one", d.kind, d.name), "remove the repeated line".to_string()),
                DuplicateKind::ReplacedSeq => (format!("{} {}: this sequence number is already used, so FRR replaces the earlier entry", d.kind, d.name), "give the entry its own sequence number, or delete the earlier line".to_string()),
                DuplicateKind::ReopenedEntry => (format!("{} {}: this entry header repeats an earlier one; FRR merges the two and keeps the last action", d.kind, d.name), "write each route-map entry once, with a distinct sequence number".to_string()),
                DuplicateKind::ReplacedStatement => (format!("route-map {}: a second statement of the same kind replaces the first (FRR does not OR them)", d.name), "use one statement per kind; to match several lists, merge them or use separate entries".to_string()),
                DuplicateKind::Redeclared => (format!("{} {} is declared twice", d.kind, d.name), "remove the second declaration".to_string()),
            };
            out.push(Diagnostic::new(&META, cfg.file, d.span, msg).help(help).related(cfg.file, d.first, "first defined here"));
        }
    }
}
