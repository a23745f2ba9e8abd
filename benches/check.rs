//! `frrlint check` on a large generated configuration: big prefix-lists (10,000+ entries
//! each), many route-maps, community and as-path lists, and a `router bgp` with thousands
//! of neighbors in both unicast families, every line valid for FRR 8.4. The whole check
//! (read, parse, lower, every rule) at 50,000, 100,000 and 200,000 lines shows whether time
//! grows linearly; the stages are measured apart to show where the time goes.
//!
//! `cargo bench --bench check -- --write-config DIR [LINES...]` writes the same files
//! (`DIR/bench-LINES.conf`) for `tests/bench/compare-vtysh.sh`, which times the release
//! binary against `vtysh -C -f` and records peak memory; and, for the same script's check
//! that time stays linear where a quadratic reading would show, files of a few very long
//! lists written in their worst orders (`DIR/lists-LINES.conf`, see [`generate_lists`]).

use frrlint::check::{check_paths, CheckOptions};
use frrlint::model::Config;
use frrlint::source::{FileId, SourceFile};
use frrlint::syntax::{parse, FrrVersion, ParseOptions};
use std::fmt::Write;
use std::path::{Path, PathBuf};

const SIZES: [usize; 3] = [50_000, 100_000, 200_000];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--write-config") {
        let Some(dir) = args.get(i + 1) else {
            eprintln!("usage: check --write-config DIR [LINES...]");
            std::process::exit(2);
        };
        let sizes: Vec<usize> = args[i + 2..].iter().filter_map(|a| a.parse().ok()).collect();
        let sizes = if sizes.is_empty() { SIZES.to_vec() } else { sizes };
        for n in sizes {
            let p = write_config(Path::new(dir), n);
            println!("{}", p.display());
            let p = Path::new(dir).join(format!("lists-{n}.conf"));
            std::fs::write(&p, generate_lists(n)).expect("write the long-lists config");
            println!("{}", p.display());
        }
        return;
    }
    divan::main();
}

