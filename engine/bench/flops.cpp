#include "bench/flops.h"

#include <cmath>

namespace cllm::bench {
namespace {

bool fourier_block(const ModelConfig& c, int l) {
  return c.mixer == "fourier" || (c.mixer == "alternate" && l % 2 == 1);
}

// Weight FLOPs of block l for one token: attention 12 C^2 multiply-adds (qkv, projection, MLP), the
// Fourier mixer 9 C^2 (projection, MLP).
double block_weight_flops(const ModelConfig& c, int l) {
  const double C = c.n_embd;
  return 2.0 * (fourier_block(c, l) ? 9.0 : 12.0) * C * C;
}

// Per attended position in block l: q.k and the weighted value (4 C), with the clock-class bias also its
// multiply-add per head (2 NH); the Fourier mixer's direct sum (as decoding computes it) 2 C.
double block_attended_flops(const ModelConfig& c, int l) {
  if (fourier_block(c, l)) return 2.0 * c.n_embd;
  return 4.0 * c.n_embd + (c.attention_bias == "clock" ? 2.0 * c.n_head : 0.0);
}

}  // namespace

double forward_flops_per_token(const ModelConfig& c, double attended) {
  double flops = 2.0 * double(c.vocab_size) * c.n_embd;
  for (int l = 0; l < c.n_layer; ++l)
    flops += block_weight_flops(c, l) + block_attended_flops(c, l) * attended;
  return flops;
}

double forward_flops_per_sequence(const ModelConfig& c, int T) {
  double flops = T * 2.0 * double(c.vocab_size) * c.n_embd;
  for (int l = 0; l < c.n_layer; ++l) {
    flops += T * block_weight_flops(c, l);
    if (fourier_block(c, l)) {
      // Per channel: the forward and inverse real FFTs of length n = 2T (2.5 n log2 n each) and n/2 + 1
      // complex products (6 each).
      const double n = 2.0 * T;
      flops += c.n_embd * (5.0 * n * std::log2(n) + 6.0 * (n / 2 + 1));
    } else {
      flops += block_attended_flops(c, l) * (T * (T + 1.0) / 2.0);  // position t attends to t + 1
    }
  }
  return flops;
}

double decode_bytes_per_token(const ModelConfig& c, double attended) {
  double bytes = 4.0 * double(c.vocab_size) * c.n_embd;
  for (int l = 0; l < c.n_layer; ++l)
    bytes += 2.0 * block_weight_flops(c, l) + 4.0 * 2.0 * c.n_embd * attended;
  return bytes;
}

}  // namespace cllm::bench
