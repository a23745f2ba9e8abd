//! Masking of passwords and keys in source text before the text format shows it.
//!
//! Rules never put a secret into a message, but a snippet shows whole lines around each label,
//! and a `neighbor X password …` line next to a finding would print the password. Printing is
//! this module's concern, so the text format shows every file through [`redact`]: the value
//! after a password or key keyword in FRR syntax, and `password` values and Secret `data` in
//! YAML, become `*`. Byte offsets are kept (one `*` per byte), so labels still line up.
//! It errs on the side of masking: a whole line tail, not just one word.

use crate::source::FileKind;
use std::path::Path;

/// FRR keywords whose following words are secrets: BGP/vty/IS-IS passwords, OSPF keys, key
/// chains.
const FRR_KEYWORDS: &[&str] =
    &["password", "area-password", "domain-password", "authentication-key", "message-digest-key", "key-string"];

/// `text` with secrets masked, judged by the file's kind (both ways for an unknown kind).
pub fn redact(name: &str, text: &str) -> String {
    let kind = FileKind::from_path(Path::new(name));
    let mut bytes = text.as_bytes().to_vec();
    let mut ranges = Vec::new();
    if matches!(kind, FileKind::Frr | FileKind::Other) {
        frr_secrets(text, &mut ranges);
    }
    if matches!(kind, FileKind::Yaml | FileKind::Other) {
        yaml_secrets(text, &mut ranges);
    }
    if ranges.is_empty() {
        return text.to_string();
    }
    for (start, end) in ranges {
        for b in &mut bytes[start..end] {
            *b = b'*';
        }
    }
    // Every range covers whole characters, so the result is still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Lines with their byte offsets, without the terminator.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |l| {
        let at = start;
        start += l.len();
        (at, l.trim_end_matches(['\n', '\r']))
    })
}

/// Whether `word` stands for the secret keyword `k`: written out, abbreviated as FRR's CLI
/// accepts (`passw` for `password`; at least four letters, and past the last hyphen of a
/// compound keyword, so that `area` or `key` alone are not taken for `area-password` or
/// `key-string`), or misspelt by up to two letters after the right first one (`pasword`,
/// which FRR rejects, but whose line still holds the secret). Every word of a file shown in
/// text goes through this: the distance is only computed for words that could be that close.
fn names_secret(word: &str, k: &str) -> bool {
    let shortest = k.rfind('-').map_or(4, |i| i + 2).max(4);
    word == k
        || (word.len() >= shortest && k.starts_with(word))
        || (word.len() >= 6
            && word.len().abs_diff(k.len()) <= 2
            && word.as_bytes().first() == k.as_bytes().first()
            && crate::diag::edit_distance(word, k) <= 2)
}

/// The rest of a line after a password keyword (or what stands for one), trimmed.
fn frr_secrets(text: &str, out: &mut Vec<(usize, usize)>) {
    for (at, line) in lines(text) {
        let mut rest_from = None;
        let mut pos = 0;
        for word in line.split_whitespace() {
            let start = pos + line[pos..].find(word).unwrap_or(0);
            pos = start + word.len();
            if FRR_KEYWORDS.iter().any(|k| names_secret(word, k)) {
                rest_from = Some(pos);
                break;
            }
        }
        if let Some(from) = rest_from {
            let tail = &line[from..];
            let lead = tail.len() - tail.trim_start().len();
            let value = tail.trim();
            if !value.is_empty() {
                out.push((at + from + lead, at + from + lead + value.len()));
            }
        }
    }
}

/// `password: VALUE` anywhere, and every value under `data:` / `stringData:` in a document of
/// `kind: Secret`.
fn yaml_secrets(text: &str, out: &mut Vec<(usize, usize)>) {
    let docs = split_documents(text);
    for (doc_at, doc) in docs {
        let is_secret = lines(doc).any(|(_, l)| {
            let l = l.trim();
            l.strip_prefix("kind:").is_some_and(|v| v.trim().trim_matches(['"', '\'']) == "Secret")
        });
        // Indent of an open `data:` block, while inside it.
        let mut data_indent: Option<usize> = None;
        for (at, line) in lines(doc) {
            let at = doc_at + at;
            let indent = line.len() - line.trim_start().len();
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if data_indent.is_some_and(|d| indent <= d) {
                data_indent = None;
            }
            let Some((key, value)) = split_key(trimmed) else { continue };
            let key = key.trim_start_matches("- ").trim_matches(['"', '\'']);
            let value_at = at + indent + (trimmed.len() - value.len());
            if is_secret && (key == "data" || key == "stringData") {
                if value.is_empty() {
                    data_indent = Some(indent);
                } else {
                    out.push((value_at, value_at + value.len()));
                }
            } else if (data_indent.is_some() || key == "password") && !value.is_empty() {
                out.push((value_at, value_at + value.len()));
            }
        }
    }
}

