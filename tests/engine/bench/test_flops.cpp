// The FLOP convention: a whole sequence is the sum of its tokens, and the count of the small preset
// matches the hand count of its matrix multiply-adds.
#include <gtest/gtest.h>

#include "bench/flops.h"

namespace {

TEST(Flops, SequenceIsTheSumOfItsTokens) {
  cllm::ModelConfig c;
  c.vocab_size = 65;
  c.n_embd = 128;
  c.n_layer = 4;
  c.n_head = 4;
  c.block_size = 64;
  double sum = 0;
  for (int t = 0; t < c.block_size; ++t) sum += cllm::bench::forward_flops_per_token(c, t + 1);
  EXPECT_DOUBLE_EQ(cllm::bench::forward_flops_per_sequence(c, c.block_size), sum);
}

TEST(Flops, MatchesAHandCountOfTheWeights) {
  cllm::ModelConfig c;
  c.vocab_size = 10;
  c.n_embd = 8;
  c.n_layer = 2;
  c.n_head = 2;
  c.block_size = 4;
  // Per block: qkv 8x24, proj 8x8, fc 8x32, mlp proj 32x8 = 768 weights; head 10x8 = 80 weights.
  const double weights = 2 * 768 + 80;
  // A token attending to 3 positions: scores and weighted values, 2 x 8 x 3 multiply-adds per block.
  const double attention = 2 * (2 * 8 * 3);
  EXPECT_DOUBLE_EQ(cllm::bench::forward_flops_per_token(c, 3), 2 * (weights + attention));
}

}  // namespace
