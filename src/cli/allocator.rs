//! How memory is served for one short run: frrlint builds its model in tens of megabytes on
//! two threads and exits. On a 200,000-line file the kernel's work of handing out fresh pages
//! (one fault per 4 KiB page written for the first time, about 6,500 of them, each 2 µs or
//! more on a virtual machine) was a sixth of the run's processor time. Four settings cut it;
//! each is only a hint to the C library or the kernel and changes no result.
//!
//! * **Heap growth in large steps.** By default glibc grows a heap 128 KiB at a time (with
//!   `brk` for the main thread, `mprotect` for another thread's arena), and each growth is a
//!   system call that takes the process's memory-map lock, which the other thread's page
//!   faults and the mapping of the input file then wait for. Growing 64 MiB at a time makes
//!   them rare (48 memory system calls instead of 359). Address space is reserved, not
//!   memory: pages are only used once written.
//! * **Transparent huge pages for the main heap.** The heap is grown once at start and its
//!   64 MiB are marked `MADV_HUGEPAGE`: the model is then written into 2 MiB pages, one fault
//!   each instead of 512. A huge page is whole as soon as one byte of it is written, so
//!   memory that was reserved and never written (the spare capacity of a vector grown by
//!   doubling) would count when it sits in a huge page: hence the next point.
//! * **One heap for every thread.** The walker thread (its batches of lines, the grammar
//!   nodes it decodes) and the rules' threads would otherwise each have an arena of their
//!   own, in ordinary pages (about 1,000 faults on that file); with huge pages for the main
//!   heap they share it. They allocate little at a time, mostly from glibc's per-thread
//!   caches, so they seldom wait for the heap's lock.
//! * **Large blocks in maps of their own** ([`RunAllocator`], the frrlint binary's global
//!   allocator): a block of 1 MiB or more is mapped on its own with ordinary pages and grown
//!   by `mremap` (the kernel moves the pages, nothing is copied), so that only what is
//!   written of it is memory. The few vectors that large (every reference of a file, the
//!   neighbors of a router) are a small share of the page faults.
//!
//! On the 200,000-line benchmark file: about 1,700 page faults instead of 6,500 and 15% less
//! processor time, for 1-2 MiB more peak memory (see docs/benchmarks.md).

/// Heap growth per step.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TOP_PAD: libc::c_int = 64 << 20;

/// Set the allocator up for a run; call once, first thing in `main`, before any other thread
/// exists. Does nothing where the C library is not glibc.
pub fn tune_for_one_run() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only changes the allocator's parameters, with no other thread
        // running. A refused setting (return 0) leaves the default, which is fine.
        unsafe {
            libc::mallopt(libc::M_TOP_PAD, TOP_PAD);
        }
        if thp::huge_heap() {
            // Faulting in the heap's next pages ahead of lowering (crate::heap) would take a
            // whole huge page each time, and there are few faults left to save.
            crate::heap::disable_prefault();
            // SAFETY: as above. Every thread then allocates from the main heap and its huge
            // pages instead of from an arena of its own in 4 KiB pages.
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, 1);
            }
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod thp {
    extern "C" {
        fn sbrk(increment: libc::intptr_t) -> *mut libc::c_void;
    }

    const HUGE: usize = 2 << 20;
    /// Under glibc's threshold for mapping a block on its own (128 KiB): served from the
    /// heap, which grows by `TOP_PAD` when its free top is too small.
    const PROBE: usize = 120 << 10;

    /// Whether the kernel gives huge pages to memory marked for them: `madvise` or `always`
    /// (then the heap has them already) in `/sys/kernel/mm/transparent_hugepage/enabled`.
    fn mode() -> Option<bool> {
        let s = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").ok()?;
        if s.contains("[madvise]") {
            Some(true)
        } else if s.contains("[always]") {
            Some(false)
        } else {
            None
        }
    }

    /// Grow the main heap now and mark the part grown for huge pages; `true` if the heap
    /// gets them.
    pub(super) fn huge_heap() -> bool {
        let advise = match mode() {
            Some(a) => a,
            None => return false,
        };
        if !advise {
            return true;
        }
        // SAFETY: `sbrk(0)` only reads the program break. The probes are ordinary blocks of
        // the C allocator, freed at once (`free(NULL)` for the ones not taken does nothing).
        // The range advised lies between the old and the new break: the heap's own memory,
        // mapped, and `MADV_HUGEPAGE` changes none of its bytes.
        unsafe {
            let before = sbrk(0) as usize;
            let mut held = [std::ptr::null_mut(); 4];
            for slot in &mut held {
                *slot = libc::malloc(PROBE);
                if sbrk(0) as usize > before + PROBE {
                    break;
                }
            }
            for p in held {
                libc::free(p);
            }
            let after = sbrk(0) as usize;
            let from = before.next_multiple_of(HUGE);
            after > from && libc::madvise(from as *mut libc::c_void, after - from, libc::MADV_HUGEPAGE) == 0
        }
    }
}

/// The C library's allocator, except that blocks of [`BIG`] bytes or more are mapped on their
/// own and grown by `mremap` (see the module's documentation). Elsewhere than on Linux with
/// glibc, the C library's allocator alone.
pub struct RunAllocator;

