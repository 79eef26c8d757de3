// The FLOP convention: a whole sequence is the sum of its tokens, and the count of the small preset
// matches the hand count of its matrix multiply-adds.
#include <gtest/gtest.h>

#include "bench/flops.h"

#include <cmath>

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

// 2 blocks of width 8 over a 10-token vocabulary. Per block: qkv 8x24, proj 8x8, fc 8x32, mlp proj 32x8 =
// 768 weights; head 10x8 = 80 weights.
cllm::ModelConfig hand_counted_model() {
  cllm::ModelConfig c;
  c.vocab_size = 10;
  c.n_embd = 8;
  c.n_layer = 2;
  c.n_head = 2;
  c.block_size = 4;
  return c;
}
constexpr double kHandCountedWeights = 2 * 768 + 80;

TEST(Flops, MatchesAHandCountOfTheWeights) {
  // A token attending to 3 positions: scores and weighted values, 2 x 8 x 3 multiply-adds per block.
  const double attention = 2 * (2 * 8 * 3);
  EXPECT_DOUBLE_EQ(cllm::bench::forward_flops_per_token(hand_counted_model(), 3),
                   2 * (kHandCountedWeights + attention));
}

// A decoding step reads each weight once and the cached keys and values of every attended position.
TEST(Flops, DecodeBytesAreTheWeightsAndTheCache) {
  const double cache = 2 * (2 * 8 * 3);  // 2 blocks x (k and v) x C x 3 positions
  EXPECT_DOUBLE_EQ(cllm::bench::decode_bytes_per_token(hand_counted_model(), 3),
                   4 * (kHandCountedWeights + cache));
}

// The Fourier mixer: 9 C^2 weights per block; per sequence its FFTs instead of the attention sums, which
// grow as T^2 and so cost more than the FFTs from some length on.
TEST(Flops, FourierBlocksCountTheirFfts) {
  cllm::ModelConfig a;
  a.vocab_size = 10, a.n_embd = 8, a.n_layer = 2, a.n_head = 2, a.block_size = 1024;
  cllm::ModelConfig f = a;
  f.mixer = "fourier";
  EXPECT_DOUBLE_EQ(cllm::bench::forward_flops_per_token(a, 0) - cllm::bench::forward_flops_per_token(f, 0),
                   2 * 2.0 * 3 * 8 * 8);  // qkv is 3 C^2 per block
  const int T = 256;
  const double n = 2.0 * T;
  const double ffts = 2 * 8 * (5 * n * std::log2(n) + 6 * (n / 2 + 1));
  EXPECT_DOUBLE_EQ(cllm::bench::forward_flops_per_sequence(f, T),
                   T * cllm::bench::forward_flops_per_token(f, 0) + ffts);
  EXPECT_LT(cllm::bench::forward_flops_per_sequence(f, 1024),
            cllm::bench::forward_flops_per_sequence(a, 1024));
  cllm::ModelConfig alt = a;
  alt.mixer = "alternate";  // block 0 attention, block 1 Fourier
  EXPECT_DOUBLE_EQ(
      2 * cllm::bench::forward_flops_per_sequence(alt, T),
      cllm::bench::forward_flops_per_sequence(a, T) + cllm::bench::forward_flops_per_sequence(f, T));
}

}  // namespace
