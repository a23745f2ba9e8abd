//! Robustness: whatever the input, frrlint returns a report and never panics. Property tests
//! feed random bytes, config-like noise (FRR words, odd white space, CR, NUL, non-ASCII) and
//! damaged corpus files through `Config::from_source` and the rules; fixed cases push
//! invalid UTF-8, CRLF, NUL bytes, 1 MB lines, 100,000 block openers in a row and a file of
//! a million lines through `check_paths` (as temporary files) and through the binary in every
//! output format.
//!
//! A run that never returns would hang the suite, so the large cases run on a thread and
//! fail after a generous limit; the limit guards against endless loops, it is no speed goal
//! (those live in benches/check.rs).

use frrlint::check::{check_paths, CheckOptions};
use frrlint::model::Config;
use frrlint::source::{FileId, SourceFile};
use frrlint::syntax::{FrrVersion, ParseOptions};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Far above any real run; only an endless loop reaches it.
const LIMIT: Duration = Duration::from_secs(300);

/// Run `f` on its own thread; fail if it panics or has not returned within LIMIT.
fn returns<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name(what.to_string())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("spawn a thread");
    match rx.recv_timeout(LIMIT) {
        Ok(v) => {
            let _ = handle.join();
            v
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match handle.join() {
            Err(p) => std::panic::resume_unwind(p),
            Ok(()) => panic!("{what}: the thread ended without a result"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no result after {LIMIT:?}"),
    }
}

/// Parse, lower and lint bytes as one FRR file; check that every finding points into it.
fn lint(bytes: Vec<u8>, version: Option<FrrVersion>) -> usize {
    let file = SourceFile::from_bytes("fuzz.conf", bytes);
    let cfg = Config::from_source(FileId(0), &file, &ParseOptions { version, ..Default::default() });
    let diags = frrlint::rules::check_config(&cfg);
    for d in &diags {
        for span in std::iter::once(d.primary.span).chain(d.related.iter().map(|l| l.span)) {
            assert!(
                span.start <= span.end && span.end as usize <= file.text.len(),
                "{}: span {span:?} outside the file",
                d.rule
            );
        }
        let (line, _) = file.line_col(d.primary.span.start);
        assert!(line as usize <= file.line_count(), "{}: line {line} of {}", d.rule, file.line_count());
    }
    diags.len()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("robust").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `check_paths` on the given files; every file must be read and checked.
fn check_files(paths: Vec<PathBuf>, frr_version: Option<&str>) -> usize {
    let n = paths.len();
    let opts = CheckOptions { frr_version: frr_version.map(str::to_string), ..CheckOptions::default() };
    let report = check_paths(&paths, &opts);
    assert!(report.input_errors.is_empty(), "input errors: {:?}", report.input_errors);
    assert_eq!(report.configs.len(), n, "every file is checked");
    for d in &report.diagnostics {
        assert!(d.location(&report.sources).is_some(), "{} has no location", d.rule);
    }
    report.diagnostics.len()
}

/// The frrlint binary in every output format: exit 0 or 1, never an internal error.
fn run_binary(path: &Path) {
    for format in ["text", "json", "sarif", "github"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_frrlint"))
            .args(["check", "--format", format])
            .arg(path)
            .output()
            .expect("run frrlint");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(1)) && !stderr.contains("internal error") && !stderr.contains("panicked"),
            "frrlint check --format {format} {}: exit {code:?}\n{}",
            path.display(),
            stderr.chars().take(2000).collect::<String>()
        );
    }
}

const WORDS: &[&str] = &[
    "router",
    "bgp",
    "65001",
    "neighbor",
    "10.0.0.1",
    "remote-as",
    "external",
    "internal",
    "address-family",
    "ipv4",
    "ipv6",
    "unicast",
    "exit-address-family",
    "exit",
    "end",
    "route-map",
    "RM",
    "permit",
    "deny",
    "10",
    "match",
    "ip",
    "address",
    "prefix-list",
    "PL",
    "seq",
    "5",
    "10.0.0.0/8",
    "le",
    "ge",
    "24",
    "32",
    "any",
    "set",
    "community",
    "65001:1",
    "additive",
    "call",
    "on-match",
    "next",
    "goto",
    "continue",
    "no",
    "timers",
    "3",
    "1",
    "peer-group",
    "activate",
    "network",
    "2001:db8::/32",
    "2001:db8::1",
    "interface",
    "eth0",
    "vrf",
    "frr",
    "version",
    "8.4",
    "10.5",
    "defaults",
    "datacenter",
    "traditional",
    "hostname",
    "description",
    "!",
    "#",
    "bgp",
    "community-list",
    "standard",
    "expanded",
    "as-path",
    "access-list",
    "^65001$",
    "4294967296",
    "-1",
    "0",
    "65536",
    "300.1.1.1",
    "::",
    "/",
    "nei",
    "add",
    "uni",
    "segment-routing",
    "srv6",
    "vni",
    "l2vpn",
    "evpn",
    "é",
    "\u{202e}",
    "ω",
    "\u{feff}",
    "%",
    "\\",
    "\"",
    "'",
    "{",
    "[",
    "<",
    "|",
    "...",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => "[ -~]{1,12}",
        1 => any::<u32>().prop_map(|n| n.to_string()),
    ]
}

