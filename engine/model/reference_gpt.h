#pragma once
// The reference transformer: the same model as Gpt, written for clarity with the plain-loop reference
// ops, templated on the scalar type (float, double, boost::multiprecision::cpp_bin_float_50). It is the
// oracle the tests hold the fast path against and the base of the precision lab. Every intermediate
// lives in its own named buffer; nothing is reused or fused.

#include <cstdint>
#include <span>
#include <vector>

#include "model/model_config.h"
#include "model/parameter_layout.h"
#include "model/positional_encoding.h"
#include "ops/attention.h"
#include "ops/cross_entropy.h"
#include "ops/encoder.h"
#include "ops/gelu.h"
#include "ops/layernorm.h"
#include "ops/matmul.h"
#include "ops/residual.h"
#include "util/error.h"

namespace cllm {

template <typename S>
class ReferenceGpt {
 public:
  explicit ReferenceGpt(const ModelConfig& config) : config_(validated(config)), layout_(config_) {
    params.assign(layout_.total(), S(0));
    grads.assign(layout_.total(), S(0));
    auto encoding = make_positional_encoding(config.positional);
    if (!encoding->learned()) {
      const auto table = encoding->fixed_table(config.block_size, config.n_embd);
      fixed_wpe_.assign(table.begin(), table.end());
    }
  }

  const ParameterLayout& layout() const { return layout_; }
  std::vector<S> params, grads;

  // Same contract as Gpt::forward with targets: returns the mean loss, keeps what backward needs.
  S forward(const std::vector<int32_t>& inputs, const std::vector<int32_t>& targets, int B, int T) {
    const int C = config_.n_embd, V = config_.vocab_size, NH = config_.n_head, L = config_.n_layer;
    const int N = B * T;
    B_ = B, T_ = T;
    inputs_ = inputs, targets_ = targets;
    const S* P = params.data();
    blocks_.assign(L, Block{});
    encoded_.assign(static_cast<size_t>(N) * C, S(0));
    ops::encoder_forward_ref(encoded_.data(), inputs.data(), P + layout_.wte(), wpe(), B, T, C);
    const std::vector<S>* residual = &encoded_;
    for (int l = 0; l < L; ++l) {
      const auto& w = layout_.blocks()[l];
      Block& k = blocks_[l];
      k.resize(N, C, B * NH * T * T);
      ops::layernorm_forward_ref(k.ln1.data(), k.ln1_mean.data(), k.ln1_rstd.data(), residual->data(), P + w.ln1_w,
                                 P + w.ln1_b, N, C);
      ops::matmul_forward_ref(k.qkv.data(), k.ln1.data(), P + w.qkv_w, P + w.qkv_b, N, C, 3 * C);
      ops::attention_forward_ref(k.atty.data(), k.att.data(), k.qkv.data(), B, T, C, NH);
      ops::matmul_forward_ref(k.attproj.data(), k.atty.data(), P + w.proj_w, P + w.proj_b, N, C, C);
      ops::residual_forward_ref(k.residual2.data(), residual->data(), k.attproj.data(), static_cast<long>(N) * C);
      ops::layernorm_forward_ref(k.ln2.data(), k.ln2_mean.data(), k.ln2_rstd.data(), k.residual2.data(), P + w.ln2_w,
                                 P + w.ln2_b, N, C);
      ops::matmul_forward_ref(k.fch.data(), k.ln2.data(), P + w.fc_w, P + w.fc_b, N, C, 4 * C);
      ops::gelu_forward_ref(k.fch_gelu.data(), k.fch.data(), static_cast<long>(N) * 4 * C);
      ops::matmul_forward_ref(k.fcproj.data(), k.fch_gelu.data(), P + w.fcproj_w, P + w.fcproj_b, N, 4 * C, C);
      ops::residual_forward_ref(k.residual3.data(), k.residual2.data(), k.fcproj.data(), static_cast<long>(N) * C);
      residual = &k.residual3;
    }
    lnf_.assign(static_cast<size_t>(N) * C, S(0));
    lnf_mean_.assign(N, S(0));
    lnf_rstd_.assign(N, S(0));
    ops::layernorm_forward_ref(lnf_.data(), lnf_mean_.data(), lnf_rstd_.data(), residual->data(), P + layout_.lnf_w(),
                               P + layout_.lnf_b(), N, C);
    logits.assign(static_cast<size_t>(N) * V, S(0));
    ops::matmul_forward_ref(logits.data(), lnf_.data(), P + layout_.wte(), static_cast<const S*>(nullptr), N, C, V);
    probs_.assign(static_cast<size_t>(N) * V, S(0));
    losses.assign(N, S(0));
    return ops::cross_entropy_forward_ref(probs_.data(), losses.data(), logits.data(), targets.data(), N, V);
  }

