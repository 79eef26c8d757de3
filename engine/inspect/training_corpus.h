#pragma once
// The tokens a checkpoint's run trained on, found again: the corpus recorded in its training state
// ("built-in" or a path) when it is still there unchanged (same size and XXH3), tokenised with the
// checkpoint's tokenizer, with the run's own train/validation split. The 3-D view and `cllm embed` use
// it for token frequencies and per-token validation loss; when the corpus cannot be found, `source`
// says why in a sentence and the token lists are empty.

#include <cstdint>
#include <string>
#include <vector>

namespace cllm {

struct Checkpoint;
struct Corpus;
struct CorpusIdentity;
class Tokenizer;

struct CorpusTokens {
  std::vector<int64_t> frequencies;  // [vocab_size] over the whole corpus; empty when not found
  std::vector<int32_t> validation;   // the run's validation split
  int64_t tokens = 0;                // in the whole corpus
  std::string source;                // "counted over built-in (180,000 tokens)" or why nothing was counted
  bool found() const { return !frequencies.empty(); }
};

// Counts over `corpus` with `tokenizer`, splitting off the last `validation_fraction` for validation.
CorpusTokens corpus_tokens(const Tokenizer& tokenizer, const Corpus& corpus, double validation_fraction);
// The corpus `identity` names ("built-in" or a path), if it is still there unchanged. Never throws for a
// missing or changed corpus (see `source`).
CorpusTokens training_corpus_tokens(const CorpusIdentity& identity, double validation_fraction,
                                    const Tokenizer& tokenizer);
// The checkpoint's own training corpus, likewise.
CorpusTokens training_corpus_tokens(const Checkpoint& checkpoint);

}  // namespace cllm
