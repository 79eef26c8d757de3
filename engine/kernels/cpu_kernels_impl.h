// The vector kernels of cpu_kernels.h, written once with GCC's vector extensions. Included once per
// instruction set by cpu_kernels_<isa>.cpp, which defines CLLM_ISA (the namespace), CLLM_ISA_ENUM and
// CLLM_VECTOR_FLOATS (floats per register) and is compiled with that ISA's flags.
//
// Everything here has internal linkage and uses compiler builtins only: an inline function or template
// shared with a file compiled for another ISA may be merged by the linker into one copy, and the AVX-512
// copy would then run (and crash) on a CPU without it. So no standard-library headers.

#include "kernels/cpu_kernels.h"

namespace cllm::kernels::CLLM_ISA {
namespace {

constexpr int W = CLLM_VECTOR_FLOATS;
typedef float vf __attribute__((vector_size(W * sizeof(float))));
typedef int vi __attribute__((vector_size(W * sizeof(int))));
typedef float v8 __attribute__((vector_size(8 * sizeof(float))));
typedef float v4 __attribute__((vector_size(4 * sizeof(float))));

inline vf load(const float* p) {
  vf v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, vf v) {
  __builtin_memcpy(p, &v, sizeof v);
}
inline vf splat(float x) {
  return vf{} + x;
}

// The first n (< W) floats of p, zeros after; and its inverse.
inline vf load_part(const float* p, long n) {
  vf v = vf{};
  for (long j = 0; j < n; ++j) v[j] = p[j];
  return v;
}
inline void store_part(float* p, vf v, long n) {
  for (long j = 0; j < n; ++j) p[j] = v[j];
}

inline float hsum4(v4 v) {
  const v4 a = v + __builtin_shufflevector(v, v, 2, 3, 0, 1);
  return a[0] + a[1];
}
inline float hsum(vf v) {
#if CLLM_VECTOR_FLOATS == 16
  const v8 h = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) +
               __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  return hsum4(__builtin_shufflevector(h, h, 0, 1, 2, 3) + __builtin_shufflevector(h, h, 4, 5, 6, 7));
#elif CLLM_VECTOR_FLOATS == 8
  return hsum4(__builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7));
#else
  return hsum4(v);
#endif
}
inline v4 max4(v4 a, v4 b) {
  return a > b ? a : b;
}
inline float hmax(vf v) {
#if CLLM_VECTOR_FLOATS == 16
  const v8 lo = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7);
  const v8 hi = __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
  const v8 h = lo > hi ? lo : hi;
  v4 m = max4(__builtin_shufflevector(h, h, 0, 1, 2, 3), __builtin_shufflevector(h, h, 4, 5, 6, 7));
#elif CLLM_VECTOR_FLOATS == 8
  v4 m = max4(__builtin_shufflevector(v, v, 0, 1, 2, 3), __builtin_shufflevector(v, v, 4, 5, 6, 7));
#else
  v4 m = v;
#endif
  m = max4(m, __builtin_shufflevector(m, m, 2, 3, 0, 1));
  return m[0] > m[1] ? m[0] : m[1];
}

