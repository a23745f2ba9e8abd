//! Node bodies compiled at build time. build.rs links and compiles the embedded grammar
//! files with the same code the runtime uses (`compile`) and writes every node's body here
//! with [`encode`]; a run then decodes the nodes it uses ([`Blob::body`]), which costs a
//! fraction of compiling them (the top node alone took 3.5-4 ms before the first line of
//! a file could be read). The format is private to one build: the blob is embedded in the
//! binary that build.rs built it for, never read from disk.
//!
//! Layout (little-endian): the magic, a string table (every `&'static str` of the bodies,
//! once each), a node table (name, offset and length of its body), then the bodies. A
//! decoder that meets anything unexpected returns `None` and the node is compiled instead,
//! so a bad blob can cost time, never correctness.

use super::compile::{Body, CommandDef, Starts};
use super::grammar_file::GrammarError;
use super::index::{TNode, Trie};
use super::pattern::Graph;
use super::token::Tok;
use super::version::FrrVersion;
use super::NodeId;
use crate::hash::FastMap;

const MAGIC: &[u8; 8] = b"FRRLGRM1";

/// Encode `(node name, body)` for every node, in node id order.
#[allow(dead_code)] // build.rs encodes; the crate only decodes (and tests).
pub fn encode(nodes: &[(&'static str, &Body)]) -> Vec<u8> {
    let mut strings = Strings::default();
    let mut bodies: Vec<Vec<u8>> = Vec::new();
    let mut names = Vec::new();
    for (name, body) in nodes {
        names.push(strings.id(name));
        let mut w = Writer { out: Vec::new(), strings: &mut strings };
        w.body(body);
        bodies.push(w.out);
    }
    let mut out = MAGIC.to_vec();
    put_u32(&mut out, strings.list.len() as u32);
    for s in &strings.list {
        put_u32(&mut out, s.len() as u32);
        out.extend_from_slice(s.as_bytes());
    }
    put_u32(&mut out, nodes.len() as u32);
    let mut offset = 0u32;
    for (name, b) in names.iter().zip(&bodies) {
        put_u32(&mut out, *name);
        put_u32(&mut out, offset);
        put_u32(&mut out, b.len() as u32);
        offset += b.len() as u32;
    }
    for b in bodies {
        out.extend_from_slice(&b);
    }
    out
}

/// A blob opened for decoding: its strings and where each node's body is.
#[derive(Debug)]
pub struct Blob {
    strings: Vec<&'static str>,
    /// Per node id: its name and its encoded body.
    nodes: Vec<(&'static str, &'static [u8])>,
}

impl Blob {
    /// `None` if the blob is not one [`encode`] wrote.
    pub fn open(blob: &'static [u8]) -> Option<Blob> {
        let mut r = Reader { b: blob, strings: &[] };
        if r.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let n = r.len()?;
        let mut strings = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.len()?;
            strings.push(std::str::from_utf8(r.take(len)?).ok()?);
        }
        let n = r.len()?;
        let mut heads = Vec::with_capacity(n);
        for _ in 0..n {
            let name = *strings.get(r.u32()? as usize)?;
            heads.push((name, r.u32()? as usize, r.len()?));
        }
        let rest = r.b;
        let mut nodes = Vec::with_capacity(n);
        for (name, off, len) in heads {
            nodes.push((name, rest.get(off..off.checked_add(len)?)?));
        }
        Some(Blob { strings, nodes })
    }

    /// The body of node `id`, if the blob holds it under `name`.
    pub fn body(&self, id: NodeId, name: &str) -> Option<Body> {
        let &(n, bytes) = self.nodes.get(usize::from(id.0))?;
        if n != name {
            return None;
        }
        let mut r = Reader { b: bytes, strings: &self.strings };
        let body = r.body()?;
        r.b.is_empty().then_some(body)
    }
}

#[allow(dead_code)] // build.rs encodes; the crate only decodes (and tests).
#[derive(Default)]
struct Strings {
    ids: FastMap<&'static str, u32>,
    list: Vec<&'static str>,
}

#[allow(dead_code)] // build.rs encodes; the crate only decodes (and tests).
impl Strings {
    fn id(&mut self, s: &'static str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(s);
        self.ids.insert(s, i);
        i
    }
}

#[allow(dead_code)] // build.rs encodes; the crate only decodes (and tests).
fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[allow(dead_code)] // build.rs encodes; the crate only decodes (and tests).
struct Writer<'a> {
    out: Vec<u8>,
    strings: &'a mut Strings,
}

