//! Split a YAML stream into its documents by their `---` / `...` marker lines, so each
//! document can be parsed (and fail) on its own.
//!
//! A marker is only a marker at column 0 followed by a space, a tab or the end of the
//! line; YAML forbids such a line inside any scalar, so cutting there never splits a
//! value.

use std::ops::Range;

/// Byte ranges of the documents in `text`, in order. A range starts at its `---` line (so
/// `--- {a: 1}` keeps its content) and ends before the next marker. Ranges holding only
/// comments, blank lines and directives are dropped.
pub(super) fn documents(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let line_start = pos;
        pos += line.len();
        if is_marker(line, "---") {
            push(text, start..line_start, &mut out);
            start = line_start;
        } else if is_marker(line, "...") {
            push(text, start..line_start, &mut out);
            start = pos;
        }
    }
    push(text, start..text.len(), &mut out);
    out
}

fn is_marker(line: &str, marker: &str) -> bool {
    match line.strip_prefix(marker) {
        Some(rest) => rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']),
        None => false,
    }
}

fn push(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    if has_content(&text[range.clone()]) {
        out.push(range);
    }
}

/// Whether a document has anything besides markers, directives, comments and blanks.
fn has_content(doc: &str) -> bool {
    doc.lines().any(|l| {
        let t = l.trim();
        let marker_only = t == "---" || t.starts_with("--- #");
        !(t.is_empty() || t.starts_with('#') || l.starts_with('%') || marker_only)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(t: &str) -> Vec<&str> {
        documents(t).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn splits_on_markers_only_at_column_zero() {
        assert_eq!(docs("a: 1\n---\nb: 2\n"), vec!["a: 1\n", "---\nb: 2\n"]);
        assert_eq!(docs("---\na: 1\n---\n# only a comment\n"), vec!["---\na: 1\n"]);
        assert_eq!(docs("a: |\n  ---x\n ---\n"), vec!["a: |\n  ---x\n ---\n"]);
        assert_eq!(docs("--- {a: 1}\n...\n%YAML 1.2\n---\nb: 2"), vec!["--- {a: 1}\n", "---\nb: 2"]);
        assert_eq!(docs("----\n"), vec!["----\n"]);
        assert!(docs("").is_empty());
    }
}