/// `key: value` → (`key`, `value` trimmed, possibly empty).
fn split_key(line: &str) -> Option<(&str, &str)> {
    let i = line.find(": ").or_else(|| line.ends_with(':').then(|| line.len() - 1))?;
    Some((&line[..i], line[i + 1..].trim()))
}

fn split_documents(text: &str) -> Vec<(usize, &str)> {
    let mut docs = Vec::new();
    let mut start = 0;
    for (at, line) in lines(text) {
        if line.trim_end() == "---" {
            docs.push((start, &text[start..at]));
            start = at;
        }
    }
    docs.push((start, &text[start..]));
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frr_passwords_and_keys() {
        let text = "router bgp 65001\n neighbor PG password s3cr3t!\n neighbor 10.0.0.1 password  two words \r\n\
                    interface eth0\n ip ospf message-digest-key 1 md5 K3Y\n key-string éclair\n no neighbor PG password\n";
        let r = redact("r1.conf", text);
        assert_eq!(r.len(), text.len());
        assert!(!r.contains("s3cr3t") && !r.contains("two words") && !r.contains("K3Y") && !r.contains("éclair"), "{r}");
        assert!(r.contains(" neighbor PG password *******\n"), "{r}");
        assert!(r.contains(" neighbor 10.0.0.1 password  ********* \r\n"), "{r}");
        assert!(r.contains(" ip ospf message-digest-key *********\n"), "{r}");
        assert!(r.contains(" key-string *******\n"), "{r}");
        assert!(r.contains(" no neighbor PG password\n"), "{r}");
        assert!(r.starts_with("router bgp 65001\n"));
    }

    #[test]
    fn yaml_secrets_and_password_keys() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bgp-auth\ndata:\n  password: c2VjcmV0\n  other: b3RoZXI=\n\
                    type: Opaque\n---\nkind: Secret\nstringData: {password: plain}\n---\nkind: CiliumBGPPeerConfig\n\
                    spec:\n  authSecretRef: bgp-auth\n  data:\n    keep: visible\n  password: inline\n";
        let r = redact("k8s/all.yaml", text);
        assert_eq!(r.len(), text.len());
        for hidden in ["c2VjcmV0", "b3RoZXI=", "plain", "inline"] {
            assert!(!r.contains(hidden), "{hidden} in:\n{r}");
        }
        for shown in ["name: bgp-auth", "type: Opaque", "authSecretRef: bgp-auth", "keep: visible"] {
            assert!(r.contains(shown), "{shown} missing from:\n{r}");
        }
    }

    /// A secret keyword abbreviated as FRR accepts it, or misspelt, still hides what follows;
    /// the words that merely begin a compound keyword (`area`, `key`) hide nothing.
    #[test]
    fn abbreviated_and_misspelt_keywords_hide_the_secret() {
        let text = "router bgp 1\n neighbor 10.0.0.1 passw s3cr3t\n neighbor 10.0.0.2 pasword t0p\n\
                    neighbor 10.0.0.3 passive\n key-str K3Y\nrouter isis 1\n area-pass AP\n\
                    area 0.0.0.0 range 10.0.0.0/8\n key 1\n";
        let r = redact("r1.conf", text);
        assert_eq!(r.len(), text.len());
        for hidden in ["s3cr3t", "t0p", "K3Y", "AP\n"] {
            assert!(!r.contains(hidden), "{hidden:?} in:\n{r}");
        }
        for shown in ["\nneighbor 10.0.0.3 passive\n", "\narea 0.0.0.0 range 10.0.0.0/8\n", " key 1\n"] {
            assert!(r.contains(shown), "{shown:?} missing from:\n{r}");
        }
    }

    #[test]
    fn nothing_to_hide_is_unchanged() {
        let text = "hostname r1\n!\n";
        assert_eq!(redact("r1.conf", text), text);
    }
}
