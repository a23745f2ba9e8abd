//! Large inputs are mapped into memory read-only instead of read into a buffer: the text is
//! not copied, its pages come straight from the page cache, and the pages a streaming
//! reader is done with can be handed back ([`MappedText::release`]) and come back on
//! their own if anything reads them again. A 200,000-line configuration then never holds
//! its whole text in the process on top of the model built from it.
//!
//! A mapped file that another process truncates while it is checked would make reading the
//! lost pages raise SIGBUS; a handler installed with the first map turns that into a clear
//! error and exit status 2 instead of a crash. A file rewritten in place during the check
//! could be read partly old and partly new, as with any reader that does not lock; editors
//! and `git` replace a file by renaming a new one over it, which leaves the map alone. Only
//! files of a megabyte or more are mapped (`super::MAP_FROM`), far above the configurations
//! people write by hand.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::ptr::NonNull;

/// A read-only private map of a whole file whose bytes were valid UTF-8 when mapped.
#[derive(Debug)]
pub struct MappedText {
    ptr: NonNull<u8>,
    len: usize,
}

// The map is never written and lives until drop; sharing it between threads is sharing a
// `&[u8]`.
unsafe impl Send for MappedText {}
unsafe impl Sync for MappedText {}

/// What mapping a file gave.
pub enum Mapping {
    /// The text, and whether every byte of it is ASCII.
    Text(MappedText, bool),
    /// The file is not UTF-8: its bytes, for the lossy path.
    NotUtf8(Vec<u8>),
}

impl MappedText {
    /// Map the first `len` bytes of `file` (`len` > 0: its size) and check that they are
    /// UTF-8.
    pub fn map(file: &File, len: usize) -> io::Result<Mapping> {
        if len == 0 {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "an empty file is not mapped"));
        }
        install_sigbus_handler();
        // SAFETY: a fresh private read-only map of an open file; the kernel picks the
        // address. MAP_POPULATE reads it in one go rather than page fault by page fault.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_POPULATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let Some(ptr) = NonNull::new(ptr.cast::<u8>()) else {
            return Err(io::Error::other("mmap returned a null map"));
        };
        let map = MappedText { ptr, len };
        // ASCII is UTF-8: a configuration is nearly always ASCII, and then the one fast
        // pass that says so is the only one.
        if map.bytes().is_ascii() {
            return Ok(Mapping::Text(map, true));
        }
        match std::str::from_utf8(map.bytes()) {
            Ok(_) => Ok(Mapping::Text(map, false)),
            Err(_) => Ok(Mapping::NotUtf8(map.bytes().to_vec())),
        }
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` maps `len` readable bytes until drop.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    pub fn as_str(&self) -> &str {
        // SAFETY: checked to be UTF-8 when mapped (`map` hands out no other instance).
        unsafe { std::str::from_utf8_unchecked(self.bytes()) }
    }

    /// Tell the kernel the whole pages inside `range` are not needed for now: they leave the
    /// process (the page cache keeps them) and reading them again brings them back
    /// unchanged, so this is only ever a hint and never changes the text.
    pub fn release(&self, range: std::ops::Range<usize>) {
        let page = page_size();
        let start = range.start.div_ceil(page) * page;
        let end = range.end.min(self.len) / page * page;
        if start >= end {
            return;
        }
        // SAFETY: [start, end) lies inside the map; MADV_DONTNEED on a private file map
        // that was never written drops the pages, and a later read faults them in again
        // from the file.
        unsafe {
            libc::madvise(self.ptr.as_ptr().add(start).cast(), end - start, libc::MADV_DONTNEED);
        }
    }
}

impl Drop for MappedText {
    fn drop(&mut self) {
        // SAFETY: unmapping the map made in `map`, once.
        unsafe {
            libc::munmap(self.ptr.as_ptr().cast(), self.len);
        }
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(n).ok().filter(|&n| n > 0).unwrap_or(4096)
}

/// Install, once, a SIGBUS handler that reports a mapped input shrinking under us.
fn install_sigbus_handler() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: installs an async-signal-safe handler (write and _exit only).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    });
}

extern "C" fn on_sigbus(_: libc::c_int) {
    const MSG: &[u8] = b"frrlint: an input file was truncated while it was being read; check it again once it is written\n";
    // SAFETY: write(2) and _exit(2) are async-signal-safe.
    unsafe {
        libc::write(2, MSG.as_ptr().cast(), MSG.len());
        libc::_exit(2);
    }
}