  // Gradient of the mean loss of the last forward, ADDED to grads.
  void backward() {
    const int B = B_, T = T_, C = config_.n_embd, V = config_.vocab_size, NH = config_.n_head, L = config_.n_layer;
    const int N = B * T;
    const long NC = static_cast<long>(N) * C;
    const S* P = params.data();
    S* G = grads.data();
    std::vector<S> dlogits(static_cast<size_t>(N) * V), dlnf(NC, S(0));
    ops::cross_entropy_backward_ref(dlogits.data(), probs_.data(), targets_.data(), N, V);
    ops::matmul_backward_ref(dlnf.data(), G + layout_.wte(), static_cast<S*>(nullptr), dlogits.data(), lnf_.data(),
                             P + layout_.wte(), N, C, V);
    std::vector<S> dresidual3(NC, S(0));
    const std::vector<S>& last = blocks_[L - 1].residual3;
    ops::layernorm_backward_ref(dresidual3.data(), G + layout_.lnf_w(), G + layout_.lnf_b(), dlnf.data(), last.data(),
                                P + layout_.lnf_w(), lnf_mean_.data(), lnf_rstd_.data(), N, C);
    for (int l = L - 1; l >= 0; --l) {
      const auto& w = layout_.blocks()[l];
      const Block& k = blocks_[l];
      const std::vector<S>& residual = l == 0 ? encoded_ : blocks_[l - 1].residual3;
      // residual3 = residual2 + fcproj
      std::vector<S> dresidual2(NC, S(0)), dfcproj(NC, S(0));
      ops::residual_backward_ref(dresidual2.data(), dfcproj.data(), dresidual3.data(), NC);
      std::vector<S> dfch_gelu(NC * 4, S(0)), dfch(NC * 4, S(0)), dln2(NC, S(0));
      ops::matmul_backward_ref(dfch_gelu.data(), G + w.fcproj_w, G + w.fcproj_b, dfcproj.data(), k.fch_gelu.data(),
                               P + w.fcproj_w, N, 4 * C, C);
      ops::gelu_backward_ref(dfch.data(), k.fch.data(), dfch_gelu.data(), NC * 4);
      ops::matmul_backward_ref(dln2.data(), G + w.fc_w, G + w.fc_b, dfch.data(), k.ln2.data(), P + w.fc_w, N, C, 4 * C);
      ops::layernorm_backward_ref(dresidual2.data(), G + w.ln2_w, G + w.ln2_b, dln2.data(), k.residual2.data(),
                                  P + w.ln2_w, k.ln2_mean.data(), k.ln2_rstd.data(), N, C);
      // residual2 = residual + attproj
      std::vector<S> dresidual(NC, S(0)), dattproj(NC, S(0));
      ops::residual_backward_ref(dresidual.data(), dattproj.data(), dresidual2.data(), NC);
      std::vector<S> datty(NC, S(0)), dqkv(NC * 3, S(0)), dln1(NC, S(0));
      ops::matmul_backward_ref(datty.data(), G + w.proj_w, G + w.proj_b, dattproj.data(), k.atty.data(), P + w.proj_w,
                               N, C, C);
      ops::attention_backward_ref(dqkv.data(), datty.data(), k.qkv.data(), k.att.data(), B, T, C, NH);
      ops::matmul_backward_ref(dln1.data(), G + w.qkv_w, G + w.qkv_b, dqkv.data(), k.ln1.data(), P + w.qkv_w, N, C,
                               3 * C);
      ops::layernorm_backward_ref(dresidual.data(), G + w.ln1_w, G + w.ln1_b, dln1.data(), residual.data(),
                                  P + w.ln1_w, k.ln1_mean.data(), k.ln1_rstd.data(), N, C);
      dresidual3 = std::move(dresidual);
    }
    S* dwpe = layout_.wpe() != ParameterLayout::kNone ? G + layout_.wpe() : nullptr;
    ops::encoder_backward_ref(G + layout_.wte(), dwpe, dresidual3.data(), inputs_.data(), B, T, C);
  }

  std::vector<S> logits, losses;  // from the last forward: [B,T,V], [B,T]

 private:
  struct Block {
    std::vector<S> ln1, ln1_mean, ln1_rstd, qkv, atty, att, attproj, residual2, ln2, ln2_mean, ln2_rstd, fch, fch_gelu,
        fcproj, residual3;
    void resize(int N, int C, int att_size) {
      const size_t NC = static_cast<size_t>(N) * C;
      for (auto* v : {&ln1, &atty, &attproj, &residual2, &ln2, &fcproj, &residual3}) v->assign(NC, S(0));
      for (auto* v : {&ln1_mean, &ln1_rstd, &ln2_mean, &ln2_rstd}) v->assign(N, S(0));
      qkv.assign(NC * 3, S(0));
      att.assign(att_size, S(0));
      fch.assign(NC * 4, S(0));
      fch_gelu.assign(NC * 4, S(0));
    }
  };

  const S* wpe() const {
    return layout_.wpe() != ParameterLayout::kNone ? params.data() + layout_.wpe() : fixed_wpe_.data();
  }

  ModelConfig config_;
  ParameterLayout layout_;
  std::vector<S> fixed_wpe_;
  std::vector<Block> blocks_;
  std::vector<S> encoded_, lnf_, lnf_mean_, lnf_rstd_, probs_;
  std::vector<int32_t> inputs_, targets_;
  int B_ = 0, T_ = 0;
};

}  // namespace cllm
