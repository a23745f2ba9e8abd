//! FRR's config reader over a whole file: comments, blank lines and limits first; then each
//! line is matched in the current node, else in each ancestor (an implicit exit that pops
//! the blocks climbed); a line that matches nowhere is an error and the node stays as it was
//! (or, inside an `%opaque` block, an opaque line). `@enter` pushes a node, `@exit` pops one,
//! `@end` is recorded and ignored as vtysh does.
//!
//! A failing line never changes the node, even when it was meant to open a block (as FRR
//! does): the block's body then runs where FRR would run it. The diagnosis of the failing
//! line (another version, one bad value) is what points at the cause.

use super::explain::{explain, suggest};
use super::grammar::{CommandDef, Grammar};
use super::index::key;
use super::matcher::{Matcher, Outcome, Scratch};
use super::memo::MatchMemo;
use super::token::{
    ipv4_prefix_value, ipv4_value, ipv6_prefix_value, ipv6_value, parse_asnum, parse_strtoll, Level, Tok,
};
use super::{
    Command, FrrVersion, IssueKind, LineKind, NodeId, ParseOptions, Parsed, ParsedLine, Stats,
    SyntaxIssue, VersionFrom, Word, WordKind,
};
use crate::source::{SourceFile, Span};

/// FRR rejects a command of this many words or more (`CMD_ARGC_MAX` less the matcher's own
/// start token): 255 words pass, 256 fail (checked on 8.4.4).
pub const MAX_WORDS: usize = 255;

/// `isspace` as the C library has it: what FRR skips before the first word.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The separators of `cmd_make_strvec`.
fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// FRR's read buffer (`VTY_BUFSIZ`): a line of this many bytes or more is split.
fn line_limit(v: FrrVersion) -> usize {
    if v >= FrrVersion::new(9, 0) {
        8192
    } else {
        4096
    }
}

/// The words of `text[lead..end]` (a line at byte `off` of the file `all`, its ends trimmed)
/// with their spans, one at a time. A line of up to 64 bytes (nearly every line) is read
/// through a bit mask of its separators, one bit per byte, and each word is then found with
/// two bit scans: a byte-by-byte loop mispredicts its branch at the end of every word, and
/// that was a third of the walk's own time. Longer lines are read a byte at a time.
pub(super) struct WordCursor<'t> {
    text: &'t str,
    /// File offset of `text[0]`.
    off: usize,
    lead: usize,
    end: usize,
    /// Mask mode: one bit per byte of the line from `lead` that is a separator (or past
    /// the end), and the bits of the bytes not yet read.
    sep: u64,
    rest: u64,
    bytewise: bool,
}

