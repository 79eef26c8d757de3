#pragma once
// One row per vocabulary token with what the lattice views colour and size by: its printable label, its
// prime (token id k gets the k-th prime p_k, p_0 = 2: the spec's "Token -> prime"), its clock class
// p_k mod 12, and how often it occurs in a corpus.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cllm {

class Tokenizer;

struct TokenInfo {
  int32_t id = 0;
  std::string label;  // Tokenizer::token_label: printable, no raw tab or newline
  uint64_t prime = 0;
  int clock_class = 0;
  int64_t frequency = -1;  // occurrences in the corpus; -1 unknown
};

// Occurrences of each id in `tokens` ([vocab_size] entries). Throws cllm::Error on an id out of range.
std::vector<int64_t> token_frequencies(const Tokenizer& tokenizer, std::span<const int32_t> tokens);

// `frequencies` is empty (all unknown) or has vocab_size entries (else cllm::Error).
std::vector<TokenInfo> token_table(const Tokenizer& tokenizer, std::span<const int64_t> frequencies);

}  // namespace cllm
