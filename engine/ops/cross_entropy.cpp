#include "ops/cross_entropy.h"

#include "kernels/cpu_kernels.h"
#include "kernels/parallel.h"

namespace cllm::ops {

float cross_entropy_forward(float* probs, float* losses, const float* logits, const int32_t* targets, int N,
                            int V) {
  CLLM_CHECK_SHAPE("cross_entropy_forward", N >= 1 && V >= 1);
  kernels::parallel_for(N, static_cast<long>(N) * V * 4, [&](long n) {
    const float* z = logits + n * V;
    losses[n] = kernels::cpu_kernels().softmax(probs + n * V, z, V) - z[targets[n]];
  });
  // Summed serially in row order (deterministic), in double so long batches do not lose digits.
  double total = 0.0;
  for (int n = 0; n < N; ++n) total += losses[n];
  return static_cast<float>(total / N);
}

}  // namespace cllm::ops