// e^x to about 2 ulp (Cephes' expf polynomial after Cody-Waite reduction); inputs are clamped to
// [-87.3, 88.7], so the result is finite and positive (underflow gives tiny values, not 0).
inline vf vexp(vf x) {
  x = x > 88.7f ? splat(88.7f) : x;
  x = x < -87.3f ? splat(-87.3f) : x;
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer in the low bits
  const vf t = x * 1.44269504088896341f + kRound;
  const vf n = t - kRound;
  const vi ni = reinterpret_cast<vi>(t) - reinterpret_cast<vi>(splat(kRound));
  vf r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  vf p = splat(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  return reinterpret_cast<vf>(reinterpret_cast<vi>(p) + (ni << 23));
}

constexpr float kSqrt2OverPi = 0.7978845608028654f;
constexpr float kGeluCubic = 0.044715f;

// GELU's tanh form rewritten without tanh: (1 + tanh y) / 2 = sigmoid(2y) = 1 / (1 + e^-2y), which keeps
// full relative precision in both tails (1 + tanh y cancels to 0 for very negative y). With s = sigmoid(2y)
// and 1 - s = e^-2y s:  gelu(x) = x s;  gelu'(x) = s + 2 x s (1 - s) dy/dx.
struct GeluParts {
  vf s, one_minus_s, dy_dx;
};
inline GeluParts gelu_parts(vf x) {
  const vf x2 = x * x;
  const vf e = vexp(-2.0f * kSqrt2OverPi * (x + kGeluCubic * x2 * x));
  const vf s = 1.0f / (1.0f + e);
  return {s, e * s, kSqrt2OverPi * (1.0f + 3.0f * kGeluCubic * x2)};
}
inline vf gelu(vf x) {
  return x * gelu_parts(x).s;
}
inline vf gelu_grad(vf x) {
  const GeluParts g = gelu_parts(x);
  return g.s + 2.0f * x * g.s * g.one_minus_s * g.dy_dx;
}

void gelu_forward(float* out, const float* in, long n) {
  long i = 0;
  for (; i + W <= n; i += W) store(out + i, gelu(load(in + i)));
  if (i < n) store_part(out + i, gelu(load_part(in + i, n - i)), n - i);
}

void gelu_backward(float* din, const float* in, const float* dout, long n) {
  long i = 0;
  for (; i + W <= n; i += W) store(din + i, load(dout + i) * gelu_grad(load(in + i)));
  if (i < n) {
    const long r = n - i;
    store_part(din + i, load_part(dout + i, r) * gelu_grad(load_part(in + i, r)), r);
  }
}

// e^(x[i] - shift), stored in out[i] unless out is null; returns their sum, summed in float vectors over
// short runs (at most 64 terms per lane) and in double across runs.
double exp_sum(float* out, const float* x, long n, float shift) {
  constexpr long kRun = 64 * W;
  double total = 0;
  for (long begin = 0; begin < n; begin += kRun) {
    const long end = begin + kRun < n ? begin + kRun : n;
    vf acc = vf{};
    long i = begin;
    for (; i + W <= end; i += W) {
      const vf e = vexp(load(x + i) - shift);
      if (out) store(out + i, e);
      acc += e;
    }
    if (i < end) {
      vf e = vexp(load_part(x + i, end - i) - shift);
      for (long j = end - i; j < W; ++j) e[j] = 0;
      if (out) store_part(out + i, e, end - i);
      acc += e;
    }
    total += hsum(acc);
  }
  return total;
}

double sum_exp(const float* x, long n, float shift) {
  return exp_sum(nullptr, x, n, shift);
}

void scaled_exp(float* out, const float* x, long n, float shift, float scale) {
  long i = 0;
  for (; i + W <= n; i += W) store(out + i, vexp(load(x + i) - shift) * scale);
  if (i < n) store_part(out + i, vexp(load_part(x + i, n - i) - shift) * scale, n - i);
}

// Each lane keeps its largest value and where it first saw it (NaN never wins a comparison); the lanes
// then agree on the largest value and its first position.
long argmax(const float* x, long n) {
  typedef int vi __attribute__((vector_size(W * sizeof(int))));
  vi lane{};
  for (int j = 0; j < W; ++j) lane[j] = j;
  vf best = splat(-__builtin_inff());
  vi where = lane;
  long i = 0;
  for (; i + W <= n; i += W) {
    const vf v = load(x + i);
    const auto better = v > best;
    best = better ? v : best;
    where = better ? lane + static_cast<int>(i) : where;
  }
  float top = -__builtin_inff();
  long at = 0;
  for (int j = 0; j < W; ++j)
    if (best[j] > top || (best[j] == top && where[j] < at)) top = best[j], at = where[j];
  for (; i < n; ++i)
    if (x[i] > top) top = x[i], at = i;
  return at;
}

void layernorm_forward_row(float* out, float* mean, float* rstd, const float* x, const float* weight,
                           const float* bias, int C, float eps) {
  vf acc = vf{};
  int c = 0;
  for (; c + W <= C; c += W) acc += load(x + c);
  float sum = hsum(acc);
  for (; c < C; ++c) sum += x[c];
  const float m = sum / C;
  acc = vf{};
  for (c = 0; c + W <= C; c += W) {
    const vf d = load(x + c) - m;
    acc += d * d;
  }
  float var = hsum(acc);
  for (; c < C; ++c) var += (x[c] - m) * (x[c] - m);
  const float s = 1.0f / __builtin_sqrtf(var / C + eps);
  for (c = 0; c + W <= C; c += W) store(out + c, (load(x + c) - m) * s * load(weight + c) + load(bias + c));
  for (; c < C; ++c) out[c] = (x[c] - m) * s * weight[c] + bias[c];
  *mean = m;
  *rstd = s;
}

void layernorm_backward_row(float* dx, float* dweight, float* dbias, const float* dout, const float* x,
                            const float* weight, float mean, float rstd, int C) {
  // dnorm = dout * weight; dx += rstd * (dnorm - mean(dnorm) - norm * mean(dnorm * norm))
  vf a = vf{}, b = vf{};
  int c = 0;
  for (; c + W <= C; c += W) {
    const vf norm = (load(x + c) - mean) * rstd;
    const vf dnorm = load(dout + c) * load(weight + c);
    a += dnorm;
    b += dnorm * norm;
  }
  float dnorm_mean = hsum(a), dnorm_norm_mean = hsum(b);
  for (int i = c; i < C; ++i) {
    const float norm = (x[i] - mean) * rstd, dnorm = dout[i] * weight[i];
    dnorm_mean += dnorm;
    dnorm_norm_mean += dnorm * norm;
  }
  dnorm_mean /= C;
  dnorm_norm_mean /= C;
  for (c = 0; c + W <= C; c += W) {
    const vf d = load(dout + c), norm = (load(x + c) - mean) * rstd;
    store(dbias + c, load(dbias + c) + d);
    store(dweight + c, load(dweight + c) + norm * d);
    store(dx + c, load(dx + c) + (d * load(weight + c) - dnorm_mean - norm * dnorm_norm_mean) * rstd);
  }
  for (; c < C; ++c) {
    const float norm = (x[c] - mean) * rstd;
    dbias[c] += dout[c];
    dweight[c] += norm * dout[c];
    dx[c] += (dout[c] * weight[c] - dnorm_mean - norm * dnorm_norm_mean) * rstd;
  }
}

inline vf adamw_step(vf p, vf g, vf& m, vf& v, vi decay, float b1, float b2, float eps, float decay_factor,
                     float step_size, float inv_sqrt_c2) {
  m = b1 * m + (1.0f - b1) * g;
  v = b2 * v + (1.0f - b2) * g * g;
  vf root;
  for (int j = 0; j < W; ++j) root[j] = __builtin_sqrtf(v[j]);  // vectorised: sqrt of a whole register
  const vf decayed = decay != 0 ? p * decay_factor : p;
  return decayed - step_size * m / (root * inv_sqrt_c2 + eps);
}

void adamw(float* p, const float* g, float* m, float* v, const unsigned char* decay, long n, float b1,
           float b2, float eps, float decay_factor, float step_size, float inv_sqrt_c2) {
  typedef unsigned char vb __attribute__((vector_size(W)));
  long i = 0;
  for (; i + W <= n; i += W) {
    vb flags;
    __builtin_memcpy(&flags, decay + i, sizeof flags);
    vf mi = load(m + i), vi_ = load(v + i);
    store(p + i, adamw_step(load(p + i), load(g + i), mi, vi_, __builtin_convertvector(flags, vi), b1, b2,
                            eps, decay_factor, step_size, inv_sqrt_c2));
    store(m + i, mi);
    store(v + i, vi_);
  }
  if (i < n) {
    const long r = n - i;
    vi flags = vi{};
    for (long j = 0; j < r; ++j) flags[j] = decay[i + j];
    vf mi = load_part(m + i, r), vi_ = load_part(v + i, r);
    store_part(p + i,
               adamw_step(load_part(p + i, r), load_part(g + i, r), mi, vi_, flags, b1, b2, eps, decay_factor,
                          step_size, inv_sqrt_c2),
               r);
    store_part(m + i, mi, r);
    store_part(v + i, vi_, r);
  }
}

double sum_squares(const float* x, long n) {
  constexpr int H = W / 2;  // a vector of doubles holds half a vector of floats
  typedef float vh __attribute__((vector_size(H * sizeof(float))));
  typedef double vd __attribute__((vector_size(H * sizeof(double))));
  auto squares = [](const float* p) {
    vh h;
    __builtin_memcpy(&h, p, sizeof h);
    const vd d = __builtin_convertvector(h, vd);
    return d * d;
  };
  vd a0 = vd{}, a1 = vd{}, a2 = vd{}, a3 = vd{};  // four chains hide the add latency
  long i = 0;
  for (; i + 4 * H <= n; i += 4 * H) {
    a0 += squares(x + i);
    a1 += squares(x + i + H);
    a2 += squares(x + i + 2 * H);
    a3 += squares(x + i + 3 * H);
  }
  const vd a = (a0 + a1) + (a2 + a3);
  double total = 0;
  for (int j = 0; j < H; ++j) total += a[j];
  for (; i < n; ++i) total += static_cast<double>(x[i]) * x[i];
  return total;
}

float softmax(float* out, const float* z, long n) {
  vf mx = splat(z[0]);
  long i = 0;
  for (; i + W <= n; i += W) {
    const vf x = load(z + i);
    mx = x > mx ? x : mx;
  }
  float maxval = hmax(mx);
  for (; i < n; ++i) maxval = z[i] > maxval ? z[i] : maxval;
  const double total = exp_sum(out, z, n, maxval);
  const float inv = static_cast<float>(1.0 / total);
  for (i = 0; i + W <= n; i += W) store(out + i, load(out + i) * inv);
  for (; i < n; ++i) out[i] *= inv;
  return maxval + static_cast<float>(__builtin_log(total));
}

void to_bf16(unsigned short* out, const float* in, long n) {
  typedef unsigned short vh __attribute__((vector_size(W * sizeof(unsigned short))));
  typedef unsigned vu __attribute__((vector_size(W * sizeof(unsigned))));
  auto convert = [](vf x) {
    const vu bits = reinterpret_cast<vu>(x);
    const vu rounded = (bits + (0x7fffu + ((bits >> 16) & 1u))) >> 16;  // unsigned: wraps, never overflows
    return __builtin_convertvector(x != x ? vu{} + 0x7fc0u : rounded, vh);
  };
  long i = 0;
  for (; i + W <= n; i += W) {
    const vh h = convert(load(in + i));
    __builtin_memcpy(out + i, &h, sizeof h);
  }
  if (i < n) {
    const vh h = convert(load_part(in + i, n - i));
    for (long j = 0; j < n - i; ++j) out[i + j] = h[j];
  }
}

// Rows of w four at a time (four independent accumulator chains), every row of x against them while
// they are in L1.
void matvec_rows(float* out, long ldo, const float* x, const float* w, const float* bias, int M, int C,
                 int OC) {
  if (C % W != 0) {
    for (int o = 0; o < OC; ++o)
      for (int m = 0; m < M; ++m) {
        float acc = bias ? bias[o] : 0.0f;
        for (int c = 0; c < C; ++c) acc += x[static_cast<long>(m) * C + c] * w[static_cast<long>(o) * C + c];
        out[m * ldo + o] = acc;
      }
    return;
  }
  int o = 0;
  for (; o + 4 <= OC; o += 4) {
    const float* w0 = w + static_cast<long>(o) * C;
    const float *w1 = w0 + C, *w2 = w1 + C, *w3 = w2 + C;
    for (int m = 0; m < M; ++m) {
      const float* xm = x + static_cast<long>(m) * C;
      vf a0 = vf{}, a1 = vf{}, a2 = vf{}, a3 = vf{};
      for (int c = 0; c < C; c += W) {
        const vf xv = load(xm + c);
        a0 += xv * load(w0 + c);
        a1 += xv * load(w1 + c);
        a2 += xv * load(w2 + c);
        a3 += xv * load(w3 + c);
      }
      float* om = out + m * ldo + o;
      om[0] = hsum(a0) + (bias ? bias[o] : 0.0f);
      om[1] = hsum(a1) + (bias ? bias[o + 1] : 0.0f);
      om[2] = hsum(a2) + (bias ? bias[o + 2] : 0.0f);
      om[3] = hsum(a3) + (bias ? bias[o + 3] : 0.0f);
    }
  }
  for (; o < OC; ++o)
    for (int m = 0; m < M; ++m) {
      vf a = vf{};
      for (int c = 0; c < C; c += W)
        a += load(x + static_cast<long>(m) * C + c) * load(w + static_cast<long>(o) * C + c);
      out[m * ldo + o] = hsum(a) + (bias ? bias[o] : 0.0f);
    }
}

// out[NC * W] = sum_u scores[u] v_u over n value rows v_stride apart: each row's NC vectors together (the
// row's cache lines in one pass), two positions in flight so consecutive ones do not wait on each other.
template <int NC>
void weighted_values(float* out, const float* scores, const float* v, long v_stride, long n) {
  vf a[NC] = {}, b[NC] = {};
  long p = 0;
  for (; p + 2 <= n; p += 2) {
    const float* v0 = v + p * v_stride;
    const float* v1 = v0 + v_stride;
    for (int c = 0; c < NC; ++c) {
      a[c] += scores[p] * load(v0 + c * W);
      b[c] += scores[p + 1] * load(v1 + c * W);
    }
  }
  if (p < n)
    for (int c = 0; c < NC; ++c) a[c] += scores[p] * load(v + p * v_stride + c * W);
  for (int c = 0; c < NC; ++c) store(out + c * W, a[c] + b[c]);
}

// Scores W positions at a time from the channel-major keys (four vectors of positions in flight, so the
// multiply-add chains overlap): no horizontal sums, and no partial vectors (building one lane by lane
// went through the stack and made the kernel slower than the row-wise one it replaced). Values are rows:
// whole vectors of channels when hs is a multiple of W, scalar otherwise.
void attend_one(float* out, float* scores, const float* q, const float* kt, long kt_stride, const float* v,
                long v_stride, int t, int hs, const float* bias) {
  const float scale = 1.0f / __builtin_sqrtf(static_cast<float>(hs));
  const long n = t + 1;
  if (n >= W) {
    for (long u = 0; u < n; u += 4 * W) {
      // Vectors that would run past position t end at it instead: they recompute positions already done
      // (bit for bit, each lane sums over the channels in the same order) rather than read past the keys.
      long at[4];
      for (int j = 0; j < 4; ++j) at[j] = u + j * W < n - W ? u + j * W : n - W;
      vf a0 = vf{}, a1 = vf{}, a2 = vf{}, a3 = vf{};
      const float* k = kt;
      for (int d = 0; d < hs; ++d, k += kt_stride) {
        const vf qd = splat(q[d]);
        a0 += qd * load(k + at[0]);
        a1 += qd * load(k + at[1]);
        a2 += qd * load(k + at[2]);
        a3 += qd * load(k + at[3]);
      }
      store(scores + at[0], a0 * scale);
      store(scores + at[1], a1 * scale);
      store(scores + at[2], a2 * scale);
      store(scores + at[3], a3 * scale);
    }
  } else {
    for (long u = 0; u < n; ++u) {
      float dot = 0;
      for (int d = 0; d < hs; ++d) dot += q[d] * kt[d * kt_stride + u];
      scores[u] = dot * scale;
    }
  }
  if (bias)
    for (long u = 0; u < n; ++u) scores[u] += bias[u];
  softmax(scores, scores, n);
  if (hs % W != 0) {
    for (int i = 0; i < hs; ++i) out[i] = 0;
    for (long u = 0; u < n; ++u)
      for (int i = 0; i < hs; ++i) out[i] += scores[u] * v[u * v_stride + i];
    return;
  }
  switch (hs / W) {
    case 1:
      return weighted_values<1>(out, scores, v, v_stride, n);
    case 2:
      return weighted_values<2>(out, scores, v, v_stride, n);
    case 4:
      return weighted_values<4>(out, scores, v, v_stride, n);
    default:
      for (int c = 0; c < hs; c += W) weighted_values<1>(out + c, scores, v + c, v_stride, n);
  }
}

// ---- Causal attention of one head (training) ----
// Query rows go kBlock at a time; products run in register blocks of kRows rows by two vectors, so each
// loaded vector serves kRows rows and eight independent accumulators hide the FMA latency. A block's
// register blocks sweep the same keys one after the other, which keeps those keys in L1.
constexpr int kRows = 4;
constexpr int kBlock = 16;

// Rows of positions in the kernels' scratch: a multiple of 16 floats plus 16, so that consecutive rows
// never sit a multiple of 4 KB apart (they would compete for the same L1 set).
inline long padded_positions(long T) {
  return (T + 15) / 16 * 16 + 16;
}

// The first and second halves of a and b interleaved: a0 b0 a1 b1 ... Applied log2(W) times to rows i
// and i + W/2 of a W x W block (results to rows 2i and 2i + 1), they transpose it.
inline vf zip_low(vf a, vf b) {
#if CLLM_VECTOR_FLOATS == 16
  return __builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
#elif CLLM_VECTOR_FLOATS == 8
  return __builtin_shufflevector(a, b, 0, 8, 1, 9, 2, 10, 3, 11);
#else
  return __builtin_shufflevector(a, b, 0, 4, 1, 5);
#endif
}
inline vf zip_high(vf a, vf b) {
#if CLLM_VECTOR_FLOATS == 16
  return __builtin_shufflevector(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
#elif CLLM_VECTOR_FLOATS == 8
  return __builtin_shufflevector(a, b, 4, 12, 5, 13, 6, 14, 7, 15);
#else
  return __builtin_shufflevector(a, b, 2, 6, 3, 7);
#endif
}
inline void transpose_block(vf (&r)[W]) {
  for (int round = 1; round < W; round *= 2) {
    vf t[W];
    for (int i = 0; i < W / 2; ++i) {
      t[2 * i] = zip_low(r[i], r[i + W / 2]);
      t[2 * i + 1] = zip_high(r[i], r[i + W / 2]);
    }
    for (int i = 0; i < W; ++i) r[i] = t[i];
  }
}

// bt[d * Tp + u] = b[u * stride + d] for hs a multiple of W: a head's keys (or values) transposed, zero-
// padded to Tp columns (a multiple of W). W x W blocks through registers: a scalar copy cost a third of the
// forward kernel.
void transpose_head(float* bt, const float* b, long stride, int T, int hs, long Tp) {
  long u0 = 0;
  for (; u0 < T; u0 += W)
    for (int d0 = 0; d0 < hs; d0 += W) {
      vf r[W];
      for (int i = 0; i < W; ++i) r[i] = u0 + i < T ? load(b + (u0 + i) * stride + d0) : vf{};
      transpose_block(r);
      for (int j = 0; j < W; ++j) store(bt + (d0 + j) * Tp + u0, r[j]);
    }
  for (int d = 0; d < hs; ++d)
    for (long u = u0; u < Tp; u += W) store(bt + d * Tp + u, vf{});
}

// The register block's row pointers: rows first.. of `a`, `rs` apart, the last repeated past `rows`
// (computed, never stored).
inline void block_rows(const float* (&x)[kRows], const float* a, long rs, long first, int rows) {
  for (int r = 0; r < kRows; ++r) x[r] = a + (first + (r < rows ? r : rows - 1)) * rs;
}

template <int NC>
inline void dot_block(float* s, long Tp, const float* const (&x)[kRows], int rows, const float* bt, int hs,
                      long u) {
  vf acc[kRows][NC] = {};
  const float* b = bt + u;
  for (int d = 0; d < hs; ++d, b += Tp) {
    vf bv[NC];
    for (int c = 0; c < NC; ++c) bv[c] = load(b + c * W);
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < NC; ++c) acc[r][c] += x[r][d] * bv[c];
  }
  for (int r = 0; r < kRows; ++r)  // constant bounds keep acc in registers
    if (r < rows)
      for (int c = 0; c < NC; ++c) store(s + r * Tp + u + c * W, acc[r][c]);
}

// s[r * Tp + u] = sum_d a[(r0 + r) * as + d] * bt[d * Tp + u] for r < rows (<= kBlock) and u < un
// rounded up to W.
void dot_rows(float* s, long Tp, const float* a, long as, long r0, int rows, const float* bt, int hs,
              long un) {
  constexpr int kGroups = kBlock / kRows;
  const float* x[kGroups][kRows];
  int n[kGroups];
  const int groups = (rows + kRows - 1) / kRows;
  for (int g = 0; g < groups; ++g) {
    n[g] = rows - g * kRows < kRows ? rows - g * kRows : kRows;
    block_rows(x[g], a, as, r0 + g * kRows, n[g]);
  }
  const long end = (un + W - 1) / W * W;
  long u = 0;
  for (; u + 2 * W <= end; u += 2 * W)
    for (int g = 0; g < groups; ++g) dot_block<2>(s + g * kRows * Tp, Tp, x[g], n[g], bt, hs, u);
  if (u < end)
    for (int g = 0; g < groups; ++g) dot_block<1>(s + g * kRows * Tp, Tp, x[g], n[g], bt, hs, u);
}

template <int NC>
inline void accumulate_block(float* out, long os, const float* const (&w)[kRows], const float* m, long ms,
                             int rows, long jn, int c0, float alpha) {
  vf acc[kRows][NC] = {};
  for (long j = 0; j < jn; ++j) {
    vf mv[NC];
    for (int c = 0; c < NC; ++c) mv[c] = load(m + j * ms + c0 + c * W);
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < NC; ++c) acc[r][c] += w[r][j] * mv[c];
  }
  for (int r = 0; r < kRows; ++r)
    if (r < rows)
      for (int c = 0; c < NC; ++c) {
        float* o = out + r * os + c0 + c * W;
        store(o, load(o) + alpha * acc[r][c]);
      }
}

