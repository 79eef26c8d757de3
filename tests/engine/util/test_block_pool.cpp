// Freed pooled blocks are handed out again on the same thread (that is the point: their pages are mapped),
// only for requests they fit without wasting more than half, and never to two owners at once.
#include "util/block_pool.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>
#include <vector>

namespace {

using cllm::PooledBlock;
using cllm::take_pooled_block;

TEST(BlockPool, AFreedBlockIsReusedForARequestItFits) {
  std::byte* first = nullptr;
  {
    PooledBlock a = take_pooled_block(1 << 20);
    first = a.get();
    EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % 64, 0u);
  }
  PooledBlock b = take_pooled_block((1 << 20) - 100);
  EXPECT_EQ(b.get(), first);
  // While b is taken, the same request gets a different block.
  PooledBlock c = take_pooled_block((1 << 20) - 100);
  EXPECT_NE(c.get(), first);
}

TEST(BlockPool, TooSmallOrMuchTooBigBlocksAreNotReused) {
  std::byte* big = nullptr;
  {
    PooledBlock a = take_pooled_block(1 << 20);
    big = a.get();
  }
  PooledBlock small = take_pooled_block(1000);  // would waste more than half of the pooled block
  EXPECT_NE(small.get(), big);
  PooledBlock larger = take_pooled_block((1 << 20) + 1);  // does not fit
  EXPECT_NE(larger.get(), big);
  // Writable across its whole size.
  for (size_t i = 0; i < (1 << 20) + 1; i += 4096) larger.get()[i] = std::byte{1};
}

TEST(BlockPool, BlocksMoveFreelyBetweenThreads) {
  PooledBlock a = take_pooled_block(4096);
  std::thread([&] { a.reset(); }).join();  // freed into the other thread's pool, released at its exit
  std::vector<PooledBlock> many;
  for (int i = 0; i < 10; ++i) many.push_back(take_pooled_block(4096));
  many.clear();  // more than the pool keeps: the rest go back to the system
  PooledBlock again = take_pooled_block(4096);
  EXPECT_NE(again.get(), nullptr);
}

}  // namespace