fn line_end() -> impl Strategy<Value = &'static str> {
    prop_oneof![8 => Just("\n"), 1 => Just("\r\n"), 1 => Just("\r"), 1 => Just("\0\n"), 1 => Just("")]
}

/// Lines that look like FRR configuration, put together wrongly.
fn config_like() -> impl Strategy<Value = Vec<u8>> {
    let indent = prop_oneof![Just(""), Just(" "), Just("  "), Just("\t"), Just(" \t "), Just("        ")];
    let line = (indent, proptest::collection::vec(word(), 0..9), line_end())
        .prop_map(|(i, w, e)| format!("{i}{}{e}", w.join(" ")));
    proptest::collection::vec(line, 0..60).prop_map(|lines| lines.concat().into_bytes())
}

fn corpus_files() -> &'static [Vec<u8>] {
    static FILES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let mut paths = Vec::new();
        fn walk(d: &Path, out: &mut Vec<PathBuf>) {
            let Ok(rd) = std::fs::read_dir(d) else { return };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|e| e == "conf") {
                    out.push(p);
                }
            }
        }
        walk(&crate::corpus::corpus_dir(), &mut paths);
        paths.sort();
        paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
    })
}

/// A byte-level edit of a corpus file: (position as a fraction, kind, byte).
type Edit = (f64, u8, u8);

fn damage(mut bytes: Vec<u8>, edits: &[Edit], other: &[u8]) -> Vec<u8> {
    for &(at, kind, b) in edits {
        let i = ((bytes.len() as f64) * at) as usize;
        let i = i.min(bytes.len());
        match kind % 6 {
            0 => bytes.insert(i, b),
            1 if i < bytes.len() => {
                bytes.remove(i);
            }
            2 if i < bytes.len() => bytes[i] = b,
            3 => {
                // Splice in a piece of another corpus file.
                let from = (other.len() as f64 * at) as usize;
                let piece: Vec<u8> = other.iter().skip(from).take(usize::from(b) * 4).copied().collect();
                bytes.splice(i..i, piece);
            }
            4 => {
                // Repeat the line around i.
                let start = bytes[..i].iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
                let end = bytes[i..].iter().position(|&c| c == b'\n').map_or(bytes.len(), |p| i + p + 1);
                let line = bytes[start..end].to_vec();
                for _ in 0..(b % 8) {
                    bytes.splice(end..end, line.iter().copied());
                }
            }
            _ if i < bytes.len() => bytes.truncate(i),
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        lint(bytes.clone(), None);
        lint(bytes, Some(FrrVersion::new(8, 4)));
    }

    #[test]
    fn config_like_noise_never_panics(bytes in config_like(), old in any::<bool>()) {
        lint(bytes, old.then_some(FrrVersion::new(8, 4)));
    }

    #[test]
    fn damaged_corpus_files_never_panic(
        pick in any::<proptest::sample::Index>(),
        other in any::<proptest::sample::Index>(),
        edits in proptest::collection::vec((0.0..1.0f64, any::<u8>(), any::<u8>()), 1..12),
    ) {
        let files = corpus_files();
        let text = files[pick.index(files.len())].clone();
        let bytes = damage(text, &edits, &files[other.index(files.len())]);
        lint(bytes, Some(FrrVersion::new(8, 4)));
    }
}

#[test]
fn odd_encodings_and_control_bytes_through_check_paths_and_the_binary() {
    let dir = scratch("encodings");
    let base = "frr version 8.4\nrouter bgp 65001\n neighbor 10.0.0.1 remote-as 65002\nexit\n";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.conf", Vec::new()),
        ("newlines.conf", b"\n\n\n\r\n\r".to_vec()),
        ("crlf.conf", base.replace('\n', "\r\n").into_bytes()),
        ("cr-only.conf", base.replace('\n', "\r").into_bytes()),
        ("nul.conf", base.replace(' ', "\0").into_bytes()),
        ("nul-lines.conf", [base.as_bytes(), b"\0\0\0\n\0", base.as_bytes()].concat()),
        (
            "invalid-utf8.conf",
            [b"router bgp 65001\n neighbor \xff\xfe remote-as 1\n\xc3\x28\n".as_slice(), &[0x80; 64]].concat(),
        ),
        ("bom.conf", [b"\xef\xbb\xbf".as_slice(), base.as_bytes()].concat()),
        ("utf16.conf", base.encode_utf16().flat_map(u16::to_le_bytes).collect()),
        ("tabs.conf", base.replace(' ', "\t\t").into_bytes()),
        ("no-final-newline.conf", base.trim_end().as_bytes().to_vec()),
        (
            "unicode.conf",
            "router bgp 65001\n neighbor 10.0.0.1 description 日本語 \u{202e}ω\u{0301}\n neighbor ω remote-as 1\n"
                .as_bytes()
                .to_vec(),
        ),
    ];
    let mut paths = Vec::new();
    for (name, bytes) in &cases {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p);
    }
    let n = returns("check_paths on odd encodings", {
        let paths = paths.clone();
        move || check_files(paths, None)
    });
    assert!(n > 0, "the broken files give findings");
    for p in &paths {
        lint(std::fs::read(p).unwrap(), Some(FrrVersion::new(8, 4)));
        run_binary(p);
    }
}

