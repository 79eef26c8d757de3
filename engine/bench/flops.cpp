#include "bench/flops.h"

namespace cllm::bench {
namespace {

// Per attended position per block: q.k and the weighted value (4 C); with the clock-class bias also
// its multiply-add per head (2 NH).
double flops_per_attended_position(const ModelConfig& c) {
  const double per_block = 4.0 * c.n_embd + (c.attention_bias == "clock" ? 2.0 * c.n_head : 0.0);
  return per_block * c.n_layer;
}

}  // namespace

double forward_flops_per_token(const ModelConfig& c, double attended) {
  const double C = c.n_embd, L = c.n_layer, V = c.vocab_size;
  return 2.0 * (12.0 * C * C * L + V * C) + flops_per_attended_position(c) * attended;
}

double forward_flops_per_sequence(const ModelConfig& c, int T) {
  // sum over t of (t + 1) attended positions = T (T + 1) / 2
  return T * forward_flops_per_token(c, 0.0) + flops_per_attended_position(c) * (T * (T + 1.0) / 2.0);
}

}  // namespace cllm::bench
