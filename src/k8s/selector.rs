//! Kubernetes label selectors (`matchLabels` and `matchExpressions` with `In`, `NotIn`,
//! `Exists`, `DoesNotExist`) and how they match a label set.
//!
//! What an *absent* selector means differs per field (a ClusterConfig without nodeSelector
//! selects every node, an advertisement without selector selects no Service); that choice
//! is made by the caller, so this type only ever describes a selector that was written.
//! A written but empty selector (`{}`) matches everything.

use super::at::{At, Loc};
use super::decode::Reader;
use super::yaml::YNode;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl Operator {
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::In => "In",
            Operator::NotIn => "NotIn",
            Operator::Exists => "Exists",
            Operator::DoesNotExist => "DoesNotExist",
        }
    }
}

/// One `matchExpressions` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub key: At<String>,
    pub operator: At<Operator>,
    pub values: Vec<At<String>>,
    pub loc: Loc,
}

impl Requirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let v = labels.get(&self.key.value);
        let listed = |v: &String| self.values.iter().any(|x| &x.value == v);
        match self.operator.value {
            Operator::In => v.is_some_and(listed),
            Operator::NotIn => !v.is_some_and(listed),
            Operator::Exists => v.is_some(),
            Operator::DoesNotExist => v.is_none(),
        }
    }
}

/// A written label selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelSelector {
    /// The selector's key (`nodeSelector:`, `selector:` …), the shortest span naming it.
    pub loc: Loc,
    pub match_labels: BTreeMap<String, At<String>>,
    pub match_expressions: Vec<Requirement>,
}

impl LabelSelector {
    /// Written but with no requirement: matches every object.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(&v.value))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }

    /// The labels the selector demands outright (`matchLabels` and single-value `In`), for
    /// messages and for "would this label have matched" reasoning.
    pub fn required_labels(&self) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> =
            self.match_labels.iter().map(|(k, v)| (k.clone(), v.value.clone())).collect();
        for r in &self.match_expressions {
            if r.operator.value == Operator::In && r.values.len() == 1 {
                out.insert(r.key.value.clone(), r.values[0].value.clone());
            }
        }
        out
    }

    /// A short rendering for messages: `{a=b, c in (x, y), !d}`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.match_labels.iter().map(|(k, v)| format!("{k}={}", v.value)).collect();
        for r in &self.match_expressions {
            let vals: Vec<&str> = r.values.iter().map(|v| v.value.as_str()).collect();
            parts.push(match r.operator.value {
                Operator::In => format!("{} in ({})", r.key.value, vals.join(", ")),
                Operator::NotIn => format!("{} notin ({})", r.key.value, vals.join(", ")),
                Operator::Exists => r.key.value.clone(),
                Operator::DoesNotExist => format!("!{}", r.key.value),
            });
        }
        format!("{{{}}}", parts.join(", "))
    }
}

const OPERATORS: &[(&str, Operator)] = &[
    ("In", Operator::In),
    ("NotIn", Operator::NotIn),
    ("Exists", Operator::Exists),
    ("DoesNotExist", Operator::DoesNotExist),
];

/// Read the selector under `parent[key]`; `None` if absent or null.
pub(crate) fn read_selector(r: &mut Reader, parent: &YNode, key: &str) -> Option<LabelSelector> {
    let (k, _) = parent.entry(key)?;
    let node = r.mapping(parent.get(key), key)?;
    let match_labels = r.string_map(node.get("matchLabels"), "matchLabels");
    let mut match_expressions = Vec::new();
    for e in r.list(node.get("matchExpressions"), "matchExpressions") {
        let Some(e) = r.mapping(Some(e), "matchExpressions[]") else { continue };
        let key = r.string(e.get("key"), "key");
        let operator = r.one_of(e.get("operator"), "operator", OPERATORS);
        let values = r.string_list(e.get("values"), "values");
        let (Some(key), Some(operator)) = (key, operator) else {
            if e.get("key").is_none() || e.get("operator").is_none() {
                r.invalid(e.loc, "a matchExpressions entry needs `key` and `operator`", "add the missing field");
            }
            continue;
        };
        let needs_values = matches!(operator.value, Operator::In | Operator::NotIn);
        if needs_values && values.is_empty() {
            r.invalid(
                operator.loc,
                format!("operator {} needs at least one value", operator.value.as_str()),
                "add `values`, or use Exists / DoesNotExist",
            );
        } else if !needs_values && !values.is_empty() {
            r.invalid(operator.loc, format!("operator {} takes no values", operator.value.as_str()), "remove `values`");
        }
        match_expressions.push(Requirement { key, operator, values, loc: e.loc });
    }
    Some(LabelSelector { loc: k.loc, match_labels, match_expressions })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::yaml::parse_file;
    use crate::source::{FileId, SourceFile};

    fn sel(yaml: &str) -> LabelSelector {
        let f = SourceFile::new("s.yaml", yaml);
        let mut d = Vec::new();
        let docs = parse_file(FileId(0), &f, &mut d);
        let mut r = Reader { diags: &mut d };
        let s = read_selector(&mut r, &docs[0].root, "s").unwrap();
        assert!(d.is_empty(), "{d:?}");
        s
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn match_labels_and_expressions() {
        let s = sel("s:\n  matchLabels: {a: b}\n  matchExpressions:\n  - {key: c, operator: In, values: [x, z]}\n  - {key: d, operator: DoesNotExist}\n");
        assert!(s.matches(&labels(&[("a", "b"), ("c", "z")])));
        assert!(!s.matches(&labels(&[("a", "b"), ("c", "w")])));
        assert!(!s.matches(&labels(&[("a", "b"), ("c", "x"), ("d", "")])));
        assert_eq!(s.describe(), "{a=b, c in (x, z), !d}");
    }

    #[test]
    fn not_in_dummy_selects_everything() {
        let s = sel("s:\n  matchExpressions:\n  - {key: somekey, operator: NotIn, values: ['never-used-value']}\n");
        assert!(s.matches(&labels(&[])));
        assert!(s.matches(&labels(&[("somekey", "other")])));
    }

    #[test]
    fn empty_selector_matches_all() {
        let s = sel("s: {}\n");
        assert!(s.is_empty() && s.matches(&labels(&[("x", "y")])));
    }

    #[test]
    fn bad_operator_is_reported() {
        let f = SourceFile::new("s.yaml", "s:\n  matchExpressions:\n  - {key: a, operator: in, values: [x]}\n  - {key: b, operator: Exists, values: [x]}\n");
        let mut d = Vec::new();
        let docs = parse_file(FileId(0), &f, &mut d);
        let mut r = Reader { diags: &mut d };
        let s = read_selector(&mut r, &docs[0].root, "s").unwrap();
        assert_eq!(s.match_expressions.len(), 1);
        assert_eq!(d.len(), 2);
        assert!(d[0].help.as_deref().unwrap_or("").contains("`In`"));
    }
}
