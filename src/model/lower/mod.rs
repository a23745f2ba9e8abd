//! Lowering: the commands `syntax` matched, in file order, become the typed [`Config`].
//!
//! Commands are dispatched on their leading keywords (`neighbor`, `ip prefix-list`), the
//! longest key of one table per area (`bgp.rs`, `policy.rs`, `global.rs`) winning. A matched
//! command with no handler is kept as unmodelled, so nothing is lost. FRR processes a file
//! in order, and so does this: a neighbor exists from its declaring line on, `bgp default
//! ipv4-unicast` applies to neighbors created after it, a later `seq` replaces an earlier one.

mod bgp;
mod global;
mod pipeline;
mod policy;

/// From this many bytes on (about 20,000 lines), a file is read on one thread and lowered on
/// another. Bytes, not lines: the file's lines are counted as it is read, not before.
const PIPELINE_BYTES: usize = 800_000;

use super::{AfiSafi, Config, Spanned, Suppression};
use crate::source::{SourceFile, Span};
use crate::syntax::{grammar, IssueKind, LineKind, Word, WordKind};
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
        // Sized first: a description of a few words grew its string two or three times.
        let len = (from..self.len()).map(|i| self.text(i).len() + 1).sum::<usize>();
        let mut out = String::with_capacity(len.saturating_sub(1));
        for i in from..self.len() {
            if i > from {
                out.push(' ');
            }
            out.push_str(self.text(i));
        }
        out
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
    /// Route-maps with their names, by index in creation order: lines reach theirs through
    /// their context's index (thousands of route-maps are not searched by name per line).
    /// `None` after `no route-map NAME`. They go into the config by name at the end.
    pub route_maps: Vec<(std::sync::Arc<str>, Option<crate::model::RouteMap>)>,
    /// Route-map indexes by name.
    pub route_map_ids: FastMap<String, usize>,
    /// Prefix-list rules seen per list, for the duplicate test (see `policy::prefix_list`).
    pub plist_rules: FastMap<(super::Afi, String), policy::SeenRules>,
    /// The prefix-list being added to (see `policy::OpenList`).
    pub plist_open: Option<policy::OpenList>,
    /// Community lists (community, large, extended) by name while lowering, each with the
    /// rules it has seen (for the repeat test, see `policy::community_list`), as-path lists
    /// and access lists, each with its entries kept aside (`policy::Aside`): a hash lookup
    /// per line rather than searches of the config's sorted maps, which they go into at the
    /// end (`policy::close_named_lists`).
    pub clists: [FastMap<String, (crate::model::CommunityList, FastSet<u64>, policy::Aside<crate::model::CommunityListEntry>)>; 3],
    pub as_paths: FastMap<String, (crate::model::AsPathList, policy::Aside<crate::model::AsPathEntry>)>,
    pub access_lists: FastMap<(super::Afi, String), (crate::model::AccessList, policy::Aside<crate::model::AccessListEntry>)>,
    /// Neighbors by router and name, for resolving `neighbor X …` without a scan.
    pub neighbor_index: bgp::NeighborIndex,
    /// The names references use, each held once.
    pub names: Names,
}

/// Shared copies of names: the first use of a name copies it, later uses share that copy.
#[derive(Default)]
pub(crate) struct Names(FastSet<std::sync::Arc<str>>);

impl Names {
    pub fn get(&mut self, name: &str) -> std::sync::Arc<str> {
        if let Some(a) = self.0.get(name) {
            return a.clone();
        }
        let a: std::sync::Arc<str> = name.into();
        self.0.insert(a.clone());
        a
    }
}

impl Lowerer {
    pub fn issue(&mut self, span: Span, kind: LowerIssueKind, message: impl Into<String>, help: impl Into<String>) {
        self.issues.push(LowerIssue { span, kind, message: message.into(), help: help.into() });
    }
}

