//! Lowering: the commands `syntax` matched, in file order, become the typed [`Config`].
//!
//! Commands are dispatched on their leading keywords (`neighbor`, `ip prefix-list`), the
//! longest key of one table per area (`bgp.rs`, `policy.rs`, `global.rs`) winning. A matched
//! command with no handler is kept as unmodelled, so nothing is lost. FRR processes a file
//! in order, and so does this: a neighbor exists from its declaring line on, `bgp default
//! ipv4-unicast` applies to neighbors created after it, a later `seq` replaces an earlier one.

mod bgp;
mod global;
mod policy;

use super::{AfiSafi, Config, Spanned, Suppression};
use crate::source::{SourceFile, Span};
use crate::syntax::{grammar, IssueKind, LineKind, Parsed, Word, WordKind};
use std::collections::HashMap;
use std::net::IpAddr;

/// A problem FRR's daemon would reject or silently change although the grammar accepts
/// the line (vtysh -C passes it). Rules report these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowerIssue {
    pub span: Span,
    pub kind: LowerIssueKind,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LowerIssueKind {
    /// A value FRR rejects (ge/le order, hold time 1-2, local-as equal to the AS …).
    InvalidValue,
    /// A command the daemon rejects in this context (undeclared neighbor, …).
    Rejected,
    /// `end`, or `exit` at the top level, with commands after it: a daemon reading its own
    /// file (`end`) or vtysh 9.1+ (`exit`) stops there, and the later commands are lost.
    EarlyEnd,
}

/// One matched command, seen through typed accessors. Index 0 is the first word after a
/// leading `no`.
pub(crate) struct Cmd<'a> {
    pub words: &'a [Word],
    pub file: &'a SourceFile,
    pub span: Span,
    pub neg: bool,
}

impl<'a> Cmd<'a> {
    fn word(&self, i: usize) -> Option<&'a Word> {
        self.words.get(i + usize::from(self.neg))
    }

    pub fn len(&self) -> usize {
        self.words.len() - usize::from(self.neg)
    }

    pub fn kw(&self, i: usize) -> Option<&'static str> {
        match self.word(i)?.kind {
            WordKind::Keyword(k) => Some(k),
            _ => None,
        }
    }

    pub fn is_kw(&self, i: usize, k: &str) -> bool {
        self.kw(i) == Some(k)
    }

    /// Position of the first keyword `k` at or after `from`.
    pub fn find_kw(&self, from: usize, k: &str) -> Option<usize> {
        (from..self.len()).find(|&i| self.is_kw(i, k))
    }

    pub fn text(&self, i: usize) -> &'a str {
        match self.word(i) {
            Some(w) => self.file.slice(w.span),
            None => "",
        }
    }

    pub fn span(&self, i: usize) -> Span {
        self.word(i).map(|w| w.span).unwrap_or(self.span)
    }

    pub fn spanned(&self, i: usize) -> Spanned<String> {
        Spanned::new(self.text(i).to_string(), self.span(i))
    }

    pub fn num(&self, i: usize) -> Option<i64> {
        match self.word(i)?.kind {
            WordKind::Number(n) => Some(n),
            WordKind::Asn(a) => Some(i64::from(a)),
            _ => self.text(i).parse().ok(),
        }
    }

    pub fn asn(&self, i: usize) -> Option<u32> {
        match self.word(i)?.kind {
            WordKind::Asn(a) => Some(a),
            WordKind::Number(n) => u32::try_from(n).ok(),
            _ => parse_asn(self.text(i)),
        }
    }

    pub fn prefix(&self, i: usize) -> Option<ipnet::IpNet> {
        match self.word(i)?.kind {
            WordKind::Ipv4Prefix(p) => Some(p.into()),
            WordKind::Ipv6Prefix(p) => Some(p.into()),
            _ => self.text(i).parse().ok(),
        }
    }

    pub fn ip(&self, i: usize) -> Option<IpAddr> {
        match self.word(i)?.kind {
            WordKind::Ipv4(a) => Some(a.into()),
            WordKind::Ipv6(a) => Some(a.into()),
            _ => None,
        }
    }

    /// Words `from..` re-joined with single spaces, as FRR stores `LINE...` arguments.
    pub fn rest(&self, from: usize) -> String {
        (from..self.len()).map(|i| self.text(i)).collect::<Vec<_>>().join(" ")
    }

    pub fn rest_span(&self, from: usize) -> Span {
        if from >= self.len() {
            return self.span;
        }
        self.span(from).to(self.span(self.len() - 1))
    }

    /// Keywords as written in the grammar, other words as `*` (after any leading `no`).
    pub fn skeleton(&self) -> String {
        let mut s = String::new();
        for i in 0..self.len() {
            if i > 0 {
                s.push(' ');
            }
            match self.kw(i) {
                Some(k) => s.push_str(k),
                None => s.push('*'),
            }
        }
        s
    }
}