impl<'t> WordCursor<'t> {
    #[inline(always)]
    pub(super) fn new(all: &[u8], text: &'t str, off: usize, lead: usize, end: usize) -> WordCursor<'t> {
        let n = end - lead;
        if n > 64 {
            return WordCursor { text, off, lead, end, sep: 0, rest: 0, bytewise: true };
        }
        let base = off + lead;
        let mut sep = 0u64;
        let mut k = 0;
        while k < n {
            // Bytes past the line are read too (they are masked off below); at the end of
            // the file a padded copy stands in for them.
            let mask = match all.get(base + k..base + k + 16).and_then(|c| <&[u8; 16]>::try_from(c).ok()) {
                Some(chunk) => separators16(chunk),
                None => {
                    let mut pad = [b' '; 16];
                    let tail = all.get(base + k..).unwrap_or_default();
                    pad[..tail.len().min(16)].copy_from_slice(&tail[..tail.len().min(16)]);
                    separators16(&pad)
                }
            };
            sep |= u64::from(mask) << k;
            k += 16;
        }
        if n < 64 {
            sep |= u64::MAX << n;
        }
        WordCursor { text, off, lead, end, sep, rest: !sep, bytewise: false }
    }
}

impl<'t> Iterator for WordCursor<'t> {
    type Item = (&'t str, Span);

    #[inline(always)]
    fn next(&mut self) -> Option<(&'t str, Span)> {
        if self.bytewise {
            let b = self.text.as_bytes();
            let mut i = self.lead;
            while i < self.end && is_separator(b[i]) {
                i += 1;
            }
            let s = i;
            while i < self.end && !is_separator(b[i]) {
                i += 1;
            }
            self.lead = i;
            return (s < i).then(|| (&self.text[s..i], Span::new(self.off + s, self.off + i)));
        }
        if self.rest == 0 {
            return None;
        }
        let s = self.rest.trailing_zeros() as usize;
        // A word that runs to the 64th byte has no separator after it: 64.
        let e = (self.sep & (u64::MAX << s)).trailing_zeros() as usize;
        self.rest &= u64::MAX.checked_shl(e as u32).unwrap_or(0);
        let (a, z) = (self.lead + s, self.lead + e);
        debug_assert!(a < z && z <= self.end);
        // SAFETY: `a` follows a separator or the line's trimmed start and `z` precedes a
        // separator or is the line's trimmed end: both sit next to an ASCII byte (or at the
        // end of the text) inside `text`, so both are in bounds and on character
        // boundaries. Checking that per word was a tenth of the splitter's instructions.
        let w = unsafe { self.text.get_unchecked(a..z) };
        Some((w, Span::new(self.off + a, self.off + z)))
    }
}

/// Split `text[lead..end]` (see [`WordCursor`]) into its words and their spans.
fn split_words<'t>(
    all: &[u8],
    text: &'t str,
    off: usize,
    lead: usize,
    end: usize,
    words: &mut Vec<&'t str>,
    spans: &mut Vec<Span>,
) {
    for (w, span) in WordCursor::new(all, text, off, lead, end) {
        words.push(w);
        spans.push(span);
    }
}

/// [`split_words`] a byte at a time, to test it against.
#[cfg(test)]
fn split_words_bytewise<'t>(text: &'t str, off: usize, lead: usize, end: usize, words: &mut Vec<&'t str>, spans: &mut Vec<Span>) {
    let b = text.as_bytes();
    let mut i = lead;
    while i < end {
        while i < end && is_separator(b[i]) {
            i += 1;
        }
        let s = i;
        while i < end && !is_separator(b[i]) {
            i += 1;
        }
        if s < i {
            words.push(&text[s..i]);
            spans.push(Span::new(off + s, off + i));
        }
    }
}

/// One bit per byte of `chunk` that is a word separator (see [`is_separator`]).
#[cfg(target_arch = "x86_64")]
fn separators16(chunk: &[u8; 16]) -> u16 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8};
    // SAFETY: SSE2 is part of every x86_64 processor; the load reads exactly the 16 bytes
    // of `chunk`, unaligned loads being allowed.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        let eq = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
        let any = _mm_or_si128(_mm_or_si128(eq(b' '), eq(b'\t')), _mm_or_si128(eq(b'\r'), eq(b'\n')));
        _mm_movemask_epi8(any) as u16
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn separators16(chunk: &[u8; 16]) -> u16 {
    separators16_bytewise(chunk)
}

/// [`separators16`] a byte at a time: elsewhere than on x86_64, and to test it against.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn separators16_bytewise(chunk: &[u8; 16]) -> u16 {
    chunk
        .iter()
        .enumerate()
        .fold(0, |m, (i, &c)| m | (u16::from(is_separator(c)) << i))
}

/// The lines of a text with their byte offsets, without the `\n`.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut off = 0;
    std::iter::from_fn(move || {
        if off >= text.len() {
            return None;
        }
        let rest = &text[off..];
        let len = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
        let line = (off, &rest[..len]);
        off += len + 1;
        Some(line)
    })
}

