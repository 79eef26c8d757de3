#pragma once
// Matrix products with bfloat16 inputs and float32 accumulation and output, through oneDNN's matmul
// primitive (it dispatches AVX512_BF16 or AMX-BF16 kernels itself). Same interface as kernels::sgemm;
// the float32 operands are rounded to bfloat16 into per-thread buffers on each call. Only for CPUs with
// native bfloat16 products (cpu_has_bf16()): elsewhere oneDNN would emulate them, slower than float32.

namespace cllm::kernels {

void gemm_bf16(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
               const float* B, int ldb, float beta, float* C, int ldc);

}  // namespace cllm::kernels
