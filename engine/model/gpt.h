#pragma once
// The fast float32 decoder-only transformer: token + positional embedding, n_layer pre-LayerNorm blocks
// (causal multi-head self-attention with output projection, 4x GELU MLP, both residual), final LayerNorm,
// output head tied to the token embedding.
//
// Owns one contiguous parameter buffer and one gradient buffer (layout: ParameterLayout), and the
// activations of the last forward pass, which backward() consumes. Not thread-safe: one thread drives a
// model; the ops inside use the engine's OpenMP threads. Batch size and length may change between calls
// (buffers grow as needed).

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/model_config.h"
#include "model/parameter_layout.h"

namespace cllm {

class Rng;

class Gpt {
 public:
  // Validates the config (throws cllm::Error). Parameters start at zero: call initialize() or load them.
  explicit Gpt(const ModelConfig& config);
  ~Gpt();
  Gpt(const Gpt&) = delete;
  Gpt& operator=(const Gpt&) = delete;

  const ModelConfig& config() const { return config_; }
  const ParameterLayout& layout() const { return layout_; }
  std::span<float> parameters() { return params_; }
  std::span<const float> parameters() const { return params_; }
  std::span<float> gradients() { return grads_; }
  std::span<const float> gradients() const { return grads_; }

  // GPT-2 initialisation: weights and embeddings N(0, 0.02), residual projections N(0, 0.02/sqrt(2L)),
  // biases 0, LayerNorm gains 1. Draws from `rng` in layout order (deterministic).
  void initialize(Rng& rng);

  // inputs[B,T], targets[B,T] (may be null), 1 <= T <= block_size, ids in [0, vocab_size).
  // Returns the mean cross-entropy loss, or NaN without targets. Throws cllm::Error on bad ids or sizes.
  float forward(const int32_t* inputs, const int32_t* targets, int B, int T);
  // Gradient of loss_scale * (mean loss of the last forward with targets), ADDED to gradients() — call
  // zero_gradients() first, or not, to accumulate micro-batches.
  void backward(float loss_scale = 1.0f);
  void zero_gradients();

  // From the last forward: logits[B,T,V]; with targets also per-token losses[B,T].
  std::span<const float> logits() const;
  std::span<const float> token_losses() const;

  // Memory held by the activation and backward buffers (they grow to the largest B x T seen).
  size_t activation_bytes() const;
  // Memory a training run needs: activations for B x T plus weights, gradients and the two AdamW moments.
  // Exact for this implementation (tested), computed without allocating.
  static size_t training_memory_bytes(const ModelConfig& config, int B, int T);

  // The fixed positional table [block_size, C] (null for learned encodings).
  const float* fixed_positional_table() const { return fixed_wpe_.empty() ? nullptr : fixed_wpe_.data(); }

 private:
  struct Activations;

  ModelConfig config_;
  ParameterLayout layout_;
  std::vector<float> params_, grads_, fixed_wpe_;
  std::unique_ptr<Activations> acts_;
  int B_ = 0, T_ = 0;
  bool have_targets_ = false;
};

// Throws cllm::Error unless every id is in [0, vocab_size); `what` names the ids in the message.
void check_token_ids(const int32_t* ids, long n, int vocab_size, const char* what);

}  // namespace cllm