fn pick_version(file: &SourceFile, opts: &ParseOptions) -> (FrrVersion, VersionFrom) {
    if let Some(v) = opts.version {
        return (v, VersionFrom::Option);
    }
    for (off, raw) in lines(&file.text) {
        let t = raw.trim_start_matches(|c: char| c.is_ascii() && is_c_space(c as u8));
        if !t.starts_with("frr") {
            continue;
        }
        let mut w = t
            .split(|c: char| c.is_ascii() && is_separator(c as u8))
            .filter(|w| !w.is_empty());
        if w.next() == Some("frr") && w.next() == Some("version") {
            if let Some(v) = w.next().and_then(FrrVersion::parse) {
                let lead = raw.len() - t.len();
                let span = Span::new(off + lead, off + lead + t.trim_end().len());
                return (v.clamp_to_known(), VersionFrom::FileLine(span));
            }
        }
    }
    (FrrVersion::NEWEST, VersionFrom::Default)
}

/// The words of a command line, their spans and their keyword-table keys.
#[derive(Clone, Copy)]
struct Line<'a> {
    words: &'a [&'a str],
    spans: &'a [Span],
    keys: &'a [u64],
}

struct Frame {
    node: NodeId,
    indent: usize,
}

/// Receives the lines of a file as the walker reads them, in file order, a batch at a time:
/// the walker builds each line and its words in place in a [`LineBuffer`] and hands the
/// buffer over every [`Sink::batch_lines`] lines. A consumer that needs only the model
/// (lowering) never holds more than a batch of lines and words.
pub trait Sink {
    /// The next lines, in file order (each command's [`Command::words`] indexes
    /// `lines.words`). A line's index (what [`ParsedLine::context`] holds for openers) is the
    /// number of lines before it in the whole file. The sink may take the buffer's contents
    /// (leaving it empty, or swapping in an empty buffer of its own); the walker clears it
    /// afterwards either way.
    fn lines(&mut self, lines: &mut LineBuffer);

    /// Lines per batch.
    fn batch_lines(&self) -> usize {
        BATCH_LINES
    }

    /// Called once before the first line, with the target version.
    fn begin(&mut self, _version: FrrVersion) {}
}

/// Lines per batch: large enough that handing one over costs nothing per line, small
/// enough to stay in cache.
pub const BATCH_LINES: usize = 512;

/// What the walk found besides the lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Walked {
    pub version: FrrVersion,
    pub version_from: VersionFrom,
    pub issues: Vec<SyntaxIssue>,
    pub stats: Stats,
}

/// Lines kept with their words in one block (a command's `words` range points into
/// `words`): the [`Parsed`] form, and the batches of the two-thread pipeline.
#[derive(Debug, Default)]
pub struct LineBuffer {
    pub lines: Vec<ParsedLine>,
    pub words: Vec<Word>,
}

impl LineBuffer {
    /// Keep a line with its words (a command's range is set to where they are put).
    pub fn push(&mut self, line: &ParsedLine, words: &[Word]) {
        let mut line = line.clone();
        if let LineKind::Command(c) = &mut line.kind {
            let start = self.words.len() as u32;
            self.words.extend_from_slice(words);
            c.words = start..self.words.len() as u32;
        }
        self.lines.push(line);
    }

    /// The words of a kept line.
    pub fn words_of(&self, line: &ParsedLine) -> &[Word] {
        match &line.kind {
            LineKind::Command(c) => command_words(&self.words, c),
            _ => &[],
        }
    }

    pub fn clear(&mut self) {
        self.lines.clear();
        self.words.clear();
    }
}

/// Keeps every line: the whole file ends up in one buffer.
impl Sink for LineBuffer {
    fn lines(&mut self, lines: &mut LineBuffer) {
        if self.lines.is_empty() {
            std::mem::swap(self, lines);
            return;
        }
        for line in &lines.lines {
            self.push(line, lines.words_of(line));
        }
    }

