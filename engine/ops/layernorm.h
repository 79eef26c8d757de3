#pragma once
// Layer normalisation over channels, with learned gain and bias.

#include <cmath>

#include "ops/shape_check.h"

namespace cllm::ops {

constexpr double kLayerNormEps = 1e-5;

// out[N,C] = (inp - mean) * rstd * weight + bias, per row; saves mean[N] and rstd[N] = 1/sqrt(var + eps)
// (biased variance) for the backward pass.
template <typename S>
void layernorm_forward_ref(S* out, S* mean, S* rstd, const S* inp, const S* weight, const S* bias, int N,
                           int C) {
  using std::sqrt;
  CLLM_CHECK_SHAPE("layernorm_forward", N >= 1 && C >= 1);
  for (int n = 0; n < N; ++n) {
    const S* x = inp + static_cast<long>(n) * C;
    S m = 0;
    for (int c = 0; c < C; ++c) m += x[c];
    m /= C;
    S v = 0;
    for (int c = 0; c < C; ++c) v += (x[c] - m) * (x[c] - m);
    v /= C;
    const S s = S(1) / sqrt(v + S(kLayerNormEps));
    S* o = out + static_cast<long>(n) * C;
    for (int c = 0; c < C; ++c) o[c] = (x[c] - m) * s * weight[c] + bias[c];
    mean[n] = m;
    rstd[n] = s;
  }
}

// dinp[N,C] += ..., dweight[C] += ..., dbias[C] += ... from dout[N,C] and the saved mean/rstd.
template <typename S>
void layernorm_backward_ref(S* dinp, S* dweight, S* dbias, const S* dout, const S* inp, const S* weight,
                            const S* mean, const S* rstd, int N, int C) {
  CLLM_CHECK_SHAPE("layernorm_backward", N >= 1 && C >= 1);
  for (int n = 0; n < N; ++n) {
    const S* d = dout + static_cast<long>(n) * C;
    const S* x = inp + static_cast<long>(n) * C;
    S* dx = dinp + static_cast<long>(n) * C;
    // dnorm = dout * weight; dx = rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm))
    S dnorm_mean = 0, dnorm_norm_mean = 0;
    for (int c = 0; c < C; ++c) {
      const S norm = (x[c] - mean[n]) * rstd[n];
      const S dnorm = d[c] * weight[c];
      dnorm_mean += dnorm;
      dnorm_norm_mean += dnorm * norm;
    }
    dnorm_mean /= C;
    dnorm_norm_mean /= C;
    for (int c = 0; c < C; ++c) {
      const S norm = (x[c] - mean[n]) * rstd[n];
      const S dnorm = d[c] * weight[c];
      dbias[c] += d[c];
      dweight[c] += norm * d[c];
      dx[c] += (dnorm - dnorm_mean - norm * dnorm_norm_mean) * rstd[n];
    }
  }
}

void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C);
void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C);

}  // namespace cllm::ops
