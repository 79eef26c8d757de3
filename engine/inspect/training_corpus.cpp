#include "inspect/training_corpus.h"

#include <filesystem>

#include "data/builtin_corpus.h"
#include "data/corpus.h"
#include "data/dataset.h"
#include "inspect/token_table.h"
#include "io/checkpoint.h"
#include "text/tokenizer.h"

namespace cllm {

CorpusTokens corpus_tokens(const Tokenizer& tokenizer, const Corpus& corpus, double validation_fraction) {
  CorpusTokens out;
  std::vector<int32_t> ids = tokenizer.encode(corpus.text);
  out.tokens = static_cast<int64_t>(ids.size());
  out.frequencies = token_frequencies(tokenizer, ids);
  out.validation = split_tokens(std::move(ids), validation_fraction).validation;
  out.source = "counted over " + corpus.name + " (" + std::to_string(out.tokens) + " tokens)";
  return out;
}

CorpusTokens training_corpus_tokens(const Checkpoint& checkpoint) {
  if (!checkpoint.training) {
    CorpusTokens none;
    none.source = "unknown: the checkpoint records no training corpus";
    return none;
  }
  return training_corpus_tokens(checkpoint.training->corpus, checkpoint.training->config.validation_fraction,
                                *checkpoint.tokenizer);
}

CorpusTokens training_corpus_tokens(const CorpusIdentity& id, double validation_fraction,
                                    const Tokenizer& tokenizer) {
  CorpusTokens none;
  Corpus corpus;
  if (id.name == "built-in") {
    corpus = builtin_corpus();
  } else {
    std::error_code error;
    if (!std::filesystem::exists(id.name, error)) {
      none.source = "unknown: the training corpus " + id.name + " is not found from here";
      return none;
    }
    try {
      corpus = load_corpus(id.name);
    } catch (const std::exception& e) {
      none.source = std::string("unknown: ") + e.what();
      return none;
    }
  }
  if (identify_corpus(corpus.name, corpus.text) != id) {
    none.source = "unknown: " + id.name + " has changed since training (its size or XXH3 differs)";
    return none;
  }
  return corpus_tokens(tokenizer, corpus, validation_fraction);
}

}  // namespace cllm