    /// One batch: the walk builds the whole file in place.
    fn batch_lines(&self) -> usize {
        usize::MAX
    }
}

/// A command's words in the block they were kept in.
pub(super) fn command_words<'a>(words: &'a [Word], cmd: &Command) -> &'a [Word] {
    words.get(cmd.words.start as usize..cmd.words.end as usize).unwrap_or(&[])
}

struct Walker<'a> {
    g: &'a Grammar,
    version: FrrVersion,
    stack: Vec<Frame>,
    /// Line indices of the openers of `stack[1..]`.
    openers: Vec<u32>,
    /// The same as every line of the current block carries it: built when the blocks
    /// change, not per line.
    context: crate::syntax::Context,
    out: Walked,
    /// Lines read so far (kept, or handed to the sink): the next line's index.
    count: u32,
    /// The lines not yet handed to the sink; the current line's words are built at the end
    /// of its words, from `wstart`.
    buf: LineBuffer,
    wstart: usize,
    batch: usize,
    sink: &'a mut dyn Sink,
    scratch: Scratch,
    /// The grammar's fast paths, when they and the match memo may be used.
    fast_paths: Option<&'a super::fast::FastPaths>,
    /// The last command matched, by id.
    last_cmd: Option<(u32, &'a CommandDef)>,
    memo: MatchMemo,
}

/// About how many lines a file has, one per 40 bytes: enough to size buffers (the file's own
/// line count would cost a pass over it, which the walk makes anyway).
fn lines_about(file: &SourceFile) -> usize {
    file.text.len() / 40 + 1
}

/// Read a whole file into a [`Parsed`].
pub fn walk(g: &Grammar, file: &SourceFile, opts: &ParseOptions) -> Parsed {
    let mut c = LineBuffer::default();
    let w = walk_into(g, file, opts, &mut c);
    Parsed {
        version: w.version,
        version_from: w.version_from,
        lines: c.lines,
        issues: w.issues,
        stats: w.stats,
        words: c.words,
    }
}

/// Read a whole file, handing each line to `sink`.
pub fn walk_into(g: &Grammar, file: &SourceFile, opts: &ParseOptions, sink: &mut dyn Sink) -> Walked {
    let (version, version_from) = pick_version(file, opts);
    let limit = line_limit(version);
    let batch = sink.batch_lines().max(1);
    let first = batch.min(lines_about(file));
    let mut w = Walker {
        g,
        version,
        stack: vec![Frame {
            node: g.root(),
            indent: 0,
        }],
        openers: Vec::new(),
        context: crate::syntax::Context::default(),
        out: Walked {
            version,
            version_from,
            issues: Vec::new(),
            stats: Stats::default(),
        },
        count: 0,
        // About four words per line.
        buf: LineBuffer { lines: Vec::with_capacity(first), words: Vec::with_capacity(first * 4) },
        wstart: 0,
        batch,
        sink,
        scratch: Scratch::default(),
        fast_paths: (!opts.general_matcher_only).then(|| g.fast()),
        last_cmd: None,
        memo: MatchMemo::default(),
    };
    w.sink.begin(version);
    // Keyword-table keys of the line's words.
    let mut keys: Vec<u64> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    // FRR reads C strings: nothing after a NUL byte exists for it. Most files have none,
    // and then no line needs the search.
    let has_nul = memchr::memchr(0, file.text.as_bytes()).is_some();
    // Every line's start, for the file to locate findings with later (saves it a pass).
    let mut starts: Vec<u32> = Vec::with_capacity(lines_about(file));
    for (n, (off, raw)) in lines(&file.text).enumerate() {
        starts.push(off as u32);
        let line = n as u32 + 1;
        let text = match has_nul {
            true => &raw[..memchr::memchr(0, raw.as_bytes()).unwrap_or(raw.len())],
            false => raw,
        };
        let b = text.as_bytes();
        let lead = b.iter().take_while(|&&c| is_c_space(c)).count();
        let end = b.len() - b.iter().rev().take_while(|&&c| is_c_space(c)).count();
        if lead >= end {
            w.out.stats.blank += 1;
            continue;
        }
        let span = Span::new(off + lead, off + end);
        if raw.len() >= limit {
            w.push_issue(span, IssueKind::LineTooLong { limit });
            w.push_line(line, span, LineKind::Error);
            continue;
        }
        if matches!(b[lead], b'!' | b'#') {
            w.out.stats.comments += 1;
            w.push_line(line, span, LineKind::Comment);
            continue;
        }
        // A prefix-list entry is read word by word by its fast path (it has far fewer than
        // `MAX_WORDS` words); any other line is split first.
        if b[lead] == b'i' && w.fast_path(line, span, lead, WordCursor::new(file.text.as_bytes(), text, off, lead, end)) {
            continue;
        }
        words.clear();
        spans.clear();
        split_words(file.text.as_bytes(), text, off, lead, end, &mut words, &mut spans);
        if words.len() > MAX_WORDS {
            w.push_issue(span, IssueKind::TooManyTokens { limit: MAX_WORDS });
            w.push_line(line, span, LineKind::Error);
            continue;
        }
        keys.clear();
        keys.extend(words.iter().map(|x| key(x.as_bytes())));
        w.command_line(
            line,
            span,
            lead,
            Line {
                words: &words,
                spans: &spans,
                keys: &keys,
            },
        );
    }
    // What `lines` does not yield: the empty line after a final newline, or of an empty file.
    if starts.is_empty() || file.text.ends_with('\n') {
        starts.push(file.text.len() as u32);
    }
    file.offer_line_starts(starts);
    w.flush();
    w.out
}

