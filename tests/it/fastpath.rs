//! The grammar engine's fast paths must be invisible: every corpus file, every fixture and a
//! set of edge-case lines (abbreviations, values out of bounds, repeated or misplaced words)
//! read with and without them give the same lines, words, issues and statistics, for the
//! default target and for FRR 8.4.

use crate::corpus::corpus_dir;
use crate::meta::conf_files;
use frrlint::source::SourceFile;
use frrlint::syntax::{parse, FrrVersion, ParseOptions};
use std::path::Path;

/// Lines around the prefix-list fast path: the plain forms it takes, and near misses it
/// must leave to the general matcher (which may accept or reject them).
const EDGE_LINES: &str = "\
ip prefix-list A seq 5 permit 10.0.0.0/8
ip prefix-list A seq 10 deny 10.0.0.0/8 le 24
ip prefix-list A seq 15 deny 10.0.0.0/8 ge 16 le 24
ip prefix-list A seq 20 deny 10.0.0.0/8 le 24 ge 16
ip prefix-list A permit 10.1.0.0/16 ge 32
ip prefix-list A permit any
ip prefix-list A seq 25 permit any
ip prefix-list A seq 30 permit any le 32
ip prefix-list A seq 0 permit 10.0.0.0/8
ip prefix-list A seq 4294967295 permit 10.0.0.0/8
ip prefix-list A seq 4294967296 permit 10.0.0.0/8
ip prefix-list A seq 05 permit 10.0.0.0/8
ip prefix-list A seq +5 permit 10.0.0.0/8
ip prefix-list A seq -5 permit 10.0.0.0/8
ip prefix-list A se 35 permit 10.0.0.0/8
ip prefix-list A seq 40 perm 10.0.0.0/8
ip prefix-list A seq 45 permit 10.0.0.0/33
ip prefix-list A seq 50 permit 10.0.0.256/24
ip prefix-list A seq 55 permit 10.0.0.0/8 le 33
ip prefix-list A seq 60 permit 10.0.0.0/8 le 24 le 25
ip prefix-list A seq 65 permit 10.0.0.0/8 ge
ip prefix-list A seq 70 permit 10.0.0.0/8 extra
ip prefix-list A seq 75 permit 10.0.0.0
ip prefix-list A seq 80 permit 2001:db8::/32
ip prefix-list A seq 85 permit 10.0.0.0/8 l 24
ip prefix-list A description some words here
ip prefix-list A seq 90
ip prefix-list A
ip prefix-list
ip prefix-lis A seq 95 permit 10.0.0.0/8
i prefix-list A seq 100 permit 10.0.0.0/8
ip   prefix-list\tA   seq 105 permit 10.0.0.0/8
no ip prefix-list A seq 5 permit 10.0.0.0/8
ipv6 prefix-list B seq 5 permit 2001:db8::/32
ipv6 prefix-list B seq 10 permit 2001:db8::/32 ge 48 le 64
ipv6 prefix-list B seq 15 permit 2001:db8::/129
ipv6 prefix-list B seq 20 permit 2001:db8::/32 le 129
ipv6 prefix-list B seq 25 permit 10.0.0.0/8
ipv6 prefix-list B seq 30 permit ::/0 le 128
ipv6 prefix-list B seq 35 permit 2001:db8:::/32
ipv6 prefix-list B permit any
ipv6 prefix-list B seq 40 deny fe80::1%eth0/64
route-map R permit 10
ip prefix-list C seq 5 permit 10.0.0.0/8
 ip prefix-list C seq 10 permit 10.0.0.0/8
router bgp 65000
 ip prefix-list D seq 5 permit 10.0.0.0/8
 address-family ipv4 unicast
  ip prefix-list D seq 10 permit 10.0.0.0/8
 exit-address-family
exit
ip prefix-list E seq 5 permit 10.0.0.0/8
";

fn both_ways(file: &SourceFile, version: Option<FrrVersion>) -> Result<(), String> {
    let fast = parse(file, &ParseOptions { version, general_matcher_only: false });
    let general = parse(file, &ParseOptions { version, general_matcher_only: true });
    if fast == general {
        return Ok(());
    }
    let at = fast.lines.iter().zip(&general.lines).position(|(a, b)| {
        a != b || {
            let words = |p: &frrlint::syntax::Parsed, l: &frrlint::syntax::ParsedLine| match &l.kind {
                frrlint::syntax::LineKind::Command(c) => p.words(c).to_vec(),
                _ => Vec::new(),
            };
            words(&fast, a) != words(&general, b)
        }
    });
    Err(match at {
        Some(i) => format!("{} (target {version:?}): line {} differs: fast {:?} / general {:?}", file.name, fast.lines[i].line, fast.lines[i], general.lines[i]),
        None => format!("{} (target {version:?}): issues or statistics differ: {:?} / {:?}", file.name, fast.issues, general.issues),
    })
}

#[test]
fn fast_paths_give_what_the_general_matcher_gives() {
    let mut files = Vec::new();
    conf_files(&corpus_dir(), &mut files);
    assert!(files.len() >= 1410, "expected the whole corpus, found {} files", files.len());
    conf_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"), &mut files);
    let mut sources: Vec<SourceFile> = files
        .iter()
        .map(|p| SourceFile::from_bytes(p.display().to_string(), std::fs::read(p).expect("read a config")))
        .collect();
    sources.push(SourceFile::new("edge-lines.conf", EDGE_LINES));
    let mut failures = Vec::new();
    for file in &sources {
        for version in [None, Some(FrrVersion::new(8, 4))] {
            if let Err(e) = both_ways(file, version) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{} differences, first: {}", failures.len(), failures[0]);
}
