//! What is wrong with a topology: one finding type for schema, reference and range problems,
//! each pointing at the TOML bytes it is about. Findings are data; `gen::cli` renders them
//! with miette. Messages never carry a password.

use crate::diag::Severity;
use std::ops::Range;

/// One finding about the topology file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub message: String,
    /// The bytes the finding is about; `None` when the file as a whole is meant.
    pub span: Option<Range<usize>>,
    /// Text under the caret.
    pub label: Option<String>,
    pub help: Option<String>,
    /// Other places that explain the finding ("first defined here").
    pub related: Vec<(Range<usize>, String)>,
}

impl Issue {
    pub fn error(span: Range<usize>, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Error,
            message: message.into(),
            span: Some(span),
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn warning(span: Range<usize>, message: impl Into<String>) -> Issue {
        Issue { severity: Severity::Warning, ..Issue::error(span, message) }
    }

    /// A finding about the whole file (no span to point at).
    pub fn file_error(message: impl Into<String>) -> Issue {
        Issue { span: None, ..Issue::error(0..0, message) }
    }

    pub fn label(mut self, label: impl Into<String>) -> Issue {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Issue {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, span: Range<usize>, message: impl Into<String>) -> Issue {
        self.related.push((span, message.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Findings in file order (errors before warnings at the same place), as printed.
pub fn sort(issues: &mut [Issue]) {
    issues.sort_by(|a, b| {
        let key = |i: &Issue| (i.span.as_ref().map_or(0, |s| s.start), std::cmp::Reverse(i.severity));
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
}