/// Read a file and lower it as it is read: each line goes from the grammar engine straight
/// to its handler, so the file's words are never all held at once. Returns the config, the
/// lowering issues and what the walk found (syntax issues, statistics).
pub fn parse_and_lower(
    file_id: crate::source::FileId,
    file: &SourceFile,
    opts: &crate::syntax::ParseOptions,
) -> (Config, Vec<LowerIssue>, crate::syntax::Walked) {
    parse_and_lower_with(file_id, file, opts, file.text.len() >= PIPELINE_BYTES)
}

/// [`parse_and_lower`], on two threads (`pipeline`) or one.
fn parse_and_lower_with(
    file_id: crate::source::FileId,
    file: &SourceFile,
    opts: &crate::syntax::ParseOptions,
    pipeline: bool,
) -> (Config, Vec<LowerIssue>, crate::syntax::Walked) {
    let g = grammar();
    let mut sink = LowerSink {
        lw: Lowerer {
            cfg: Config::empty(file_id, crate::syntax::FrrVersion::NEWEST),
            issues: Vec::new(),
            opened: Vec::new(),
            route_maps: Vec::new(),
            route_map_ids: FastMap::default(),
            plist_rules: FastMap::default(),
            plist_open: None,
            clists: Default::default(),
            as_paths: FastMap::default(),
            access_lists: FastMap::default(),
            neighbor_index: Default::default(),
            names: Names::default(),
        },
        file,
        file_id,
        dispatch: dispatch(),
        memo: DispatchMemo::default(),
        // The address family of each node, looked up once rather than by name per line.
        node_afs: g
            .nodes()
            .map(|(_, n)| if n.name == "bgp" { Some(AfiSafi::Ipv4Unicast) } else { AfiSafi::from_node_name(n.name) })
            .collect(),
        last_context: None,
        pending: Vec::new(),
        last_command: None,
        idx: 0,
    };
    let walked = if pipeline {
        pipeline::parse_into(file, opts, &mut sink)
    } else {
        crate::syntax::parse_into(file, opts, &mut sink)
    };
    let mut lw = sink.lw;
    policy::close_list(&mut lw);
    policy::close_named_lists(&mut lw);
    policy::close_route_maps(&mut lw);
    if let Some(last) = sink.last_command {
        early_ends(&mut lw, &walked.issues, last);
    }
    let issues = std::mem::take(&mut lw.issues);
    (lw.cfg, issues, walked)
}

/// Lowering as a [`crate::syntax::Sink`]: the state kept between lines.
struct LowerSink<'a> {
    lw: Lowerer,
    file: &'a SourceFile,
    file_id: crate::source::FileId,
    dispatch: &'static Dispatch,
    memo: DispatchMemo,
    node_afs: Vec<Option<AfiSafi>>,
    /// Consecutive lines of a block share their context: it is resolved once per block.
    last_context: Option<(crate::syntax::Context, Ctx)>,
    /// Suppressions waiting for the next line that is not a comment (their target).
    pending: Vec<usize>,
    /// Where the last line that is neither a comment nor `end` starts.
    last_command: Option<u32>,
    /// The index of the current line (as [`crate::syntax::ParsedLine::context`] counts).
    idx: u32,
}

impl crate::syntax::Sink for LowerSink<'_> {
    fn begin(&mut self, version: crate::syntax::FrrVersion) {
        self.lw.cfg = Config::empty(self.file_id, version);
        // References are the config's longest vector (one per 245 bytes of the 200k-line
        // benchmark), pushed between the allocations of everything else: grown by doubling it
        // was copied into fresh memory a dozen times. Room for one per 200 bytes up front costs
        // no memory until written (a large block's pages are faulted in as they are used), and
        // a file with more references grows it from there.
        self.lw.cfg.references.reserve(self.file.text.len() / 200);
    }

    fn lines(&mut self, lines: &mut crate::syntax::LineBuffer) {
        for pl in &lines.lines {
            self.line(pl, lines.words_of(pl));
        }
    }
}

