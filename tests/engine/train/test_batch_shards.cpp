// Splitting a batch over threads: the same loss and gradients as the whole batch, summed in a fixed
// order, errors passed on, and memory as estimated.
#include "train/batch_shards.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "../expect_error.h"
#include "small_model.h"
#include "util/rng.h"

namespace cllm {
namespace {

using test::small_model;

Batch random_batch(int B, int T, uint64_t seed) {
  Rng rng(seed);
  Batch b;
  b.batch_size = B, b.block_size = T;
  for (int i = 0; i < B * T; ++i) {
    b.inputs.push_back(static_cast<int32_t>(rng.below(11)));
    b.targets.push_back(static_cast<int32_t>(rng.below(11)));
  }
  return b;
}

struct Model {
  Model() : gpt(small_model()) {
    Rng init(5);
    gpt.initialize(init);
  }
  Gpt gpt;
};

// Restores the engine's thread count when a test ends.
struct ThreadCount {
  explicit ThreadCount(int n) : previous(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~ThreadCount() { omp_set_num_threads(previous); }
  int previous;
};

TEST(BatchShards, LossAndGradientsAreThoseOfTheWholeBatch) {
  Model m;
  const Batch b = random_batch(5, 16, 1);
  m.gpt.zero_gradients();
  const double whole = m.gpt.forward(b.inputs.data(), b.targets.data(), 5, 16);
  m.gpt.backward(0.5f);
  const std::vector<float> expected(m.gpt.gradients().begin(), m.gpt.gradients().end());
  float largest = 0;
  for (float g : expected) largest = std::max(largest, std::fabs(g));
  for (int shards : {2, 3, 5, 8}) {
    BatchShards sharded(m.gpt, shards);
    EXPECT_EQ(sharded.shards_for(5), std::min(shards, 5));
    m.gpt.zero_gradients();
    EXPECT_NEAR(sharded.train(b, 0.5f), whole, 1e-6 * whole) << shards << " shards";
    float worst = 0;
    for (size_t i = 0; i < expected.size(); ++i)
      worst = std::max(worst, std::fabs(m.gpt.gradients()[i] - expected[i]));
    EXPECT_LT(worst, 1e-5f * largest) << shards << " shards";
    EXPECT_GT(largest, 0.0f);
  }
}

TEST(BatchShards, GradientsAreShardZeroPlusTheOthersInOrder) {
  Model m;
  const Batch b = random_batch(5, 16, 2);
  const long rows0 = 2 * 16;  // two shards of five sequences: 2 and 3
  std::vector<float> expected;
  {
    const ThreadCount one(1);  // each shard's ops on one thread, as inside the shards
    m.gpt.zero_gradients();
    m.gpt.forward(b.inputs.data(), b.targets.data(), 2, 16);
    m.gpt.backward(0.25f * 2 / 5);
    Gpt::Workspace ws;
    std::vector<float> g1(m.gpt.parameters().size(), 0.0f);
    m.gpt.forward(ws, b.inputs.data() + rows0, b.targets.data() + rows0, 3, 16);
    m.gpt.backward(ws, g1, 0.25f * 3 / 5);
    for (size_t i = 0; i < g1.size(); ++i) expected.push_back(m.gpt.gradients()[i] + g1[i]);
  }
  BatchShards sharded(m.gpt, 2);
  m.gpt.zero_gradients();
  sharded.train(b, 0.25f);
  EXPECT_EQ(std::vector<float>(m.gpt.gradients().begin(), m.gpt.gradients().end()), expected);
}

TEST(BatchShards, ReplacingGradientsEqualsZeroingThemFirst) {
  Model m;
  const Batch b = random_batch(5, 16, 4);
  for (int shards : {1, 2}) {
    BatchShards sharded(m.gpt, shards);
    m.gpt.zero_gradients();
    sharded.train(b, 0.5f);
    const std::vector<float> expected(m.gpt.gradients().begin(), m.gpt.gradients().end());
    std::fill(m.gpt.gradients().begin(), m.gpt.gradients().end(), 7.0f);  // a previous step's leftovers
    sharded.train(b, 0.5f, BatchShards::Gradients::replace);
    EXPECT_EQ(std::vector<float>(m.gpt.gradients().begin(), m.gpt.gradients().end()), expected)
        << shards << " shards";
  }
}

TEST(BatchShards, LossSumIsTheSumOfTheTokenLosses) {
  Model m;
  const Batch b = random_batch(7, 16, 3);
  m.gpt.forward(b.inputs.data(), b.targets.data(), 7, 16);
  double expected = 0;
  for (float l : m.gpt.token_losses()) expected += l;
  BatchShards sharded(m.gpt, 3);
  EXPECT_NEAR(sharded.loss_sum(b), expected, 1e-6 * expected);
}

TEST(BatchShards, AnErrorInAnyShardReachesTheCaller) {
  Model m;
  Batch b = random_batch(4, 16, 4);
  b.targets.back() = 11;  // in the last shard
  BatchShards sharded(m.gpt, 2);
  test::expect_error([&] { sharded.train(b, 1.0f); }, {"target token", "11"});
  test::expect_error([&] { sharded.loss_sum(b); }, {"target token"});
}

TEST(BatchShards, MemoryIsWhatTheEstimateAdds) {
  Model m;
  BatchShards sharded(m.gpt, 3);
  sharded.train(random_batch(7, 16, 5), 1.0f);
  EXPECT_EQ(
      m.gpt.activation_bytes() + sharded.memory_bytes(),
      Gpt::workspace_bytes(m.gpt.graph(), 7, 16) + BatchShards::extra_memory_bytes(small_model(), 7, 16, 3));
  EXPECT_EQ(BatchShards::extra_memory_bytes(small_model(), 7, 16, 1), 0u);
  test::expect_error([&] { BatchShards(m.gpt, 0); }, {"shard count", "0"});
}

}  // namespace
}  // namespace cllm
