#pragma once
// Every switchable model option as a named change of a config. The model, generation and checkpoint
// tests run over all of them, so an option is held to the same bar as the default the moment it is
// listed here: gradient check, fast = reference, KV cache = recomputation, round trip, resume.

#include <algorithm>
#include <string>
#include <vector>

#include "layers/positional_encoding.h"
#include "model/model_config.h"
#include "util/error.h"

namespace cllm::test {

inline std::vector<std::string> model_variant_names() {
  std::vector<std::string> names = layers::positional_encoding_names();  // learned (the default) first
  names.push_back("lattice_init");
  names.push_back("clock_bias");
  names.push_back("fourier");
  names.push_back("alternate");
  names.push_back("roots");
  return names;
}

// Word roots on, with made-up tables when the vocabulary size is known (word v has root v / 2 and affix
// v % 3, so roots and affixes are shared); a training session fills real ones from its word tokenizer.
inline ModelConfig with_synthetic_roots(ModelConfig c) {
  c.roots = "on";
  if (c.vocab_size == 0) return c;
  c.word_roots = {};
  for (int v = 0; v < c.vocab_size; ++v) {
    c.word_roots.root_of.push_back(v / 2);
    c.word_roots.affix_of.push_back(v % 3);
  }
  c.word_roots.roots = (c.vocab_size + 1) / 2;
  c.word_roots.affixes = std::min(3, c.vocab_size);
  return c;
}

// `c` with the variant applied: a positional encoding's name, "lattice_init", "clock_bias", or a mixer
// ("fourier", "alternate").
inline ModelConfig with_variant(ModelConfig c, const std::string& variant) {
  if (variant == "lattice_init")
    c.embedding_init = "lattice";
  else if (variant == "clock_bias")
    c.attention_bias = "clock";
  else if (variant == "fourier" || variant == "alternate")
    c.mixer = variant;
  else if (variant == "roots")
    c = with_synthetic_roots(c);
  else
    c.positional = variant;
  return c;
}

}  // namespace cllm::test