#[test]
fn one_megabyte_lines() {
    let dir = scratch("long-lines");
    let mb = 1 << 20;
    let cases: Vec<(&str, String)> = vec![
        ("word.conf", "a".repeat(mb)),
        (
            "description.conf",
            format!(
                "router bgp 65001\n neighbor 10.0.0.1 remote-as 65002\n neighbor 10.0.0.1 description {}\nexit\n",
                "x".repeat(mb)
            ),
        ),
        ("words.conf", format!("route-map RM permit 10\n set community {}\n", "65001:1 ".repeat(mb / 8))),
        ("spaces.conf", format!("{}hostname r1\n", " ".repeat(mb))),
        ("comment.conf", format!("!{}\nhostname r1\n", "!".repeat(mb))),
        ("prefix-list.conf", format!("ip prefix-list {} seq 5 permit 10.0.0.0/8\n", "P".repeat(mb))),
    ];
    let mut paths = Vec::new();
    for (name, text) in cases {
        let p = dir.join(name);
        std::fs::write(&p, &text).unwrap();
        returns(name, move || lint(text.into_bytes(), None));
        paths.push(p);
    }
    returns("check_paths on 1 MB lines", {
        let paths = paths.clone();
        move || check_files(paths, Some("8.4"))
    });
    run_binary(&dir.join("description.conf"));
}

#[test]
fn a_hundred_thousand_block_openers_in_a_row() {
    // Openers of every depth, never closed, indented deeper and deeper: a reader that kept a
    // stack per line or recursed per block would show it here.
    let openers = [
        "router bgp 65001",
        "address-family ipv4 unicast",
        "address-family l2vpn evpn",
        "vni 10",
        "route-map RM permit 10",
        "interface eth0",
        "vrf red",
        "router bgp 65001 vrf red",
        "segment-routing",
        "srv6",
        "locators",
        "key chain K",
        "key 1",
    ];
    let mut text = String::from("frr version 8.4\n");
    for i in 0..100_000usize {
        text.push_str(&" ".repeat(i % 256));
        text.push_str(openers[i % openers.len()]);
        text.push('\n');
    }
    let dir = scratch("nesting");
    let p = dir.join("deep.conf");
    std::fs::write(&p, &text).unwrap();
    returns("deep nesting through Config::from_source", move || lint(text.into_bytes(), None));
    returns("deep nesting through check_paths", move || check_files(vec![p], None));
}

#[test]
fn a_file_of_a_million_lines() {
    let dir = scratch("huge");
    let p = dir.join("huge.conf");
    let mut text = String::with_capacity(40 << 20);
    text.push_str("frr version 8.4\nrouter bgp 65001\n");
    for i in 0..400_000u32 {
        text.push_str(&format!(
            " neighbor 10.{}.{}.{} remote-as {}\n",
            i >> 16,
            (i >> 8) & 255,
            i & 255,
            65002 + i % 1000
        ));
    }
    text.push_str("exit\n");
    for i in 0..600_000u32 {
        text.push_str(&format!(
            "ip prefix-list L{} seq {} permit 10.{}.{}.0/24 le 32\n",
            i / 10_000,
            5 + i % 10_000 * 5,
            (i >> 8) & 255,
            i & 255
        ));
    }
    std::fs::write(&p, &text).unwrap();
    let found = returns("a million lines through check_paths", move || check_files(vec![p], None));
    assert!(found > 0);
}