/// The smallest block mapped on its own.
pub const BIG: usize = 1 << 20;

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
// SAFETY: every call is passed on unchanged.
unsafe impl std::alloc::GlobalAlloc for RunAllocator {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        std::alloc::System.alloc(l)
    }
    unsafe fn alloc_zeroed(&self, l: std::alloc::Layout) -> *mut u8 {
        std::alloc::System.alloc_zeroed(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        std::alloc::System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, new: usize) -> *mut u8 {
        std::alloc::System.realloc(p, l, new)
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod big {
    use super::{RunAllocator, BIG};
    use std::alloc::{GlobalAlloc, Layout, System};

    const PAGE: usize = 4096;

    /// Where a block of this layout lives: decided by its size and alignment alone, so that
    /// `dealloc` and `realloc` find every block where `alloc` put it.
    fn mapped(size: usize, align: usize) -> bool {
        size >= BIG && align <= PAGE
    }

    fn pages(n: usize) -> usize {
        n.next_multiple_of(PAGE)
    }

    // SAFETY: a mapped block is a fresh private anonymous map of whole pages (page-aligned,
    // so any alignment up to a page holds, and zeroed), unmapped or moved only through the
    // size its layout gives; every other block is the C allocator's, passed on unchanged.
    unsafe impl GlobalAlloc for RunAllocator {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            if !mapped(l.size(), l.align()) {
                return System.alloc(l);
            }
            let p = libc::mmap(
                std::ptr::null_mut(),
                pages(l.size()),
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if p == libc::MAP_FAILED {
                std::ptr::null_mut()
            } else {
                p.cast()
            }
        }

        unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
            match mapped(l.size(), l.align()) {
                // A new anonymous map is zero already.
                true => self.alloc(l),
                false => System.alloc_zeroed(l),
            }
        }

        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            match mapped(l.size(), l.align()) {
                true => {
                    libc::munmap(p.cast(), pages(l.size()));
                }
                false => System.dealloc(p, l),
            }
        }

        unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
            match (mapped(l.size(), l.align()), mapped(new, l.align())) {
                (false, false) => System.realloc(p, l, new),
                (true, true) => {
                    if pages(l.size()) == pages(new) {
                        return p;
                    }
                    let q = libc::mremap(p.cast(), pages(l.size()), pages(new), libc::MREMAP_MAYMOVE);
                    if q == libc::MAP_FAILED {
                        std::ptr::null_mut()
                    } else {
                        q.cast()
                    }
                }
                // From one kind of block to the other: a copy, as `realloc` would make.
                _ => {
                    let q = self.alloc(Layout::from_size_align_unchecked(new, l.align()));
                    if !q.is_null() {
                        std::ptr::copy_nonoverlapping(p, q, l.size().min(new));
                        self.dealloc(p, l);
                    }
                    q
                }
            }
        }
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::{RunAllocator, BIG};
    use std::alloc::{GlobalAlloc, Layout};

    /// Whether a map of this process starts at `p` (a block mapped on its own does; a block
    /// of the C allocator's heap does not).
    fn map_starts_at(p: *mut u8) -> bool {
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
        let at = format!("{:x}-", p as usize);
        maps.lines().any(|l| l.starts_with(&at))
    }

    fn fill(p: *mut u8, n: usize, seed: u8) {
        for i in 0..n {
            // SAFETY: `p` holds at least `n` bytes.
            unsafe { *p.add(i) = (i as u8).wrapping_mul(31).wrapping_add(seed) };
        }
    }

    fn holds(p: *mut u8, n: usize, seed: u8) -> bool {
        // SAFETY: `p` holds at least `n` bytes.
        (0..n).all(|i| unsafe { *p.add(i) } == (i as u8).wrapping_mul(31).wrapping_add(seed))
    }

    /// Blocks keep their bytes through every kind of growth and shrinking: small to small,
    /// small to mapped, mapped to a larger map (moved by the kernel), mapped to small; large
    /// blocks are maps of their own and zeroed ones are zero.
    #[test]
    fn blocks_keep_their_bytes_across_every_kind_of_realloc() {
        let a = RunAllocator;
        let align = 8;
        // SAFETY: every pointer comes from `a` with the layout it is passed back with.
        unsafe {
            let l = Layout::from_size_align(1000, align).unwrap();
            let p = a.alloc(l);
            assert!(!p.is_null() && !map_starts_at(p), "a small block is the heap's");
            fill(p, 1000, 1);
            let p = a.realloc(p, l, 5000);
            assert!(holds(p, 1000, 1));
            fill(p, 5000, 2);
            let l = Layout::from_size_align(5000, align).unwrap();
            let p = a.realloc(p, l, BIG + 10);
            assert!(holds(p, 5000, 2));
            assert!(map_starts_at(p), "a block of {} bytes is mapped on its own", BIG + 10);
            fill(p, BIG + 10, 3);
            let l = Layout::from_size_align(BIG + 10, align).unwrap();
            let p = a.realloc(p, l, 5 * BIG);
            assert!(holds(p, BIG + 10, 3) && map_starts_at(p));
            fill(p, 5 * BIG, 4);
            let l = Layout::from_size_align(5 * BIG, align).unwrap();
            let p = a.realloc(p, l, 3 * BIG);
            assert!(holds(p, 3 * BIG, 4));
            let l = Layout::from_size_align(3 * BIG, align).unwrap();
            let p = a.realloc(p, l, 700);
            assert!(holds(p, 700, 4) && !map_starts_at(p));
            a.dealloc(p, Layout::from_size_align(700, align).unwrap());

            let l = Layout::from_size_align(2 * BIG, 64).unwrap();
            let z = a.alloc_zeroed(l);
            assert!(!z.is_null() && z as usize % 64 == 0);
            assert!((0..l.size()).all(|i| *z.add(i) == 0));
            a.dealloc(z, l);
        }
    }
}
