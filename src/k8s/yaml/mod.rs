//! YAML text -> a tree of [`YNode`]s that remember their byte span in the file.
//!
//! Parsing is serde-saphyr's, into its span-carrying `Spanned<T>`, under a budget (node
//! count, depth, aliases) so that hostile input (billion laughs, deep nesting, huge
//! documents) ends in a finding, never a hang. Each `---` document is parsed on its own so
//! that one broken document does not hide the others.
//!
//! Scalars are typed the way Kubernetes' own YAML reader (YAML 1.1 rules) types them: an
//! unquoted `yes` is a boolean and an unquoted `65000` an integer, which is exactly what
//! makes the API server reject `allowFirstLastIPs: No` or `peerASN: "65000"`.

mod parse;
mod split;

pub(crate) use parse::parse_file;

use super::at::{At, Loc};

/// One YAML node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct YNode {
    pub value: Value,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<YNode>),
    /// Entries in file order; duplicate keys are kept (and reported by the reader).
    Map(Vec<(At<String>, YNode)>),
}

impl YNode {
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The value under `key` of a mapping (the last one if the key repeats); `None` if this
    /// is not a mapping, the key is absent, or its value is null (Kubernetes treats an
    /// explicit null as unset).
    pub fn get(&self, key: &str) -> Option<&YNode> {
        self.entry(key).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    /// The key and value under `key`, even if the value is null.
    pub fn entry(&self, key: &str) -> Option<(&At<String>, &YNode)> {
        match &self.value {
            Value::Map(entries) => entries.iter().rev().find(|(k, _)| k.value == key).map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// "a string", "an integer", … for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}