/// A deterministic configuration of about `lines` lines (within a few lines), valid for
/// FRR 8.4. Its parts scale together: half prefix-list entries (8 lists, 12,500 entries each
/// at 200,000 lines), a fifth route-map lines, a tenth community and as-path lists, the rest
/// neighbors of one `router bgp` in both unicast families.
pub fn generate(lines: usize) -> String {
    let mut out = Out { text: String::with_capacity(lines * 48), n: 0 };
    out.line(format_args!("frr version 8.4.4"));
    out.line(format_args!("frr defaults traditional"));
    out.line(format_args!("hostname bench"));
    out.line(format_args!("!"));

    // Prefix-lists: 8 lists, half IPv4 and half IPv6, entries from specific to broad as a
    // careful author writes them; every 1,000th entry covers a few of the entries after it,
    // so that shadow detection has work to do and something to find.
    let plist_lines = lines / 2;
    let lists = 8;
    let per_list = plist_lines / lists;
    for l in 0..lists {
        let v6 = l % 2 == 1;
        for e in 0..per_list {
            let seq = 5 * (e + 1);
            let (a, b) = (e / 250, e % 250);
            let every = e % 1000 == 999;
            match (v6, every) {
                (true, true) => out.line(format_args!(
                    "ipv6 prefix-list PL6_{l} seq {seq} permit 2001:db8:{l:x}:{:x}::/64 le 128",
                    e + 1
                )),
                (true, false) => {
                    out.line(format_args!("ipv6 prefix-list PL6_{l} seq {seq} permit 2001:db8:{l:x}:{e:x}::/64"))
                }
                (false, true) => {
                    out.line(format_args!("ip prefix-list PL4_{l} seq {seq} deny 10.{}.{}.0/30 le 32", 100 + l, a + 1))
                }
                (false, false) => {
                    out.line(format_args!("ip prefix-list PL4_{l} seq {seq} deny 10.{}.{a}.{b}/32", 100 + l))
                }
            }
        }
    }
    out.line(format_args!("!"));

    // Community and as-path lists: a tenth of the lines.
    let small = lines / 10;
    for i in 0..small / 2 {
        out.line(format_args!(
            "bgp community-list standard CL{} seq {} permit 65001:{}",
            i % 500,
            5 * (i / 500 + 1),
            i
        ));
        out.line(format_args!(
            "bgp as-path access-list AS{} seq {} permit _{}_",
            i % 500,
            5 * (i / 500 + 1),
            64512 + i
        ));
    }
    out.line(format_args!("!"));

    // Route-maps: entries of 5 lines (header, two matches, a set, exit).
    let rm_lines = lines / 5;
    let entries = rm_lines / 5;
    let maps = (entries / 10).max(1);
    for e in 0..entries {
        let m = e % maps;
        let seq = 10 * (e / maps + 1);
        out.line(format_args!("route-map RM{m} permit {seq}"));
        if m.is_multiple_of(2) {
            out.line(format_args!(" match ip address prefix-list PL4_{}", (e % 4) * 2));
        } else {
            out.line(format_args!(" match ipv6 address prefix-list PL6_{}", (e % 4) * 2 + 1));
        }
        out.line(format_args!(" match community CL{}", e % 500));
        out.line(format_args!(" set local-preference {}", 100 + e % 200));
        out.line(format_args!("exit"));
    }
    out.line(format_args!("!"));

    // router bgp: neighbors with remote-as and description (2 lines), and per family
    // activation and policy (3 lines in IPv4 unicast, 4 in IPv6 unicast).
    let nb_lines = lines.saturating_sub(out.n + 12);
    let neighbors = nb_lines / 9;
    out.line(format_args!("router bgp 65000"));
    out.line(format_args!(" bgp router-id 192.0.2.1"));
    out.line(format_args!(" no bgp default ipv4-unicast"));
    for i in 0..neighbors {
        out.line(format_args!(
            " neighbor 10.{}.{}.{} remote-as {}",
            200 + i / 65536,
            (i >> 8) & 255,
            i & 255,
            65001 + i % 2000
        ));
        out.line(format_args!(" neighbor 10.{}.{}.{} description peer {i}", 200 + i / 65536, (i >> 8) & 255, i & 255));
    }
    let nb = |i: usize| format!("10.{}.{}.{}", 200 + i / 65536, (i >> 8) & 255, i & 255);
    let maps_even = maps.div_ceil(2).max(1);
    let maps_odd = (maps / 2).max(1);
    out.line(format_args!(" address-family ipv4 unicast"));
    for i in 0..neighbors {
        out.line(format_args!("  neighbor {} activate", nb(i)));
        out.line(format_args!("  neighbor {} route-map RM{} in", nb(i), 2 * (i % maps_even)));
        out.line(format_args!("  neighbor {} prefix-list PL4_{} out", nb(i), 2 * (i % 4)));
    }
    out.line(format_args!(" exit-address-family"));
    out.line(format_args!(" address-family ipv6 unicast"));
    for i in 0..neighbors {
        out.line(format_args!("  neighbor {} activate", nb(i)));
        out.line(format_args!("  neighbor {} route-map RM{} in", nb(i), (2 * (i % maps_odd) + 1).min(maps - 1)));
        out.line(format_args!("  neighbor {} prefix-list PL6_{} out", nb(i), 2 * (i % 4) + 1));
        out.line(format_args!("  neighbor {} filter-list AS{} in", nb(i), i % 500));
    }
    out.line(format_args!(" exit-address-family"));
    out.line(format_args!("exit"));
    while out.n < lines {
        out.line(format_args!("!"));
    }
    out.text
}

