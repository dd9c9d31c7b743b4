// How mcpd asks glibc's allocator to treat large, short-lived buffers.
#pragma once

namespace mcpd {

// Serves buffers up to 32 MiB from the heap, keeps up to 16 MiB of freed memory at the top of each arena
// instead of returning it at once, and uses one arena per CPU. Without this, every buffer over 128 KiB (a 1
// MiB tool argument or result, its JSON text, the HTTP body) was a fresh mmap, faulted in page by page and
// unmapped again: a 1 MiB echo over stdio spent most of its 55 ms of server CPU in page faults; with it, 9 ms
// (docs/benchmarks.md, M12). Nothing is changed when the operator tuned malloc through GLIBC_TUNABLES.
void tune_allocator_for_large_messages();

}  // namespace mcpd