impl LowerSink<'_> {
    /// Lower one line, in file order.
    fn line(&mut self, pl: &crate::syntax::ParsedLine, words: &[Word]) {
        let idx = self.idx;
        self.idx += 1;
        if !self.pending.is_empty() && !matches!(pl.kind, LineKind::Comment) {
            for i in self.pending.drain(..) {
                self.lw.cfg.suppressions[i].target = pl.span;
            }
        }
        match &pl.kind {
            LineKind::Command(c) if c.end => {}
            LineKind::Comment => {}
            _ => self.last_command = Some(pl.span.start),
        }
        let cmd = match &pl.kind {
            LineKind::Comment => {
                if let Some(s) = suppression(self.file, pl.span) {
                    self.pending.push(self.lw.cfg.suppressions.len());
                    self.lw.cfg.suppressions.push(s);
                }
                return;
            }
            LineKind::Command(c) => c,
            LineKind::Opaque | LineKind::Error => return,
        };
        let lw = &mut self.lw;
        let neg = matches!(words.first().map(|w| &w.kind), Some(WordKind::Keyword("no")));
        let c = Cmd { words, file: self.file, span: pl.span, neg };
        if c.len() == 0 {
            return;
        }
        let mut ctx = match self.last_context {
            Some((key, ctx)) if key == pl.context => ctx,
            _ => {
                let ctx = lw.context(&pl.context);
                self.last_context = Some((pl.context, ctx));
                ctx
            }
        };
        ctx.af = self.node_afs.get(usize::from(pl.node.0)).copied().flatten();
        // Openers create their block's handle, which later lines find through `context`.
        if let Some(entered) = cmd.enters {
            match grammar().node(entered).name {
                "bgp" => {
                    let r = bgp::open_router(lw, &c);
                    lw.opened.push((idx, Opened::Router(r)));
                    return;
                }
                "route-map" => {
                    if let Some(h) = policy::open_route_map(lw, &c) {
                        lw.opened.push((idx, Opened::RouteMap(h)));
                    }
                    return;
                }
                "interface" => {
                    let i = global::open_interface(lw, &c);
                    lw.opened.push((idx, Opened::Interface(i)));
                    return;
                }
                n => {
                    if let (Some(afs), Some(r)) = (AfiSafi::from_node_name(n), ctx.router) {
                        lw.cfg.routers[r].afs.entry(afs).or_default().span.get_or_insert(pl.span);
                        return;
                    }
                }
            }
        }
        if cmd.exits || cmd.end {
            return;
        }
        let handled = self.memo.run(self.dispatch, lw, &c, ctx);
        if !handled {
            lw.cfg.unmodelled.push(pl.line);
            for w in words {
                if matches!(w.kind, WordKind::Variable) {
                    lw.cfg.unmodelled_words.insert(c.file.slice(w.span).to_string());
                }
            }
        }
    }
}

