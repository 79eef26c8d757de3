#pragma once
// Text generation by sampling, with a KV cache, streaming, stop strings and per-token probabilities.
//
// The context window: a model sees at most block_size positions. When the cache is full the window
// slides: the last block_size/2 tokens are fed again and generation continues (llama.cpp's "context
// shift" does the same), so long outputs cost O(block_size) per token, not O(length).

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "generate/sampler.h"

namespace cllm {

class Gpt;
class Tokenizer;
class KvDecoder;

struct GenerationSettings {
  SamplingSettings sampling;
  int max_tokens = 200;
  std::vector<std::string> stop_strings;  // generation ends when the text contains one (it is not included)
  uint64_t seed = 0;
  int top_alternatives = 5;  // alternatives reported per token
  // Drawn first instead of sampled (e.g. an alternative a user picked): each is reported with the model's
  // probability of it and its alternatives, and counts towards max_tokens. The seed's draws start after them.
  std::vector<int32_t> forced_tokens;

  void validate() const;
};

struct GenerationResult {
  std::vector<SampledToken> tokens;  // every token drawn, including the one that completed a stop string
  std::string text;                  // the generated text, without the stop string
  std::string stop_reason;           // "max_tokens", "stop_string" or "cancelled"
  double seconds = 0;                // wall time after the prompt was fed
  double prompt_seconds = 0;         // feeding the prompt
};

// Called once per token with the newly printable text (may be empty while a character or a possible
// stop string is incomplete). Return false to cancel.
using TokenCallback = std::function<bool(const SampledToken& token, const std::string& text)>;

// Throws cllm::Error on an empty prompt, invalid settings or ids outside the vocabulary.
GenerationResult generate(const Gpt& model, const Tokenizer& tokenizer, std::span<const int32_t> prompt,
                          const GenerationSettings& settings, const TokenCallback& on_token = {});

// Feeds the last tokens of `histories` (one per sequence, equal lengths) into `decoder`: all of them if
// they fit, else the last block_size/2. Returns the next-token logits. Shared by sampling and beam search.
std::span<const float> feed_context(KvDecoder& decoder, const std::vector<std::vector<int32_t>>& histories,
                                    int block_size);

// Finds the earliest occurrence of any stop string in text (npos if none).
size_t find_stop(const std::string& text, const std::vector<std::string>& stops);
// Length of the longest suffix of text that is a proper prefix of some stop string: text to hold back
// while streaming because it may still become a stop string.
size_t stop_prefix_overlap(const std::string& text, const std::vector<std::string>& stops);

}  // namespace cllm
