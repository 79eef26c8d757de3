#pragma once
// Residual connection: the sum of two streams.

#include "ops/shape_check.h"

namespace cllm::ops {

// out[N] = a[N] + b[N]
template <typename S>
void residual_forward_ref(S* out, const S* a, const S* b, long N) {
  CLLM_CHECK_SHAPE("residual_forward", N >= 1);
  for (long i = 0; i < N; ++i) out[i] = a[i] + b[i];
}

// da[N] += dout, db[N] += dout
template <typename S>
void residual_backward_ref(S* da, S* db, const S* dout, long N) {
  CLLM_CHECK_SHAPE("residual_backward", N >= 1);
  for (long i = 0; i < N; ++i) {
    da[i] += dout[i];
    db[i] += dout[i];
  }
}

void residual_forward(float* out, const float* a, const float* b, long N);
void residual_backward(float* da, float* db, const float* dout, long N);

}  // namespace cllm::ops
