#pragma once
// Token embedding plus positional table: the model's input layer.

#include <cstdint>

#include "ops/shape_check.h"

namespace cllm::ops {

// out[B,T,C] = wte[inp[b,t], :] + wpe[t, :]
// inp[B,T] token ids in [0, V); wte[V,C] token embeddings; wpe[T,C] positional rows (learned parameters
// or a fixed table), or null when no positional signal is added.
template <typename S>
void encoder_forward_ref(S* out, const int32_t* inp, const S* wte, const S* wpe, int B, int T, int C) {
  CLLM_CHECK_SHAPE("encoder_forward", B >= 1 && T >= 1 && C >= 1);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      S* o = out + (static_cast<long>(b) * T + t) * C;
      const S* e = wte + static_cast<long>(inp[b * T + t]) * C;
      if (!wpe) {
        for (int c = 0; c < C; ++c) o[c] = e[c];
        continue;
      }
      const S* p = wpe + static_cast<long>(t) * C;
      for (int c = 0; c < C; ++c) o[c] = e[c] + p[c];
    }
}

// dwte[V,C] += scatter of dout by token; dwpe[T_max,C] += dout summed over the batch (dwpe may be null
// when the positional table is fixed).
template <typename S>
void encoder_backward_ref(S* dwte, S* dwpe, const S* dout, const int32_t* inp, int B, int T, int C) {
  CLLM_CHECK_SHAPE("encoder_backward", B >= 1 && T >= 1 && C >= 1);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const S* d = dout + (static_cast<long>(b) * T + t) * C;
      S* de = dwte + static_cast<long>(inp[b * T + t]) * C;
      for (int c = 0; c < C; ++c) de[c] += d[c];
      if (dwpe) {
        S* dp = dwpe + static_cast<long>(t) * C;
        for (int c = 0; c < C; ++c) dp[c] += d[c];
      }
    }
}

void encoder_forward(float* out, const int32_t* inp, const float* wte, const float* wpe, int B, int T, int C);
void encoder_backward(float* dwte, float* dwpe, const float* dout, const int32_t* inp, int B, int T, int C);

}  // namespace cllm::ops
