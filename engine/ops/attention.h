#pragma once
// Causal multi-head self-attention over packed q|k|v activations (the output projection is a separate
// matmul). Head h uses channels [h*hs, (h+1)*hs) of each of q, k and v.

#include <cmath>

namespace cllm::ops {

// inp[B,T,3C] = q | k | v  ->  out[B,T,C];  att[B,NH,T,T] saves the softmax (zero above the diagonal).
// att[b,h,t,s] = softmax_s<=t(q_t . k_s / sqrt(hs)),  out[b,t,h] = sum_s att[b,h,t,s] v_s
template <typename S>
void attention_forward_ref(S* out, S* att, const S* inp, int B, int T, int C, int NH) {
  using std::exp, std::sqrt;
  const int hs = C / NH;
  const long C3 = 3L * C;
  const S scale = S(1) / sqrt(S(hs));
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h)
      for (int t = 0; t < T; ++t) {
        const S* q = inp + (static_cast<long>(b) * T + t) * C3 + h * hs;
        S* a = att + ((static_cast<long>(b) * NH + h) * T + t) * T;
        S maxval = 0;
        for (int s = 0; s <= t; ++s) {
          const S* k = inp + (static_cast<long>(b) * T + s) * C3 + C + h * hs;
          S dot = 0;
          for (int i = 0; i < hs; ++i) dot += q[i] * k[i];
          a[s] = dot * scale;
          if (s == 0 || a[s] > maxval) maxval = a[s];
        }
        S sum = 0;
        for (int s = 0; s <= t; ++s) {
          a[s] = exp(a[s] - maxval);
          sum += a[s];
        }
        for (int s = 0; s < T; ++s) a[s] = s <= t ? a[s] / sum : S(0);
        S* o = out + (static_cast<long>(b) * T + t) * C + h * hs;
        for (int i = 0; i < hs; ++i) o[i] = 0;
        for (int s = 0; s <= t; ++s) {
          const S* v = inp + (static_cast<long>(b) * T + s) * C3 + 2 * C + h * hs;
          for (int i = 0; i < hs; ++i) o[i] += a[s] * v[i];
        }
      }
}

// dinp[B,T,3C] += gradient of q|k|v, given dout[B,T,C] and the forward's inp and att.
template <typename S>
void attention_backward_ref(S* dinp, const S* dout, const S* inp, const S* att, int B, int T, int C, int NH) {
  using std::sqrt;
  const int hs = C / NH;
  const long C3 = 3L * C;
  const S scale = S(1) / sqrt(S(hs));
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h)
      for (int t = 0; t < T; ++t) {
        const S* a = att + ((static_cast<long>(b) * NH + h) * T + t) * T;
        const S* d = dout + (static_cast<long>(b) * T + t) * C + h * hs;
        const long row_t = (static_cast<long>(b) * T + t) * C3 + h * hs;
        // datt[s] = d . v_s ; dv_s += att[s] d
        S weighted = 0;  // sum_s att[s] datt[s]
        for (int s = 0; s <= t; ++s) {
          const long row_s = (static_cast<long>(b) * T + s) * C3 + h * hs;
          S datt = 0;
          for (int i = 0; i < hs; ++i) {
            datt += d[i] * inp[row_s + 2 * C + i];
            dinp[row_s + 2 * C + i] += a[s] * d[i];
          }
          weighted += a[s] * datt;
        }
        for (int s = 0; s <= t; ++s) {
          const long row_s = (static_cast<long>(b) * T + s) * C3 + h * hs;
          S datt = 0;
          for (int i = 0; i < hs; ++i) datt += d[i] * inp[row_s + 2 * C + i];
          const S dpre = a[s] * (datt - weighted) * scale;  // softmax backward, then the 1/sqrt(hs)
          for (int i = 0; i < hs; ++i) {
            dinp[row_t + i] += dpre * inp[row_s + C + i];
            dinp[row_s + C + i] += dpre * inp[row_t + i];
          }
        }
      }
}

void attention_forward(float* out, float* att, const float* inp, int B, int T, int C, int NH);
void attention_backward(float* dinp, const float* dout, const float* inp, const float* att, int B, int T, int C,
                        int NH);

}  // namespace cllm::ops
