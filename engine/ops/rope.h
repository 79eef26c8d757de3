#pragma once
// Rotary position embedding (RoPE; Su et al., RoFormer, with Llama's interleaved pairs): in every head,
// channel pair (2i, 2i+1) of the query and of the key at position p is rotated by the angle p * theta_i,
// theta_i = 10000^(-2i/hs). Applied in place to the q and k parts of packed q|k|v rows right after the
// qkv projection (so the KV cache holds rotated keys); attention scores then depend on positions only
// through their difference. The value part is left alone.

#include <vector>

#include "ops/shape_check.h"

namespace cllm::ops {

// table[T_max, hs] = cos(p theta_i), sin(p theta_i) for i < hs/2, interleaved; computed in double.
std::vector<double> rope_table(int max_positions, int head_size);

inline void check_rope_shape(const char* op, int B, int T, int position, int T_max, int C, int NH) {
  CLLM_CHECK_SHAPE(op, B >= 1 && T >= 1 && NH >= 1 && C % NH == 0 && (C / NH) % 2 == 0);
  CLLM_CHECK_SHAPE(op, position >= 0 && position + T <= T_max);
}

// Rotates the q and k parts of one q|k|v row by the angles of one table row (sign = -1 rotates back).
template <typename S>
void rope_rotate_row_ref(S* row, const S* angles, int C, int NH, int sign) {
  const int hs = C / NH;
  for (int part = 0; part < 2; ++part)  // q, then k
    for (int h = 0; h < NH; ++h) {
      S* x = row + part * C + h * hs;
      for (int i = 0; i < hs / 2; ++i) {
        const S c = angles[2 * i], s = sign * angles[2 * i + 1];
        const S a = x[2 * i], b = x[2 * i + 1];
        x[2 * i] = a * c - b * s;
        x[2 * i + 1] = a * s + b * c;
      }
    }
}

// qkv[B,T,3C]: row (b, t) sits at position `position + t` and has its q and k rotated in place.
// table[T_max, hs] from rope_table.
template <typename S>
void rope_forward_ref(S* qkv, const S* table, int B, int T, int position, int T_max, int C, int NH) {
  check_rope_shape("rope_forward", B, T, position, T_max, C, NH);
  for (long n = 0; n < static_cast<long>(B) * T; ++n)
    rope_rotate_row_ref(qkv + n * 3 * C, table + (position + n % T) * static_cast<long>(C / NH), C, NH, 1);
}

// dqkv[B,T,3C]: the gradient with respect to the rotated q and k becomes, in place, the gradient with
// respect to the unrotated ones: the rotation is orthogonal, so its transpose is the rotation back.
template <typename S>
void rope_backward_ref(S* dqkv, const S* table, int B, int T, int position, int T_max, int C, int NH) {
  check_rope_shape("rope_backward", B, T, position, T_max, C, NH);
  for (long n = 0; n < static_cast<long>(B) * T; ++n)
    rope_rotate_row_ref(dqkv + n * 3 * C, table + (position + n % T) * static_cast<long>(C / NH), C, NH, -1);
}

void rope_forward(float* qkv, const float* table, int B, int T, int position, int T_max, int C, int NH);
void rope_backward(float* dqkv, const float* table, int B, int T, int position, int T_max, int C, int NH);

}  // namespace cllm::ops
