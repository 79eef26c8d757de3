#pragma once
// One pre-LayerNorm transformer block (GPT-2):
//   residual2 = in + mixer(ln_1(in))       the token mixer: attention, or the damped Fourier mixer
//   out       = residual2 + mlp(ln_2(residual2))
// Training, the reference model and KV-cache decoding all run this one sequence.

#include <optional>
#include <string>
#include <type_traits>

#include "layers/activation_table.h"
#include "layers/attention.h"
#include "layers/fourier_mixer.h"
#include "layers/layer_norm.h"
#include "layers/mlp.h"

namespace cllm::layers {

struct BlockShape {
  int channels = 0, heads = 0, max_positions = 0, layers = 0;
  size_t rope_table = ParameterTable::kNone;   // offset of the rotary angle constants, if any
  size_t clock_table = ParameterTable::kNone;  // offset of the clock-class bias table, if any
};

class Block {
 public:
  // Declares the tensors of block `index` under "transformer.h.<index>."; its token mixer is attention
  // ("attn.") or, with `fourier`, the damped Fourier mixer ("fourier.").
  Block(ParameterTable& table, int index, const BlockShape& shape, bool fourier);

  bool fourier() const { return fourier_.has_value(); }

  template <typename S>
  struct Acts {
    LayerNorm::Acts<S> ln1;
    Attention::Acts<S> attn;  // one of these two is used
    FourierMixer::Acts<S> mixer;
    S* residual2 = nullptr;  // [N,C]
    LayerNorm::Acts<S> ln2;
    Mlp::Acts<S> mlp;
    S* out = nullptr;  // [N,C]
  };
  template <typename S>
  struct Scratch {
    S* dln = nullptr;  // [N,C]
    Attention::Scratch<S> attn;
    FourierMixer::Scratch<S> mixer;
    Mlp::Scratch<S> mlp;
  };
  template <typename S>
  Acts<S> plan(Slicer<S>& slicer, const Pass& pass, bool decoding) const {
    const long N = pass.rows();
    const size_t NC = N * channels_;
    Acts<S> a;
    a.ln1 = ln1_.plan(slicer, name_ + "ln_1", N);
    if (attn_) a.attn = attn_->plan(slicer, name_ + "attn", pass, decoding);
    if (fourier_) a.mixer = fourier_->plan(slicer, name_ + "fourier", pass, decoding);
    a.residual2 = slicer.take(name_ + "residual2", NC);
    a.ln2 = ln2_.plan(slicer, name_ + "ln_2", N);
    a.mlp = mlp_.plan(slicer, name_ + "mlp", N);
    a.out = slicer.take(name_ + "out", NC);
    return a;
  }
  template <typename S>
  Scratch<S> plan_backward(Slicer<S>& slicer, const Pass& pass) const {
    const std::string name = name_ + "backward.";
    Scratch<S> s;
    s.dln = slicer.take(name + "dln", pass.rows() * channels_);
    if (attn_) s.attn = attn_->plan_backward(slicer, name + "attn", pass.rows());
    if (fourier_) s.mixer = fourier_->plan_backward(slicer, name + "fourier", pass);
    s.mlp = mlp_.plan_backward(slicer, name + "mlp", pass.rows());
    return s;
  }

  // a.out[N,C] = block(in[N,C]); `cache` when decoding (see Attention::forward, FourierMixer::forward).
  template <typename Ops, typename S = typename Ops::Scalar>
  void forward(const Weights<S>& w, const Acts<S>& a, const S* in, const Pass& pass,
               std::type_identity_t<KvLayer<S>>* cache) const {
    const long N = pass.rows();
    ln1_.forward<Ops>(w, a.ln1, in, N);
    if (attn_) attn_->forward<Ops>(w, a.attn, a.ln1.out, pass, cache);
    if (fourier_) fourier_->forward<Ops>(w, a.mixer, a.ln1.out, pass, cache);
    Ops::residual_forward(a.residual2, in, attn_ ? a.attn.out : a.mixer.out, N * channels_);
    ln2_.forward<Ops>(w, a.ln2, a.residual2, N);
    mlp_.forward<Ops>(w, a.mlp, a.ln2.out, N);
    Ops::residual_forward(a.out, a.residual2, a.mlp.out, N * channels_);
  }

  // dresidual[N,C] holds d(loss)/d(out) and becomes d(loss)/d(in): a residual add passes its gradient
  // to both branches unchanged, so each branch adds its input gradient into it in place.
  template <typename Ops, typename S = typename Ops::Scalar>
  void backward(const Weights<S>& w, const Acts<S>& a, const Scratch<S>& s, const S* in, S* dresidual,
                const Pass& pass) const {
    // The mixer and the MLP overwrite s.dln (each its only writer), so it is never zeroed.
    const long N = pass.rows();
    mlp_.backward<Ops>(w, a.mlp, s.mlp, a.ln2.out, dresidual, s.dln, N);
    ln2_.backward<Ops>(w, a.ln2, a.residual2, s.dln, dresidual, N);
    if (attn_) attn_->backward<Ops>(w, a.attn, s.attn, a.ln1.out, dresidual, s.dln, pass);
    if (fourier_) fourier_->backward<Ops>(w, a.mixer, s.mixer, a.ln1.out, dresidual, s.dln, pass);
    ln1_.backward<Ops>(w, a.ln1, in, s.dln, dresidual, N);
  }

 private:
  std::string name_;  // "h.<index>." for activation names
  int channels_;
  LayerNorm ln1_;
  std::optional<Attention> attn_;
  std::optional<FourierMixer> fourier_;
  LayerNorm ln2_;
  Mlp mlp_;
};

}  // namespace cllm::layers
