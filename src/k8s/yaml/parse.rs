//! serde-saphyr under a budget: each document of a file into a [`YNode`] tree with byte
//! spans, or an `invalid-manifest` finding at the place the parser stopped.

use super::{split, Value, YNode};
use crate::diag::Diagnostic;
use crate::k8s::at::{At, Loc};
use crate::k8s::checks::invalid_manifest::META as INVALID;
use crate::source::{FileId, SourceFile, Span};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{budget::BudgetBreach, MessageFormatter, Spanned};
use std::fmt;

/// Files larger than this are not parsed at all: no manifest is this big, and string
/// input is not covered by the parser's own size limit.
pub(crate) const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// More documents than this in one file is a document-separator storm, not a manifest.
const MAX_DOCUMENTS: usize = 10_000;

/// One parsed document.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub root: YNode,
}

/// Parse every document of `file`; a document that fails becomes a finding and the others
/// are still returned.
pub(crate) fn parse_file(file_id: FileId, file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Vec<Document> {
    let text = file.text.as_str();
    if text.len() > MAX_FILE_BYTES {
        diags.push(
            Diagnostic::new(
                &INVALID,
                file_id,
                Span::new(0, 0),
                format!("file is {} bytes, over the {} MiB limit for manifests", text.len(), MAX_FILE_BYTES >> 20),
            )
            .help("split the file; it was not read"),
        );
        return Vec::new();
    }
    if file.lossy {
        diags.push(
            Diagnostic::new(&INVALID, file_id, Span::new(0, 0), "file is not valid UTF-8")
                .help("save the manifest as UTF-8; invalid bytes were replaced before reading"),
        );
    }
    let ranges = split::documents(text);
    let mut docs = Vec::new();
    for (i, range) in ranges.into_iter().enumerate() {
        if i == MAX_DOCUMENTS {
            diags.push(
                Diagnostic::new(
                    &INVALID,
                    file_id,
                    Span::new(range.start, range.start),
                    format!("more than {MAX_DOCUMENTS} YAML documents in one file"),
                )
                .help("split the file; the remaining documents were not read"),
            );
            break;
        }
        let chunk = &text[range.clone()];
        let base = Base { file: file_id, start: range.start, text: chunk };
        match serde_saphyr::from_str_with_options::<Spanned<RawNode>>(chunk, options()) {
            Ok(raw) => docs.push(Document { root: base.convert(raw) }),
            Err(e) => diags.push(base.error(&e)),
        }
    }
    docs
}

/// Limits far above any real manifest and far below what would hurt.
fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 48;
    budget.flow_nesting_limit = 48;
    budget.max_nodes = 200_000;
    budget.max_events = 600_000;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES;
    budget.max_documents = 2;
    let mut opts = serde_saphyr::Options::default();
    opts.budget = Some(budget);
    opts.alias_limits.max_total_replayed_events = 100_000;
    opts.alias_limits.max_replay_stack_depth = 16;
    opts.with_snippet = false;
    opts.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    opts
}

/// Where a chunk sits in its file, to turn chunk-relative locations into file spans.
struct Base<'t> {
    file: FileId,
    start: usize,
    text: &'t str,
}

impl Base<'_> {
    fn loc(&self, l: &serde_saphyr::Location) -> Loc {
        let s = l.span();
        let (off, len) = match (s.byte_offset(), s.byte_len()) {
            (Some(o), Some(n)) => (o as usize, n as usize),
            _ => {
                let o = self.char_to_byte(s.offset() as usize);
                (o, self.char_to_byte(s.offset() as usize + s.len() as usize) - o)
            }
        };
        let off = off.min(self.text.len());
        let end = (off + len).min(self.text.len());
        Loc::new(self.file, Span::new(self.start + off, self.start + end))
    }

    fn char_to_byte(&self, chars: usize) -> usize {
        self.text.char_indices().nth(chars).map(|(b, _)| b).unwrap_or(self.text.len())
    }

    fn convert(&self, raw: Spanned<RawNode>) -> YNode {
        let loc = self.loc(&raw.referenced);
        let value = match raw.value {
            RawNode::Null => Value::Null,
            RawNode::Bool(b) => Value::Bool(b),
            RawNode::Int(i) => Value::Int(i),
            RawNode::Float(f) => Value::Float(f),
            RawNode::Str(s) => Value::Str(s),
            RawNode::Seq(items) => Value::Seq(items.into_iter().map(|n| self.convert(n)).collect()),
            RawNode::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (At::new(k.value, self.loc(&k.referenced)), self.convert(v)))
                    .collect(),
            ),
        };
        // A block collection has no token of its own (its span is empty): let it stand
        // for its first key or item, so that findings about it show a caret.
        let loc = match &value {
            Value::Map(e) if loc.span.is_empty() && !e.is_empty() => e[0].0.loc,
            Value::Seq(items) if loc.span.is_empty() && !items.is_empty() => items[0].loc,
            _ => loc,
        };
        YNode { value, loc }
    }

    fn error(&self, e: &serde_saphyr::Error) -> Diagnostic {
        let e = e.without_snippet();
        let loc = match e.location() {
            Some(l) if l.line() > 0 => {
                let l = self.loc(&l);
                // Point at one character at least, so the caret shows.
                let end = (l.span.end as usize).max(l.span.start as usize + 1).min(self.start + self.text.len());
                Loc::new(self.file, Span::new(l.span.start as usize, end))
            }
            _ => Loc::new(self.file, Span::new(self.start, self.start)),
        };
        let (message, help) = match e {
            serde_saphyr::Error::Budget { breach, .. } => {
                (budget_message(breach), "this looks like hostile or generated input; the document was not read")
            }
            _ => {
                let m = serde_saphyr::UserMessageFormatter.format_message(e);
                (
                    format!("YAML syntax error: {}", clean(&m)),
                    "fix the YAML; this document was not read, the others were",
                )
            }
        };
        Diagnostic::new(&INVALID, loc.file, loc.span, message).help(help)
    }
}

