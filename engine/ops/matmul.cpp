#include "ops/matmul.h"

#include "kernels/gemm.h"
#include "kernels/parallel.h"

namespace cllm::ops {

void matmul_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                    int OC) {
  check_matmul_shape("matmul_forward", N, C, OC);
  kernels::sgemm(false, true, N, OC, C, 1.0f, inp, C, weight, C, 0.0f, out, OC);
  if (!bias) return;
  kernels::parallel_for(N, static_cast<long>(N) * OC, [&](long n) {
    float* o = out + n * OC;
    for (int k = 0; k < OC; ++k) o[k] += bias[k];
  });
}

void matmul_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC) {
  check_matmul_shape("matmul_backward", N, C, OC);
  kernels::sgemm(false, false, N, C, OC, 1.0f, dout, OC, weight, C, 1.0f, dinp, C);
  kernels::sgemm(true, false, OC, C, N, 1.0f, dout, OC, inp, C, 1.0f, dweight, C);
  if (!dbias) return;
  kernels::parallel_reduce_rows(N, OC, dbias, static_cast<long>(N) * OC, [&](long n, float* partial) {
    const float* d = dout + n * OC;
    for (int k = 0; k < OC; ++k) partial[k] += d[k];
  });
}

}  // namespace cllm::ops
