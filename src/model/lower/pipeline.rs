//! Reading and lowering a large file on two threads: the grammar engine walks the file on
//! one and hands its lines, in batches, over a bounded channel to lowering on the other.
//! Lowering still sees every line in file order, so the result is the same as on one
//! thread; the time is that of the slower half instead of the sum. A few batches in flight
//! bound the memory.

use crate::source::SourceFile;
use crate::syntax::{FrrVersion, LineBuffer, ParseOptions, ParsedLine, Sink, Walked, Word};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Lines per batch: large enough that the channel costs nothing per line, small enough to
/// stay in cache.
const BATCH_LINES: usize = 512;
/// Batches in flight.
const IN_FLIGHT: usize = 4;

/// Some lines with their words.
#[derive(Default)]
struct Batch {
    begin: Option<FrrVersion>,
    lines: LineBuffer,
}

/// The walker's side: collects lines into batches and sends them.
struct Forward {
    tx: SyncSender<Batch>,
    /// Batches lowering is done with, to be filled again: their buffers are reused, so the
    /// walk does not keep allocating (and faulting in) fresh memory.
    spare: Receiver<Batch>,
    batch: Batch,
}

impl Forward {
    fn flush(&mut self) {
        let mut next = self.spare.try_recv().unwrap_or_default();
        next.lines.clear();
        next.begin = None;
        let full = std::mem::replace(&mut self.batch, next);
        // The receiver only goes away if lowering panicked; that panic is what the caller
        // sees, so a lost batch does not matter here.
        let _ = self.tx.send(full);
    }
}

impl Sink for Forward {
    fn begin(&mut self, version: FrrVersion) {
        self.batch.begin = Some(version);
    }

    fn line(&mut self, line: &ParsedLine, words: &[Word]) {
        self.batch.lines.push(line, words);
        if self.batch.lines.lines.len() >= BATCH_LINES {
            self.flush();
        }
    }
}

/// Text lowering is done with is released (see [`SourceFile::release`]) in steps of this
/// many bytes.
const RELEASE_STEP: usize = 1 << 20;

/// Hand every batch to `sink`, in order, and the emptied batches back. The text before the
/// lines lowered so far is released as lowering goes: the walker is ahead of it, and
/// nothing reads it again before the report (which brings back the lines it shows).
fn replay(file: &SourceFile, rx: Receiver<Batch>, back: SyncSender<Batch>, sink: &mut dyn Sink) {
    let mut released = 0;
    for batch in rx {
        if let Some(v) = batch.begin {
            sink.begin(v);
        }
        for line in &batch.lines.lines {
            sink.line(line, batch.lines.words_of(line));
        }
        if let Some(last) = batch.lines.lines.last() {
            let done = last.span.start as usize;
            if done >= released + RELEASE_STEP {
                file.release(released..done);
                released = done;
            }
        }
        // The walker may have finished: then nobody takes spare batches any more.
        let _ = back.try_send(batch);
    }
}

/// [`crate::syntax::parse_into`] with the walk on a second thread.
pub(super) fn parse_into(file: &SourceFile, opts: &ParseOptions, sink: &mut dyn Sink) -> Walked {
    let (tx, rx) = sync_channel::<Batch>(IN_FLIGHT);
    let (back, spare) = sync_channel::<Batch>(IN_FLIGHT + 1);
    std::thread::scope(|s| {
        // Named, so that a profile tells the two halves apart.
        let walker = std::thread::Builder::new().name("frrlint-walk".into()).spawn_scoped(s, move || {
            let mut fwd = Forward { tx, spare, batch: Batch::default() };
            let walked = crate::syntax::parse_into(file, opts, &mut fwd);
            fwd.flush();
            walked
        });
        let walker = match walker {
            Ok(w) => w,
            // No thread to be had: walk here, after lowering what there is to lower (nothing).
            Err(_) => return crate::syntax::parse_into(file, opts, sink),
        };
        // Until the first batch arrives this thread has nothing to do: compile the nodes a
        // large BGP configuration is made of, which the walker would otherwise stop for.
        crate::syntax::prepare_nodes(&["bgp", "bgp-ipv4-unicast", "bgp-ipv6-unicast", "route-map"]);
        replay(file, rx, back, sink);
        match walker.join() {
            Ok(w) => w,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::source::{FileId, SourceFile};
    use crate::syntax::ParseOptions;

    /// Every rule fixture (errors, `end`, top-level `exit`, suppressions, all block kinds),
    /// one after the other until the batches wrap many times: both ways give the same model,
    /// issues and statistics.
    #[test]
    fn two_threads_lower_what_one_thread_lowers() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
        let mut parts = Vec::new();
        for rule in std::fs::read_dir(&dir).expect("fixtures/rules").flatten() {
            for f in ["fail.conf", "pass.conf"] {
                if let Ok(t) = std::fs::read_to_string(rule.path().join(f)) {
                    parts.push(t);
                }
            }
        }
        parts.sort();
        assert!(parts.len() > 20, "expected the rule fixtures, found {}", parts.len());
        let mut text = String::new();
        while text.lines().count() < 3 * super::BATCH_LINES + 17 {
            for p in &parts {
                text.push_str(p);
            }
        }
        let file = SourceFile::new("big.conf", text);
        let opts = ParseOptions::default();
        let one = super::super::parse_and_lower_with(FileId(0), &file, &opts, false);
        let two = super::super::parse_and_lower_with(FileId(0), &file, &opts, true);
        assert!(!one.0.prefix_lists.is_empty() && !one.1.is_empty() && !one.2.issues.is_empty());
        assert_eq!(format!("{:?}", one.0), format!("{:?}", two.0));
        assert_eq!(one.1, two.1);
        assert_eq!(one.2, two.2);
    }
}
