//! Reading and lowering a large file on two threads: the grammar engine walks the file on
//! one and hands its lines, in batches, through a bounded queue to lowering on the other.
//! Lowering still sees every line in file order, so the result is the same as on one
//! thread; the time is that of the slower half instead of the sum. A few batches in flight
//! bound the memory.

use crate::source::SourceFile;
use crate::syntax::{FrrVersion, LineBuffer, ParseOptions, Sink, Walked};
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

/// Batches in flight at most.
const IN_FLIGHT: usize = 8;
/// A side that waits is woken when this many batches are ready (for lowering) or free (for
/// the walker), not at each one: waking a thread costs microseconds on a virtual machine,
/// and one wake per batch was several milliseconds of a 200,000-line run.
const WAKE_AFTER: usize = IN_FLIGHT / 2;

/// Some lines with their words.
#[derive(Default)]
struct Batch {
    begin: Option<FrrVersion>,
    lines: LineBuffer,
}

/// The batches between the two threads, and the emptied ones going back to be refilled
/// (their buffers are reused, so the walk does not keep allocating and faulting in fresh
/// memory).
#[derive(Default)]
struct Queue {
    state: Mutex<State>,
    /// Lowering waits here for batches.
    ready: Condvar,
    /// The walker waits here for room.
    room: Condvar,
}

#[derive(Default)]
struct State {
    full: VecDeque<Batch>,
    /// Emptied batches, oldest first. The walker refills the one emptied longest ago: the
    /// one lowering has just read is still in the other CPU's cache, and writing it first
    /// takes each of its lines back from there.
    spare: VecDeque<Batch>,
    /// The walk is over (or the walker is gone): no more batches come.
    closed: bool,
    /// Lowering is over (or gone): batches are no longer taken.
    abandoned: bool,
    walker_waits: bool,
    lowering_waits: bool,
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic on the other side is what the caller sees; the state stays usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wait on `cv` while `blocked`, saying so with `mark` first (the other side wakes a
    /// side that said it waits). Time to wait is first spent faulting in the heap pages
    /// lowering will write next (see [`crate::heap`]), a step at a time, looking at the
    /// queue again after each.
    fn wait_while<'q>(
        &'q self,
        mut st: MutexGuard<'q, State>,
        cv: &Condvar,
        blocked: impl Fn(&State) -> bool,
        mark: impl Fn(&mut State),
    ) -> MutexGuard<'q, State> {
        while blocked(&st) {
            drop(st);
            let worked = crate::heap::prefault_step();
            st = self.lock();
            if worked || !blocked(&st) {
                continue;
            }
            mark(&mut st);
            st = cv.wait(st).unwrap_or_else(|e| e.into_inner());
        }
        st
    }

    /// Hand a full batch over (waiting for room) and take an empty one back.
    fn put(&self, batch: Batch) -> Batch {
        let st = self.lock();
        let mut st = self.wait_while(st, &self.room, |st| st.full.len() >= IN_FLIGHT && !st.abandoned, |st| st.walker_waits = true);
        st.walker_waits = false;
        if !st.abandoned {
            st.full.push_back(batch);
        }
        if st.lowering_waits && st.full.len() >= WAKE_AFTER {
            self.ready.notify_one();
        }
        st.spare.pop_front().unwrap_or_default()
    }

    /// The next full batch, in order; `None` once the walk is over and all are taken.
    fn take(&self, emptied: Option<Batch>) -> Option<Batch> {
        let mut st = self.lock();
        if let Some(b) = emptied {
            st.spare.push_back(b);
        }
        let mut st = self.wait_while(st, &self.ready, |st| st.full.is_empty() && !st.closed, |st| st.lowering_waits = true);
        st.lowering_waits = false;
        let next = st.full.pop_front();
        if st.walker_waits && IN_FLIGHT - st.full.len() >= WAKE_AFTER {
            self.room.notify_one();
        }
        next
    }

    /// One side is done (or unwinding): wake the other for good.
    fn finish(&self, walker: bool) {
        let mut st = self.lock();
        if walker {
            st.closed = true;
            self.ready.notify_one();
        } else {
            st.abandoned = true;
            self.room.notify_one();
        }
    }
}

/// Marks its side of the queue done when dropped, so that a panic on one thread never leaves
/// the other waiting.
struct Done<'q>(&'q Queue, bool);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.finish(self.1);
    }
}

/// The walker's side: hands each batch the walker built over, in exchange for an emptied
/// one, so that lines are never copied.
struct Forward<'q> {
    queue: &'q Queue,
    begin: Option<FrrVersion>,
}

