//! The grammar engine: loads `grammar/*.frr` (embedded at build time) and reads an FRR
//! configuration the way FRR's own config reader does: each line is matched in the current
//! CLI node, then in each ancestor (an implicit exit), with FRR's keyword abbreviation, token
//! classes and disambiguation. Every line comes out as a comment, a matched command (with
//! its words typed), an opaque line of an unchecked block, or an error; problems are issues,
//! never panics.
//!
//! Pieces: `lexer` (FRR's notation lexer), `grammar_file` (one file, with nom), `pattern`
//! (command graphs), `token` (word matchers), `compile` (linking the nodes, compiling one),
//! `precompiled` (the nodes build.rs compiled), `grammar` (the loaded grammar), `index`
//! (per-node prefix tree), `matcher` (one line in one node), `explain` (why a line
//! failed), `walker` (a whole file), `issue` (messages), `version`.

mod compile;
mod explain;
mod fast;
mod grammar;
mod grammar_file;
mod index;
mod issue;
mod lexer;
mod matcher;
mod memo;
mod pattern;
mod precompiled;
mod token;
mod version;
mod walker;

pub use grammar::{CommandDef, Grammar, Node};
pub use grammar_file::GrammarError;
pub use version::FrrVersion;
pub use walker::{LineBuffer, Sink, Walked, BATCH_LINES};

use crate::source::{SourceFile, Span};
use std::sync::OnceLock;

/// A CLI node of the [`Grammar`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u16);

/// `(file name, text)` of every `grammar/*.frr`, embedded by build.rs.
static FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/grammar_files.rs"));

/// Every node of [`FILES`] compiled by build.rs (see `precompiled`).
static PRECOMPILED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/grammar.bin"));

static GRAMMAR: OnceLock<Grammar> = OnceLock::new();

/// The embedded grammar, linked on first use; each node is compiled when first used. Lines
/// in error are left out (see [`grammar_errors`]).
pub fn grammar() -> &'static Grammar {
    GRAMMAR.get_or_init(|| Grammar::link(FILES).with_precompiled(PRECOMPILED))
}

/// Compile what reading any file needs first (the top node and the fast paths), so that a
/// caller can do it while it does something else.
pub fn prepare() {
    grammar().fast();
}

/// Compile the named nodes now (a node is otherwise compiled when first used); unknown
/// names are ignored.
pub fn prepare_nodes(names: &[&str]) {
    let g = grammar();
    for n in names {
        if let Some(id) = g.node_by_name(n) {
            g.body(id);
        }
    }
}

/// Mistakes in the embedded grammar files (this compiles every node); a test keeps this
/// empty.
pub fn grammar_errors() -> Vec<GrammarError> {
    grammar().errors()
}

/// The embedded grammar files, `(file name, text)`.
pub fn grammar_files() -> &'static [(&'static str, &'static str)] {
    FILES
}

/// How to read a configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Target FRR version; `None`: the file's `frr version` line, else [`FrrVersion::NEWEST`].
    pub version: Option<FrrVersion>,
    /// Match every line with the general matcher, without the fast paths or the match
    /// memo (which give the same result, faster; a test compares the two).
    pub general_matcher_only: bool,
}

/// Read a configuration with the embedded grammar.
pub fn parse(file: &SourceFile, opts: &ParseOptions) -> Parsed {
    grammar().parse(file, opts)
}

/// Read a configuration with the embedded grammar, handing each line to `sink` as it is
/// read instead of keeping it.
pub fn parse_into(file: &SourceFile, opts: &ParseOptions, sink: &mut dyn Sink) -> Walked {
    walker::walk_into(grammar(), file, opts, sink)
}

impl Grammar {
    /// Read a configuration with this grammar.
    pub fn parse(&self, file: &SourceFile, opts: &ParseOptions) -> Parsed {
        walker::walk(self, file, opts)
    }
}

/// A configuration, line by line.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub version: FrrVersion,
    pub version_from: VersionFrom,
    /// Every non-blank line, in file order.
    pub lines: Vec<ParsedLine>,
    pub issues: Vec<SyntaxIssue>,
    pub stats: Stats,
    /// The words of every matched command, in one block; a [`Command`] holds its range
    /// ([`Parsed::words`]). One allocation per file instead of one per line.
    pub words: Vec<Word>,
}

impl Parsed {
    /// The words of a matched command.
    pub fn words(&self, cmd: &Command) -> &[Word] {
        walker::command_words(&self.words, cmd)
    }
}

