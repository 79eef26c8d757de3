#include "kernels/gemm.h"

#include <cblas.h>
#include <dnnl.h>

#include <atomic>
#include <string>

#include "kernels/cpu_kernels.h"
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

const std::vector<std::string>& matmul_precision_names() {
  static const std::vector<std::string> names = {"float32", "bf16"};
  return names;
}

MatmulPrecision parse_matmul_precision(std::string_view name) {
  const auto& names = matmul_precision_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<MatmulPrecision>(i);
  throw Error("precision must be 'float32' or 'bf16', got '" + std::string(name) + "'");
}

void require_supported(MatmulPrecision p) {
  static const bool bf16 = cpu_has_bf16();
  require(p != MatmulPrecision::Bfloat16 || bf16,
          std::string("bfloat16 training needs a CPU with AVX512_BF16 or AMX-BF16; this one has ") +
              cpu_bf16_description() + " (train in float32)");
}

MatmulPrecisionScope::MatmulPrecisionScope(MatmulPrecision p) : previous_(precision) {
  require_supported(p);
  precision = p;
}

MatmulPrecisionScope::~MatmulPrecisionScope() {
  precision = previous_;
}

void sgemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc) {
  if (precision == MatmulPrecision::Bfloat16)
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
