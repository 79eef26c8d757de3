// Per-token loss equals the mean of the model's own per-position losses grouped by target, computed
// window by window without batching.
#include "inspect/per_token_loss.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/gpt.h"
#include "../expect_error.h"
#include "util/rng.h"

namespace cllm::test {
namespace {

TEST(PerTokenLoss, MatchesTheMeanOfTokenLossesPerTarget) {
  ModelConfig c;
  c.vocab_size = 9, c.block_size = 8, c.n_layer = 1, c.n_head = 2, c.n_embd = 8;
  Gpt model(c);
  Rng rng(21);
  model.initialize(rng);
  for (auto& p : model.parameters()) p *= 20.0f;  // far from uniform, so losses differ per token
  std::vector<int32_t> tokens(203);
  for (auto& t : tokens) t = static_cast<int32_t>(rng.below(8));  // id 8 never occurs
  const int T = 6;

  const std::vector<double> loss = per_token_loss(model, tokens, T, 0, 4);
  ASSERT_EQ(loss.size(), 9u);

  // Directly: each window [s, s + T) with s = 0, T, 2T, ... on its own (batch 1).
  std::vector<double> sum(9, 0.0);
  std::vector<int> count(9, 0);
  for (size_t s = 0; s + T + 1 <= tokens.size(); s += T) {
    model.forward(tokens.data() + s, tokens.data() + s + 1, 1, T);
    for (int t = 0; t < T; ++t) {
      sum[static_cast<size_t>(tokens[s + 1 + t])] += model.token_losses()[static_cast<size_t>(t)];
      ++count[static_cast<size_t>(tokens[s + 1 + t])];
    }
  }
  for (size_t id = 0; id < 8; ++id) {
    ASSERT_GT(count[id], 0);
    EXPECT_NEAR(loss[id], sum[id] / count[id], 1e-5) << id;
  }
  EXPECT_TRUE(std::isnan(loss[8]));
  // Losses differ between tokens (a constant would pass the comparison above for the wrong reason).
  EXPECT_GT(std::abs(loss[0] - loss[1]) + std::abs(loss[1] - loss[2]), 1e-3);

  expect_error([&] { per_token_loss(model, tokens, 9, 0, 4); }, "longer than the model's context");
  expect_error(
      [&] {
        per_token_loss(model, std::vector<int32_t>{1, 2, 3}, T, 0, 4);
      },
      "fewer than block size");
}

}  // namespace
}  // namespace cllm::test
