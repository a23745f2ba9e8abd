//! Typed reads out of a [`YNode`] tree. A value of the wrong type or outside the schema's
//! range becomes an `invalid-manifest` finding at the value and reads as absent, so one bad
//! field never stops the rest of the document from being read.

use super::at::{At, Loc};
use super::checks::invalid_manifest::META as INVALID;
use super::yaml::{Value, YNode};
use crate::diag::Diagnostic;
use ipnet::IpNet;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Collects findings while a document is read.
pub(crate) struct Reader<'d> {
    pub diags: &'d mut Vec<Diagnostic>,
}

impl Reader<'_> {
    pub fn invalid(&mut self, loc: Loc, message: impl Into<String>, help: impl Into<String>) {
        self.diags.push(Diagnostic::new(&INVALID, loc.file, loc.span, message).help(help));
    }

    fn wrong_type(&mut self, n: &YNode, name: &str, expected: &str) {
        let help = match (&n.value, expected) {
            (Value::Bool(_), "a string") => {
                "quote the value: Kubernetes reads unquoted yes/no/on/off/true/false as booleans"
            }
            (Value::Int(_) | Value::Float(_), "a string") => "quote the value so it stays a string",
            (Value::Str(_), "an integer") => "write the number without quotes",
            (Value::Str(_), "a boolean") => "write true or false without quotes",
            _ => "fix the value's type; the API server rejects the object",
        };
        self.invalid(n.loc, format!("`{name}` must be {expected}, found {}", n.type_name()), help);
    }

    /// `n` if it is a mapping; `None` (and a finding unless it is absent) otherwise.
    pub fn mapping<'n>(&mut self, n: Option<&'n YNode>, name: &str) -> Option<&'n YNode> {
        let n = n?;
        match n.value {
            Value::Map(_) => Some(n),
            Value::Null => None,
            _ => {
                self.wrong_type(n, name, "a mapping");
                None
            }
        }
    }

    /// The items of a list; empty when absent or not a list (with a finding).
    pub fn list<'n>(&mut self, n: Option<&'n YNode>, name: &str) -> &'n [YNode] {
        match n.map(|n| (n, &n.value)) {
            Some((_, Value::Seq(items))) => items,
            Some((_, Value::Null)) | None => &[],
            Some((n, _)) => {
                self.wrong_type(n, name, "a list");
                &[]
            }
        }
    }

    pub fn string(&mut self, n: Option<&YNode>, name: &str) -> Option<At<String>> {
        let n = n?;
        match &n.value {
            Value::Str(s) => Some(At::new(s.clone(), n.loc)),
            Value::Null => None,
            _ => {
                self.wrong_type(n, name, "a string");
                None
            }
        }
    }

    /// An integer within `lo..=hi` (the schema's minimum and maximum).
    pub fn int(&mut self, n: Option<&YNode>, name: &str, lo: i64, hi: i64) -> Option<At<i64>> {
        let n = n?;
        match n.value {
            Value::Int(i) if (lo as i128..=hi as i128).contains(&i) => Some(At::new(i as i64, n.loc)),
            Value::Int(i) => {
                self.invalid(
                    n.loc,
                    format!("`{name}` is {i}, outside the allowed {lo} to {hi}"),
                    format!("use a value from {lo} to {hi}"),
                );
                None
            }
            Value::Null => None,
            _ => {
                self.wrong_type(n, name, "an integer");
                None
            }
        }
    }

    pub fn u32(&mut self, n: Option<&YNode>, name: &str, lo: u32, hi: u32) -> Option<At<u32>> {
        self.int(n, name, lo.into(), hi.into()).map(|a| a.map(|v| v as u32))
    }

    pub fn u16(&mut self, n: Option<&YNode>, name: &str, lo: u16, hi: u16) -> Option<At<u16>> {
        self.int(n, name, lo.into(), hi.into()).map(|a| a.map(|v| v as u16))
    }

    pub fn u8(&mut self, n: Option<&YNode>, name: &str, lo: u8, hi: u8) -> Option<At<u8>> {
        self.int(n, name, lo.into(), hi.into()).map(|a| a.map(|v| v as u8))
    }

    pub fn boolean(&mut self, n: Option<&YNode>, name: &str) -> Option<At<bool>> {
        let n = n?;
        match n.value {
            Value::Bool(b) => Some(At::new(b, n.loc)),
            Value::Null => None,
            _ => {
                self.wrong_type(n, name, "a boolean");
                None
            }
        }
    }

    /// One of the schema's enum values (case-sensitive, as the API server checks them).
    pub fn one_of<E: Copy>(&mut self, n: Option<&YNode>, name: &str, table: &[(&str, E)]) -> Option<At<E>> {
        let s = self.string(n, name)?;
        if let Some((_, e)) = table.iter().find(|(t, _)| *t == s.value) {
            return Some(At::new(*e, s.loc));
        }
        let allowed: Vec<&str> = table.iter().map(|(t, _)| *t).collect();
        let close = table.iter().find(|(t, _)| t.eq_ignore_ascii_case(&s.value)).map(|(t, _)| *t);
        let help = match close {
            Some(t) => format!("values are case-sensitive: write `{t}`"),
            None => format!("use one of: {}", allowed.join(", ")),
        };
        self.invalid(s.loc, format!("`{name}` is `{}`, not an allowed value", s.value), help);
        None
    }

    /// A mapping of strings to strings (labels, matchLabels, annotations, stringData).
    pub fn string_map(&mut self, n: Option<&YNode>, name: &str) -> BTreeMap<String, At<String>> {
        let mut out = BTreeMap::new();
        let Some(m) = self.mapping(n, name) else { return out };
        if let Value::Map(entries) = &m.value {
            for (k, v) in entries {
                let what = format!("{name}.{}", k.value);
                let value = match &v.value {
                    // An explicit null in a string map is an empty string to the API server.
                    Value::Null => Some(At::new(String::new(), v.loc)),
                    _ => self.string(Some(v), &what),
                };
                if let Some(val) = value {
                    out.insert(k.value.clone(), val);
                }
            }
        }
        out
    }

    pub fn string_list(&mut self, n: Option<&YNode>, name: &str) -> Vec<At<String>> {
        let items = self.list(n, name);
        items.iter().filter_map(|i| self.string(Some(i), name)).collect()
    }

    /// An IP address. Like Cilium's own address fields, surrounding whitespace and an IPv6
    /// zone (`%eth0`) are accepted and dropped.
    pub fn ip(&mut self, n: Option<&YNode>, name: &str) -> Option<At<IpAddr>> {
        let s = self.string(n, name)?;
        let t = s.value.trim();
        let t = t.split_once('%').map_or(t, |(a, _)| a);
        match t.parse::<IpAddr>() {
            Ok(ip) => Some(At::new(ip, s.loc)),
            Err(_) => {
                let help = if t.parse::<IpNet>().is_ok() {
                    "write a plain address without a prefix length"
                } else {
                    "write an IPv4 or IPv6 address"
                };
                self.invalid(s.loc, format!("`{name}` is `{}`, not an IP address", s.value), help);
                None
            }
        }
    }

    /// A prefix in CIDR notation, as written (host bits are kept).
    pub fn cidr(&mut self, n: Option<&YNode>, name: &str) -> Option<At<IpNet>> {
        let s = self.string(n, name)?;
        match s.value.trim().parse::<IpNet>() {
            Ok(net) => Some(At::new(net, s.loc)),
            Err(_) => {
                let help = if s.value.trim().parse::<IpAddr>().is_ok() {
                    "add the prefix length, for example /32 for one IPv4 address"
                } else {
                    "write a prefix such as 10.0.0.0/24"
                };
                self.invalid(s.loc, format!("`{name}` is `{}`, not a CIDR", s.value), help);
                None
            }
        }
    }
}

