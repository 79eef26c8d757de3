#pragma once
// Fully connected layer (PyTorch nn.Linear convention: weight is [out, in]).

#include <algorithm>

#include "ops/shape_check.h"

namespace cllm::ops {

// out[N,OC] = inp[N,C] @ weight[OC,C]^T + bias[OC]   (bias may be null)
inline void check_matmul_shape(const char* op, int N, int C, int OC) {
  CLLM_CHECK_SHAPE(op, N >= 1 && C >= 1 && OC >= 1);
}

template <typename S>
void matmul_forward_ref(S* out, const S* inp, const S* weight, const S* bias, int N, int C, int OC) {
  check_matmul_shape("matmul_forward", N, C, OC);
  for (int n = 0; n < N; ++n)
    for (int o = 0; o < OC; ++o) {
      S acc = bias ? bias[o] : S(0);
      const S* x = inp + static_cast<long>(n) * C;
      const S* w = weight + static_cast<long>(o) * C;
      for (int c = 0; c < C; ++c) acc += x[c] * w[c];
      out[static_cast<long>(n) * OC + o] = acc;
    }
}

// dinp[N,C] = dout @ weight (OVERWRITTEN: every input gradient of a linear layer has it as its only
// writer, so it is never zeroed first);  dweight[OC,C] += dout^T @ inp;  dbias[OC] += column sums of dout
// (dbias may be null).
template <typename S>
void matmul_backward_ref(S* dinp, S* dweight, S* dbias, const S* dout, const S* inp, const S* weight, int N,
                         int C, int OC) {
  check_matmul_shape("matmul_backward", N, C, OC);
  std::fill(dinp, dinp + static_cast<long>(N) * C, S(0));
  for (int n = 0; n < N; ++n)
    for (int o = 0; o < OC; ++o) {
      const S d = dout[static_cast<long>(n) * OC + o];
      const S* x = inp + static_cast<long>(n) * C;
      const S* w = weight + static_cast<long>(o) * C;
      S* dx = dinp + static_cast<long>(n) * C;
      S* dw = dweight + static_cast<long>(o) * C;
      for (int c = 0; c < C; ++c) {
        dx[c] += d * w[c];
        dw[c] += d * x[c];
      }
      if (dbias) dbias[o] += d;
    }
}

void matmul_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                    int OC);
void matmul_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC);

}  // namespace cllm::ops
