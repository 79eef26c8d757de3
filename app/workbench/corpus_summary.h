#pragma once
// What the training panel shows about a corpus before a run: size, characters, the vocabulary and
// token count under the chosen tokenizer, and a preview. Computed off the GUI thread (a folder of text
// can take a while to read); BPE is only trained when the run starts, since that takes seconds.

#include <QString>

#include "text/tokenizer.h"

namespace cllm::app {

struct CorpusSummary {
  QString error;  // non-empty when the corpus cannot be used: the loader's one-line message
  QString summary;
  QString preview;
  int vocabulary = 0;      // for BPE the target size, learned when the run starts
  double unknownRate = 0;  // share of the corpus's tokens that are <unk> (word tokenizer)
  QString warning;         // e.g. most of the corpus is unknown words; the run can still start
};

// `path` empty: the built-in corpus.
CorpusSummary summarize_corpus(const QString& path, const TokenizerSpec& tokenizer);

}  // namespace cllm::app