// out[r * os + c] += alpha * sum_{j < jn} w[r * Tp + j] * m[j * ms + c] for r < rows (<= kBlock) and
// c < hs (a multiple of W): a block of rows' weighted sums, read from the block's scratch.
void accumulate_rows(float* out, long os, const float* w, long Tp, const float* m, long ms, int rows, long jn,
                     int hs, float alpha) {
  for (int g = 0; g * kRows < rows; ++g) {
    const int n = rows - g * kRows < kRows ? rows - g * kRows : kRows;
    const float* x[kRows];
    block_rows(x, w, Tp, g * kRows, n);
    float* o = out + g * kRows * os;
    int c = 0;
    for (; c + 2 * W <= hs; c += 2 * W) accumulate_block<2>(o, os, x, m, ms, n, jn, c, alpha);
    if (c < hs) accumulate_block<1>(o, os, x, m, ms, n, jn, c, alpha);
  }
}

template <int NC>
inline void scatter_block(float* out, long os, const float* w, long Tp, const float* m, long ms, int rows,
                          long j, int c0, float alpha) {
  vf acc[kRows][NC] = {};
  for (int r = 0; r < rows; ++r) {
    vf mv[NC];
    for (int c = 0; c < NC; ++c) mv[c] = load(m + r * ms + c0 + c * W);
    const float* wr = w + r * Tp + j;
    for (int k = 0; k < kRows; ++k)
      for (int c = 0; c < NC; ++c) acc[k][c] += wr[k] * mv[c];
  }
  for (int k = 0; k < kRows; ++k)
    for (int c = 0; c < NC; ++c) {
      float* o = out + (j + k) * os + c0 + c * W;
      store(o, load(o) + alpha * acc[k][c]);
    }
}

