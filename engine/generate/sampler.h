#pragma once
// Picking the next token from logits. The chain runs in llama.cpp's default order, which users know:
//   repetition penalty -> top-k -> top-p -> min-p -> temperature -> draw
// so top-k/top-p/min-p cut the untempered distribution, and temperature only reshapes what survives.
// temperature 0 is greedy (argmax after the penalty).

#include <cstdint>
#include <span>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cllm {

class Rng;

struct SamplingSettings {
  double temperature = 0.8;         // 0 = greedy
  int top_k = 40;                   // 0 = off
  double top_p = 0.95;              // 1 = off
  double min_p = 0.05;              // 0 = off; keeps tokens with p >= min_p * p_max
  double repetition_penalty = 1.0;  // 1 = off; CTRL-style: positive logits / penalty, negative * penalty
  int repetition_window = 64;       // how many recent tokens the penalty looks at

  // Throws cllm::Error naming the first impossible value.
  void validate() const;
  nlohmann::json to_json() const;
};

struct TokenProbability {
  int32_t id = 0;
  float probability = 0;
};

// One drawn token and what the model thought of it.
struct SampledToken {
  int32_t id = 0;
  float probability = 0;            // under the model's own distribution: softmax(logits), temperature 1
  float sampling_probability = 0;   // under the final distribution it was drawn from
  std::vector<TokenProbability> top;  // the model's most likely tokens at this position, best first
};

// Softmax of the raw logits (the model's distribution), in double for accuracy of small probabilities.
std::vector<double> softmax(std::span<const float> logits);

// The n most probable tokens, best first, ties by smaller id.
std::vector<TokenProbability> top_tokens(const std::vector<double>& probs, int n);

// Applies the chain to logits (length V) given the recent tokens, and draws with `rng`. `n_top` is how
// many alternatives to report in SampledToken::top.
SampledToken sample_token(std::span<const float> logits, std::span<const int32_t> recent, const SamplingSettings& s,
                          Rng& rng, int n_top);

// `id` as if it had been drawn: its probability under the model, the model's top `n_top` alternatives, and
// sampling_probability 1 (it was not sampled).
SampledToken forced_token(std::span<const float> logits, int32_t id, int n_top);

}  // namespace cllm
