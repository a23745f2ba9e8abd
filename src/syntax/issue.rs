//! Human wording for syntax issues: a message that says what is wrong and a help that says
//! what to do, neither ending with a period (the diagnostics layer adds code and labels).

use super::{Grammar, IssueKind, NodeId, SyntaxIssue};

impl SyntaxIssue {
    /// What is wrong.
    pub fn message(&self, g: &Grammar) -> String {
        let title = |n: NodeId| g.node(n).title;
        match &self.kind {
            IssueKind::Unknown { node, matched_words: 0, .. } => {
                format!("unknown command in `{}`", title(*node))
            }
            IssueKind::Unknown { node, matched_words, .. } => format!(
                "unknown command in `{}`: the first {} of its words match a command, the next does not",
                title(*node),
                matched_words
            ),
            IssueKind::Incomplete { node, .. } => format!("incomplete command in `{}`", title(*node)),
            IssueKind::Ambiguous { candidates } => {
                let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
                format!("ambiguous command: it matches {} equally well", list.join(" and "))
            }
            IssueKind::InvalidValue { .. } => "invalid value".to_string(),
            IssueKind::NotInVersion { target, since: Some(s), until: _ } if target < s => {
                format!("this command needs FRR {s} or later; target is {target}")
            }
            IssueKind::NotInVersion { target, until: Some(u), .. } => {
                format!("this command was removed in FRR {u}; target is {target}")
            }
            IssueKind::NotInVersion { target, .. } => format!("this command does not exist in FRR {target}"),
            IssueKind::ImplicitExit { from, to } => format!(
                "this line is not a command of `{}`: it silently leaves that block and runs in `{}`",
                title(*from),
                title(*to)
            ),
            IssueKind::TopLevelExit => "`exit` at the top level of the file".to_string(),
            IssueKind::StrayExit => "a block closer outside its block".to_string(),
            IssueKind::EndInFile => "`end` in a configuration file".to_string(),
            IssueKind::LineTooLong { limit } => {
                format!("line of {} bytes or more: FRR reads it as several lines", limit)
            }
            IssueKind::TooManyTokens { limit } => format!("more than {limit} words in one command"),
        }
    }

    /// What to do about it, when there is something to say.
    pub fn help(&self, g: &Grammar) -> Option<String> {
        match &self.kind {
            IssueKind::Unknown { suggestion: Some(s), .. } => Some(format!("did you mean `{s}`?")),
            IssueKind::Unknown { .. } => None,
            IssueKind::Incomplete { expected, .. } if !expected.is_empty() => {
                Some(format!("it can go on with: {}", expected.join(", ")))
            }
            IssueKind::Incomplete { .. } => None,
            IssueKind::Ambiguous { .. } => Some("write the keywords in full".into()),
            IssueKind::InvalidValue { expected } => Some(format!("expected {expected}")),
            IssueKind::NotInVersion { .. } => Some("change the command or the target FRR version".into()),
            IssueKind::ImplicitExit { from, .. } => Some(format!(
                "end the `{}` block explicitly with its exit command, or un-indent this line",
                g.node(*from).title
            )),
            IssueKind::TopLevelExit => {
                Some("remove it: FRR 9.1 and later stop reading the file here, 8.4 rejects every later line".into())
            }
            IssueKind::EndInFile => Some("vtysh ignores it, but a daemon reading this file stops here".into()),
            IssueKind::StrayExit => Some("remove the line".into()),
            IssueKind::LineTooLong { .. } => Some("shorten the line".into()),
            IssueKind::TooManyTokens { .. } => Some("split the values over several commands".into()),
        }
    }
}