// out[j * os + c] += alpha * sum_{r < rows} w[r * Tp + j] * m[r * ms + c] for j < jn (rows of out past
// jn up to the next multiple of kRows must exist; w is zero there) and c < hs: a block of rows' share of
// the key gradients, read row-wise from the block's scratch.
void scatter_rows(float* out, long os, const float* w, long Tp, const float* m, long ms, int rows, long jn,
                  int hs, float alpha) {
  for (long j = 0; j < jn; j += kRows) {
    int c = 0;
    for (; c + 2 * W <= hs; c += 2 * W) scatter_block<2>(out, os, w, Tp, m, ms, rows, j, c, alpha);
    if (c < hs) scatter_block<1>(out, os, w, Tp, m, ms, rows, j, c, alpha);
  }
}

// Lane j holds j.
inline vi lane_index() {
  vi v;
  for (int j = 0; j < W; ++j) v[j] = j;
  return v;
}
// p[u..u+W) of a row of n floats, zeros past its end; and the inverse.
inline vf load_row(const float* p, long u, long n) {
  return u + W <= n ? load(p + u) : load_part(p + u, n - u);
}
inline void store_row(float* p, long u, long n, vf v) {
  if (u + W <= n)
    store(p + u, v);
  else
    store_part(p + u, v, n - u);
}

