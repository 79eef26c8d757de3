#include "ops/attention.h"

#include <cmath>
#include <vector>

#include "kernels/cpu_kernels.h"
#include "kernels/gemm.h"
#include "kernels/parallel.h"

namespace cllm::ops {

// One (batch, head) pair per task: three small products on strided views of q|k|v, no copies.
void attention_forward(float* out, float* att, const float* inp, int B, int T, int C, int NH,
                       const ClassBias<float>* bias) {
  check_attention_shape("attention_forward", B, T, C, NH);
  // Per-head products are too small for bfloat16 rounding to pay; the tasks on other threads are float32 too.
  const kernels::MatmulPrecisionScope float32(kernels::MatmulPrecision::Float32);
  const int hs = C / NH;
  const int C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  kernels::parallel_for(static_cast<long>(B) * NH, static_cast<long>(B) * NH * T * T * hs, [&](long bh) {
    const long b = bh / NH, h = bh % NH;
    const float* q = inp + b * T * C3 + h * hs;
    const float* k = q + C;
    const float* v = q + 2 * C;
    float* a = att + bh * T * T;
    kernels::sgemm(false, true, T, T, hs, scale, q, C3, k, C3, 0.0f, a, T);  // a = q k^T / sqrt(hs)
    for (int t = 0; t < T; ++t) {
      float* row = a + static_cast<long>(t) * T;
      if (bias)
        for (int s = 0; s <= t; ++s) row[s] += bias->at(h, b, t, s);
      kernels::cpu_kernels().softmax(row, row, t + 1);
      for (int s = t + 1; s < T; ++s) row[s] = 0.0f;  // causal mask
    }
    kernels::sgemm(false, false, T, hs, T, 1.0f, a, T, v, C3, 0.0f, out + b * T * C + h * hs, C);
  });
}

void attention_backward(float* dinp, const float* dout, const float* inp, const float* att, int B, int T,
                        int C, int NH, const ClassBias<float>* bias) {
  check_attention_shape("attention_backward", B, T, C, NH);
  // Per-head products are too small for bfloat16 rounding to pay; the tasks on other threads are float32 too.
  const kernels::MatmulPrecisionScope float32(kernels::MatmulPrecision::Float32);
  const int hs = C / NH;
  const int C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  // Each task's share of d(beta), summed afterwards in task order: deterministic for any thread count.
  std::vector<double> dbeta(bias ? static_cast<size_t>(B) * NH : 0, 0.0);
  kernels::parallel_for(static_cast<long>(B) * NH, static_cast<long>(B) * NH * T * T * hs, [&](long bh) {
    thread_local std::vector<float> scratch;
    scratch.resize(static_cast<size_t>(T) * T);
    float* ds = scratch.data();
    const long b = bh / NH, h = bh % NH;
    const float* q = inp + b * T * C3 + h * hs;
    const float* k = q + C;
    const float* v = q + 2 * C;
    float* dq = dinp + b * T * C3 + h * hs;
    float* dk = dq + C;
    float* dv = dq + 2 * C;
    const float* a = att + bh * T * T;
    const float* d = dout + b * T * C + h * hs;
    kernels::sgemm(false, true, T, T, hs, 1.0f, d, C, v, C3, 0.0f, ds, T);  // datt = dout v^T
    kernels::sgemm(true, false, T, hs, T, 1.0f, a, T, d, C, 1.0f, dv, C3);  // dv += att^T dout
    for (int t = 0; t < T; ++t) {
      // Softmax backward (d(loss)/d(score)); att is zero above the diagonal, so masked entries come out zero.
      const float* arow = a + static_cast<long>(t) * T;
      float* row = ds + static_cast<long>(t) * T;
      float weighted = 0.0f;
      for (int s = 0; s <= t; ++s) weighted += arow[s] * row[s];
      for (int s = 0; s < T; ++s) row[s] = arow[s] * (row[s] - weighted);
      if (bias)
        for (int s = 0; s <= t; ++s) dbeta[bh] += row[s] * bias->table_at(b, t, s);
    }
    kernels::sgemm(false, false, T, hs, T, scale, ds, T, k, C3, 1.0f, dq, C3);  // dq += ds k / sqrt(hs)
    kernels::sgemm(true, false, T, hs, T, scale, ds, T, q, C3, 1.0f, dk, C3);   // dk += ds^T q / sqrt(hs)
  });
  if (bias)
    for (long bh = 0; bh < static_cast<long>(B) * NH; ++bh)
      bias->dbeta[bh % NH] += static_cast<float>(dbeta[bh]);
}

// A decoding step is a few rows: one task per (sequence, head), each the vector kernel's attend_one.
void attention_step(float* out, float* scores, const float* q, const float* kc, const float* vc, int NS,
                    int t, int T_max, int C, int NH, const ClassBias<float>* bias) {
  check_attention_shape("attention_step", NS, T_max, C, NH);
  CLLM_CHECK_SHAPE("attention_step", t >= 0 && t < T_max);
  const int hs = C / NH;
  kernels::parallel_for(
      // A head's step takes microseconds: threads pay only for long contexts or several sequences.
      static_cast<long>(NS) * NH, static_cast<long>(NS) * NH * (t + 1) * hs / 8, [&](long sh) {
        thread_local std::vector<float> row;
        const long s = sh / NH, h = sh % NH;
        const long cache = s * T_max * C + h * hs;
        kernels::cpu_kernels().attend_one(out + s * C + h * hs, scores + sh * T_max, q + s * 3L * C + h * hs,
                                          kc + cache, vc + cache, C, t, hs,
                                          class_bias_row(row, bias, static_cast<int>(h), s, t));
      });
}

}  // namespace cllm::ops