impl Sink for Forward<'_> {
    fn begin(&mut self, version: FrrVersion) {
        self.begin = Some(version);
    }

    fn lines(&mut self, lines: &mut LineBuffer) {
        let mut full = Batch { begin: self.begin.take(), lines: LineBuffer::default() };
        std::mem::swap(&mut full.lines, lines);
        let mut next = self.queue.put(full);
        next.lines.clear();
        std::mem::swap(&mut next.lines, lines);
    }
}

/// Text lowering is done with is released (see [`SourceFile::release`]) in steps of this
/// many bytes.
const RELEASE_STEP: usize = 1 << 20;

/// Hand every batch to `sink`, in order, and the emptied batches back. The text before the
/// lines lowered so far is released as lowering goes (the walker is ahead of it), and the
/// rest once the walk is over: nothing reads it again before the report, which brings back
/// the lines it shows.
fn replay(file: &SourceFile, queue: &Queue, sink: &mut dyn Sink) {
    let _done = Done(queue, false);
    let mut released = 0;
    let mut emptied = None;
    while let Some(batch) = queue.take(emptied.take()) {
        if let Some(v) = batch.begin {
            sink.begin(v);
        }
        let mut batch = batch;
        let last = batch.lines.lines.last().map(|l| l.span.start as usize);
        sink.lines(&mut batch.lines);
        if let Some(done) = last {
            if done >= released + RELEASE_STEP {
                file.release(released..done);
                released = done;
            }
        }
        emptied = Some(batch);
    }
    file.release(released..usize::MAX);
}

/// [`crate::syntax::parse_into`] with the walk on a second thread.
pub(super) fn parse_into(file: &SourceFile, opts: &ParseOptions, sink: &mut dyn Sink) -> Walked {
    let queue = Queue::default();
    std::thread::scope(|s| {
        let q = &queue;
        // Named, so that a profile tells the two halves apart.
        let walker = std::thread::Builder::new().name("frrlint-walk".into()).spawn_scoped(s, move || {
            let _done = Done(q, true);
            let mut fwd = Forward { queue: q, begin: None };
            let walked = crate::syntax::parse_into(file, opts, &mut fwd);
            // A file of blank lines only: the version still reaches lowering.
            if fwd.begin.is_some() {
                fwd.lines(&mut LineBuffer::default());
            }
            walked
        });
        let walker = match walker {
            Ok(w) => w,
            // No thread to be had: walk here.
            Err(_) => return crate::syntax::parse_into(file, opts, sink),
        };
        // Until the first batch arrives this thread has nothing to do: compile the nodes a
        // large BGP configuration is made of, which the walker would otherwise stop for.
        crate::syntax::prepare_nodes(&["bgp", "bgp-ipv4-unicast", "bgp-ipv6-unicast", "route-map"]);
        replay(file, q, sink);
        match walker.join() {
            Ok(w) => w,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::source::{FileId, SourceFile};
    use crate::syntax::{FrrVersion, LineBuffer, ParseOptions, Sink, BATCH_LINES};

    /// A panic on the lowering side reaches the caller, and the walker, left with nobody
    /// taking its batches, finishes instead of waiting for room for ever.
    #[test]
    fn a_panic_in_lowering_ends_both_threads() {
        struct Fails(usize);
        impl Sink for Fails {
            fn begin(&mut self, _: FrrVersion) {}
            fn lines(&mut self, lines: &mut LineBuffer) {
                self.0 += lines.lines.len();
                assert!(self.0 < 3 * BATCH_LINES, "lowering fails here");
            }
        }
        let text = "ip prefix-list L seq 5 permit 10.0.0.0/8\n".repeat(40 * BATCH_LINES);
        let file = SourceFile::new("big.conf", text);
        // On a thread of its own, so that a hang fails the test instead of stalling it.
        let (tx, rx) = std::sync::mpsc::channel();
        let f = file.clone();
        std::thread::spawn(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| super::parse_into(&f, &ParseOptions::default(), &mut Fails(0))));
            let _ = tx.send(r.is_err());
        });
        assert_eq!(rx.recv_timeout(std::time::Duration::from_secs(60)), Ok(true), "the panic reaches the caller and nothing waits for ever");
        struct Counts(usize);
        impl Sink for Counts {
            fn begin(&mut self, _: FrrVersion) {}
            fn lines(&mut self, lines: &mut LineBuffer) {
                self.0 += lines.lines.len();
            }
        }
        let mut n = Counts(0);
        super::parse_into(&file, &ParseOptions::default(), &mut n);
        assert_eq!(n.0, 40 * BATCH_LINES, "every line is handed over once, in the batches");
    }

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
        while text.lines().count() < 3 * BATCH_LINES + 17 {
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
