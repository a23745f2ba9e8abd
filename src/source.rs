//! Input files: a file's display name and text, byte spans into it, and a line index that
//! turns a byte offset into the 1-based line and column every finding reports.
//!
//! All inputs of one run live in a [`Sources`] table so that a finding can point into two
//! files at once (an FRR line and a YAML field) by [`FileId`]. Files from [`MAP_FROM`] bytes
//! on are mapped rather than read (`mapped.rs`).

mod mapped;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// A half-open byte range `[start, end)` into one file's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start as usize, s.len()).into()
    }
}

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// What kind of input a file is; decides which front end reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    Frr,
    Yaml,
    Toml,
    Other,
}

impl FileKind {
    /// Classify by file name, as the directory walker and the CLI do.
    pub fn from_path(path: &Path) -> FileKind {
        match path.extension().and_then(|e| e.to_str()) {
            Some("conf") | Some("frr") => FileKind::Frr,
            Some("yaml") | Some("yml") => FileKind::Yaml,
            Some("toml") => FileKind::Toml,
            _ => FileKind::Other,
        }
    }
}

/// From this size on, a file is mapped rather than read (see [`mapped`]); configurations
/// people write are far smaller and are read.
pub const MAP_FROM: u64 = 1 << 20;

/// A file's text: owned, or the read-only map of a large file. Reads as a `&str`.
#[derive(Clone)]
pub struct Text(TextRepr);

#[derive(Clone)]
enum TextRepr {
    Owned(String),
    Mapped(Arc<mapped::MappedText>),
}

impl Text {
    pub fn as_str(&self) -> &str {
        match &self.0 {
            TextRepr::Owned(s) => s,
            TextRepr::Mapped(m) => m.as_str(),
        }
    }

    /// The text is a map of the file.
    pub fn is_mapped(&self) -> bool {
        matches!(self.0, TextRepr::Mapped(_))
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// One input file. The text is always valid UTF-8: invalid bytes were replaced on load and
/// `lossy` records that it happened, so that the front end can say so instead of failing.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: Text,
    pub lossy: bool,
    /// Where each line starts: found when first needed, or handed over by the grammar
    /// engine, which meets every line start as it reads the file
    /// ([`SourceFile::offer_line_starts`]), so a large file is not scanned twice.
    line_starts: std::sync::OnceLock<Vec<u32>>,
    /// Every byte is ASCII: a column is then a byte distance, found without reading the
    /// text (which keeps a released map out of memory while findings are located).
    ascii: bool,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text: String = text.into();
        let ascii = text.is_ascii();
        SourceFile::with_text(name.into(), Text(TextRepr::Owned(text)), ascii)
    }

    fn with_text(name: String, text: Text, ascii: bool) -> Self {
        SourceFile { name, text, lossy: false, line_starts: std::sync::OnceLock::new(), ascii }
    }

