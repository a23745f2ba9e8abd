//! syntax-error: a line FRR's CLI does not accept (unknown, incomplete or ambiguous
//! command, a command of another FRR version, a line over FRR's length or token limit).

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::Config;
use crate::syntax::{grammar, IssueKind};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR001",
    name: "syntax-error",
    severity: Severity::Error,
    group: RuleGroup::Frr,
    summary: "a line FRR rejects: unknown, incomplete or ambiguous command, or one of another FRR version",
    docs: include_str!("../../docs/rules/FRR001.md"),
};

pub struct SyntaxError;

impl Rule for SyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        let g = grammar();
        for issue in &cfg.syntax_issues {
            let d = match &issue.kind {
                IssueKind::Unknown { node, suggestion, .. } => {
                    let d = Diagnostic::new(&META, cfg.file, issue.span, format!("unknown command in {}", g.node(*node).title))
                        .label("FRR rejects this line (\"Unknown command\")");
                    match suggestion {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help("check the spelling against FRR's command reference; keywords are case-sensitive"),
                    }
                }
                IssueKind::Incomplete { node, expected } => Diagnostic::new(&META, cfg.file, issue.span, format!("incomplete command in {}", g.node(*node).title))
                    .label("the line ends before the command is complete")
                    .help(if expected.is_empty() { "complete the command".to_string() } else { format!("continue with one of: {}", expected.join(", ")) }),
                IssueKind::Ambiguous { candidates } => Diagnostic::new(&META, cfg.file, issue.span, "ambiguous command")
                    .label("this abbreviation matches more than one command")
                    .help(format!("spell the keyword out; candidates: {}", candidates.join(" | "))),
                IssueKind::NotInVersion { target, since, until } => {
                    let when = match (since, until) {
                        (Some(s), _) if target < s => format!("needs FRR {s} or later"),
                        (_, Some(u)) => format!("was removed in FRR {u}"),
                        _ => "is not available".to_string(),
                    };
                    Diagnostic::new(&META, cfg.file, issue.span, format!("this command {when}; the target is FRR {target}"))
                        .label("FRR of the target version rejects this line")
                        .help("upgrade FRR, select the right target with --frr-version, or use the command form of that version")
                }
                IssueKind::LineTooLong { limit } => Diagnostic::new(&META, cfg.file, issue.span, format!("line longer than FRR's {limit}-byte buffer"))
                    .help("FRR splits longer lines and rejects the pieces; shorten the line"),
                IssueKind::TooManyTokens { limit } => Diagnostic::new(&META, cfg.file, issue.span, format!("more than {limit} words on one line"))
                    .help("FRR rejects commands with more words; split the values over several lines"),
                _ => continue,
            };
            out.push(d);
        }
    }
}