/// Levenshtein distance ignoring ASCII case, for did-you-mean suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo: a case
/// difference, a distance of at most a third of the word, or one being a prefix of the other.
pub(crate) fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        let lw = word.to_ascii_lowercase();
        let lc = c.to_ascii_lowercase();
        let prefix = lw.len() >= 4 && lc.len() >= 4 && (lc.starts_with(&lw) || lw.starts_with(&lc));
        let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
        if d <= limit || prefix {
            let score = if prefix { d.min(limit) } else { d };
            if best.is_none_or(|(s, _)| score < s) {
                best = Some((score, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let c = ["peerASN", "peerAddress", "peerConfigRef", "name"];
        assert_eq!(did_you_mean("peerAsn", c), Some("peerASN"));
        assert_eq!(did_you_mean("peerAdress", c), Some("peerAddress"));
        assert_eq!(did_you_mean("peerConfig", c), Some("peerConfigRef"));
        assert_eq!(did_you_mean("zzz", c), None);
        let t = ["holdTimeSeconds", "keepAliveTimeSeconds", "connectRetryTimeSeconds"];
        assert_eq!(did_you_mean("holdTime", t), Some("holdTimeSeconds"));
        assert_eq!(did_you_mean("keepaliveTimeSeconds", t), Some("keepAliveTimeSeconds"));
        assert_eq!(edit_distance("abc", "abd"), 1);
    }
}
