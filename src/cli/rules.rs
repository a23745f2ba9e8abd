//! `frrlint rules` (the catalogue as a table or JSON) and `frrlint explain RULE` (one
//! rule's documentation page, found by code or by name).

use crate::diag::{RuleGroup, RuleMeta};
use serde::Serialize;

pub(crate) fn group_name(g: RuleGroup) -> &'static str {
    match g {
        RuleGroup::Frr => "frr",
        RuleGroup::Kubernetes => "kubernetes",
        RuleGroup::Crosscheck => "crosscheck",
    }
}

fn sorted(rules: &[&'static RuleMeta]) -> Vec<&'static RuleMeta> {
    let mut v = rules.to_vec();
    v.sort_by_key(|r| r.code);
    v
}

/// A plain table, one rule a line, columns padded to the widest cell.
pub fn table(rules: &[&'static RuleMeta]) -> String {
    let header = ["CODE", "NAME", "SEVERITY", "GROUP", "SUMMARY"];
    let rows: Vec<[&str; 5]> = sorted(rules)
        .into_iter()
        .map(|r| [r.code, r.name, r.severity.as_str(), group_name(r.group), r.summary])
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.len());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    group: &'static str,
    summary: &'static str,
}

/// The catalogue as a JSON array, for tools.
pub fn json(rules: &[&'static RuleMeta]) -> miette::Result<String> {
    let v: Vec<JsonRule> = sorted(rules)
        .into_iter()
        .map(|r| JsonRule {
            code: r.code,
            name: r.name,
            severity: r.severity.as_str(),
            group: group_name(r.group),
            summary: r.summary,
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&v).map_err(|e| miette::miette!("cannot encode the rule list: {e}"))?;
    s.push('\n');
    Ok(s)
}

/// Find a rule by code (any case) or kebab-case name.
pub fn find(rules: &[&'static RuleMeta], query: &str) -> Option<&'static RuleMeta> {
    let q = query.trim();
    rules.iter().copied().find(|r| r.code.eq_ignore_ascii_case(q) || r.name.eq_ignore_ascii_case(q))
}

/// The rule's documentation page; an unknown rule is an error that suggests near names.
pub fn explain(rules: &[&'static RuleMeta], query: &str) -> miette::Result<String> {
    let Some(rule) = find(rules, query) else {
        let near: Vec<String> = sorted(rules)
            .into_iter()
            .filter(|r| is_near(query, r.code) || is_near(query, r.name))
            .map(|r| format!("{} ({})", r.code, r.name))
            .collect();
        let help = if near.is_empty() {
            "`frrlint rules` lists every rule".to_string()
        } else {
            format!("did you mean {}? `frrlint rules` lists every rule", near.join(", "))
        };
        return Err(miette::miette!(help = help, "unknown rule `{query}`"));
    };
    let mut page = if rule.docs.trim().is_empty() {
        format!("# {} {}\n\n{}\n", rule.code, rule.name, rule.summary)
    } else {
        rule.docs.to_string()
    };
    if !page.ends_with('\n') {
        page.push('\n');
    }
    Ok(page)
}

/// Close enough to suggest: one contains the other, or at most two edits apart.
fn is_near(query: &str, candidate: &str) -> bool {
    let q = query.to_ascii_lowercase();
    let c = candidate.to_ascii_lowercase();
    (q.len() >= 3 && c.contains(&q)) || edit_distance(&q, &c) <= 2
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::testing::{ASN, UNDEFINED};

    #[test]
    fn table_is_aligned_and_sorted() {
        let t = table(&[&ASN, &UNDEFINED]);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("CODE    NAME                 SEVERITY  GROUP       SUMMARY"), "{t}");
        assert!(lines[1].starts_with("FRR101  undefined-reference  error     frr         A route-map"), "{t}");
        assert!(lines[2].starts_with("XCK201  peer-asn-mismatch    warning   crosscheck  The two sides"), "{t}");
    }

    #[test]
    fn explain_by_code_or_name() {
        let rules = [&UNDEFINED, &ASN];
        assert_eq!(explain(&rules, "frr101").unwrap(), UNDEFINED.docs);
        assert_eq!(explain(&rules, "undefined-reference").unwrap(), UNDEFINED.docs);
        // A rule without a page still explains itself from its summary.
        assert!(explain(&rules, "XCK201").unwrap().starts_with("# XCK201 peer-asn-mismatch\n\nThe two sides"));
        let err = explain(&rules, "undefined-refrence").unwrap_err();
        assert_eq!(err.to_string(), "unknown rule `undefined-refrence`");
        let help = err.help().map(|h| h.to_string()).unwrap_or_default();
        assert!(help.contains("FRR101 (undefined-reference)"), "{help}");
    }

    #[test]
    fn json_lists_every_rule() {
        let v: serde_json::Value = serde_json::from_str(&json(&[&UNDEFINED, &ASN]).unwrap()).unwrap();
        assert_eq!(v[0]["code"], "FRR101");
        assert_eq!(v[1]["group"], "crosscheck");
        assert_eq!(v[1]["severity"], "warning");
    }
}
