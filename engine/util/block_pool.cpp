#include "util/block_pool.h"

#include <new>
#include <vector>

namespace cllm {
namespace {

constexpr size_t kBlocksPerThread = 4;
constexpr std::align_val_t kAlignment{64};

struct Pool {
  struct Block {
    std::byte* p;
    size_t bytes;
  };
  std::vector<Block> free;
  ~Pool() {
    for (const auto& b : free) ::operator delete[](b.p, kAlignment);
  }
};

thread_local Pool pool;

}  // namespace

void PooledBlockRelease::operator()(std::byte* p) const {
  if (pool.free.size() < kBlocksPerThread) {
    pool.free.push_back({p, bytes});
    return;
  }
  ::operator delete[](p, kAlignment);
}

PooledBlock take_pooled_block(size_t bytes) {
  for (size_t i = 0; i < pool.free.size(); ++i) {
    const auto b = pool.free[i];
    if (b.bytes >= bytes && b.bytes / 2 <= bytes) {
      pool.free.erase(pool.free.begin() + static_cast<long>(i));
      return PooledBlock(b.p, {b.bytes});
    }
  }
  return PooledBlock(static_cast<std::byte*>(::operator new[](bytes, kAlignment)), {bytes});
}

}  // namespace cllm
