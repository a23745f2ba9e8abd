//! Hostile and broken YAML: every case ends in a finding, quickly, and never in a panic;
//! the other documents of the file are still read.

use super::run_yaml;
use crate::k8s::CiliumVersion;

fn assert_invalid(text: &str, needle: &str) -> super::Run {
    let r = run_yaml(text, CiliumVersion::NEWEST);
    assert!(
        r.diags.iter().any(|d| d.rule == "invalid-manifest" && d.message.contains(needle)),
        "expected an invalid-manifest finding containing {needle:?}, got {:?}",
        r.diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    r
}

const NODE: &str = "apiVersion: v1\nkind: Node\nmetadata:\n  name: survivor\n";

#[test]
fn billion_laughs() {
    let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let refs: Vec<String> = (0..9).map(|_| format!("*a{}", i - 1)).collect();
        s.push_str(&format!("a{i}: &a{i} [{}]\n", refs.join(", ")));
    }
    s.push_str("---\n");
    s.push_str(NODE);
    let r = assert_invalid(&s, "YAML");
    assert!(r.cluster.nodes.contains_key("survivor"), "the next document is still read");
}

#[test]
fn deep_nesting() {
    let deep = format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert_invalid(&deep, "");
    let mut block = String::new();
    for i in 0..500 {
        block.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
    }
    assert_invalid(&block, "nesting");
}

#[test]
fn huge_document() {
    let mut s = String::from("items:\n");
    for i in 0..120_000 {
        s.push_str(&format!("- {{a: {i}, b: {i}}}\n"));
    }
    assert_invalid(&s, "nodes");
}

#[test]
fn huge_file_is_refused_unread() {
    let s = format!("a: \"{}\"\n", "x".repeat(17 * 1024 * 1024));
    assert_invalid(&s, "limit");
}

#[test]
fn separator_storm() {
    let s = "---\na: 1\n".repeat(10_050);
    assert_invalid(&s, "documents");
}

#[test]
fn garbage_never_panics() {
    let samples = [
        "", "---", "...", ":", "- - -", "{", "}", "[", "a: *nope", "&a", "!!binary x", "? a\n: b",
        "apiVersion: v1\nkind: Node\n", "apiVersion: v1\nkind: Node\nmetadata: 3\n", "kind: List\nitems: 5\n",
        "apiVersion: v1\nkind: List\nitems:\n- 1\n- {kind: List, apiVersion: v1, items: []}\n",
        "apiVersion: cilium.io/v3\nkind: CiliumBGPClusterConfig\nmetadata: {name: x}\n",
        "apiVersion: cilium.io/v2\nkind: CiliumBGPClusterConfig\nmetadata: {name: x}\nspec: {bgpInstances: [{name: a, peers: [{name: p, peerASN: -1}]}]}\n",
        "apiVersion: cilium.io/v2\nkind: CiliumBGPPeerConfig\nmetadata: {name: x}\nspec: {timers: 7, families: [{}], gracefulRestart: {}}\n",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: [1]}\n",
        "apiVersion: v1\nkind: Service\nmetadata: {name: s, annotations: {lbipam.cilium.io/ips: 'x,,1.2.3.4'}}\nspec: {clusterIP: x, externalIPs: 5}\n",
        "\u{feff}apiVersion: v1\nkind: Node\nmetadata: {name: bom}\n",
        "a: \"\\ud800\"\n",
        "é: ü\n\u{0}\n",
    ];
    for s in samples {
        let _ = run_yaml(s, CiliumVersion::NEWEST);
        let _ = run_yaml(s, CiliumVersion::OLDEST);
    }
}

#[test]
fn a_syntax_error_points_into_its_document_and_the_rest_is_read() {
    let text = format!(
        "{NODE}---\napiVersion: v1\nkind: Node\nmetadata:\n  name: [oops\n---\n{}",
        NODE.replace("survivor", "second")
    );
    let r = assert_invalid(&text, "syntax");
    let d = r.diags.iter().find(|d| d.message.contains("syntax")).unwrap();
    let line = r.sources.get(d.primary.file).line_col(d.primary.span.start).0;
    assert!((5..=9).contains(&line), "line {line}");
    assert!(r.cluster.nodes.contains_key("survivor") && r.cluster.nodes.contains_key("second"));
}