/// `65000` or asdot `1.10`.
pub(crate) fn parse_asn(s: &str) -> Option<u32> {
    if let Some((hi, lo)) = s.split_once('.') {
        let hi: u16 = hi.parse().ok()?;
        let lo: u16 = lo.parse().ok()?;
        let v = (u32::from(hi) << 16) | u32::from(lo);
        return (v != 0).then_some(v);
    }
    s.parse::<u32>().ok().filter(|&v| v != 0)
}

/// Where a command sits: the enclosing blocks' handles.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Ctx {
    pub router: Option<usize>,
    pub af: Option<AfiSafi>,
    pub route_map: Option<(usize, u16)>,
    pub interface: Option<usize>,
}

pub(crate) type Handler = fn(&mut Lowerer, &Cmd<'_>, Ctx) -> bool;

/// The lowering state: the config being built and the block handles by opener line.
pub(crate) struct Lowerer {
    pub cfg: Config,
    pub issues: Vec<LowerIssue>,
    /// Block handles by the opener's line index, in file order (so sorted): lines find
    /// their blocks through their context by binary search.
    opened: Vec<(u32, Opened)>,
    /// Route-map names in creation order (index -> name).
    pub route_map_names: Vec<String>,
    /// Prefix-list rules seen per list, for the duplicate test (see `policy::prefix_list`).
    pub plist_rules: HashMap<(super::Afi, String), FastSet<policy::RuleKey>>,
    /// The key of the last prefix-list line: long lists are written line after line, so the
    /// name is allocated once per run of lines rather than per line.
    pub plist_key: Option<(super::Afi, String)>,
    /// Neighbors by router and name, for resolving `neighbor X …` without a scan.
    pub neighbor_index: bgp::NeighborIndex,
}

impl Lowerer {
    pub fn issue(&mut self, span: Span, kind: LowerIssueKind, message: impl Into<String>, help: impl Into<String>) {
        self.issues.push(LowerIssue { span, kind, message: message.into(), help: help.into() });
    }
}

/// Lower a parsed file.
pub fn lower(file_id: crate::source::FileId, file: &SourceFile, parsed: &Parsed) -> (Config, Vec<LowerIssue>) {
    let mut lw = Lowerer {
        cfg: Config::empty(file_id, parsed.version),
        issues: Vec::new(),
        opened: Vec::new(),
        route_map_names: Vec::new(),
        plist_rules: HashMap::new(),
        plist_key: None,
        neighbor_index: Default::default(),
    };
    let g = grammar();
    let dispatch = dispatch();
    // The address family of each node, looked up once rather than by name per line.
    let node_afs: Vec<Option<AfiSafi>> = g
        .nodes()
        .map(|(_, n)| if n.name == "bgp" { Some(AfiSafi::Ipv4Unicast) } else { AfiSafi::from_node_name(n.name) })
        .collect();
    // Consecutive lines of a block share their context: resolve it once per block.
    let mut last_context: Option<(crate::syntax::Context, Ctx)> = None;
    for (idx, pl) in parsed.lines.iter().enumerate() {
        let idx = idx as u32;
        let cmd = match &pl.kind {
            LineKind::Comment => {
                if let Some(s) = suppression(file, pl.span, parsed, idx as usize) {
                    lw.cfg.suppressions.push(s);
                }
                continue;
            }
            LineKind::Command(c) => c,
            LineKind::Opaque | LineKind::Error => continue,
        };
        let words = parsed.words(cmd);
        let neg = matches!(words.first().map(|w| &w.kind), Some(WordKind::Keyword("no")));
        let c = Cmd { words, file, span: pl.span, neg };
        if c.len() == 0 {
            continue;
        }
        let mut ctx = match last_context {
            Some((key, ctx)) if key == pl.context => ctx,
            _ => {
                let ctx = lw.context(&pl.context);
                last_context = Some((pl.context, ctx));
                ctx
            }
        };
        ctx.af = node_afs.get(usize::from(pl.node.0)).copied().flatten();
        // Openers create their block's handle, which later lines find through `context`.
        if let Some(entered) = cmd.enters {
            let child = g.node(entered).name;
            match child {
                "bgp" => {
                    let r = bgp::open_router(&mut lw, &c);
                    lw.opened.push((idx, Opened::Router(r)));
                    continue;
                }
                "route-map" => {
                    if let Some(h) = policy::open_route_map(&mut lw, &c) {
                        lw.opened.push((idx, Opened::RouteMap(h)));
                    }
                    continue;
                }
                "interface" => {
                    let i = global::open_interface(&mut lw, &c);
                    lw.opened.push((idx, Opened::Interface(i)));
                    continue;
                }
                n => {
                    if let (Some(afs), Some(r)) = (AfiSafi::from_node_name(n), ctx.router) {
                        lw.cfg.routers[r].afs.entry(afs).or_default().span.get_or_insert(pl.span);
                        continue;
                    }
                }
            }
        }
        if cmd.exits || cmd.end {
            continue;
        }
        let handled = dispatch.iter().any(|t| match t.lookup(&c) {
            Some(h) => h(&mut lw, &c, ctx),
            None => false,
        });
        if !handled {
            lw.cfg.unmodelled.push(pl.line);
            for w in words {
                if matches!(w.kind, WordKind::Variable) {
                    lw.cfg.unmodelled_words.insert(c.file.slice(w.span).to_string());
                }
            }
        }
    }
    early_ends(&mut lw, parsed);
    let issues = std::mem::take(&mut lw.issues);
    (lw.cfg, issues)
}

/// The walker flags every `end` and every top-level `exit`; what is lost depends on what
/// follows, so only those with a later command (other than `end`) are kept, as
/// [`LowerIssueKind::EarlyEnd`].
fn early_ends(lw: &mut Lowerer, parsed: &Parsed) {
    let last_command = parsed
        .lines
        .iter()
        .rev()
        .find(|l| match &l.kind {
            LineKind::Comment => false,
            LineKind::Command(c) => !c.end,
            LineKind::Opaque | LineKind::Error => true,
        })
        .map(|l| l.span.start);
    let Some(last) = last_command else { return };
    for issue in &parsed.issues {
        if issue.span.start >= last {
            continue;
        }
        match issue.kind {
            IssueKind::EndInFile => lw.issue(
                issue.span,
                LowerIssueKind::EarlyEnd,
                "`end` before the last command: bgpd reading this file stops configuring here",
                "remove `end`, or move it to the last line",
            ),
            IssueKind::TopLevelExit => lw.issue(
                issue.span,
                LowerIssueKind::EarlyEnd,
                "`exit` at the top level: vtysh 9.1+ stops reading the file here, FRR 8.x rejects every later line",
                "remove this `exit`; blocks are closed by `exit` inside them",
            ),
            _ => {}
        }
    }
}

/// The keyword skeletons lowering models: the keys of the per-area tables, and the block
/// openers handled before them. A meta-test keeps each covered by some fixture or corpus line.
pub fn modelled_skeletons() -> Vec<&'static str> {
    let tables: [&[(&str, Handler)]; 3] = [global::HANDLERS, bgp::HANDLERS, policy::HANDLERS];
    let mut v: Vec<&'static str> = vec!["router bgp", "address-family", "route-map", "interface"];
    v.extend(tables.iter().flat_map(|t| t.iter().map(|(k, _)| *k)));
    v.sort_unstable();
    v.dedup();
    v
}

