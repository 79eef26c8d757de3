#include "ops/cross_entropy.h"

#include <Eigen/Core>

#include "kernels/parallel.h"

namespace cllm::ops {

float cross_entropy_forward(float* probs, float* losses, const float* logits, const int32_t* targets, int N,
                            int V) {
  CLLM_CHECK_SHAPE("cross_entropy_forward", N >= 1 && V >= 1);
  kernels::parallel_for(N, static_cast<long>(N) * V * 4, [&](long n) {
    Eigen::Map<const Eigen::ArrayXf> z(logits + n * V, V);
    Eigen::Map<Eigen::ArrayXf> p(probs + n * V, V);
    const float maxval = z.maxCoeff();
    p = (z - maxval).exp();  // Eigen's vectorised exp
    const float sum = p.sum();
    p *= 1.0f / sum;
    losses[n] = std::log(sum) + maxval - z[targets[n]];
  });
  // Summed serially in row order (deterministic), in double so long batches do not lose digits.
  double total = 0.0;
  for (int n = 0; n < N; ++n) total += losses[n];
  return static_cast<float>(total / N);
}

void cross_entropy_backward(float* dlogits, const float* probs, const int32_t* targets, int N, int V) {
  CLLM_CHECK_SHAPE("cross_entropy_backward", N >= 1 && V >= 1);
  const float scale = 1.0f / static_cast<float>(N);
  kernels::parallel_for(N, static_cast<long>(N) * V, [&](long n) {
    const float* p = probs + n * V;
    float* d = dlogits + n * V;
    for (int v = 0; v < V; ++v) d[v] = p[v] * scale;
    d[targets[n]] -= scale;
  });
}

}  // namespace cllm::ops