/// The walker flags every `end` and every top-level `exit`; what is lost depends on what
/// follows, so only those before the last command (`last`, other than `end`) are kept, as
/// [`LowerIssueKind::EarlyEnd`].
fn early_ends(lw: &mut Lowerer, issues: &[crate::syntax::SyntaxIssue], last: u32) {
    for issue in issues {
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

pub(crate) use crate::hash::{FastMap, FastSet};

/// A key's area (its table's place in the order areas are tried), keywords after the first,
/// and handler.
type KeyRest = (u8, Vec<&'static str>, Handler);

/// Every area's handlers by the command's first keyword: one hash per line finds the few
/// keys that can apply (a scan of each area's table compared the word a dozen times).
struct Dispatch(FastMap<&'static str, Vec<KeyRest>>);

impl Dispatch {
    fn new(areas: &[&'static [(&'static str, Handler)]]) -> Dispatch {
        let mut map: FastMap<&'static str, Vec<KeyRest>> = FastMap::default();
        for (area, handlers) in areas.iter().enumerate() {
            for (key, h) in handlers.iter() {
                let mut words = key.split(' ');
                let first = words.next().unwrap_or_default();
                map.entry(first).or_default().push((area as u8, words.collect(), *h));
            }
        }
        Dispatch(map)
    }

    /// Area by area, the handler of the longest key whose keywords start the command
    /// (after `no`): the handlers to try in order, the first that takes the line ending the
    /// search. It depends only on the first [`KEY_WORDS`] keywords.
    fn resolve(&self, c: &Cmd<'_>) -> AreaHandlers {
        let mut out: AreaHandlers = [None; AREAS];
        let Some(candidates) = c.kw(0).and_then(|first| self.0.get(first)) else { return out };
        for (area, slot) in out.iter_mut().enumerate() {
            let mut best: Option<(usize, Handler)> = None;
            for (_, rest, h) in candidates.iter().filter(|k| usize::from(k.0) == area) {
                let hit = rest.iter().enumerate().all(|(i, k)| c.kw(i + 1) == Some(*k));
                if hit && best.is_none_or(|(l, _)| rest.len() > l) {
                    best = Some((rest.len(), *h));
                }
            }
            *slot = best.map(|(_, h)| h);
        }
        out
    }
}

/// The areas: global, bgp, policy.
const AREAS: usize = 3;

/// The longest dispatch key, in words (`bgp as-path access-list`); a test keeps every key
/// within it.
const KEY_WORDS: usize = 3;

/// One handler per area, in the order they are tried.
type AreaHandlers = [Option<Handler>; AREAS];

/// A command's first keywords by identity: where each `&'static str` lives and its length
/// (zero for a word that is not a keyword). The same address and length always hold the
/// same text, so equal keys mean equal keywords; equal keywords written in two grammar
/// files get two keys, which only costs a second resolution.
type KeywordsKey = [(usize, usize); KEY_WORDS];

/// Resolutions already made in this lowering, by the command's first keywords: the first
/// line of each kind resolves through the keyword tables, the thousands after it through
/// one hash of a few integers instead of comparing keyword text.
///
/// Runs of lines of one kind (a long prefix-list, a peer's settings) are the common case:
/// the last few keys and their handlers are kept too, and a line like one of the few before
/// it needs no hash at all.
#[derive(Default)]
struct DispatchMemo {
    map: FastMap<KeywordsKey, AreaHandlers>,
    /// The last few keys and their handlers, replaced in turn: a block's lines come in a
    /// few kinds that alternate (a peer's `remote-as` and `description`, a route-map
    /// entry's `match`, `set` and `exit`), which one last key missed every other line.
    recent: [(KeywordsKey, AreaHandlers); RECENT],
    /// The slot of `recent` to replace next.
    next: usize,
}

/// Keys [`DispatchMemo`] keeps before its map.
const RECENT: usize = 4;

impl DispatchMemo {
    /// Run the handlers for `c`; `false`: no handler took it.
    fn run(&mut self, dispatch: &Dispatch, lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
        let key: KeywordsKey = std::array::from_fn(|i| c.kw(i).map_or((0, 0), |k| (k.as_ptr() as usize, k.len())));
        // An empty slot holds the key of no keywords, whose handlers are none: right for it.
        let handlers = match self.recent.iter().find(|(k, _)| *k == key) {
            Some(&(_, h)) => h,
            None => {
                let h = *self.map.entry(key).or_insert_with(|| dispatch.resolve(c));
                self.recent[self.next] = (key, h);
                self.next = (self.next + 1) % RECENT;
                h
            }
        };
        handlers.iter().flatten().any(|h| h(lw, c, ctx))
    }
}

/// The areas' handlers, tried in this order (global, bgp, policy), indexed once.
fn dispatch() -> &'static Dispatch {
    static DISPATCH: std::sync::OnceLock<Dispatch> = std::sync::OnceLock::new();
    DISPATCH.get_or_init(|| Dispatch::new(&[global::HANDLERS, bgp::HANDLERS, policy::HANDLERS]))
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
/// command applies to that command (the target is set when that line is read).
fn suppression(file: &SourceFile, span: Span) -> Option<Suppression> {
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
    Some(Suppression { span, target: Span::default(), rules })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo keys on the first KEY_WORDS keywords: a longer dispatch key would be
    /// resolved on words the key does not see.
    #[test]
    fn dispatch_keys_fit_the_memo_key() {
        for key in modelled_skeletons() {
            assert!(key.split(' ').count() <= KEY_WORDS, "`{key}` is longer than KEY_WORDS");
        }
    }
}