impl<'a> Walker<'a> {
    fn top(&self) -> NodeId {
        self.stack.last().map_or(self.g.root(), |f| f.node)
    }

    fn push_issue(&mut self, span: Span, kind: IssueKind) {
        self.out.issues.push(SyntaxIssue { span, kind });
    }

    /// Keep a line; a command's words are those built from `wstart`, any others are
    /// dropped.
    fn push_line(&mut self, line: u32, span: Span, mut kind: LineKind) {
        match &mut kind {
            LineKind::Command(c) => c.words = self.wstart as u32..self.buf.words.len() as u32,
            _ => self.buf.words.truncate(self.wstart),
        }
        let pl = ParsedLine {
            line,
            span,
            node: self.top(),
            context: self.context,
            kind,
        };
        self.buf.lines.push(pl);
        self.wstart = self.buf.words.len();
        self.count += 1;
        if self.buf.lines.len() >= self.batch {
            self.flush();
        }
    }

    /// Hand the kept lines to the sink.
    fn flush(&mut self) {
        self.buf.words.truncate(self.wstart);
        if !self.buf.lines.is_empty() {
            self.sink.lines(&mut self.buf);
        }
        self.buf.clear();
        self.wstart = 0;
    }

    /// The words built so far for the current line.
    fn words_mut(&mut self) -> &mut Vec<Word> {
        self.buf.words.truncate(self.wstart);
        &mut self.buf.words
    }

    /// The nodes to try, innermost first.
    fn chain(&self) -> Vec<NodeId> {
        self.stack.iter().rev().map(|f| f.node).collect()
    }

    /// Match in the current node, then each ancestor; stop at the first that does not say
    /// "no match". Returns the stack level and the outcome. `memo`: through the match memo
    /// (only for the strict matcher of the target version).
    fn find(&mut self, m: &Matcher<'_>, memo: bool) -> Option<(usize, Outcome)> {
        for level in (0..self.stack.len()).rev() {
            let node = self.stack[level].node;
            let outcome = match memo {
                true => self.memo.run(m, node, &mut self.scratch),
                false => m.run(node, &mut self.scratch),
            };
            match outcome {
                Outcome::NoMatch => continue,
                o => return Some((level, o)),
            }
        }
        None
    }