/// A multiply-rotate hasher (as in rustc's FxHash) for lowering's internal sets, which see
/// one lookup per line: the keys come from the file being checked, so SipHash's defence
/// against chosen keys buys nothing here and costs a tenth of the lowering time.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FastSet<T> = std::collections::HashSet<T, std::hash::BuildHasherDefault<FastHasher>>;

/// A key's keywords after the first, and its handler.
type KeyRest = (Vec<&'static str>, Handler);

/// One area's handlers, by the command's first keyword. A dozen first keywords per area: a
/// scan beats hashing the word.
struct Table(Vec<(&'static str, Vec<KeyRest>)>);

impl Table {
    fn new(handlers: &'static [(&'static str, Handler)]) -> Table {
        let mut t: Vec<(&'static str, Vec<KeyRest>)> = Vec::new();
        for (key, h) in handlers {
            let mut words = key.split(' ');
            let first = words.next().unwrap_or_default();
            let rest = (words.collect(), *h);
            match t.iter_mut().find(|(f, _)| *f == first) {
                Some((_, v)) => v.push(rest),
                None => t.push((first, vec![rest])),
            }
        }
        Table(t)
    }

    /// The handler of the longest key whose keywords start the command (after `no`).
    fn lookup(&self, c: &Cmd<'_>) -> Option<Handler> {
        let first = c.kw(0)?;
        let (_, candidates) = self.0.iter().find(|(f, _)| *f == first)?;
        let mut best: Option<(usize, Handler)> = None;
        for (rest, h) in candidates {
            let hit = rest.iter().enumerate().all(|(i, k)| c.kw(i + 1) == Some(*k));
            if hit && best.is_none_or(|(l, _)| rest.len() > l) {
                best = Some((rest.len(), *h));
            }
        }
        best.map(|(_, h)| h)
    }
}

/// The three areas' tables, tried in this order, built once.
fn dispatch() -> &'static [Table; 3] {
    static TABLES: std::sync::OnceLock<[Table; 3]> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| [Table::new(global::HANDLERS), Table::new(bgp::HANDLERS), Table::new(policy::HANDLERS)])
}