// A forward score row in place (Tp floats, Tp a multiple of W): softmax over 0..n-1 of row[u] * scale
// (+ bias[u]), exact zeros after. Whole vectors with the lanes past n masked, in float (n <= Tp terms
// of at most 1 each).
void causal_softmax_row(float* row, long n, long Tp, float scale, const float* bias) {
  if (bias) {
    for (long u = 0; u < n; ++u) row[u] = row[u] * scale + bias[u];
    scale = 1.0f;
  }
  const long end = (n + W - 1) / W * W;
  const vf minus_inf = splat(-__builtin_inff());
  const vi lanes = lane_index();
  vf mx = minus_inf;
  for (long u = 0; u < end; u += W) {
    vf x = load(row + u) * scale;
    x = lanes < static_cast<int>(n - u) ? x : minus_inf;
    store(row + u, x);
    mx = x > mx ? x : mx;
  }
  const float m = hmax(mx);
  vf sum = vf{};
  for (long u = 0; u < end; u += W) {
    vf e = vexp(load(row + u) - m);
    e = lanes < static_cast<int>(n - u) ? e : vf{};
    store(row + u, e);
    sum += e;
  }
  const float inv = 1.0f / hsum(sum);
  for (long u = 0; u < end; u += W) store(row + u, load(row + u) * inv);
  for (long u = end; u < Tp; u += W) store(row + u, vf{});
}

