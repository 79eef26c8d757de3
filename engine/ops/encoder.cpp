#include "ops/encoder.h"

namespace cllm::ops {

void encoder_forward(float* out, const int32_t* inp, const float* wte, const float* wpe, int B, int T, int C) {
#pragma omp parallel for collapse(2) schedule(static) if (B * T * C > 32768)
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      float* o = out + (static_cast<long>(b) * T + t) * C;
      const float* e = wte + static_cast<long>(inp[b * T + t]) * C;
      const float* p = wpe + static_cast<long>(t) * C;
      for (int c = 0; c < C; ++c) o[c] = e[c] + p[c];
    }
}

void encoder_backward(float* dwte, float* dwpe, const float* dout, const int32_t* inp, int B, int T, int C) {
  // Serial scatter: rows of the same token would race, and the work is tiny next to the matrix products.
  for (long i = 0; i < static_cast<long>(B) * T; ++i) {
    const float* d = dout + i * C;
    float* de = dwte + static_cast<long>(inp[i]) * C;
    for (int c = 0; c < C; ++c) de[c] += d[c];
  }
  if (!dwpe) return;
  // Each thread owns whole positions, summing over the batch in a fixed order: deterministic.
#pragma omp parallel for schedule(static) if (B * T * C > 32768)
  for (int t = 0; t < T; ++t) {
    float* dp = dwpe + static_cast<long>(t) * C;
    for (int b = 0; b < B; ++b) {
      const float* d = dout + (static_cast<long>(b) * T + t) * C;
      for (int c = 0; c < C; ++c) dp[c] += d[c];
    }
  }
}

}  // namespace cllm::ops
