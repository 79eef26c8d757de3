#include "ops/attention.h"

#include <cmath>
#include <vector>

#include "kernels/cpu_kernels.h"
#include "kernels/parallel.h"

namespace cllm::ops {

namespace {

// Per thread: the kernels' scratch and, with the clock bias, one head's bias or score gradients [T,T].
struct HeadScratch {
  std::vector<float> work, square;
  void reserve(int T, int hs, bool with_bias) {
    work.resize(static_cast<size_t>(kernels::attention_work_floats(T, hs)));
    if (with_bias) square.resize(static_cast<size_t>(T) * T);
  }
};

// The backward asks for the next head's inputs to be brought into L2 while this head computes. In
// training they were written long before (by the forward pass) and come from L3 or memory in short strided
// runs that the hardware prefetchers do not pick up in time: at T = 64 the kernel ran 1.8x slower in a
// training step than on warm data, and the prefetch made the step 1.02x faster (1.10x at T = 256). Not
// past kPrefetchMaxPositions: there a head's inputs (4 T hs + T^2 floats) crowd the current head out of
// L2 (T = 1024 ran 2% slower). The forward reads what the qkv product has just written: no gain there.
constexpr int kPrefetchMaxPositions = 256;

void prefetch_head(const float* rows, long stride, int T, int hs) {
  for (int t = 0; t < T; ++t)
    for (int d = 0; d < hs; d += 16) __builtin_prefetch(rows + t * stride + d, 0, 2);
}
void prefetch_block(const float* p, long n) {
  for (long i = 0; i < n; i += 16) __builtin_prefetch(p + i, 0, 2);
}

}  // namespace

// One (batch, head) pair per task, each the vector kernel over strided views of q|k|v: only the causal
// half, no copies but the head's transposed keys.
void attention_forward(float* out, float* att, const float* inp, int B, int T, int C, int NH,
                       const ClassBias<float>* bias) {
  check_attention_shape("attention_forward", B, T, C, NH);
  const int hs = C / NH;
  const int C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  kernels::parallel_for(static_cast<long>(B) * NH, static_cast<long>(B) * NH * T * T * hs, [&](long bh) {
    thread_local HeadScratch scratch;
    scratch.reserve(T, hs, bias != nullptr);
    const long b = bh / NH, h = bh % NH;
    const float* q = inp + b * T * C3 + h * hs;
    float* bias_rows = nullptr;
    if (bias) {
      bias_rows = scratch.square.data();
      for (int t = 0; t < T; ++t)
        for (int s = 0; s <= t; ++s) bias_rows[static_cast<long>(t) * T + s] = bias->at(h, b, t, s);
    }
    kernels::cpu_kernels().attention_forward(out + b * T * C + h * hs, C, att + bh * T * T, q, q + C,
                                             q + 2 * C, C3, T, hs, scale, bias_rows, scratch.work.data());
  });
}

void attention_backward(float* dinp, const float* dout, const float* inp, const float* att, int B, int T,
                        int C, int NH, const ClassBias<float>* bias) {
  check_attention_shape("attention_backward", B, T, C, NH);
  const int hs = C / NH;
  const int C3 = 3 * C;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
  // Each task's share of d(beta), summed afterwards in task order: deterministic for any thread count.
  std::vector<double> dbeta(bias ? static_cast<size_t>(B) * NH : 0, 0.0);
  kernels::parallel_for(static_cast<long>(B) * NH, static_cast<long>(B) * NH * T * T * hs, [&](long bh) {
    thread_local HeadScratch scratch;
    scratch.reserve(T, hs, bias != nullptr);
    const long b = bh / NH, h = bh % NH;
    const float* q = inp + b * T * C3 + h * hs;
    float* dq = dinp + b * T * C3 + h * hs;
    float* ds = bias ? scratch.square.data() : nullptr;  // only d(beta) needs the score gradients
    if (T <= kPrefetchMaxPositions && bh + 1 < static_cast<long>(B) * NH) {
      const long nb = (bh + 1) / NH, nh = (bh + 1) % NH;
      const float* nq = inp + nb * T * C3 + nh * hs;
      for (int part = 0; part < 3; ++part) prefetch_head(nq + part * C, C3, T, hs);
      prefetch_head(dout + nb * T * C + nh * hs, C, T, hs);
      prefetch_block(att + (bh + 1) * T * T, static_cast<long>(T) * T);
    }
    kernels::cpu_kernels().attention_backward(dq, dq + C, dq + 2 * C, ds, dout + b * T * C + h * hs, C,
                                              att + bh * T * T, q, q + C, q + 2 * C, C3, T, hs, scale,
                                              scratch.work.data());
    if (bias)
      for (int t = 0; t < T; ++t)
        for (int s = 0; s <= t; ++s) dbeta[bh] += ds[static_cast<long>(t) * T + s] * bias->table_at(b, t, s);
  });
  if (bias)
    for (long bh = 0; bh < static_cast<long>(B) * NH; ++bh)
      bias->dbeta[bh % NH] += static_cast<float>(dbeta[bh]);
}

// A decoding step is a few rows: one task per (sequence, head), each the vector kernel's attend_one over
// the head's channel-major keys.
void attention_step(float* out, float* scores, const float* q, const float* kc, const float* vc, int NS,
                    int t, int T_max, int C, int NH, const ClassBias<float>* bias) {
  check_attention_shape("attention_step", NS, T_max, C, NH);
  CLLM_CHECK_SHAPE("attention_step", t >= 0 && t < T_max);
  const int hs = C / NH;
  // Two products of (t + 1) x hs per head: split across a decoding spin team from a few dozen positions.
  kernels::parallel_for(static_cast<long>(NS) * NH, 2L * NS * NH * (t + 1) * hs, [&](long sh) {
    thread_local std::vector<float> row;
    const long s = sh / NH, h = sh % NH;
    kernels::cpu_kernels().attend_one(out + s * C + h * hs, scores + sh * T_max, q + s * 3L * C + h * hs,
                                      kc + (s * C + h * hs) * T_max, T_max, vc + s * T_max * C + h * hs, C, t,
                                      hs, class_bias_row(row, bias, static_cast<int>(h), s, t));
  });
}

}  // namespace cllm::ops