// A backward row in place (Tp floats, Tp a multiple of W): datt in, ds = att * (datt - sum_u att[u]
// datt[u]) out for u < n, zeros after; att holds Tp floats, zero past n.
void causal_softmax_backward_row(float* row, const float* att, long n, long Tp) {
  const long end = (n + W - 1) / W * W;
  vf w = vf{};
  for (long u = 0; u < end; u += W) w += load(att + u) * load(row + u);
  const float weighted = hsum(w);
  long u = 0;
  for (; u < end; u += W) store(row + u, load(att + u) * (load(row + u) - weighted));
  for (; u < Tp; u += W) store(row + u, vf{});
}

// Row t of the scalar forward: scores scaled and biased into att, softmax over 0..t, zeros after.
void attention_probabilities(float* att_row, const float* scores, int t, int T, float scale,
                             const float* bias) {
  for (int u = 0; u <= t; ++u) att_row[u] = scores[u] * scale + (bias ? bias[u] : 0.0f);
  softmax(att_row, att_row, t + 1);
  for (int u = t + 1; u < T; ++u) att_row[u] = 0.0f;
}

// Row t of the scalar backward: ds = att * (datt - sum att * datt), zeros after t.
void softmax_backward_row(float* ds_row, const float* att_row, const float* datt, int t, int T) {
  float weighted = 0.0f;
  for (int u = 0; u <= t; ++u) weighted += att_row[u] * datt[u];
  for (int u = 0; u <= t; ++u) ds_row[u] = att_row[u] * (datt[u] - weighted);
  for (int u = t + 1; u < T; ++u) ds_row[u] = 0.0f;
}

