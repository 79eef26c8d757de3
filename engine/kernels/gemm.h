#pragma once
// Float32 matrix products for the fast path. One entry point so the backend can be swapped or dispatched
// per shape without touching the ops.
//
// Row-major: C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C, where op(X) is X or X^T and lda, ldb,
// ldc are the row strides of A, B, C as stored. Inside an OpenMP parallel region the product runs on
// the calling thread only (both backends check omp_in_parallel), so callers may parallelise over
// independent products, e.g. attention heads.
//
// Backends: oneDNN's sgemm (its JIT kernels for the ISA it finds: AVX2, AVX-512) is the default; OpenBLAS
// stays selectable as the baseline. Measured on a 2-core Intel Xeon (CPU model 207, AVX-512) where Debian's
// OpenBLAS 0.3.21 does not recognise the CPU and runs its SSE3 kernels: oneDNN 4.4-5.7x faster on every
// product of the small model's training step (130-163 GFLOP/s per thread against 30-32), 5-7x on the
// batch-1 decode products; on hosts OpenBLAS recognises the notes measured oneDNN level with or ahead of it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cllm::kernels {

enum class GemmBackend { OneDnn, OpenBlas };

// Process-wide; change it only while no product runs (benchmarks compare the two).
void set_gemm_backend(GemmBackend backend);
GemmBackend gemm_backend();
std::string_view gemm_backend_name(GemmBackend backend);  // "onednn", "openblas"
std::optional<GemmBackend> parse_gemm_backend(std::string_view name);

// The precision of the products a thread asks for (float32 unless a MatmulPrecisionScope says otherwise).
// bfloat16 rounds both operands to bfloat16 and accumulates in float32 (gemm_bf16.h). Set per thread so
// a training run in bfloat16 does not change a generation running beside it; threads that share a
// product's work must each set it (attention keeps its per-head products float32 on every thread).
enum class MatmulPrecision { Float32, Bfloat16 };
MatmulPrecision matmul_precision();

// The precisions' names, "float32" and "bf16", in enum order: for options and configs.
const std::vector<std::string>& matmul_precision_names();
// The precision of one of those names; throws cllm::Error naming them for anything else.
MatmulPrecision parse_matmul_precision(std::string_view name);
// Throws cllm::Error when this CPU has no native products in `precision` (bfloat16 needs AVX512_BF16 or
// AMX-BF16; oneDNN would otherwise emulate it, slower than float32). Every scope checks it.
void require_supported(MatmulPrecision precision);

class MatmulPrecisionScope {
 public:
  explicit MatmulPrecisionScope(MatmulPrecision precision);
  ~MatmulPrecisionScope();
  MatmulPrecisionScope(const MatmulPrecisionScope&) = delete;
  MatmulPrecisionScope& operator=(const MatmulPrecisionScope&) = delete;

 private:
  MatmulPrecision previous_;
};

// With oneDNN, throws cllm::Error when it refuses the product (impossible sizes or strides); OpenBLAS
// reports those through its own error handler instead.
void sgemm(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
           const float* B, int ldb, float beta, float* C, int ldc);

}  // namespace cllm::kernels