/// A block handle created by its opener line.
#[derive(Debug, Clone, Copy)]
enum Opened {
    Router(usize),
    RouteMap((usize, u16)),
    Interface(usize),
}

impl Lowerer {
    /// The blocks a line sits in, from the opener lines of its context.
    fn context(&self, openers: &[u32]) -> Ctx {
        let mut ctx = Ctx::default();
        for opener in openers {
            if let Ok(i) = self.opened.binary_search_by_key(opener, |(line, _)| *line) {
                match self.opened[i].1 {
                    Opened::Router(r) => ctx.router = Some(r),
                    Opened::RouteMap(rm) => ctx.route_map = Some(rm),
                    Opened::Interface(i) => ctx.interface = Some(i),
                }
            }
        }
        ctx
    }
}

/// `! frrlint: ignore[rule-a, FRR101]` (or `ignore` for all rules) on the line before a
/// command applies to that command.
fn suppression(file: &SourceFile, span: Span, parsed: &Parsed, idx: usize) -> Option<Suppression> {
    let text = file.slice(span);
    let body = text.trim_start_matches(['!', '#']).trim();
    let rest = body.strip_prefix("frrlint:")?.trim();
    let rest = rest.strip_prefix("ignore")?.trim();
    let rules = if let Some(inner) = rest.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        inner.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
    } else if rest.is_empty() {
        Vec::new()
    } else {
        return None;
    };
    let target = parsed.lines[idx + 1..]
        .iter()
        .find(|l| !matches!(l.kind, LineKind::Comment))
        .map(|l| l.span)
        .unwrap_or_default();
    Some(Suppression { span, target, rules })
}
