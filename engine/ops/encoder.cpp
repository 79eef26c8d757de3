#include "ops/encoder.h"

#include "kernels/parallel.h"

namespace cllm::ops {

// Rows are independent: each thread runs the reference on single rows.
void encoder_forward(float* out, const int32_t* inp, const float* wte, const float* wpe, int B, int T,
                     int C) {
  CLLM_CHECK_SHAPE("encoder_forward", B >= 1 && T >= 1 && C >= 1);
  kernels::parallel_for(static_cast<long>(B) * T, static_cast<long>(B) * T * C, [&](long n) {
    encoder_forward_ref(out + n * C, inp + n, wte, wpe ? wpe + (n % T) * C : nullptr, 1, 1, C);
  });
}

void encoder_backward(float* dwte, float* dwpe, const float* dout, const int32_t* inp, int B, int T, int C) {
  CLLM_CHECK_SHAPE("encoder_backward", B >= 1 && T >= 1 && C >= 1);
  // Serial scatter: rows of the same token would race, and the work is tiny next to the matrix products.
  for (long i = 0; i < static_cast<long>(B) * T; ++i) {
    const float* d = dout + i * C;
    float* de = dwte + static_cast<long>(inp[i]) * C;
    for (int c = 0; c < C; ++c) de[c] += d[c];
  }
  if (!dwpe) return;
  // Each task owns whole positions, summing over the batch in a fixed order: deterministic.
  kernels::parallel_for(T, static_cast<long>(B) * T * C, [&](long t) {
    float* dp = dwpe + t * C;
    for (int b = 0; b < B; ++b) {
      const float* d = dout + (static_cast<long>(b) * T + t) * C;
      for (int c = 0; c < C; ++c) dp[c] += d[c];
    }
  });
}

}  // namespace cllm::ops
