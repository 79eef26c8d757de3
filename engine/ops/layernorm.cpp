#include "ops/layernorm.h"

#include <cmath>

#include "kernels/cpu_kernels.h"
#include "kernels/parallel.h"

namespace cllm::ops {

// Rows are independent: each thread runs the vector kernel on its rows.
void layernorm_forward(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                       const float* bias, int N, int C) {
  CLLM_CHECK_SHAPE("layernorm_forward", N >= 1 && C >= 1);
  kernels::parallel_for(N, static_cast<long>(N) * C, [&](long n) {
    kernels::cpu_kernels().layernorm_forward_row(out + n * C, mean + n, rstd + n, inp + n * C, weight, bias,
                                                 C, static_cast<float>(kLayerNormEps));
  });
}

void layernorm_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                        const float* weight, const float* mean, const float* rstd, int N, int C) {
  CLLM_CHECK_SHAPE("layernorm_backward", N >= 1 && C >= 1);
  // The partial holds [dweight | dbias] for the rows one thread handled.
  thread_local std::vector<float> gradients;
  gradients.assign(2 * static_cast<size_t>(C), 0.0f);
  kernels::parallel_reduce_rows(
      N, 2 * C, gradients.data(), static_cast<long>(N) * C, [&](long n, float* partial) {
        kernels::cpu_kernels().layernorm_backward_row(dinp + n * C, partial, partial + C, dout + n * C,
                                                      inp + n * C, weight, mean[n], rstd[n], C);
      });
  for (int c = 0; c < C; ++c) {
    dweight[c] += gradients[c];
    dbias[c] += gradients[C + c];
  }
}

}  // namespace cllm::ops
