#pragma once
// GELU activation, tanh approximation (as GPT-2): gelu(x) = x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).

#include <cmath>
#include <numbers>

#include "ops/shape_check.h"

namespace cllm::ops {

constexpr double kGeluCubic = 0.044715;

// out[N] = gelu(inp[N])   (elementwise; N = rows * channels)
template <typename S>
void gelu_forward_ref(S* out, const S* inp, long N) {
  using std::sqrt, std::tanh;
  CLLM_CHECK_SHAPE("gelu_forward", N >= 1);
  const S k = sqrt(S(2) / S(std::numbers::pi_v<long double>));
  for (long i = 0; i < N; ++i) {
    const S x = inp[i];
    out[i] = S(0.5) * x * (S(1) + tanh(k * (x + S(kGeluCubic) * x * x * x)));
  }
}

// dinp[N] = gelu'(inp) * dout   (OVERWRITTEN: the MLP's hidden gradient has no other writer, so it is
// never zeroed first)
template <typename S>
void gelu_backward_ref(S* dinp, const S* inp, const S* dout, long N) {
  using std::sqrt, std::tanh;
  CLLM_CHECK_SHAPE("gelu_backward", N >= 1);
  const S k = sqrt(S(2) / S(std::numbers::pi_v<long double>));
  for (long i = 0; i < N; ++i) {
    const S x = inp[i];
    const S u = k * (x + S(kGeluCubic) * x * x * x);
    const S th = tanh(u);
    const S sech2 = S(1) - th * th;
    const S grad = S(0.5) * (S(1) + th) + S(0.5) * x * sech2 * k * (S(1) + (S(3) * S(kGeluCubic)) * x * x);
    dinp[i] = grad * dout[i];
  }
}

void gelu_forward(float* out, const float* inp, long N);
void gelu_backward(float* dinp, const float* inp, const float* dout, long N);

}  // namespace cllm::ops