void attention_forward_scalar(float* out, long os, float* att, const float* q, const float* k, const float* v,
                              long stride, int T, int hs, float scale, const float* bias, float* work) {
  for (int t = 0; t < T; ++t) {
    for (int u = 0; u <= t; ++u) {
      float dot = 0.0f;
      for (int d = 0; d < hs; ++d) dot += q[t * stride + d] * k[u * stride + d];
      work[u] = dot;
    }
    attention_probabilities(att + static_cast<long>(t) * T, work, t, T, scale,
                            bias ? bias + static_cast<long>(t) * T : nullptr);
    for (int d = 0; d < hs; ++d) {
      float sum = 0.0f;
      for (int u = 0; u <= t; ++u) sum += att[static_cast<long>(t) * T + u] * v[u * stride + d];
      out[t * os + d] = sum;
    }
  }
}

void attention_forward(float* out, long os, float* att, const float* q, const float* k, const float* v,
                       long stride, int T, int hs, float scale, const float* bias, float* work) {
  if (hs % W != 0) return attention_forward_scalar(out, os, att, q, k, v, stride, T, hs, scale, bias, work);
  const long Tp = padded_positions(T);
  float* kt = work;                // [hs, Tp]
  float* scores = work + hs * Tp;  // [kBlock, Tp]
  transpose_head(kt, k, stride, T, hs, Tp);
  for (int r0 = 0; r0 < T; r0 += kBlock) {
    const int rn = T - r0 < kBlock ? T - r0 : kBlock;
    const int attended = r0 + rn;  // the block's last row attends to positions 0..r0 + rn - 1
    dot_rows(scores, Tp, q, stride, r0, rn, kt, hs, attended);
    for (int r = 0; r < rn; ++r) {
      const long t = r0 + r;
      float* row = scores + r * Tp;
      causal_softmax_row(row, t + 1, Tp, scale, bias ? bias + t * T : nullptr);
      for (long u = 0; u < T; u += W) store_row(att + t * T, u, T, load(row + u));
      for (int d = 0; d < hs; ++d) out[t * os + d] = 0.0f;
    }
    accumulate_rows(out + r0 * os, os, scores, Tp, v, stride, rn, attended, hs, 1.0f);
  }
}

