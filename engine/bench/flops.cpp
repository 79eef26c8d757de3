#include "bench/flops.h"

namespace cllm::bench {

double forward_flops_per_token(const ModelConfig& c, double attended) {
  const double C = c.n_embd, L = c.n_layer, V = c.vocab_size;
  return 2.0 * (12.0 * C * C * L + V * C) + 4.0 * C * L * attended;
}

double forward_flops_per_sequence(const ModelConfig& c, int T) {
  // sum over t of (t + 1) attended positions = T (T + 1) / 2
  return T * forward_flops_per_token(c, 0.0) + 4.0 * c.n_embd * c.n_layer * (T * (T + 1.0) / 2.0);
}

}  // namespace cllm::bench
