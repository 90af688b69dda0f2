//! The allocator's behaviour after a burst. glibc serves a freed large block's size from its
//! heap from then on (its mmap threshold rises with every such free), and keeps that memory:
//! after a burst of sign-ins — an argon2 hash takes one 19 MiB block — the process stayed at
//! gigabytes. A fixed threshold keeps every block of 1 MiB or more mapped on its own, so it
//! goes back to the system the moment it is freed.

const LARGE_BLOCK: i32 = 1 << 20;

/// Call once at start, before the runtime's threads allocate.
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before other threads run.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE_BLOCK);
    }
}