fn budget_message(b: &BudgetBreach) -> String {
    match b {
        BudgetBreach::Depth { .. } => "YAML nesting deeper than 48 levels".into(),
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => "YAML document has more than 200000 nodes".into(),
        BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => {
            "YAML document uses too many anchors or aliases".into()
        }
        BudgetBreach::ScalarBytes { .. } => "YAML document holds too much text".into(),
        other => format!("YAML document exceeds a parser limit ({other:?})"),
    }
}

/// One line, no control characters, no trailing period (diagnostic style).
fn clean(m: &str) -> String {
    let line = m.lines().next().unwrap_or("");
    let s: String = line.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    s.trim().trim_end_matches('.').to_string()
}

/// What serde-saphyr hands us: any YAML node, with spans on every child.
enum RawNode {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<String>, Spanned<RawNode>)>),
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }
    fn visit_u128<E>(self, v: u128) -> Result<RawNode, E> {
        Ok(RawNode::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(x) = a.next_element()? {
            items.push(x);
        }
        Ok(RawNode::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = a.next_key::<Spanned<String>>()? {
            let v = a.next_value()?;
            entries.push((k, v));
        }
        Ok(RawNode::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<Document>, Vec<Diagnostic>) {
        let f = SourceFile::new("t.yaml", text);
        let mut d = Vec::new();
        let docs = parse_file(FileId(0), &f, &mut d);
        (docs, d)
    }

    #[test]
    fn spans_are_file_offsets_across_documents() {
        let text = "a: 1\n---\nkind: Node\nname: \"x\"\n";
        let (docs, d) = parse(text);
        assert!(d.is_empty());
        assert_eq!(docs.len(), 2);
        let (k, v) = docs[1].root.entry("name").unwrap();
        assert_eq!(&text[k.loc.span.range()], "name");
        assert_eq!(&text[v.loc.span.range()], "\"x\"");
        assert_eq!(v.as_str(), Some("x"));
    }

    #[test]
    fn yaml_1_1_scalars_as_kubernetes_reads_them() {
        let (docs, _) = parse("a: No\nb: \"No\"\nc: 65000\nd: \"65000\"\ne:\n");
        let r = &docs[0].root;
        assert_eq!(r.get("a").unwrap().value, Value::Bool(false));
        assert_eq!(r.get("b").unwrap().as_str(), Some("No"));
        assert_eq!(r.get("c").unwrap().value, Value::Int(65000));
        assert_eq!(r.get("d").unwrap().as_str(), Some("65000"));
        assert!(r.get("e").is_none() && r.entry("e").is_some());
    }

    #[test]
    fn a_broken_document_does_not_hide_the_next() {
        let text = "a: [1, 2\n---\nb: 2\n";
        let (docs, d) = parse(text);
        assert_eq!(docs.len(), 1);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.starts_with("YAML syntax error"), "{}", d[0].message);
        assert!((d[0].primary.span.start as usize) < text.find("---").unwrap());
    }

    #[test]
    fn non_ascii_spans() {
        let text = "é: \"ü\"\nk: v\n";
        let (docs, _) = parse(text);
        let (k, v) = docs[0].root.entry("k").unwrap();
        assert_eq!(&text[k.loc.span.range()], "k");
        assert_eq!(&text[v.loc.span.range()], "v");
    }

    #[test]
    fn block_collections_stand_for_their_first_key() {
        let text = "spec:\n  items:\n  - a: 1\n    b: 2\n  - {c: 3}\n";
        let (docs, _) = parse(text);
        let items = docs[0].root.get("spec").and_then(|s| s.get("items")).unwrap();
        let Value::Seq(v) = &items.value else { panic!() };
        assert_eq!(&text[v[0].loc.span.range()], "a");
        assert_eq!(&text[v[1].loc.span.range()], "{");
        assert_eq!(&text[docs[0].root.loc.span.range()], "spec");
    }

    #[test]
    fn duplicate_keys_are_kept_for_the_reader() {
        let (docs, d) = parse("a: 1\na: 2\n");
        assert!(d.is_empty());
        assert_eq!(docs[0].root.get("a").unwrap().value, Value::Int(2));
    }
}
