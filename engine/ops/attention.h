#pragma once
// Causal multi-head self-attention over packed q|k|v activations (the output projection is a separate
// matmul). Head h uses channels [h*hs, (h+1)*hs) of each of q, k and v.

#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "ops/shape_check.h"

namespace cllm::ops {

// An optional additive bias on the attention scores that depends on the classes of the two tokens:
// score(t, u) += beta[h] * table[class(t), class(u)] (the clock-class bias: class = the token's prime
// mod 12, table = log M of the spec). beta is learned per head; backward adds its gradient to dbeta.
template <typename S>
struct ClassBias {
  const S* beta = nullptr;       // [NH]
  S* dbeta = nullptr;            // [NH], backward only
  const S* table = nullptr;      // [K,K]
  int classes = 0;               // K
  const uint8_t* cls = nullptr;  // class of each position: sequence b's positions at b * stride
  long stride = 0;
  S table_at(long b, int t, int u) const {
    return table[cls[b * stride + t] * classes + cls[b * stride + u]];
  }
  S at(int h, long b, int t, int u) const { return beta[h] * table_at(b, t, u); }
};

// One query against keys and values 0..t of one head, the unit both the full pass and the cached
// decoding step are made of: scores[u] = softmax_u<=t(q . k_u / sqrt(hs) + bias[u]) (left in `scores`,
// which needs t + 1 entries; bias may be null), out[hs] = sum_u scores[u] v_u. Channel i of key u is
// k[u * k_position_stride + i * k_channel_stride] (rows of the q|k|v buffer when training, channel-major
// in the decoding cache); value rows are v_stride apart.
template <typename S>
void attend_one_ref(S* out, S* scores, const S* q, const S* k, long k_position_stride, long k_channel_stride,
                    const S* v, long v_stride, int t, int hs, const S* bias) {
  using std::exp, std::sqrt;
  const S scale = S(1) / sqrt(S(hs));
  S maxval = 0;
  for (int u = 0; u <= t; ++u) {
    S dot = 0;
    for (int i = 0; i < hs; ++i) dot += q[i] * k[u * k_position_stride + i * k_channel_stride];
    scores[u] = dot * scale;
    if (bias) scores[u] += bias[u];
    if (u == 0 || scores[u] > maxval) maxval = scores[u];
  }
  S sum = 0;
  for (int u = 0; u <= t; ++u) {
    scores[u] = exp(scores[u] - maxval);
    sum += scores[u];
  }
  for (int u = 0; u <= t; ++u) scores[u] /= sum;
  for (int i = 0; i < hs; ++i) out[i] = 0;
  for (int u = 0; u <= t; ++u)
    for (int i = 0; i < hs; ++i) out[i] += scores[u] * v[u * v_stride + i];
}

inline void check_attention_shape(const char* op, int B, int T, int C, int NH) {
  CLLM_CHECK_SHAPE(op, B >= 1 && T >= 1 && NH >= 1 && C >= NH && C % NH == 0);
}

// The bias row of query t of sequence b in head h (null without a bias), in `row` ([t+1]).
template <typename S>
const S* class_bias_row(std::vector<S>& row, const ClassBias<S>* bias, int h, long b, int t) {
  if (!bias) return nullptr;
  row.resize(t + 1);
  for (int u = 0; u <= t; ++u) row[u] = bias->at(h, b, t, u);
  return row.data();
}

// inp[B,T,3C] = q | k | v  ->  out[B,T,C];  att[B,NH,T,T] saves the softmax (zero above the diagonal).
// att[b,h,t,s] = softmax_s<=t(q_t . k_s / sqrt(hs) + bias),  out[b,t,h] = sum_s att[b,h,t,s] v_s
// (bias may be null).
template <typename S>
void attention_forward_ref(S* out, S* att, const S* inp, int B, int T, int C, int NH,
                           const std::type_identity_t<ClassBias<S>>* bias) {
  check_attention_shape("attention_forward", B, T, C, NH);
  const int hs = C / NH;
  const long C3 = 3L * C;
  std::vector<S> row;
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h)
      for (int t = 0; t < T; ++t) {
        const S* seq = inp + static_cast<long>(b) * T * C3 + h * hs;
        S* a = att + ((static_cast<long>(b) * NH + h) * T + t) * T;
        attend_one_ref(out + (static_cast<long>(b) * T + t) * C + h * hs, a, seq + t * C3, seq + C, C3, 1,
                       seq + 2 * C, C3, t, hs, class_bias_row(row, bias, h, b, t));
        for (int s = t + 1; s < T; ++s) a[s] = S(0);
      }
}

// dinp[B,T,3C] += gradient of q|k|v, given dout[B,T,C] and the forward's inp and att; with a bias also
// bias->dbeta[NH] += the gradient of beta.
template <typename S>
void attention_backward_ref(S* dinp, const S* dout, const S* inp, const S* att, int B, int T, int C, int NH,
                            const std::type_identity_t<ClassBias<S>>* bias) {
  using std::sqrt;
  check_attention_shape("attention_backward", B, T, C, NH);
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
          const S dscore = a[s] * (datt - weighted);  // softmax backward: d(loss)/d(score)
          if (bias) bias->dbeta[h] += dscore * bias->table_at(b, t, s);
          const S dpre = dscore * scale;  // through the 1/sqrt(hs)
          for (int i = 0; i < hs; ++i) {
            dinp[row_t + i] += dpre * inp[row_s + C + i];
            dinp[row_s + C + i] += dpre * inp[row_t + i];
          }
        }
      }
}

// Decoding: one new position t per sequence. q[NS,3C] holds each sequence's new q|k|v row (only q is
// read); kc[NS,C,T_max] (channel-major) and vc[NS,T_max,C] the cached keys and values of positions 0..t
// (t included) -> out[NS,C]; scores[NS,NH,T_max] is scratch. A bias reads the classes of sequence s at s *
// stride.
template <typename S>
void attention_step_ref(S* out, S* scores, const S* q, const S* kc, const S* vc, int NS, int t, int T_max,
                        int C, int NH, const std::type_identity_t<ClassBias<S>>* bias) {
  check_attention_shape("attention_step", NS, T_max, C, NH);
  CLLM_CHECK_SHAPE("attention_step", t >= 0 && t < T_max);
  const int hs = C / NH;
  std::vector<S> row;
  for (int s = 0; s < NS; ++s)
    for (int h = 0; h < NH; ++h) {
      const long keys = (static_cast<long>(s) * C + h * hs) * T_max,
                 values = static_cast<long>(s) * T_max * C + h * hs;
      attend_one_ref(out + static_cast<long>(s) * C + h * hs,
                     scores + (static_cast<long>(s) * NH + h) * T_max, q + s * 3L * C + h * hs, kc + keys, 1,
                     T_max, vc + values, C, t, hs, class_bias_row(row, bias, h, s, t));
    }
}

void attention_forward(float* out, float* att, const float* inp, int B, int T, int C, int NH,
                       const ClassBias<float>* bias);
void attention_backward(float* dinp, const float* dout, const float* inp, const float* att, int B, int T,
                        int C, int NH, const ClassBias<float>* bias);
void attention_step(float* out, float* scores, const float* q, const float* kc, const float* vc, int NS,
                    int t, int T_max, int C, int NH, const ClassBias<float>* bias);

}  // namespace cllm::ops
