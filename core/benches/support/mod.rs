//! What the benchmarks and the scale probe share: a global allocator that counts live bytes
//! (over mimalloc, the native CLI's allocator, so the figures are the CLI's), and the generated
//! manifests (N Services in namespace `bench`, each selecting its own
//! Deployment of nginx replicas). Included with `#[path]`; not a bench target of its own.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};

use mimalloc::MiMalloc as Inner;

/// The native CLI's allocator (mimalloc), counting live bytes and allocation calls.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static CALLS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Ordering::Relaxed);
        CALLS.fetch_add(1, Ordering::Relaxed);
        unsafe { Inner.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { Inner.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new, Ordering::Relaxed);
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        CALLS.fetch_add(1, Ordering::Relaxed);
        unsafe { Inner.realloc(p, l, new) }
    }
}

/// Live heap bytes (with [`Counting`] as the global allocator).
pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Allocations (and reallocations) so far: a deterministic measure of work that does not
/// depend on the machine's load.
#[allow(dead_code)]
pub fn allocations() -> usize {
    CALLS.load(Ordering::Relaxed)
}

#[path = "manifests.rs"]
mod generated;
pub use generated::{apply_line, manifest_files};
