//! Faulting in the main heap's next pages while a thread would otherwise wait.
//!
//! Lowering a 200,000-line file writes about 18 MB of fresh heap, and on the virtual machines
//! frrlint is measured on the first write to each 4 KiB page costs about 2 µs in the kernel:
//! a third of the lowering thread's time. In the two-thread pipeline each side waits now
//! and then for the other (the walker for room in the queue, lowering for lines). A side
//! about to wait asks the kernel instead to fault in the next pages at the top of the main
//! heap (`MADV_POPULATE_WRITE`), where lowering's next allocations will land, one step at a
//! time, at most [`AHEAD`] beyond the heap's free top: lowering then finds them mapped.
//!
//! Only a hint: the pages keep their contents (fresh heap is zero), and a kernel without the
//! advice (before Linux 5.14), a C library other than glibc or a heap that has moved on make
//! a step do nothing. The heap's top is found with `mallinfo2` (glibc 2.33 or later, as in
//! Debian 12). Peak memory grows by at most [`AHEAD`] (pages faulted in and never used).

/// How far beyond the start of the main heap's free top pages are faulted in. More gains
/// little once lowering keeps up, and every byte of it may end up unused.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const AHEAD: usize = 1 << 20;

/// Pages faulted in per step: short enough (about 0.1 ms) that a waiting side looks at its
/// queue again soon.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const STEP: usize = 256 << 10;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod imp {
    use super::{AHEAD, STEP};
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    /// The end of what has been faulted in so far.
    static DONE: AtomicUsize = AtomicUsize::new(0);
    /// The kernel refused the advice once: not asked again.
    static REFUSED: AtomicBool = AtomicBool::new(false);

    extern "C" {
        fn sbrk(increment: libc::intptr_t) -> *mut libc::c_void;
    }

    pub fn step() -> bool {
        if REFUSED.load(Ordering::Relaxed) {
            return false;
        }
        // SAFETY: `sbrk(0)` only reads the program break; `mallinfo2` only reads the
        // allocator's statistics (under its locks).
        let (brk, keep) = unsafe { (sbrk(0) as usize, libc::mallinfo2().keepcost) };
        if brk == usize::MAX || keep == 0 {
            return false;
        }
        // The main heap's free top chunk ends at the break and is `keepcost` bytes long.
        let top = brk.saturating_sub(keep);
        let page = 4096;
        let from = top.max(DONE.load(Ordering::Relaxed)).div_ceil(page) * page;
        let to = (top.saturating_add(AHEAD)).min(brk) / page * page;
        if from >= to {
            return false;
        }
        let end = (from + STEP).min(to);
        // SAFETY: [from, end) lies inside the main heap, below the break: mapped, private,
        // writable memory. Populating it faults its pages in without changing a byte. If the
        // heap shrank meanwhile the call fails with an error, which is ignored.
        let r = unsafe { libc::madvise(from as *mut libc::c_void, end - from, libc::MADV_POPULATE_WRITE) };
        if r != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINVAL) {
            REFUSED.store(true, Ordering::Relaxed);
            return false;
        }
        DONE.fetch_max(end, Ordering::Relaxed);
        true
    }
}

/// Fault in one step of the main heap's next pages; `false` when there is nothing to do
/// (caught up, or not supported here), so that the caller waits.
pub fn prefault_step() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        imp::step()
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    /// Steps stop once they are [`super::AHEAD`] beyond the heap's top, and leave the heap's
    /// contents alone.
    #[test]
    fn steps_stop_ahead_of_the_heap_and_change_nothing() {
        let kept: Vec<u64> = (0..100_000).collect();
        // A few times the steps to reach AHEAD, in case other tests move the heap meanwhile;
        // far fewer than faulting in the whole free top (64 MiB) would take.
        let bound = 4 * (1 << 20) / (256 << 10) + 8;
        let mut steps = 0;
        while super::prefault_step() {
            steps += 1;
            assert!(steps <= bound, "pre-faulting did not stop within {bound} steps");
        }
        assert!(kept.iter().enumerate().all(|(i, &v)| v == i as u64));
    }
}