/// A large file is mapped rather than read (`source::MAP_FROM`), its pages are released as
/// lowering goes and come back when findings are located: it must give exactly what the same
/// text held in memory gives, non-ASCII columns included; a large file that is not UTF-8 is
/// read lossily like a small one.
#[test]
fn large_files_are_mapped_and_checked_like_text_in_memory() {
    let dir = scratch("mapped");
    let mut text = String::from("frr version 8.4\n");
    let mut i = 0u32;
    while text.len() < 3 * frrlint::source::MAP_FROM as usize {
        // Shadowed entries (a finding every few lines, all through the file) and a
        // description with non-ASCII text before some of them (columns count characters).
        text.push_str(&format!("ip prefix-list L{} seq {} permit 10.{}.0.0/16 le 32\n", i / 500, 10 + i % 500 * 10, i % 200));
        text.push_str(&format!("ip prefix-list L{} seq {} deny 10.{}.{}.0/24\n", i / 500, 15 + i % 500 * 10, i % 200, i % 250));
        if i.is_multiple_of(97) {
            text.push_str(&format!("ip prefix-list L{} description ωμέγα {i}\nroute-map RM{i} permit 10\n match ip address prefix-list ω{i}\nexit\n", i / 500));
        }
        i += 1;
    }
    let p = dir.join("large.conf");
    std::fs::write(&p, &text).unwrap();
    let file = SourceFile::read(&p).unwrap();
    assert!(file.text.is_mapped() && !file.lossy);
    assert_eq!(file.text.as_str(), text);
    file.release(0..file.text.len());
    assert_eq!(file.text.as_str(), text, "released pages read back unchanged");

    let report = check_paths(std::slice::from_ref(&p), &CheckOptions::default());
    assert!(report.input_errors.is_empty(), "{:?}", report.input_errors);
    let mapped: Vec<_> = report.diagnostics.iter().map(|d| (d.rule, d.message.clone(), d.location(&report.sources))).collect();
    let owned = SourceFile::new(p.display().to_string(), text.clone());
    let cfg = Config::from_source(FileId(0), &owned, &ParseOptions::default());
    let mut diags = frrlint::rules::check_config(&cfg);
    frrlint::rules::apply_suppressions(&cfg, &mut diags);
    frrlint::diag::sort_and_dedup(&mut diags);
    let mut sources = frrlint::source::Sources::new();
    sources.add(owned);
    let in_memory: Vec<_> = diags.iter().map(|d| (d.rule, d.message.clone(), d.location(&sources))).collect();
    assert!(mapped.len() > 1000, "findings all through the file: {}", mapped.len());
    assert!(mapped.iter().any(|(rule, ..)| *rule == "undefined-reference"));
    assert_eq!(mapped, in_memory);

    let mut bad = text.into_bytes();
    bad.extend_from_slice(b"hostname \xff\xfe\n");
    let q = dir.join("not-utf8.conf");
    std::fs::write(&q, &bad).unwrap();
    let file = SourceFile::read(&q).unwrap();
    assert!(!file.text.is_mapped() && file.lossy);
    assert!(file.text.ends_with("hostname \u{fffd}\u{fffd}\n"));
}

/// A mapped input truncated by another process while it is read: the lost pages raise
/// SIGBUS, which must end the run with a clear message and status 2, not a crash. The test
/// runs itself in a child process (the signal ends the process).
#[test]
fn a_mapped_file_truncated_while_read_is_a_clear_error() {
    const CHILD: &str = "FRRLINT_TEST_TRUNCATE";
    if let Some(path) = std::env::var_os(CHILD) {
        let file = SourceFile::read(Path::new(&path)).unwrap();
        assert!(file.text.is_mapped());
        std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(0).unwrap();
        let sum: u64 = file.text.bytes().map(u64::from).sum();
        println!("read {sum} after truncation");
        return;
    }
    let p = scratch("truncated").join("big.conf");
    std::fs::write(&p, "hostname r1\n".repeat(200_000)).unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "robust::a_mapped_file_truncated_while_read_is_a_clear_error", "--test-threads=1", "--nocapture"])
        .env(CHILD, &p)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("an input file was truncated while it was being read"), "stderr: {stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("after truncation"));
}
