#include "ops/layernorm.h"

#include <cmath>

#include "kernels/parallel.h"

namespace cllm::ops {

// Rows are independent: each thread runs the reference on its rows.
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
  CLLM_CHECK_SHAPE("layernorm_forward", N >= 1 && C >= 1);
  kernels::parallel_for(N, static_cast<long>(N) * C, [&](long n) {
    layernorm_forward_ref(out + n * C, mean + n, rstd + n, inp + n * C, weight, bias, 1, C);
  });
}

void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C) {
  CLLM_CHECK_SHAPE("layernorm_backward", N >= 1 && C >= 1);
  // The partial holds [dweight | dbias] for the rows one thread handled.
  thread_local std::vector<float> gradients;
  gradients.assign(2 * static_cast<size_t>(C), 0.0f);
  kernels::parallel_reduce_rows(N, 2 * C, gradients.data(), static_cast<long>(N) * C,
                                [&](long n, float* partial) {
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