    /// Match a line through a fast path ([`super::fast`]) if one applies; `false`: the
    /// general matcher must.
    fn fast_path(&mut self, line: u32, span: Span, indent: usize, words: WordCursor<'_>) -> bool {
        let Some(fast) = self.fast_paths.filter(|f| self.stack.len() == 1 && f.prefix_list_node() == Some(self.top())) else {
            return false;
        };
        match fast.prefix_list(words, self.words_mut()) {
            Some(ci) => {
                self.matched(0, ci, line, span, indent);
                true
            }
            None => {
                self.buf.words.truncate(self.wstart);
                false
            }
        }
    }

    fn command_line(&mut self, line: u32, span: Span, indent: usize, l: Line<'_>) {
        let Line { words, spans, keys } = l;
        let strict = Matcher {
            grammar: self.g,
            words,
            keys,
            version: Some(self.version),
            lenient: false,
        };
        let memo = self.fast_paths.is_some();
        match self.find(&strict, memo) {
            Some((level, Outcome::Matched)) => {
                let (best, best_cmd, _) = strict_result(&self.memo, &self.scratch, memo);
                let Some(ci) = best_cmd else {
                    return;
                };
                self.buf.words.truncate(self.wstart);
                self.buf.words.extend(
                    best
                        .iter()
                        .zip(words.iter().zip(spans))
                        .map(|(&(tok, _), (w, &span))| Word {
                            span,
                            // Most words are keywords: a test for them first spares the
                            // jump over every kind of token, which mispredicted half the time.
                            kind: match tok {
                                Tok::Keyword(k) => WordKind::Keyword(k),
                                _ => value_kind(tok, w),
                            },
                        }),
                );
                self.matched(level, ci, line, span, indent);
            }
            Some((_, Outcome::Ambiguous)) => {
                let candidates = strict_result(&self.memo, &self.scratch, memo)
                    .2
                    .iter()
                    .map(|&c| self.g.command(c).text)
                    .collect();
                self.push_issue(span, IssueKind::Ambiguous { candidates });
                self.push_line(line, span, LineKind::Error);
            }
            Some((level, _)) => {
                let node = self.stack[level].node;
                let why = explain(self.g, &[node], words, Some(self.version));
                let expected = why.expected.iter().map(|t| t.display()).collect();
                self.push_issue(span, IssueKind::Incomplete { node, expected });
                self.push_line(line, span, LineKind::Error);
            }
            None => self.no_match(line, span, l),
        }
    }