    /// Read a file from disk (a large one is mapped, see [`MAP_FROM`]); the name is the path
    /// as given.
    pub fn read(path: &Path) -> std::io::Result<SourceFile> {
        use std::io::Read;
        let name = path.display().to_string();
        let mut file = std::fs::File::open(path)?;
        let size = file.metadata()?.len();
        if size >= MAP_FROM {
            // A file that cannot be mapped (some special file systems) is read instead.
            match usize::try_from(size).map(|len| mapped::MappedText::map(&file, len)) {
                Ok(Ok(mapped::Mapping::Text(m, ascii))) => return Ok(SourceFile::with_text(name, Text(TextRepr::Mapped(Arc::new(m))), ascii)),
                Ok(Ok(mapped::Mapping::NotUtf8(bytes))) => return Ok(SourceFile::from_bytes(name, bytes)),
                Ok(Err(_)) | Err(_) => {}
            }
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
        file.read_to_end(&mut bytes)?;
        Ok(SourceFile::from_bytes(name, bytes))
    }

    /// A reader is done with this part of the text for now: a mapped file's whole pages in it
    /// may leave memory (reading them again brings them back). Owned text stays as it is.
    pub fn release(&self, range: std::ops::Range<usize>) {
        if let TextRepr::Mapped(m) = &self.text.0 {
            m.release(range);
        }
    }

    /// Build from raw bytes, replacing invalid UTF-8 rather than refusing the file.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => SourceFile::new(name, text),
            Err(e) => {
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let mut f = SourceFile::new(name, text);
                f.lossy = true;
                f
            }
        }
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(self.text.len() as u32);
        let starts = self.starts();
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = starts[line] as usize;
        if self.ascii {
            return (line as u32 + 1, (offset as usize - start) as u32 + 1);
        }
        let end = floor_char_boundary(&self.text, offset as usize);
        let col = self.text[start..end.max(start)].chars().count() as u32 + 1;
        (line as u32 + 1, col)
    }

    /// Byte span of a 1-based line, without its line terminator.
    pub fn line_span(&self, line: u32) -> Span {
        let i = (line.max(1) - 1) as usize;
        let starts = self.starts();
        let Some(&start) = starts.get(i) else {
            let n = self.text.len();
            return Span::new(n, n);
        };
        let mut end = starts.get(i + 1).map(|&e| e as usize).unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        while end > start as usize && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        Span::new(start as usize, end)
    }

    pub fn line_count(&self) -> usize {
        self.starts().len()
    }

    fn starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// The start of every line, as [`line_starts`] finds them, from a reader that met them
    /// all; ignored if they are known already.
    pub(crate) fn offer_line_starts(&self, starts: Vec<u32>) {
        let _ = self.line_starts.set(starts);
    }

    pub fn slice(&self, span: Span) -> &str {
        let r = span.range();
        // In ASCII text every offset is a character boundary: no search for one (lowering
        // slices every name it keeps).
        if self.ascii {
            let t = self.text.as_str();
            let end = r.end.min(t.len());
            let start = r.start.min(end);
            // SAFETY: `start <= end <= t.len()`, and in ASCII text every offset is on a
            // character boundary.
            return unsafe { t.get_unchecked(start..end) };
        }
        let s = floor_char_boundary(&self.text, r.start.min(self.text.len()));
        let e = floor_char_boundary(&self.text, r.end.min(self.text.len()));
        &self.text[s..e.max(s)]
    }

    pub fn named_source(&self) -> miette::NamedSource<String> {
        miette::NamedSource::new(self.name.clone(), self.text.to_string())
    }
}

/// The byte offset of each line: 0, and one past every `\n` (so a text that ends with one
/// has an empty last line).
fn line_starts(text: &str) -> Vec<u32> {
    let mut v = Vec::with_capacity(text.len() / 32 + 1);
    v.push(0);
    v.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i as u32 + 1));
    v
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every input file of one run.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn new() -> Self {
        Sources::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn try_get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A resolved location, as printed: `file:line:column`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Location {
    pub fn resolve(file: &SourceFile, span: Span) -> Location {
        let (line, column) = file.line_col(span.start);
        let (end_line, end_column) = file.line_col(span.end);
        Location { file: file.name.clone(), line, column, end_line, end_column }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let f = SourceFile::new("a.conf", "ab\ncdé\r\nx");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(5), (2, 3));
        assert_eq!(f.line_col(9), (3, 1));
        assert_eq!(f.slice(f.line_span(2)), "cdé");
        assert_eq!(f.line_count(), 3);
        // An ASCII file counts columns without reading the text; past the end is the end.
        let ascii = "ab\ncde\r\nx";
        let g = SourceFile::new("b.conf", ascii);
        for offset in 0..=ascii.len() as u32 + 3 {
            let slow = {
                let o = (offset as usize).min(ascii.len());
                let start = ascii[..o].rfind('\n').map_or(0, |i| i + 1);
                (ascii[..o].matches('\n').count() as u32 + 1, (o - start) as u32 + 1)
            };
            assert_eq!(g.line_col(offset), slow, "offset {offset}");
        }
    }

    #[test]
    fn invalid_utf8_is_replaced_not_refused() {
        let f = SourceFile::from_bytes("b.conf", vec![b'a', 0xff, b'\n']);
        assert!(f.lossy);
        assert_eq!(f.line_count(), 2);
    }

    #[test]
    fn out_of_range_offsets_do_not_panic() {
        let f = SourceFile::new("c", "é");
        assert_eq!(f.line_col(1), (1, 1));
        assert_eq!(f.line_col(99), (1, 2));
        assert_eq!(f.slice(Span::new(1, 50)), "é");
        let _ = f.line_span(40);
    }
}
