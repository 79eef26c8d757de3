#pragma once
// A word's number under root-word modelling: roots get the primes p_0, p_1, ... in root-id order (so
// frequent roots get small primes) and the affixes the primes after them, p_R, p_R+1, ...; a word is
// p_root when it has no affix and the composite p_root x p_affix when it has one. The number analyser
// factorises it back into its root and affix.

#include <cstdint>
#include <optional>
#include <string>

#include "lattice/big_int.h"

namespace cllm {

struct ModelConfig;
class Tokenizer;

struct WordNumber {
  int32_t id = 0;
  std::string word, root, affix;  // affix "" when none, else as affix_names() writes it ("-ing")
  int32_t root_id = 0, affix_id = 0;
  uint64_t root_prime = 0;
  std::optional<uint64_t> affix_prime;
  int64_t affix_prime_index = -1;  // k of p_k = affix_prime: roots + affix_id - 1
  BigInt number;
};

// e.g. "walked" = root "walk" (p_1098 = 8821) × affix "-ed" (p_10069 = 105533) = 930906593 (a word model
// of tinyshakespeare); or ", no affix" instead of the affix part.
std::string describe_word_number(const WordNumber& w);

// Throws cllm::Error when the model has no word roots or `word` is not in the vocabulary.
WordNumber word_number(const ModelConfig& model, const Tokenizer& tokenizer, const std::string& word);

}  // namespace cllm
