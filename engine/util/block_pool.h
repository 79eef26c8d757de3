#pragma once
// Memory blocks that go back to a per-thread pool when freed, so the thread's next block of a similar size
// reuses pages that are already mapped. Generation makes a decoder (its key/value cache) per call, and
// fresh pages from the system cost a page fault per 4 KB on first touch, which in a VM made whole
// generations up to 1.37x slower (layers/kv_cache.h). A thread's pool keeps at most 4 blocks.

#include <cstddef>
#include <memory>

namespace cllm {

struct PooledBlockRelease {
  size_t bytes = 0;
  void operator()(std::byte* p) const;
};
using PooledBlock = std::unique_ptr<std::byte[], PooledBlockRelease>;

// A block of at least `bytes` bytes (contents undefined), 64-byte aligned: a pooled one of this thread
// that is big enough but not more than twice as big, or a new one.
PooledBlock take_pooled_block(size_t bytes);

}  // namespace cllm
