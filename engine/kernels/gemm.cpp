#include "kernels/gemm.h"

#include <cblas.h>
#include <dnnl.h>
#include <omp.h>

#include <atomic>
#include <string>

#include "kernels/gemm_bf16.h"
#include "util/error.h"

namespace cllm::kernels {

namespace {

std::atomic<GemmBackend> backend{GemmBackend::OneDnn};
thread_local MatmulPrecision precision = MatmulPrecision::Float32;

}  // namespace

void set_gemm_backend(GemmBackend b) {
  backend.store(b, std::memory_order_relaxed);
}

GemmBackend gemm_backend() {
  return backend.load(std::memory_order_relaxed);
}

std::string_view gemm_backend_name(GemmBackend b) {
  return b == GemmBackend::OneDnn ? "onednn" : "openblas";
}

std::optional<GemmBackend> parse_gemm_backend(std::string_view name) {
  if (name == "onednn") return GemmBackend::OneDnn;
  if (name == "openblas") return GemmBackend::OpenBlas;
  return std::nullopt;
}

MatmulPrecision matmul_precision() {
  return precision;
}

MatmulPrecisionScope::MatmulPrecisionScope(MatmulPrecision p) : previous_(precision) {
  precision = p;
}

MatmulPrecisionScope::~MatmulPrecisionScope() {
  precision = previous_;
}

void sgemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc) {
  if (precision == MatmulPrecision::Bfloat16 && !omp_in_parallel())
    return gemm_bf16(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  if (gemm_backend() == GemmBackend::OpenBlas) {
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, M, N,
                K, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  const dnnl_status_t status =
      dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  require(status == dnnl_success, "internal error: sgemm(" + std::to_string(M) + "x" + std::to_string(N) +
                                      "x" + std::to_string(K) + ") failed in oneDNN (status " +
                                      std::to_string(int(status)) + ")");
}

}  // namespace cllm::kernels
