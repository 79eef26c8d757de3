#include "inspect/token_table.h"

#include "lattice/primes.h"
#include "model/gpt.h"
#include "text/tokenizer.h"
#include "util/error.h"

namespace cllm {

std::vector<int64_t> token_frequencies(const Tokenizer& tokenizer, std::span<const int32_t> tokens) {
  const int vocab = tokenizer.vocab_size();
  check_token_ids(tokens.data(), static_cast<long>(tokens.size()), vocab, "token");
  std::vector<int64_t> counts(static_cast<size_t>(vocab), 0);
  for (const int32_t t : tokens) ++counts[static_cast<size_t>(t)];
  return counts;
}

std::vector<TokenInfo> token_table(const Tokenizer& tokenizer, std::span<const int64_t> frequencies) {
  const auto vocab = static_cast<size_t>(tokenizer.vocab_size());
  require(frequencies.empty() || frequencies.size() == vocab,
          "token table: " + std::to_string(frequencies.size()) + " frequencies for a vocabulary of " +
              std::to_string(vocab) + " tokens");
  const std::vector<uint64_t> primes = first_primes(vocab);
  std::vector<TokenInfo> table(vocab);
  for (size_t k = 0; k < vocab; ++k) {
    TokenInfo& t = table[k];
    t.id = static_cast<int32_t>(k);
    t.label = tokenizer.token_label(t.id);
    t.prime = primes[k];
    t.clock_class = clock_class(primes[k]);
    t.frequency = frequencies.empty() ? -1 : frequencies[k];
  }
  return table;
}

}  // namespace cllm
