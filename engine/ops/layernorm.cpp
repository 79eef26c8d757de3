#include "ops/layernorm.h"

#include <cmath>

#include "kernels/parallel.h"

namespace cllm::ops {

void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
  kernels::parallel_for(N, static_cast<long>(N) * C, [&](long n) {
    const float* x = inp + n * C;
    float m = 0.0f;
    for (int c = 0; c < C; ++c) m += x[c];
    m /= C;
    float v = 0.0f;
    for (int c = 0; c < C; ++c) v += (x[c] - m) * (x[c] - m);
    v /= C;
    const float s = 1.0f / std::sqrt(v + static_cast<float>(kLayerNormEps));
    float* o = out + n * C;
    for (int c = 0; c < C; ++c) o[c] = (x[c] - m) * s * weight[c] + bias[c];
    mean[n] = m;
    rstd[n] = s;
  });
}

void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C) {
  // The partial holds [dweight | dbias] for the rows one thread handled.
  thread_local std::vector<float> gradients;
  gradients.assign(2 * static_cast<size_t>(C), 0.0f);
  kernels::parallel_reduce_rows(N, 2 * C, gradients.data(), static_cast<long>(N) * C, [&](long n, float* partial) {
    const float* d = dout + n * C;
    const float* x = inp + n * C;
    float* dx = dinp + n * C;
    float dnorm_mean = 0.0f, dnorm_norm_mean = 0.0f;
    for (int c = 0; c < C; ++c) {
      const float norm = (x[c] - mean[n]) * rstd[n];
      const float dnorm = d[c] * weight[c];
      dnorm_mean += dnorm;
      dnorm_norm_mean += dnorm * norm;
    }
    dnorm_mean /= C;
    dnorm_norm_mean /= C;
    for (int c = 0; c < C; ++c) {
      const float norm = (x[c] - mean[n]) * rstd[n];
      const float dnorm = d[c] * weight[c];
      partial[c] += norm * d[c];
      partial[C + c] += d[c];
      dx[c] += (dnorm - dnorm_mean - norm * dnorm_norm_mean) * rstd[n];
    }
  });
  for (int c = 0; c < C; ++c) {
    dweight[c] += gradients[c];
    dbias[c] += gradients[C + c];
  }
}

}  // namespace cllm::ops
