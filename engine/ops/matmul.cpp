#include "ops/matmul.h"

#include <algorithm>

#include "kernels/cpu_kernels.h"
#include "kernels/gemm.h"
#include "kernels/parallel.h"

namespace cllm::ops {

namespace {

// Decoding multiplies one row (a few for beam search) by each weight matrix: a library call costs more
// than such a product, so these go to the vector kernel. Decoding runs inside a spin team
// (kernels/spin_team.h), which splits the rows across threads at a cost of under a microsecond: two
// threads read each matrix in halves, each half from its own core's cache. Outside a team a product is
// split only when the matrix is big enough (8 MB) that it streams from memory: waking OpenMP's sleeping
// threads costs tens of microseconds in a VM.
constexpr int kMatvecMaxRows = 4;
constexpr long kMatvecParallelWork = 1L << 21;
constexpr int kMatvecRowsPerTask = 64;

void matvec_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                    int OC) {
  const auto& k = kernels::cpu_kernels();
  const long work = static_cast<long>(N) * C * OC;
  if (!kernels::in_spin_team() && work < kMatvecParallelWork)
    return k.matvec_rows(out, OC, inp, weight, bias, N, C, OC);
  const long tasks = (OC + kMatvecRowsPerTask - 1) / kMatvecRowsPerTask;
  kernels::parallel_for(tasks, work, [&](long i) {
    const int o = static_cast<int>(i) * kMatvecRowsPerTask;
    k.matvec_rows(out + o, OC, inp, weight + static_cast<long>(o) * C, bias ? bias + o : nullptr, N, C,
                  std::min(kMatvecRowsPerTask, OC - o));
  });
}

}  // namespace

void matmul_forward(float* out, const float* inp, const float* weight, const float* bias, int N, int C,
                    int OC) {
  check_matmul_shape("matmul_forward", N, C, OC);
  if (N <= kMatvecMaxRows) return matvec_forward(out, inp, weight, bias, N, C, OC);
  if (kernels::in_spin_team()) {
    // A wide beam search: the team's threads take a share of the output columns each.
    const int shares = kernels::spin_team_size();
    kernels::parallel_for(shares, static_cast<long>(N) * C * OC, [&](long i) {
      const int o0 = static_cast<int>(OC * i / shares), o1 = static_cast<int>(OC * (i + 1) / shares);
      kernels::sgemm(false, true, N, o1 - o0, C, 1.0f, inp, C, weight + static_cast<long>(o0) * C, C, 0.0f,
                     out + o0, OC);
    });
  } else {
    kernels::sgemm(false, true, N, OC, C, 1.0f, inp, C, weight, C, 0.0f, out, OC);
  }
  if (!bias) return;
  kernels::parallel_for(N, static_cast<long>(N) * OC, [&](long n) {
    float* o = out + n * OC;
    for (int k = 0; k < OC; ++k) o[k] += bias[k];
  });
}

void matmul_backward(float* dinp, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, int N, int C, int OC) {
  check_matmul_shape("matmul_backward", N, C, OC);
  kernels::sgemm(false, false, N, C, OC, 1.0f, dout, OC, weight, C, 0.0f, dinp, C);
  kernels::sgemm(true, false, OC, C, N, 1.0f, dout, OC, inp, C, 1.0f, dweight, C);
  if (!dbias) return;
  kernels::parallel_reduce_rows(N, OC, dbias, static_cast<long>(N) * OC, [&](long n, float* partial) {
    const float* d = dout + n * OC;
    for (int k = 0; k < OC; ++k) partial[k] += d[k];
  });
}

}  // namespace cllm::ops
