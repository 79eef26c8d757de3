#pragma once
// Vector kernels written once (cpu_kernels_impl.h, GCC vector extensions) and compiled once per
// instruction set (cpu_kernels_generic.cpp: SSE2; cpu_kernels_avx2.cpp: AVX2+FMA; cpu_kernels_avx512.cpp:
// AVX-512), so one portable binary runs the widest vectors the CPU has. The table is chosen at run time
// from what the CPU reports; ops call it through raw-pointer interfaces and stay ISA-free.
//
// These are the loops the matrix-product libraries do not cover: batch-1 decoding's matrix-vector
// products (a library call costs more than the product at these sizes), the cached attention step, and
// elementwise activations. Results differ from the reference in rounding only (tests hold every table
// the host supports to the reference ops).

#include <vector>

namespace cllm::kernels {

enum class Isa { Generic, Avx2, Avx512 };

struct CpuKernels {
  Isa isa;
  const char* name;  // "generic", "avx2", "avx512"

  // out[M,OC] = x[M,C] @ w[OC,C]^T (+ bias[OC], may be null), rows of out ldo floats apart: the few-row
  // products of decoding. Each weight row is read once for all M rows; single-threaded (callers split OC
  // across threads).
  void (*matvec_rows)(float* out, long ldo, const float* x, const float* w, const float* bias, int M, int C,
                      int OC);

  // One query against keys and values 0..t of one head (decoding), as ops::attend_one_ref: scores[0..t] =
  // softmax(q . k_u / sqrt(hs) + bias[u]) (bias may be null), out[hs] = sum_u scores[u] v_u. Keys are
  // channel-major (channel i of key u at kt[i * kt_stride + u]), value rows v_stride floats apart.
  void (*attend_one)(float* out, float* scores, const float* q, const float* kt, long kt_stride,
                     const float* v, long v_stride, int t, int hs, const float* bias);

  // Causal self-attention of one head over T positions, for training. q, k, v and their gradients are
  // rows of hs floats `stride` apart (the q|k|v buffer); out and dout rows are `out_stride` apart.
  // Forward: att[T,T] = softmax over u <= t of (q_t . k_u * scale + bias[t,u]) (bias [T,T] may be null),
  // zeros for u > t; out_t = sum_u att[t,u] v_u.
  // Backward (att from the forward): ds[T,T] (may be null) = d(loss)/d(the biased, scaled score), zeros
  // for u > t;
  // dq_t += scale sum_u ds[t,u] k_u;  dk_u += scale sum_t ds[t,u] q_t;  dv_u += sum_t att[t,u] dout_t.
  // Only the causal half is computed. `work` holds attention_work_floats(T, hs) floats.
  void (*attention_forward)(float* out, long out_stride, float* att, const float* q, const float* k,
                            const float* v, long stride, int T, int hs, float scale, const float* bias,
                            float* work);
  void (*attention_backward)(float* dq, float* dk, float* dv, float* ds, const float* dout, long out_stride,
                             const float* att, const float* q, const float* k, const float* v, long stride,
                             int T, int hs, float scale, float* work);

  // sum_i e^(x[i] - shift) over n floats (shift >= every x[i]: the terms are at most 1), summed in float
  // vectors over short runs and in double across them.
  double (*sum_exp)(const float* x, long n, float shift);
  // out[i] = scale * e^(x[i] - shift) over n floats (out may be x): probabilities from logits and their
  // log-sum-exp, scaled as a gradient needs them.
  void (*scaled_exp)(float* out, const float* x, long n, float shift, float scale);

  // The first i with x[i] = max x over n >= 1 floats (greedy decoding's pick, and the shift of sum_exp).
  // NaN is never the maximum.
  long (*argmax)(const float* x, long n);

  // sum_i x[i]^2 over n floats, squared and summed in double (the gradient norm).
  double (*sum_squares)(const float* x, long n);

  // out[i] = in[i] rounded to bfloat16 (nearest, ties to even; NaN stays NaN), as raw bits.
  void (*to_bf16)(unsigned short* out, const float* in, long n);

  // GELU, tanh approximation: out[n] = gelu(in[n]);  din[n] = gelu'(in[n]) * dout[n] (overwritten).
  void (*gelu_forward)(float* out, const float* in, long n);
  void (*gelu_backward)(float* din, const float* in, const float* dout, long n);

  // One row of LayerNorm, as ops::layernorm_forward_ref / layernorm_backward_ref with N = 1 (eps is
  // theirs): out[C], *mean, *rstd from x[C];  dx[C] += ..., dweight[C] += ..., dbias[C] += ... .
  void (*layernorm_forward_row)(float* out, float* mean, float* rstd, const float* x, const float* weight,
                                const float* bias, int C, float eps);
  void (*layernorm_backward_row)(float* dx, float* dweight, float* dbias, const float* dout, const float* x,
                                 const float* weight, float mean, float rstd, int C);

  // AdamW on n parameters (PyTorch's update with the bias corrections folded in): m = b1 m + (1-b1) g;
  // v = b2 v + (1-b2) g^2; p = (decay[i] ? p * decay_factor : p) - step_size m / (sqrt(v) inv_sqrt_c2 + eps).
  void (*adamw)(float* p, const float* g, float* m, float* v, const unsigned char* decay, long n, float b1,
                float b2, float eps, float decay_factor, float step_size, float inv_sqrt_c2);
};

// Scratch floats the attention kernels need: a head's keys (or values) transposed and two blocks of 16
// rows of positions, each row padded to a multiple of 16 positions plus 16.
inline long attention_work_floats(int T, int hs) {
  return (static_cast<long>(hs) + 32) * ((T + 15L) / 16 * 16 + 16);
}

// Whether the CPU multiplies bfloat16 matrices natively (AVX512_BF16 or AMX-BF16), and a description of
// what it has for messages ("AVX512_BF16", "AMX-BF16 and AVX512_BF16" or "neither AVX512_BF16 nor AMX").
bool cpu_has_bf16();
const char* cpu_bf16_description();

// The widest table this CPU runs (decided once).
const CpuKernels& cpu_kernels();

// Every table this CPU can run, narrowest first (tests hold each to the reference).
std::vector<const CpuKernels*> supported_cpu_kernels();

}  // namespace cllm::kernels
