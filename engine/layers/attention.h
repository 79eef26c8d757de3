#pragma once
// Causal multi-head self-attention: qkv = Linear(C -> 3C), optional rotary positions on q and k, the
// attention of every position over the positions up to it, output Linear(C -> C) (nanoGPT's
// attn.c_attn and attn.c_proj). With a KV cache it decodes: the new position's keys and values are
// appended to the cache and its query attends over everything cached (CTranslate2's attention layer
// takes its cached keys and values the same way).

#include <algorithm>
#include <string>
#include <type_traits>
#include <vector>

#include "layers/activation_table.h"
#include "layers/kv_cache.h"
#include "layers/linear.h"
#include "ops/attention.h"
#include "ops/shape_check.h"

namespace cllm::layers {

// The clock-class bias of the spec: token k's class is p_k mod 12; the bias between classes a and b is
// beta log M(a, b), M = 1 for equal classes, else 1 / (1 + 0.5 d) with d their distance on the 12-hour
// circle.
constexpr int kClockClasses = 12;
std::vector<double> clock_log_match();                // [12,12]
std::vector<uint8_t> token_clock_classes(int vocab);  // [V]: p_k mod 12

class Attention {
 public:
  // prefix e.g. "transformer.h.0.attn."; `rope_table` is the offset of the rotary angle constants
  // [T_max, hs], `clock_table` that of the clock-class bias table [12,12] (log M of the spec), each
  // ParameterTable::kNone when unused. With the bias the layer declares `clock_beta` [NH] (init 0: the
  // model starts as if there were no bias and learns how much of it to use).
  Attention(ParameterTable& table, const std::string& prefix, int channels, int heads, int max_positions,
            double residual_std, size_t rope_table, size_t clock_table);

  template <typename S>
  struct Acts {
    S* qkv = nullptr;  // [N,3C] (q and k rotated when rotary)
    S* att = nullptr;  // softmax [B,NH,T,T]; when decoding, scores [B,NH,T_max]
    S* y = nullptr;    // [N,C] attention output before the projection
    S* out = nullptr;  // [N,C]
  };
  template <typename S>
  struct Scratch {
    S* dy = nullptr;    // [N,C]
    S* dqkv = nullptr;  // [N,3C]
  };
  template <typename S>
  Acts<S> plan(Slicer<S>& slicer, const std::string& name, const Pass& pass, bool decoding) const {
    const long N = pass.rows();
    const long att = decoding ? static_cast<long>(pass.B) * heads_ * max_positions_
                              : static_cast<long>(pass.B) * heads_ * pass.T * pass.T;
    return {slicer.take(name + ".qkv", N * 3 * channels_), slicer.take(name + ".att", att),
            slicer.take(name + ".y", N * channels_), slicer.take(name + ".out", N * channels_)};
  }
  template <typename S>
  Scratch<S> plan_backward(Slicer<S>& slicer, const std::string& name, long rows) const {
    return {slicer.take(name + ".dy", rows * channels_), slicer.take(name + ".dqkv", rows * 3 * channels_)};
  }

  // a.out[N,C] = attention of in[N,C]. With `cache` (decoding, pass.T == 1) the keys and values of
  // position pass.position are stored in it first and each query attends over positions 0..position.
  template <typename Ops, typename S = typename Ops::Scalar>
  void forward(const Weights<S>& w, const Acts<S>& a, const S* in, const Pass& pass,
               std::type_identity_t<KvLayer<S>>* cache) const {
    const long N = pass.rows();
    const int C = channels_;
    qkv_.forward<Ops>(w, a.qkv, in, N);
    if (rope_ != ParameterTable::kNone)
      Ops::rope_forward(a.qkv, w.k + rope_, pass.B, pass.T, pass.position, max_positions_, C, heads_);
    const auto bias = class_bias(w.p, static_cast<S*>(nullptr), w.k, pass);
    const ops::ClassBias<S>* b = clock_table_ != ParameterTable::kNone ? &bias : nullptr;
    if (!cache) {
      Ops::attention_forward(a.y, a.att, a.qkv, pass.B, pass.T, C, heads_, b);
    } else {
      CLLM_CHECK_SHAPE("attention decoding", pass.T == 1 && pass.position < cache->max_positions);
      const long T_max = cache->max_positions;
      for (int s = 0; s < pass.B; ++s) {
        const S* row = a.qkv + static_cast<long>(s) * 3 * C;
        cache->put_channel_major(s, pass.position, row + C, C);
        std::copy(row + 2 * C, row + 3 * C, cache->v + (s * T_max + pass.position) * C);
      }
      Ops::attention_step(a.y, a.att, a.qkv, cache->k, cache->v, pass.B, pass.position, cache->max_positions,
                          C, heads_, b);
    }
    proj_.forward<Ops>(w, a.out, a.y, N);
  }

  // din[N,C] = d(in) given dout[N,C] (overwritten; training passes only).
  template <typename Ops, typename S = typename Ops::Scalar>
  void backward(const Weights<S>& w, const Acts<S>& a, const Scratch<S>& s, const S* in, const S* dout,
                S* din, const Pass& pass) const {
    const long N = pass.rows();
    proj_.backward<Ops>(w, dout, a.y, s.dy, N);
    zero(s.dqkv, N * 3 * channels_);
    const auto bias = class_bias(w.p, w.g, w.k, pass);
    Ops::attention_backward(s.dqkv, s.dy, a.qkv, a.att, pass.B, pass.T, channels_, heads_,
                            clock_table_ != ParameterTable::kNone ? &bias : nullptr);
    if (rope_ != ParameterTable::kNone)
      Ops::rope_backward(s.dqkv, w.k + rope_, pass.B, pass.T, pass.position, max_positions_, channels_,
                         heads_);
    qkv_.backward<Ops>(w, s.dqkv, in, din, N);
  }

 private:
  template <typename S>
  ops::ClassBias<S> class_bias(const S* params, S* grads, const S* constants, const Pass& pass) const {
    if (clock_table_ == ParameterTable::kNone) return {};
    CLLM_CHECK_SHAPE("clock-class attention bias", pass.classes != nullptr);
    return {params + beta_,
            grads ? grads + beta_ : nullptr,
            constants + clock_table_,
            kClockClasses,
            pass.classes,
            pass.class_stride};
  }

  int channels_, heads_, max_positions_;
  size_t rope_, clock_table_, beta_ = ParameterTable::kNone;
  Linear qkv_, proj_;
};

}  // namespace cllm::layers
