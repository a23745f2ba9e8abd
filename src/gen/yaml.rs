//! A small YAML writer for the generated manifests: block style, two-space indentation,
//! map keys sorted (as `kubectl get -o yaml` prints them), and strings quoted whenever a
//! YAML 1.1 reader could take them for anything but a string (numbers, `yes`/`no`,
//! addresses, empty strings). Deterministic by construction.

use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Yaml {
    Str(String),
    /// A string always written double-quoted (passwords: never left to plain-scalar rules).
    Quoted(String),
    Int(i64),
    Bool(bool),
    Map(BTreeMap<String, Yaml>),
    Seq(Vec<Yaml>),
}

impl Yaml {
    pub fn str(s: impl Into<String>) -> Yaml {
        Yaml::Str(s.into())
    }

    pub fn map<K: Into<String>>(entries: impl IntoIterator<Item = (K, Yaml)>) -> Yaml {
        Yaml::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A map of strings (labels, matchLabels).
    pub fn labels<'a>(labels: impl IntoIterator<Item = (&'a String, &'a String)>) -> Yaml {
        Yaml::Map(labels.into_iter().map(|(k, v)| (k.clone(), Yaml::Str(v.clone()))).collect())
    }
}

/// One document per value, each starting with `---`.
pub fn documents(header: &str, docs: &[Yaml]) -> String {
    let mut out = String::new();
    out.push_str(header);
    for d in docs {
        out.push_str("---\n");
        write_block(&mut out, d, 0);
    }
    out
}

fn write_block(out: &mut String, v: &Yaml, indent: usize) {
    let pad = " ".repeat(indent);
    match v {
        Yaml::Map(m) => {
            for (k, v) in m {
                let _ = write!(out, "{pad}{}:", scalar(k, false));
                nested(out, v, indent);
            }
        }
        Yaml::Seq(items) => {
            for item in items {
                match item {
                    Yaml::Map(m) if !m.is_empty() => {
                        // The map's first line goes after the dash; the rest align with it.
                        let mut inner = String::new();
                        write_block(&mut inner, item, indent + 2);
                        let _ = write!(out, "{pad}- {}", &inner[indent + 2..]);
                    }
                    Yaml::Seq(s) if !s.is_empty() => {
                        let _ = writeln!(out, "{pad}-");
                        write_block(out, item, indent + 2);
                    }
                    _ => {
                        let _ = writeln!(out, "{pad}- {}", inline(item));
                    }
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{}", inline(other));
        }
    }
}

/// What follows `key:`: an inline value on the same line, or a nested block.
fn nested(out: &mut String, v: &Yaml, indent: usize) {
    match v {
        Yaml::Map(m) if !m.is_empty() => {
            out.push('\n');
            write_block(out, v, indent + 2);
        }
        Yaml::Seq(s) if !s.is_empty() => {
            out.push('\n');
            write_block(out, v, indent + 2);
        }
        _ => {
            let _ = writeln!(out, " {}", inline(v));
        }
    }
}

fn inline(v: &Yaml) -> String {
    match v {
        Yaml::Str(s) => scalar(s, false),
        Yaml::Quoted(s) => scalar(s, true),
        Yaml::Int(i) => i.to_string(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Map(_) => "{}".into(),
        Yaml::Seq(_) => "[]".into(),
    }
}

/// Words a YAML 1.1 reader (Kubernetes') takes for booleans or null.
const SPECIAL: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"];

fn scalar(s: &str, force_quotes: bool) -> String {
    let plain = !force_quotes
        && s.as_bytes().first().is_some_and(|b| b.is_ascii_alphabetic())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-'))
        && !SPECIAL.contains(&s.to_ascii_lowercase().as_str());
    if plain {
        return s.to_string();
    }
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(q, "\\u{:04x}", c as u32);
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_style_and_quoting() {
        let doc = Yaml::map([
            ("kind", Yaml::str("Secret")),
            ("data", Yaml::map([("password", Yaml::Quoted("a\"b".into())), ("flag", Yaml::str("Yes"))])),
            (
                "list",
                Yaml::Seq(vec![Yaml::map([("cidr", Yaml::str("10.0.0.0/24")), ("b", Yaml::Int(1))]), Yaml::str("x")]),
            ),
            ("empty", Yaml::Map(BTreeMap::new())),
            ("blank", Yaml::str("")),
        ]);
        let text = documents("", &[doc]);
        assert_eq!(
            text,
            "---\nblank: \"\"\ndata:\n  flag: \"Yes\"\n  password: \"a\\\"b\"\nempty: {}\nkind: Secret\nlist:\n  - b: 1\n    cidr: \"10.0.0.0/24\"\n  - x\n"
        );
    }
}