/// Where the target version came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionFrom {
    Option,
    /// The file's `frr version` line (the version is limited to the releases frrlint knows).
    FileLine(Span),
    Default,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Lines matched as commands.
    pub commands_checked: usize,
    /// Lines kept unchecked inside `%opaque` blocks.
    pub lines_passed_through: usize,
    pub comments: usize,
    pub blank: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParsedLine {
    /// 1-based line number.
    pub line: u32,
    /// The text of the line without surrounding white space.
    pub span: Span,
    /// The node the line executed in (after any implicit exit).
    pub node: NodeId,
    /// Indices into [`Parsed::lines`] of the enclosing block openers, outermost first.
    pub context: Context,
    pub kind: LineKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LineKind {
    Comment,
    Command(Command),
    /// A line of an `%opaque` block that matches nothing known; kept, not checked.
    Opaque,
    /// See [`Parsed::issues`] for why.
    Error,
}

/// The enclosing block openers of a line, stored inline: FRR nests at most a few levels
/// (config > router bgp > address-family > vni), so no allocation per line is needed. A
/// deeper stack keeps its innermost levels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Context {
    len: u8,
    items: [u32; Context::MAX],
}

impl Context {
    pub const MAX: usize = 6;

    pub fn from_slice(s: &[u32]) -> Context {
        let s = &s[s.len().saturating_sub(Context::MAX)..];
        let mut c = Context { len: s.len() as u8, items: [0; Context::MAX] };
        c.items[..s.len()].copy_from_slice(s);
        c
    }

    pub fn as_slice(&self) -> &[u32] {
        &self.items[..self.len as usize]
    }
}

impl std::ops::Deref for Context {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        self.as_slice()
    }
}

impl<'a> IntoIterator for &'a Context {
    type Item = &'a u32;
    type IntoIter = std::slice::Iter<'a, u32>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

/// A matched command. Its words are in [`Parsed::words`], at `words`.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub words: std::ops::Range<u32>,
    /// The grammar's command text (FRR notation) the line matched.
    pub grammar_line: &'static str,
    /// The node this command opens.
    pub enters: Option<NodeId>,
    pub exits: bool,
    pub end: bool,
}

impl Command {
    /// Keywords in full, every other word as `*`: `neighbor * remote-as *`.
    pub fn skeleton(&self, parsed: &Parsed) -> String {
        let mut s = String::new();
        for (i, w) in parsed.words(self).iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            match w.kind {
                WordKind::Keyword(k) => s.push_str(k),
                _ => s.push('*'),
            }
        }
        s
    }

    /// The written text of word `i` (empty when there is no such word).
    pub fn text<'a>(&self, parsed: &Parsed, file: &'a SourceFile, i: usize) -> &'a str {
        parsed.words(self).get(i).map_or("", |w| file.slice(w.span))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    pub span: Span,
    pub kind: WordKind,
}

/// What a word matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordKind {
    /// The full keyword from the grammar (abbreviations expanded).
    Keyword(&'static str),
    /// Matched a `(N-M)` range.
    Number(i64),
    /// Matched `ASNUM` (asdot converted).
    Asn(u32),
    Ipv4(std::net::Ipv4Addr),
    /// As written: host bits are not masked.
    Ipv4Prefix(ipnet::Ipv4Net),
    Ipv6(std::net::Ipv6Addr),
    Ipv6Prefix(ipnet::Ipv6Net),
    Mac,
    /// A variable, or one word of a `...` vararg.
    Variable,
}

/// A problem found while reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxIssue {
    pub span: Span,
    pub kind: IssueKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// No command of the node or its ancestors matches; `matched_words` is how far the best
    /// attempt got, `suggestion` a keyword close to the word where it failed.
    Unknown {
        node: NodeId,
        matched_words: usize,
        suggestion: Option<String>,
    },
    /// The line ends before any command can.
    Incomplete {
        node: NodeId,
        expected: Vec<String>,
    },
    /// Several commands match equally well (grammar texts).
    Ambiguous {
        candidates: Vec<&'static str>,
    },
    /// One word has the right form but a value out of bounds; the span is that word.
    InvalidValue {
        expected: String,
    },
    /// The command exists in other FRR versions only.
    NotInVersion {
        target: FrrVersion,
        since: Option<FrrVersion>,
        until: Option<FrrVersion>,
    },
    /// The line left a block without `exit` although it is indented as if inside it.
    ImplicitExit {
        from: NodeId,
        to: NodeId,
    },
    /// `exit` at the top level: FRR 9.1+ stops reading there, 8.4 rejects every later line.
    TopLevelExit,
    /// A block closer (`exit-address-family`, `exit-vrf`, `exit-vni`) outside its block.
    StrayExit,
    /// `end` in a file: vtysh ignores it, a daemon reading the file stops there.
    EndInFile,
    LineTooLong {
        limit: usize,
    },
    TooManyTokens {
        limit: usize,
    },
}

#[cfg(test)]
mod tests;