/// A configuration of about `lines` lines made of a few very long lists, each written the
/// way that costs a naive reader the most, valid for FRR 8.4: a prefix-list in descending
/// seq order (each entry goes before all the others), community, as-path and access lists
/// with automatic sequence numbers (each line needs the list's highest seq, and a community
/// list's lines need the repeat test), a route-map whose entries come in descending order,
/// and interface peers (each one looked up among all the others).
pub fn generate_lists(lines: usize) -> String {
    let mut out = Out { text: String::with_capacity(lines * 48), n: 0 };
    out.line(format_args!("frr version 8.4.4"));
    out.line(format_args!("frr defaults traditional"));
    out.line(format_args!("hostname lists"));
    let part = lines / 6;
    for e in (0..part).rev() {
        out.line(format_args!("ip prefix-list DESC seq {} permit 10.{}.{}.0/24", e + 1, e / 256 % 256, e % 256));
    }
    for e in 0..part {
        out.line(format_args!("bgp community-list standard LONG permit {}:{}", 1 + e / 65536, e % 65536));
    }
    for e in 0..part {
        out.line(format_args!("bgp as-path access-list LONG permit _{}_", 64512 + e));
    }
    for e in 0..part {
        out.line(format_args!("access-list LONG permit 10.{}.{}.0/24", e / 256 % 256, e % 256));
    }
    // Route-map seqs go up to 65535; each entry matches its own tag.
    for e in (0..(part / 2).min(65535)).rev() {
        out.line(format_args!("route-map DESC permit {}", e + 1));
        out.line(format_args!(" match tag {}", e + 1));
    }
    out.line(format_args!("router bgp 65000"));
    // Peers stay out of IPv4 unicast, so that they need no policy (a finding each).
    out.line(format_args!(" no bgp default ipv4-unicast"));
    while out.n < lines {
        let i = out.n;
        out.line(format_args!(" neighbor eth{i} interface remote-as external"));
    }
    out.text
}

/// The text being generated and its line count.
struct Out {
    text: String,
    n: usize,
}

impl Out {
    fn line(&mut self, args: std::fmt::Arguments<'_>) {
        let _ = self.text.write_fmt(args);
        self.text.push('\n');
        self.n += 1;
    }
}

/// Write `generate(lines)` to `dir/bench-LINES.conf` (once per process and size).
pub fn write_config(dir: &Path, lines: usize) -> PathBuf {
    std::fs::create_dir_all(dir).expect("create the benchmark directory");
    let p = dir.join(format!("bench-{lines}.conf"));
    std::fs::write(&p, generate(lines)).expect("write the benchmark config");
    p
}

fn bench_dir() -> PathBuf {
    std::env::temp_dir().join(format!("frrlint-bench-{}", std::process::id()))
}

/// The whole `frrlint check`: read the file, parse, lower, run every rule.
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn check_file(bencher: divan::Bencher, lines: usize) {
    let path = write_config(&bench_dir(), lines);
    let paths = vec![path];
    let opts = CheckOptions::default();
    bencher.bench(|| {
        let report = check_paths(divan::black_box(&paths), &opts);
        assert!(report.input_errors.is_empty());
        report.diagnostics.len()
    });
}

/// The grammar engine alone.
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn parse_only(bencher: divan::Bencher, lines: usize) {
    let file = SourceFile::new("bench.conf", generate(lines));
    let opts = ParseOptions { version: Some(FrrVersion::new(8, 4)), ..Default::default() };
    bencher.bench(|| parse(divan::black_box(&file), &opts).lines.len());
}

/// Parse and lower to the model.
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn parse_and_lower(bencher: divan::Bencher, lines: usize) {
    let file = SourceFile::new("bench.conf", generate(lines));
    let opts = ParseOptions { version: Some(FrrVersion::new(8, 4)), ..Default::default() };
    bencher.bench(|| Config::from_source(FileId(0), divan::black_box(&file), &opts).routers.len());
}

/// Every rule on a lowered model.
#[divan::bench(args = SIZES, sample_count = 10, sample_size = 1)]
fn rules_only(bencher: divan::Bencher, lines: usize) {
    let file = SourceFile::new("bench.conf", generate(lines));
    let cfg = Config::from_source(FileId(0), &file, &ParseOptions { version: Some(FrrVersion::new(8, 4)), ..Default::default() });
    bencher.bench(|| frrlint::rules::check_config(divan::black_box(&cfg)).len());
}
