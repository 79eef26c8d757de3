#pragma once
// Beam search: keeps the `width` most probable continuations, ranked by
//   score = (sum of log-probabilities of the generated tokens) / (generated length)^length_penalty
// (the Hugging Face convention: length_penalty > 0 favours longer outputs, 0 ranks by raw
// log-probability). Deterministic: ties break by beam, then token id.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "generate/sampler.h"

namespace cllm {

class Gpt;
class Tokenizer;

struct BeamSettings {
  int width = 4;
  double length_penalty = 1.0;
  int max_tokens = 100;
  std::vector<std::string> stop_strings;  // a beam that produces one is finished (text without it)
  int top_alternatives = 5;

  void validate() const;
};

struct BeamHypothesis {
  std::vector<SampledToken> tokens;  // generated tokens with the model's probability and alternatives
  std::string text;
  double log_probability = 0;        // natural log, summed over the generated tokens
  double score = 0;                  // length-normalised, see above
  bool finished = false;             // ended by a stop string (otherwise by max_tokens)
};

// Best hypothesis first; at most `width`. progress(step) may return false to cancel (the best so far is
// returned). Throws cllm::Error on an empty prompt or invalid settings.
std::vector<BeamHypothesis> beam_search(const Gpt& model, const Tokenizer& tokenizer, std::span<const int32_t> prompt,
                                        const BeamSettings& settings,
                                        const std::function<bool(int step)>& progress = {});

}  // namespace cllm
