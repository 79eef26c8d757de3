#include "model/gpt.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "model/positional_encoding.h"
#include "ops/attention.h"
#include "ops/cross_entropy.h"
#include "ops/encoder.h"
#include "ops/gelu.h"
#include "ops/layernorm.h"
#include "ops/matmul.h"
#include "ops/residual.h"
#include "util/error.h"
#include "util/rng.h"

namespace cllm {

// Everything the backward pass needs from the forward pass, per block stacked as [L, ...], plus the
// backward pass's scratch buffers (reused block by block).
struct Gpt::Activations {
  size_t rows = 0;  // capacity in rows N = B*T
  size_t att_per_block = 0;
  std::vector<float> encoded;                        // [N,C]
  std::vector<float> ln1, ln1_mean, ln1_rstd;        // [L,N,C], [L,N]
  std::vector<float> qkv;                            // [L,N,3C]
  std::vector<float> atty;                           // [L,N,C]
  std::vector<float> att;                            // [L,B,NH,T,T]
  std::vector<float> attproj, residual2;             // [L,N,C]
  std::vector<float> ln2, ln2_mean, ln2_rstd;        // [L,N,C], [L,N]
  std::vector<float> fch, fch_gelu;                  // [L,N,4C]
  std::vector<float> fcproj, residual3;              // [L,N,C]
  std::vector<float> lnf, lnf_mean, lnf_rstd;        // [N,C], [N]
  std::vector<float> logits, probs, losses;          // [N,V], [N,V], [N]
  std::vector<int32_t> inputs, targets;              // [N]
  // backward scratch
  std::vector<float> dlogits, dresidual, dlnf, dln, dfch, dfch_gelu, datty, dqkv;

  void reserve(const ModelConfig& c, int B, int T) {
    const size_t N = static_cast<size_t>(B) * T, L = c.n_layer, C = c.n_embd, V = c.vocab_size;
    const size_t att_block = static_cast<size_t>(B) * c.n_head * T * T;
    if (N <= rows && att_block <= att_per_block) return;
    rows = std::max(rows, N);
    att_per_block = std::max(att_per_block, att_block);
    const size_t R = rows;
    encoded.resize(R * C);
    for (auto* v : {&ln1, &atty, &attproj, &residual2, &ln2, &fcproj, &residual3}) v->resize(L * R * C);
    for (auto* v : {&ln1_mean, &ln1_rstd, &ln2_mean, &ln2_rstd}) v->resize(L * R);
    qkv.resize(L * R * 3 * C);
    att.resize(L * att_per_block);
    fch.resize(L * R * 4 * C);
    fch_gelu.resize(L * R * 4 * C);
    lnf.resize(R * C);
    lnf_mean.resize(R);
    lnf_rstd.resize(R);
    logits.resize(R * V);
    probs.resize(R * V);
    losses.resize(R);
    inputs.resize(R);
    targets.resize(R);
    dlogits.resize(R * V);
    for (auto* v : {&dresidual, &dlnf, &dln, &datty}) v->resize(R * C);
    dfch.resize(R * 4 * C);
    dfch_gelu.resize(R * 4 * C);
    dqkv.resize(R * 3 * C);
  }

  // Bytes held by the buffers (a test holds required_bytes() to this).
  size_t bytes() const {
    size_t floats = 0;
    for (const auto* v : {&encoded, &ln1, &ln1_mean, &ln1_rstd, &qkv, &atty, &att, &attproj, &residual2, &ln2,
                          &ln2_mean, &ln2_rstd, &fch, &fch_gelu, &fcproj, &residual3, &lnf, &lnf_mean, &lnf_rstd,
                          &logits, &probs, &losses, &dlogits, &dresidual, &dlnf, &dln, &dfch, &dfch_gelu, &datty,
                          &dqkv})
      floats += v->size();
    return floats * sizeof(float) + (inputs.size() + targets.size()) * sizeof(int32_t);
  }

