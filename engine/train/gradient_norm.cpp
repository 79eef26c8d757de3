#include "train/gradient_norm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/cpu_kernels.h"
#include "kernels/parallel.h"

namespace cllm {

double gradient_norm(std::span<const float> grads) {
  constexpr long kChunk = 16384;
  const long n = static_cast<long>(grads.size());
  const long chunks = (n + kChunk - 1) / kChunk;
  std::vector<double> partial(chunks, 0.0);
  const auto& kernels = kernels::cpu_kernels();
  kernels::parallel_for(chunks, n, [&](long k) {
    const long begin = k * kChunk;
    partial[k] = kernels.sum_squares(grads.data() + begin, std::min(n, begin + kChunk) - begin);
  });
  double total = 0.0;
  for (double s : partial) total += s;
  return std::sqrt(total);
}

double clip_gradients(std::span<float> grads, double norm, double max_norm) {
  if (max_norm <= 0.0 || !(norm > max_norm)) return 1.0;
  const float scale = static_cast<float>(max_norm / norm);
  kernels::parallel_chunks(static_cast<long>(grads.size()), 1, [&](long begin, long end) {
    for (long i = begin; i < end; ++i) grads[i] *= scale;
  });
  return scale;
}

}  // namespace cllm
