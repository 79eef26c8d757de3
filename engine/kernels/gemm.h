#pragma once
// Float32 matrix products for the fast path. One entry point so the backend (OpenBLAS today) can be
// swapped or dispatched per shape without touching the ops.
//
// Row-major: C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C, where op(X) is X or X^T and lda, ldb,
// ldc are the row strides of A, B, C as stored. Inside an OpenMP parallel region the product runs on
// the calling thread only (OpenBLAS's OpenMP build checks omp_in_parallel), so callers may parallelise
// over independent products, e.g. attention heads.

namespace cllm::kernels {

void sgemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc);

}  // namespace cllm::kernels