  // What reserve(c, B, T) allocates from empty, without allocating it.
  static size_t required_bytes(const ModelConfig& c, int B, int T) {
    const size_t N = static_cast<size_t>(B) * T, L = c.n_layer, C = c.n_embd, V = c.vocab_size;
    const size_t att_block = static_cast<size_t>(B) * c.n_head * T * T;
    const size_t per_layer = 7 * N * C + 4 * N + 3 * N * C + 2 * 4 * N * C;  // ln1..residual3, stats, qkv, fch
    const size_t floats = N * C + L * per_layer + L * att_block + (N * C + 2 * N) + 3 * N * V + N + 4 * N * C +
                          2 * 4 * N * C + 3 * N * C;
    return floats * sizeof(float) + 2 * N * sizeof(int32_t);
  }
};

size_t Gpt::activation_bytes() const { return acts_ ? acts_->bytes() : 0; }

size_t Gpt::training_memory_bytes(const ModelConfig& config, int B, int T) {
  return Activations::required_bytes(validated(config), B, T) + 4 * config.parameter_count() * sizeof(float);  // + weights, gradients, AdamW m and v
}

void check_token_ids(const int32_t* ids, long n, int vocab_size, const char* what) {
  for (long i = 0; i < n; ++i)
    require(ids[i] >= 0 && ids[i] < vocab_size, std::string(what) + " id " + std::to_string(ids[i]) + " at position " +
                                                    std::to_string(i) + " is outside the vocabulary [0, " +
                                                    std::to_string(vocab_size) + ")");
}

Gpt::Gpt(const ModelConfig& config) : config_(validated(config)), layout_(config_) {
  params_.assign(layout_.total(), 0.0f);
  grads_.assign(layout_.total(), 0.0f);
  auto encoding = make_positional_encoding(config_.positional);
  if (!encoding->learned()) {
    const auto table = encoding->fixed_table(config_.block_size, config_.n_embd);
    fixed_wpe_.assign(table.begin(), table.end());
  }
  acts_ = std::make_unique<Activations>();
}

Gpt::~Gpt() = default;

void Gpt::initialize(Rng& rng) {
  const float residual_std = 0.02f / std::sqrt(2.0f * config_.n_layer);
  for (const auto& t : layout_.tensors()) {
    float* p = params_.data() + t.offset;
    const bool is_gain = t.name.ends_with("ln_1.weight") || t.name.ends_with("ln_2.weight") ||
                         t.name.ends_with("ln_f.weight");
    if (is_gain) {
      std::fill(p, p + t.size, 1.0f);
    } else if (t.shape.size() == 1) {
      std::fill(p, p + t.size, 0.0f);
    } else {
      const bool residual_projection = t.name.ends_with("c_proj.weight");
      const float std = residual_projection ? residual_std : 0.02f;
      for (size_t i = 0; i < t.size; ++i) p[i] = static_cast<float>(rng.normal()) * std;
    }
  }
}

float Gpt::forward(const int32_t* inputs, const int32_t* targets, int B, int T) {
  const ModelConfig& c = config_;
  require(B >= 1, "batch size must be at least 1, got " + std::to_string(B));
  require(T >= 1 && T <= c.block_size, "sequence length " + std::to_string(T) + " is outside [1, block size " +
                                           std::to_string(c.block_size) + "]");
  const long N = static_cast<long>(B) * T;
  check_token_ids(inputs, N, c.vocab_size, "input token");
  if (targets) check_token_ids(targets, N, c.vocab_size, "target token");

  Activations& a = *acts_;
  a.reserve(c, B, T);
  B_ = B, T_ = T;
  have_targets_ = targets != nullptr;
  std::copy(inputs, inputs + N, a.inputs.begin());
  if (targets) std::copy(targets, targets + N, a.targets.begin());

  const int C = c.n_embd, V = c.vocab_size, NH = c.n_head;
  const float* P = params_.data();
  const float* wpe = layout_.wpe() != ParameterLayout::kNone ? P + layout_.wpe() : fixed_wpe_.data();
  ops::encoder_forward(a.encoded.data(), inputs, P + layout_.wte(), wpe, B, T, C);

  const size_t NC = static_cast<size_t>(N) * C, R = a.rows;
  for (int l = 0; l < c.n_layer; ++l) {
    const auto& w = layout_.blocks()[l];
    const float* residual = l == 0 ? a.encoded.data() : a.residual3.data() + (l - 1) * R * C;
    float* ln1 = a.ln1.data() + l * R * C;
    float* qkv = a.qkv.data() + l * R * 3 * C;
    float* atty = a.atty.data() + l * R * C;
    float* att = a.att.data() + l * a.att_per_block;
    float* attproj = a.attproj.data() + l * R * C;
    float* residual2 = a.residual2.data() + l * R * C;
    float* ln2 = a.ln2.data() + l * R * C;
    float* fch = a.fch.data() + l * R * 4 * C;
    float* fch_gelu = a.fch_gelu.data() + l * R * 4 * C;
    float* fcproj = a.fcproj.data() + l * R * C;
    float* residual3 = a.residual3.data() + l * R * C;
    ops::layernorm_forward(ln1, a.ln1_mean.data() + l * R, a.ln1_rstd.data() + l * R, residual, P + w.ln1_w,
                           P + w.ln1_b, N, C);
    ops::matmul_forward(qkv, ln1, P + w.qkv_w, P + w.qkv_b, N, C, 3 * C);
    ops::attention_forward(atty, att, qkv, B, T, C, NH);
    ops::matmul_forward(attproj, atty, P + w.proj_w, P + w.proj_b, N, C, C);
    ops::residual_forward(residual2, residual, attproj, NC);
    ops::layernorm_forward(ln2, a.ln2_mean.data() + l * R, a.ln2_rstd.data() + l * R, residual2, P + w.ln2_w,
                           P + w.ln2_b, N, C);
    ops::matmul_forward(fch, ln2, P + w.fc_w, P + w.fc_b, N, C, 4 * C);
    ops::gelu_forward(fch_gelu, fch, N * 4 * C);
    ops::matmul_forward(fcproj, fch_gelu, P + w.fcproj_w, P + w.fcproj_b, N, 4 * C, C);
    ops::residual_forward(residual3, residual2, fcproj, NC);
  }
  const float* last = a.residual3.data() + (c.n_layer - 1) * R * C;
  ops::layernorm_forward(a.lnf.data(), a.lnf_mean.data(), a.lnf_rstd.data(), last, P + layout_.lnf_w(),
                         P + layout_.lnf_b(), N, C);
  ops::matmul_forward(a.logits.data(), a.lnf.data(), P + layout_.wte(), nullptr, N, C, V);  // tied head
  if (!targets) return std::numeric_limits<float>::quiet_NaN();
  return ops::cross_entropy_forward(a.probs.data(), a.losses.data(), a.logits.data(), a.targets.data(), N, V);
}

void Gpt::backward(float loss_scale) {
  require(have_targets_, "backward() needs a forward pass with targets first");
  const ModelConfig& c = config_;
  Activations& a = *acts_;
  const int B = B_, T = T_, C = c.n_embd, V = c.vocab_size, NH = c.n_head;
  const long N = static_cast<long>(B) * T;
  const size_t R = a.rows, NC = static_cast<size_t>(N) * C;
  const float* P = params_.data();
  float* G = grads_.data();
  const auto zero = [](std::vector<float>& v, size_t n) { std::memset(v.data(), 0, n * sizeof(float)); };

  ops::cross_entropy_backward(a.dlogits.data(), a.probs.data(), a.targets.data(), N, V);
  if (loss_scale != 1.0f)
    for (long i = 0; i < N * V; ++i) a.dlogits[i] *= loss_scale;
  zero(a.dlnf, NC);
  ops::matmul_backward(a.dlnf.data(), G + layout_.wte(), nullptr, a.dlogits.data(), a.lnf.data(), P + layout_.wte(), N,
                       C, V);
  // dresidual carries d(loss)/d(residual stream) down through the blocks, accumulated in place: each
  // residual add passes its gradient to both branches unchanged.
  zero(a.dresidual, NC);
  const float* last = a.residual3.data() + (c.n_layer - 1) * R * C;
  ops::layernorm_backward(a.dresidual.data(), G + layout_.lnf_w(), G + layout_.lnf_b(), a.dlnf.data(), last,
                          P + layout_.lnf_w(), a.lnf_mean.data(), a.lnf_rstd.data(), N, C);

  for (int l = c.n_layer - 1; l >= 0; --l) {
    const auto& w = layout_.blocks()[l];
    const float* residual = l == 0 ? a.encoded.data() : a.residual3.data() + (l - 1) * R * C;
    // residual3 = residual2 + mlp(ln2(residual2))
    zero(a.dfch_gelu, N * 4 * C);
    ops::matmul_backward(a.dfch_gelu.data(), G + w.fcproj_w, G + w.fcproj_b, a.dresidual.data(),
                         a.fch_gelu.data() + l * R * 4 * C, P + w.fcproj_w, N, 4 * C, C);
    zero(a.dfch, N * 4 * C);
    ops::gelu_backward(a.dfch.data(), a.fch.data() + l * R * 4 * C, a.dfch_gelu.data(), N * 4 * C);
    zero(a.dln, NC);
    ops::matmul_backward(a.dln.data(), G + w.fc_w, G + w.fc_b, a.dfch.data(), a.ln2.data() + l * R * C, P + w.fc_w, N,
                         C, 4 * C);
    ops::layernorm_backward(a.dresidual.data(), G + w.ln2_w, G + w.ln2_b, a.dln.data(), a.residual2.data() + l * R * C,
                            P + w.ln2_w, a.ln2_mean.data() + l * R, a.ln2_rstd.data() + l * R, N, C);
    // residual2 = residual + proj(attention(qkv(ln1(residual))))
    zero(a.datty, NC);
    ops::matmul_backward(a.datty.data(), G + w.proj_w, G + w.proj_b, a.dresidual.data(), a.atty.data() + l * R * C,
                         P + w.proj_w, N, C, C);
    zero(a.dqkv, N * 3 * C);
    ops::attention_backward(a.dqkv.data(), a.datty.data(), a.qkv.data() + l * R * 3 * C,
                            a.att.data() + l * a.att_per_block, B, T, C, NH);
    zero(a.dln, NC);
    ops::matmul_backward(a.dln.data(), G + w.qkv_w, G + w.qkv_b, a.dqkv.data(), a.ln1.data() + l * R * C, P + w.qkv_w,
                         N, C, 3 * C);
    ops::layernorm_backward(a.dresidual.data(), G + w.ln1_w, G + w.ln1_b, a.dln.data(), residual, P + w.ln1_w,
                            a.ln1_mean.data() + l * R, a.ln1_rstd.data() + l * R, N, C);
  }
  float* dwpe = layout_.wpe() != ParameterLayout::kNone ? G + layout_.wpe() : nullptr;
  ops::encoder_backward(G + layout_.wte(), dwpe, a.dresidual.data(), a.inputs.data(), B, T, C);
}

void Gpt::zero_gradients() { std::fill(grads_.begin(), grads_.end(), 0.0f); }

std::span<const float> Gpt::logits() const {
  return {acts_->logits.data(), static_cast<size_t>(B_) * T_ * config_.vocab_size};
}

std::span<const float> Gpt::token_losses() const {
  if (!have_targets_) return {};
  return {acts_->losses.data(), static_cast<size_t>(B_) * T_};
}

}  // namespace cllm
