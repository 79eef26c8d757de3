#include "generate/kv_decoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/parallel.h"
#include "model/gpt.h"
#include "ops/gelu.h"
#include "ops/layernorm.h"
#include "ops/matmul.h"
#include "ops/residual.h"
#include "util/error.h"

namespace cllm {

KvDecoder::KvDecoder(const Gpt& model, int max_sequences) : model_(model), max_sequences_(max_sequences) {
  require(max_sequences >= 1, "the decoder needs at least one sequence");
  const ModelConfig& c = model.config();
  const size_t S = max_sequences, C = c.n_embd;
  k_cache_.assign(static_cast<size_t>(c.n_layer) * S * c.block_size * C, 0.0f);
  v_cache_.assign(k_cache_.size(), 0.0f);
  for (auto* v : {&x_, &ln_, &atty_, &proj_, &mlp_}) v->resize(S * C);
  qkv_.resize(S * 3 * C);
  fch_.resize(S * 4 * C);
  logits_.resize(S * c.vocab_size);
  mean_.resize(S);
  rstd_.resize(S);
  scores_.resize(S * c.n_head * c.block_size);
}

void KvDecoder::reset(int sequences) {
  require(sequences >= 1 && sequences <= max_sequences_, "sequence count " + std::to_string(sequences) +
                                                             " is outside [1, " + std::to_string(max_sequences_) + "]");
  sequences_ = sequences;
  position_ = 0;
}

bool KvDecoder::full() const { return position_ >= model_.config().block_size; }

std::span<const float> KvDecoder::step(std::span<const int32_t> tokens) {
  const ModelConfig& c = model_.config();
  const ParameterLayout& layout = model_.layout();
  require(static_cast<int>(tokens.size()) == sequences_, "expected one token per sequence");
  require(!full(), "the context is full (" + std::to_string(c.block_size) + " positions)");
  check_token_ids(tokens.data(), static_cast<long>(tokens.size()), c.vocab_size, "token");
  const int S = sequences_, C = c.n_embd, NH = c.n_head, hs = c.head_size(), T = c.block_size, t = position_;
  const size_t SMAX = max_sequences_;
  const float* P = model_.parameters().data();
  const float* wpe = layout.wpe() != ParameterLayout::kNone ? P + layout.wpe() : model_.fixed_positional_table();
  const float scale = 1.0f / std::sqrt(static_cast<float>(hs));

  for (int s = 0; s < S; ++s)
    for (int i = 0; i < C; ++i)
      x_[s * C + i] = P[layout.wte() + static_cast<size_t>(tokens[s]) * C + i] + wpe[static_cast<size_t>(t) * C + i];

  for (int l = 0; l < c.n_layer; ++l) {
    const auto& w = layout.blocks()[l];
    float* kc = k_cache_.data() + static_cast<size_t>(l) * SMAX * T * C;
    float* vc = v_cache_.data() + static_cast<size_t>(l) * SMAX * T * C;
    ops::layernorm_forward(ln_.data(), mean_.data(), rstd_.data(), x_.data(), P + w.ln1_w, P + w.ln1_b, S, C);
    ops::matmul_forward(qkv_.data(), ln_.data(), P + w.qkv_w, P + w.qkv_b, S, C, 3 * C);
    for (int s = 0; s < S; ++s) {
      std::memcpy(kc + (static_cast<size_t>(s) * T + t) * C, qkv_.data() + s * 3 * C + C, C * sizeof(float));
      std::memcpy(vc + (static_cast<size_t>(s) * T + t) * C, qkv_.data() + s * 3 * C + 2 * C, C * sizeof(float));
    }
    // Attention of the new position over the cached ones, per sequence and head.
    kernels::parallel_for(static_cast<long>(S) * NH, static_cast<long>(S) * NH * (t + 1) * hs * 2, [&](long sh) {
      const int s = static_cast<int>(sh / NH), h = static_cast<int>(sh % NH);
      const float* q = qkv_.data() + s * 3 * C + h * hs;
      float* sc = scores_.data() + sh * T;
      float maxval = -INFINITY;
      for (int u = 0; u <= t; ++u) {
        const float* k = kc + (static_cast<size_t>(s) * T + u) * C + h * hs;
        float dot = 0.0f;
        for (int i = 0; i < hs; ++i) dot += q[i] * k[i];
        sc[u] = dot * scale;
        maxval = std::max(maxval, sc[u]);
      }
      float sum = 0.0f;
      for (int u = 0; u <= t; ++u) {
        sc[u] = std::exp(sc[u] - maxval);
        sum += sc[u];
      }
      float* o = atty_.data() + s * C + h * hs;
      std::fill(o, o + hs, 0.0f);
      for (int u = 0; u <= t; ++u) {
        const float p = sc[u] / sum;
        const float* v = vc + (static_cast<size_t>(s) * T + u) * C + h * hs;
        for (int i = 0; i < hs; ++i) o[i] += p * v[i];
      }
    });
    ops::matmul_forward(proj_.data(), atty_.data(), P + w.proj_w, P + w.proj_b, S, C, C);
    ops::residual_forward(x_.data(), x_.data(), proj_.data(), static_cast<long>(S) * C);
    ops::layernorm_forward(ln_.data(), mean_.data(), rstd_.data(), x_.data(), P + w.ln2_w, P + w.ln2_b, S, C);
    ops::matmul_forward(fch_.data(), ln_.data(), P + w.fc_w, P + w.fc_b, S, C, 4 * C);
    ops::gelu_forward(fch_.data(), fch_.data(), static_cast<long>(S) * 4 * C);
    ops::matmul_forward(mlp_.data(), fch_.data(), P + w.fcproj_w, P + w.fcproj_b, S, 4 * C, C);
    ops::residual_forward(x_.data(), x_.data(), mlp_.data(), static_cast<long>(S) * C);
  }
  ops::layernorm_forward(ln_.data(), mean_.data(), rstd_.data(), x_.data(), P + layout.lnf_w(), P + layout.lnf_b(), S,
                         C);
  ops::matmul_forward(logits_.data(), ln_.data(), P + layout.wte(), nullptr, S, C, c.vocab_size);
  ++position_;
  return {logits_.data(), static_cast<size_t>(S) * c.vocab_size};
}

std::span<const float> KvDecoder::prefill(const std::vector<std::span<const int32_t>>& histories) {
  require(!histories.empty() && !histories[0].empty(), "nothing to feed: the prompt is empty");
  const size_t length = histories[0].size();
  for (const auto& h : histories) require(h.size() == length, "internal: prefill histories differ in length");
  require(length <= static_cast<size_t>(model_.config().block_size), "internal: prefill longer than the context");
  reset(static_cast<int>(histories.size()));
  std::vector<int32_t> column(histories.size());
  std::span<const float> logits;
  for (size_t t = 0; t < length; ++t) {
    for (size_t s = 0; s < histories.size(); ++s) column[s] = histories[s][t];
    logits = step(column);
  }
  return logits;
}

void KvDecoder::reorder(std::span<const int> parents) {
  const ModelConfig& c = model_.config();
  const int count = static_cast<int>(parents.size());
  require(count >= 1 && count <= max_sequences_, "beam count " + std::to_string(count) + " is outside [1, " +
                                                     std::to_string(max_sequences_) + "]");
  for (int p : parents) require(p >= 0 && p < sequences_, "beam parent index " + std::to_string(p) + " out of range");
  const size_t row = static_cast<size_t>(c.block_size) * c.n_embd;  // one sequence's cache in one layer
  const size_t used = static_cast<size_t>(position_) * c.n_embd;
  reorder_tmp_.resize(static_cast<size_t>(sequences_) * row);
  for (auto* cache : {&k_cache_, &v_cache_})
    for (int l = 0; l < c.n_layer; ++l) {
      float* layer = cache->data() + static_cast<size_t>(l) * max_sequences_ * row;
      for (int s = 0; s < sequences_; ++s)
        std::memcpy(reorder_tmp_.data() + s * row, layer + s * row, used * sizeof(float));
      for (int s = 0; s < count; ++s)
        std::memcpy(layer + s * row, reorder_tmp_.data() + parents[s] * row, used * sizeof(float));
    }
  sequences_ = count;
}

}  // namespace cllm