void attention_backward_scalar(float* dq, float* dk, float* dv, float* ds, const float* dout, long os,
                               const float* att, const float* q, const float* k, const float* v, long stride,
                               int T, int hs, float scale, float* work) {
  for (int t = 0; t < T; ++t) {
    const float* a = att + static_cast<long>(t) * T;
    for (int u = 0; u <= t; ++u) {
      float dot = 0.0f;
      for (int d = 0; d < hs; ++d) dot += dout[t * os + d] * v[u * stride + d];
      work[u] = dot;
      for (int d = 0; d < hs; ++d) dv[u * stride + d] += a[u] * dout[t * os + d];
    }
    float* row = ds ? ds + static_cast<long>(t) * T : work;  // in place over datt without ds
    softmax_backward_row(row, a, work, t, T);
    for (int u = 0; u <= t; ++u)
      for (int d = 0; d < hs; ++d) {
        dq[t * stride + d] += scale * row[u] * k[u * stride + d];
        dk[u * stride + d] += scale * row[u] * q[t * stride + d];
      }
  }
}

void attention_backward(float* dq, float* dk, float* dv, float* ds, const float* dout, long os,
                        const float* att, const float* q, const float* k, const float* v, long stride, int T,
                        int hs, float scale, float* work) {
  if (hs % W != 0)
    return attention_backward_scalar(dq, dk, dv, ds, dout, os, att, q, k, v, stride, T, hs, scale, work);
  const long Tp = padded_positions(T);
  float* vt = work;                // [hs, Tp]
  float* dsb = work + hs * Tp;     // [kBlock, Tp]: datt, then ds, of the block's rows
  float* atb = dsb + kBlock * Tp;  // [kBlock, Tp]: att of the block's rows
  transpose_head(vt, v, stride, T, hs, Tp);
  for (int r0 = 0; r0 < T; r0 += kBlock) {
    const int rn = T - r0 < kBlock ? T - r0 : kBlock;
    const int attended = r0 + rn;
    dot_rows(dsb, Tp, dout, os, r0, rn, vt, hs, attended);  // datt = dout v^T
    for (int r = 0; r < rn; ++r) {
      const long t = r0 + r;
      float* a = atb + r * Tp;
      for (long u = 0; u < Tp; u += W) store(a + u, u <= t ? load_row(att + t * T, u, T) : vf{});
      causal_softmax_backward_row(dsb + r * Tp, a, t + 1, Tp);
      if (ds)
        for (long u = 0; u < T; u += W) store_row(ds + t * T, u, T, load(dsb + r * Tp + u));
    }
    // Keys past `attended` up to the next multiple of kRows get zeros (ds and att are zero there) but must
    // exist: rows of q|k|v past T do not.
    const long keys = attended - attended % kRows;
    // dq += scale ds k;  dk += scale ds^T q;  dv += att^T dout
    accumulate_rows(dq + r0 * stride, stride, dsb, Tp, k, stride, rn, attended, hs, scale);
    scatter_rows(dk, stride, dsb, Tp, q + r0 * stride, stride, rn, keys, hs, scale);
    scatter_rows(dv, stride, atb, Tp, dout + r0 * os, os, rn, keys, hs, 1.0f);
    for (long u = keys; u < attended; ++u)  // the last few keys of an odd-sized head, one at a time
      for (int r = 0; r < rn; ++r)
        for (int d = 0; d < hs; ++d) {
          dk[u * stride + d] += scale * dsb[r * Tp + u] * q[(r0 + r) * stride + d];
          dv[u * stride + d] += atb[r * Tp + u] * dout[(r0 + r) * os + d];
        }
  }
}

}  // namespace

extern const CpuKernels table;
#define CLLM_STRINGIFY(x) #x
#define CLLM_NAME(x) CLLM_STRINGIFY(x)
const CpuKernels table = {Isa::CLLM_ISA_ENUM,
                          CLLM_NAME(CLLM_ISA),
                          matvec_rows,
                          attend_one,
                          attention_forward,
                          attention_backward,
                          sum_exp,
                          scaled_exp,
                          argmax,
                          sum_squares,
                          to_bf16,
                          gelu_forward,
                          gelu_backward,
                          layernorm_forward_row,
                          layernorm_backward_row,
                          adamw};

}  // namespace cllm::kernels::CLLM_ISA
