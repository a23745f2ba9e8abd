//! Findings as data: one [`Diagnostic`] type built the same way by every rule, the parser
//! and the cross-checks. Printing lives in `cli/`; nothing here writes to a terminal.
//!
//! A diagnostic has a stable code and kebab-case rule name (from its rule's [`RuleMeta`]),
//! a severity, a message saying what is wrong, an optional help saying how to fix it, a
//! primary label on the shortest span that shows the problem, and secondary labels that
//! may point into other files ("defined here", "the YAML side"). Messages and help never
//! carry secrets: callers say "passwords differ", never a password.

mod suggest;

pub use suggest::{edit_distance, suggest};

use crate::source::{FileId, Location, Sources, Span};
use std::fmt;

/// How bad a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which part of the tool a rule belongs to; decides what input it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleGroup {
    /// Reads one FRR configuration.
    Frr,
    /// Reads the Kubernetes/Cilium manifests alone.
    Kubernetes,
    /// Reads both sides and the sessions between them.
    Crosscheck,
}

/// A rule's fixed description. Codes are stable forever and never reused.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub group: RuleGroup,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The rule's documentation page (docs/rules/<code>.md), embedded.
    pub docs: &'static str,
}

/// A place in an input file, with an optional message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: Option<String>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub primary: Label,
    pub related: Vec<Label>,
}

impl Diagnostic {
    /// Start a finding of `meta`'s rule at `span` in `file`, with its default severity.
    pub fn new(meta: &'static RuleMeta, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code: meta.code,
            rule: meta.name,
            severity: meta.severity,
            message: message.into(),
            help: None,
            primary: Label { file, span, message: None },
            related: Vec::new(),
        }
    }

    /// The text under the primary caret.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = Some(message.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// A secondary location, possibly in another file.
    pub fn related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label { file, span, message: Some(message.into()) });
        self
    }

    pub fn location(&self, sources: &Sources) -> Option<Location> {
        sources.try_get(self.primary.file).map(|f| Location::resolve(f, self.primary.span))
    }

    /// Sort key giving the stable output order: file, position, code.
    pub fn sort_key(&self) -> (FileId, u32, u32, &'static str) {
        (self.primary.file, self.primary.span.start, self.primary.span.end, self.code)
    }
}

/// Order findings the way every output format prints them and drop exact repeats.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then_with(|| a.message.cmp(&b.message)));
    diags.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    static META: RuleMeta = RuleMeta {
        code: "T001",
        name: "test-rule",
        severity: Severity::Warning,
        group: RuleGroup::Frr,
        summary: "a test",
        docs: "",
    };

    #[test]
    fn builder_and_order() {
        let a = Diagnostic::new(&META, FileId(0), Span::new(10, 12), "b").help("fix");
        let b = Diagnostic::new(&META, FileId(0), Span::new(1, 2), "a").severity(Severity::Error);
        let mut v = vec![a.clone(), b.clone(), a.clone()];
        sort_and_dedup(&mut v);
        assert_eq!(v, vec![b, a]);
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Info);
    }
}
