#include "inspect/word_number.h"

#include "lattice/primes.h"
#include "model/model_config.h"
#include "text/tokenizer.h"
#include "text/word_roots.h"
#include "util/error.h"

namespace cllm {

WordNumber word_number(const ModelConfig& model, const Tokenizer& tokenizer, const std::string& word) {
  const auto& tables = model.word_roots;
  require(model.roots == "on" && !tables.root_of.empty(),
          "this model has no word roots (train it with --tokenizer word --roots on)");
  WordNumber w;
  w.id = -1;
  for (int32_t id = 0; id < tokenizer.vocab_size() && w.id < 0; ++id)
    if (tokenizer.token_bytes(id) == word) w.id = id;
  require(w.id >= 0, "the word \"" + word + "\" is not in the model's vocabulary");
  // The root strings are not stored in the model; the split is deterministic, so make it again.
  const WordRoots split = split_word_roots(tokenizer);
  require(split.root_of == tables.root_of && split.affix_of == tables.affix_of,
          "the model's root-word tables do not match its vocabulary");
  w.word = word;
  w.root_id = tables.root_of[w.id];
  w.affix_id = tables.affix_of[w.id];
  w.root = split.roots[w.root_id];
  w.affix = split.affixes[w.affix_id];
  w.root_prime = nth_prime(static_cast<size_t>(w.root_id));
  w.number = w.root_prime;
  if (w.affix_id > 0) {
    w.affix_prime_index = tables.roots + w.affix_id - 1;
    w.affix_prime = nth_prime(static_cast<size_t>(w.affix_prime_index));
    w.number *= *w.affix_prime;
  }
  return w;
}

std::string describe_word_number(const WordNumber& w) {
  return "\"" + w.word + "\" = root \"" + w.root + "\" (p_" + std::to_string(w.root_id) + " = " +
         std::to_string(w.root_prime) + ")" +
         (w.affix_prime ? " × affix \"" + w.affix + "\" (p_" + std::to_string(w.affix_prime_index) + " = " +
                              std::to_string(*w.affix_prime) + ")"
                        : std::string(", no affix")) +
         " = " + w.number.str();
}

}  // namespace cllm