    /// A line matched command `ci` in the node at stack `level`; its words are at the end
    /// of `buf.words`, from `wstart`.
    fn matched(&mut self, level: usize, ci: u32, line: u32, span: Span, indent: usize) {
        // Runs of one command (a long prefix-list) are the common case.
        let cmd: &'a CommandDef = match self.last_cmd {
            Some((id, def)) if id == ci => def,
            _ => {
                let def = self.g.command(ci);
                self.last_cmd = Some((ci, def));
                def
            }
        };
        let command = Command {
            words: self.wstart as u32..self.buf.words.len() as u32,
            grammar_line: cmd.text,
            enters: cmd.enter,
            exits: cmd.exit,
            end: cmd.end,
        };
        self.out.stats.commands_checked += 1;
        self.execute(level, cmd, line, span, indent, LineKind::Command(command));
    }

    /// Run a matched command: the implicit exits of the walk up, then its own effect.
    fn execute(
        &mut self,
        level: usize,
        cmd: &CommandDef,
        line: u32,
        span: Span,
        indent: usize,
        kind: LineKind,
    ) {
        let top = self.top();
        if level + 1 < self.stack.len() {
            if indent > self.stack[level + 1].indent {
                self.push_issue(
                    span,
                    IssueKind::ImplicitExit {
                        from: top,
                        to: self.stack[level].node,
                    },
                );
            }
            self.stack.truncate(level + 1);
            self.openers.truncate(level);
            self.context = crate::syntax::Context::from_slice(&self.openers);
        }
        let idx = self.count;
        self.push_line(line, span, kind);
        if let Some(e) = cmd.enter {
            self.stack.push(Frame { node: e, indent });
            self.openers.push(idx);
            self.context = crate::syntax::Context::from_slice(&self.openers);
        }
        if cmd.exit {
            if self.stack.len() > 1 {
                self.stack.pop();
                self.openers.pop();
                self.context = crate::syntax::Context::from_slice(&self.openers);
            } else {
                self.push_issue(span, IssueKind::TopLevelExit);
            }
        }
        if cmd.end {
            self.push_issue(span, IssueKind::EndInFile);
        }
    }

    fn no_match(&mut self, line: u32, span: Span, l: Line<'_>) {
        let Line { words, spans, keys } = l;
        // Blocks of other daemons are not checked, except against FRR 8.4: the grammar of
        // every 8.4 node is FRR 8.4.4's own command list, so there a line that matches
        // nothing is known to be rejected.
        if !self.g.node(self.top()).checked && self.version > FrrVersion::OLDEST {
            self.out.stats.lines_passed_through += 1;
            self.push_line(line, span, LineKind::Opaque);
            return;
        }
        // A block closer outside its block (`exit-address-family` at the router bgp level):
        // FRR rejects it, but it changes nothing; it is told apart from unknown commands.
        if let [w] = words {
            if matches!(*w, "exit-address-family" | "exit-vrf" | "exit-vni") {
                self.out.stats.commands_checked += 1;
                self.push_issue(span, IssueKind::StrayExit);
                self.push_line(line, span, LineKind::Error);
                return;
            }
        }
        // Another FRR version has it?
        let any = Matcher {
            grammar: self.g,
            words,
            keys,
            version: None,
            lenient: false,
        };
        if let Some((_, Outcome::Matched | Outcome::Ambiguous)) = self.find(&any, false) {
            let v = Some(self.version);
            let pick = self
                .scratch
                .tied
                .iter()
                .copied()
                .find(|&c| !self.g.command(c).exists_in(v));
            if let Some(ci) = pick.or(self.scratch.best_cmd) {
                let c = self.g.command(ci);
                let kind = IssueKind::NotInVersion {
                    target: self.version,
                    since: c.since,
                    until: c.until,
                };
                self.push_issue(span, kind);
                self.push_line(line, span, LineKind::Error);
                return;
            }
        }
        // One value out of bounds?
        let lenient = Matcher {
            grammar: self.g,
            words,
            keys,
            version: Some(self.version),
            lenient: true,
        };
        if let Some((_, Outcome::Matched | Outcome::Ambiguous)) = self.find(&lenient, false) {
            let bad = self
                .scratch
                .best
                .iter()
                .position(|&(_, l)| l == Level::Shape);
            if let Some(i) = bad {
                let expected = self.scratch.best[i].0.expected_value();
                let at = spans.get(i).copied().unwrap_or(span);
                self.push_issue(at, IssueKind::InvalidValue { expected });
                self.push_line(line, span, LineKind::Error);
                return;
            }
        }
        let chain = self.chain();
        let why = explain(self.g, &chain, words, Some(self.version));
        let suggestion = words
            .get(why.depth)
            .and_then(|w| suggest(w, &why.expected))
            .map(str::to_string);
        let node = why.node.unwrap_or(self.top());
        self.push_issue(
            span,
            IssueKind::Unknown {
                node,
                matched_words: why.depth,
                suggestion,
            },
        );
        self.push_line(line, span, LineKind::Error);
    }
}

