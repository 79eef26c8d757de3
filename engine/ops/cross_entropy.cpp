#include "ops/cross_entropy.h"

#include <cmath>

#include "kernels/cpu_kernels.h"
#include "kernels/parallel.h"

namespace cllm::ops {

float cross_entropy_forward(float* lse, float* losses, const float* logits, const int32_t* targets, int N,
                            int V) {
  CLLM_CHECK_SHAPE("cross_entropy_forward", N >= 1 && V >= 1);
  const auto& k = kernels::cpu_kernels();
  kernels::parallel_for(N, static_cast<long>(N) * V * 4, [&](long n) {
    const float* z = logits + n * V;
    const float maxval = z[k.argmax(z, V)];
    lse[n] = maxval + static_cast<float>(std::log(k.sum_exp(z, V, maxval)));
    losses[n] = lse[n] - z[targets[n]];
  });
  // Summed serially in row order (deterministic), in double so long batches do not lose digits.
  double total = 0.0;
  for (int n = 0; n < N; ++n) total += losses[n];
  return static_cast<float>(total / N);
}

}  // namespace cllm::ops