#[allow(dead_code)] // build.rs encodes; the crate only decodes (and tests).
impl Writer<'_> {
    fn u8(&mut self, v: u8) {
        self.out.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        put_u32(&mut self.out, v);
    }
    fn u64(&mut self, v: u64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &'static str) {
        let i = self.strings.id(s);
        self.u32(i);
    }
    fn len(&mut self, n: usize) {
        self.u32(n as u32);
    }
    fn version(&mut self, v: FrrVersion) {
        self.u8(v.major);
        self.u8(v.minor);
    }
    fn opt_version(&mut self, v: Option<FrrVersion>) {
        match v {
            Some(v) => {
                self.u8(1);
                self.version(v);
            }
            None => self.u8(0),
        }
    }
    fn opt_node(&mut self, n: Option<NodeId>) {
        match n {
            Some(n) => {
                self.u8(1);
                self.u16(n.0);
            }
            None => self.u8(0),
        }
    }
    fn tok(&mut self, t: Tok) {
        match t {
            Tok::Keyword(k) => {
                self.u8(0);
                self.str(k);
            }
            Tok::Variable(v) => {
                self.u8(1);
                self.str(v);
            }
            Tok::Range(lo, hi) => {
                self.u8(2);
                self.u64(lo as u64);
                self.u64(hi as u64);
            }
            Tok::Ipv4 => self.u8(3),
            Tok::Ipv4Prefix => self.u8(4),
            Tok::Ipv6 => self.u8(5),
            Tok::Ipv6Prefix => self.u8(6),
            Tok::Mac => self.u8(7),
            Tok::MacPrefix => self.u8(8),
            Tok::Asnum => self.u8(9),
        }
    }
    fn u32s(&mut self, v: &[u32]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.u32(x));
    }
    fn bools(&mut self, v: &[bool]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.u8(u8::from(x)));
    }
    fn keywords(&mut self, v: &[(&'static str, u32)]) {
        self.len(v.len());
        for &(k, c) in v {
            self.str(k);
            self.u32(c);
        }
    }
    fn leak(&mut self, s: &str) {
        // Error texts are owned; the build script's strings live as long as it does.
        let s: &'static str = Box::leak(s.to_string().into_boxed_str());
        self.str(s);
    }

    fn body(&mut self, b: &Body) {
        self.len(b.commands.len());
        for c in &b.commands {
            self.command(c);
        }
        self.len(b.trie.nodes.len());
        for n in &b.trie.nodes {
            self.tnode(n);
        }
        self.keywords(&b.starts.kw);
        self.u32s(&b.starts.other);
        self.len(b.starts.toks.len());
        b.starts.toks.iter().for_each(|&t| self.tok(t));
        self.len(b.errors.len());
        for e in &b.errors {
            self.leak(&e.file);
            self.u32(e.line);
            self.leak(&e.message);
        }
    }

    fn command(&mut self, c: &CommandDef) {
        self.str(c.text);
        self.str(c.file);
        self.u32(c.line);
        self.u16(c.node.0);
        self.opt_version(c.since);
        self.opt_version(c.until);
        self.opt_node(c.enter);
        let flags = [c.exit, c.end, c.hidden, c.deprecated]
            .iter()
            .enumerate()
            .fold(0u8, |f, (i, &b)| f | (u8::from(b) << i));
        self.u8(flags);
        let g = &c.graph;
        self.len(g.toks.len());
        g.toks.iter().for_each(|&t| self.tok(t));
        self.bools(&g.repeat);
        self.bools(&g.in_cycle);
        self.len(g.next_at.len());
        for &(a, b) in &g.next_at {
            self.u32(a);
            self.u32(b);
        }
        self.len(g.next.len());
        g.next.iter().for_each(|&x| self.u16(x));
        self.u8(u8::from(g.has_cycle));
    }

    fn tnode(&mut self, n: &TNode) {
        self.keywords(&n.kw);
        self.len(n.keys.len());
        n.keys.iter().for_each(|&k| self.u64(k));
        self.len(n.other.len());
        for &(t, c) in &n.other {
            self.tok(t);
            self.u32(c);
        }
        self.len(n.conts.len());
        for &(c, at) in &n.conts {
            self.u32(c);
            self.u16(at);
        }
        self.u32s(&n.terms);
        self.version(n.since);
        self.opt_version(n.until);
    }
}

struct Reader<'a> {
    b: &'static [u8],
    strings: &'a [&'static str],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&'static [u8]> {
        if n > self.b.len() {
            return None;
        }
        let (head, rest) = self.b.split_at(n);
        self.b = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    /// A count, no larger than the bytes left (every element takes at least one), so that
    /// a bad count cannot ask for a huge allocation.
    fn len(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        (n <= self.b.len()).then_some(n)
    }
    fn str(&mut self) -> Option<&'static str> {
        self.strings.get(self.u32()? as usize).copied()
    }
    fn flag(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn version(&mut self) -> Option<FrrVersion> {
        Some(FrrVersion::new(self.u8()?, self.u8()?))
    }
    fn opt_version(&mut self) -> Option<Option<FrrVersion>> {
        match self.flag()? {
            true => self.version().map(Some),
            false => Some(None),
        }
    }
    fn opt_node(&mut self) -> Option<Option<NodeId>> {
        match self.flag()? {
            true => self.u16().map(|n| Some(NodeId(n))),
            false => Some(None),
        }
    }
    fn tok(&mut self) -> Option<Tok> {
        Some(match self.u8()? {
            0 => Tok::Keyword(self.str()?),
            1 => Tok::Variable(self.str()?),
            2 => Tok::Range(self.u64()? as i64, self.u64()? as i64),
            3 => Tok::Ipv4,
            4 => Tok::Ipv4Prefix,
            5 => Tok::Ipv6,
            6 => Tok::Ipv6Prefix,
            7 => Tok::Mac,
            8 => Tok::MacPrefix,
            9 => Tok::Asnum,
            _ => return None,
        })
    }
    fn vec<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(item(self)?);
        }
        Some(v)
    }
    fn keywords(&mut self) -> Option<Vec<(&'static str, u32)>> {
        self.vec(|r| Some((r.str()?, r.u32()?)))
    }

    fn body(&mut self) -> Option<Body> {
        let commands = self.vec(Self::command)?;
        let nodes = self.vec(Self::tnode)?;
        let starts = Starts {
            kw: self.keywords()?,
            other: self.vec(Self::u32)?,
            toks: self.vec(Self::tok)?,
        };
        let errors = self.vec(|r| {
            Some(GrammarError {
                file: r.str()?.to_string(),
                line: r.u32()?,
                message: r.str()?.to_string(),
            })
        })?;
        Some(Body {
            commands,
            trie: Trie { nodes },
            starts,
            errors,
        })
    }

    fn command(&mut self) -> Option<CommandDef> {
        let text = self.str()?;
        let file = self.str()?;
        let line = self.u32()?;
        let node = NodeId(self.u16()?);
        let since = self.opt_version()?;
        let until = self.opt_version()?;
        let enter = self.opt_node()?;
        let flags = self.u8()?;
        let graph = Graph {
            toks: self.vec(Self::tok)?,
            repeat: self.vec(Self::flag)?,
            in_cycle: self.vec(Self::flag)?,
            next_at: self.vec(|r| Some((r.u32()?, r.u32()?)))?,
            next: self.vec(Self::u16)?,
            has_cycle: self.flag()?,
        };
        Some(CommandDef {
            text,
            file,
            line,
            node,
            since,
            until,
            enter,
            exit: flags & 1 != 0,
            end: flags & 2 != 0,
            hidden: flags & 4 != 0,
            deprecated: flags & 8 != 0,
            graph,
        })
    }

    fn tnode(&mut self) -> Option<TNode> {
        Some(TNode {
            kw: self.keywords()?,
            keys: self.vec(Self::u64)?,
            other: self.vec(|r| Some((r.tok()?, r.u32()?)))?,
            conts: self.vec(|r| Some((r.u32()?, r.u16()?)))?,
            terms: self.vec(Self::u32)?,
            since: self.version()?,
            until: self.opt_version()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{grammar, FILES};

    /// Every node the blob holds decodes to exactly what compiling it here gives, and the
    /// embedded grammar uses the blob.
    #[test]
    fn decoded_bodies_equal_compiled_ones() {
        let blob = Blob::open(super::super::PRECOMPILED).expect("build.rs wrote a blob");
        let linked = super::super::compile::link(FILES);
        assert_eq!(blob.nodes.len(), linked.nodes.len());
        for (i, head) in linked.nodes.iter().enumerate() {
            let id = NodeId(i as u16);
            let compiled = super::super::compile::compile_node(id, head.source, &linked.by_name);
            let decoded = blob.body(id, head.name).unwrap_or_else(|| panic!("node {} decodes", head.name));
            assert_eq!(format!("{decoded:?}"), format!("{compiled:?}"), "node {}", head.name);
            assert!(blob.body(id, "no such node").is_none());
        }
        assert!(grammar().is_precompiled());
    }

    /// A damaged blob is refused, or a node in it fails to decode: never a panic.
    #[test]
    fn damaged_blobs_are_refused() {
        let good: &'static [u8] = super::super::PRECOMPILED;
        // Every body's range is checked on opening: a cut anywhere is seen there.
        for cut in [0, 4, 8, 12, 100, good.len() / 2, good.len() - 1] {
            assert!(Blob::open(&good[..cut]).is_none(), "cut at {cut}");
        }
        let mut flipped = good.to_vec();
        let at = flipped.len() - 40;
        for x in &mut flipped[at..] {
            *x ^= 0x5a;
        }
        let flipped: &'static [u8] = Box::leak(flipped.into_boxed_slice());
        let b = Blob::open(flipped).expect("the header is intact");
        let last = b.nodes.len() - 1;
        let _ = b.body(NodeId(last as u16), b.nodes[last].0);
    }
}