/// The result of the walker's last strict match of a line ([`Walker::find`], through the
/// memo when `memo_used`, else in the scratch alone): the winning path, its command, the
/// tied commands.
/// A free function so that the walker can write its batch while it reads the result.
fn strict_result<'s>(memo: &'s MatchMemo, scratch: &'s Scratch, memo_used: bool) -> (&'s [(Tok, Level)], Option<u32>, &'s [u32]) {
    match memo_used {
        true => memo.result(scratch),
        false => (&scratch.best, scratch.best_cmd, &scratch.tied),
    }
}

/// What a matched word is, from the (value or variable) token it matched.
#[inline(never)]
fn value_kind(tok: Tok, w: &str) -> WordKind {
    match tok {
        Tok::Keyword(k) => WordKind::Keyword(k),
        Tok::Variable(_) => WordKind::Variable,
        Tok::Range(..) => WordKind::Number(parse_strtoll(w).unwrap_or_default()),
        Tok::Asnum => WordKind::Asn(parse_asnum(w).unwrap_or_default()),
        Tok::Ipv4 => WordKind::Ipv4(ipv4_value(w).unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)),
        Tok::Ipv4Prefix => match ipv4_prefix_value(w) {
            Some(p) => WordKind::Ipv4Prefix(p),
            None => WordKind::Variable,
        },
        Tok::Ipv6 => WordKind::Ipv6(ipv6_value(w).unwrap_or(std::net::Ipv6Addr::UNSPECIFIED)),
        Tok::Ipv6Prefix => match ipv6_prefix_value(w) {
            Some(p) => WordKind::Ipv6Prefix(p),
            None => WordKind::Variable,
        },
        Tok::Mac | Tok::MacPrefix => WordKind::Mac,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every place of a chunk is a separator for the SSE2 version
    /// exactly when it is one for the byte loop.
    #[test]
    fn separator_masks_agree_with_the_byte_loop() {
        for b in 0..=255u8 {
            for at in 0..16 {
                let mut chunk = [b'x'; 16];
                chunk[at] = b;
                chunk[(at + 7) % 16] = b' ';
                assert_eq!(separators16(&chunk), separators16_bytewise(&chunk), "byte {b:#04x} at {at}");
            }
        }
    }

    /// The bit-mask splitter gives the words and spans of the byte loop: lines of every
    /// length around the 16-byte chunks and the 64-byte limit, made of every separator,
    /// other blanks and two-byte characters, placed at the very end of the file (nothing
    /// after them to read) and before more text.
    #[test]
    fn words_split_as_the_byte_loop_splits_them() {
        let pieces = ["a", "bc", "é", "x1", "prefix-list", " ", "\t", "\r", "  ", "\x0b", "\x0c"];
        let mut rng = crate::testing::Xorshift::new(0x2545_f491_4f6c_dd1d);
        let mut next = |n: usize| rng.below(n as u64) as usize;
        let mut tried = 0;
        for _ in 0..4000 {
            let mut line = String::new();
            let target = next(90);
            while line.len() < target {
                line.push_str(pieces[next(pieces.len())]);
            }
            for (before, after) in [("", ""), ("x\n", "\nrest of the file"), ("ab\n", "")] {
                let file = format!("{before}{line}{after}");
                let off = before.len();
                let text = &file[off..off + line.len()];
                let b = text.as_bytes();
                let lead = b.iter().take_while(|&&c| is_c_space(c)).count();
                let end = b.len() - b.iter().rev().take_while(|&&c| is_c_space(c)).count();
                if lead >= end {
                    continue;
                }
                let (mut w1, mut s1, mut w2, mut s2) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                split_words(file.as_bytes(), text, off, lead, end, &mut w1, &mut s1);
                split_words_bytewise(text, off, lead, end, &mut w2, &mut s2);
                assert_eq!((&w1, &s1), (&w2, &s2), "line {line:?} in {file:?}");
                tried += 1;
            }
        }
        assert!(tried > 10_000, "only {tried} lines tried");
    }
}
