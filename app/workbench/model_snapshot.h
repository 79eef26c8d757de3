#pragma once
// A model to generate from, immutable and shareable across threads: a copy of the weights being
// trained (taken between two steps, so it is consistent) or a loaded checkpoint.

#include <QMetaType>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

#include "io/checkpoint.h"
#include "model/gpt.h"
#include "text/tokenizer.h"

namespace cllm::app {

struct ModelSnapshot {
  std::shared_ptr<const Gpt> model;
  std::shared_ptr<const Tokenizer> tokenizer;
  QString label;  // e.g. "training run, step 300" or "small char 2 · best, step 2000"
  int step = 0;
  QString details;  // checkpoints: checkpointSummary(), for the runs panel
  // The run's token statistics, shared by every snapshot of one training session (null for checkpoints:
  // the 3-D view counts them from the checkpoint's corpus when it can find it).
  std::shared_ptr<const std::vector<int64_t>> tokenFrequencies;
  std::shared_ptr<const std::vector<int32_t>> validationTokens;
  // Checkpoints with a training state: the corpus they trained on and its split, to find it again.
  std::optional<CorpusIdentity> corpus;
  double validationFraction = 0.1;
};

using ModelSnapshotPtr = std::shared_ptr<const ModelSnapshot>;

}  // namespace cllm::app

Q_DECLARE_METATYPE(cllm::app::ModelSnapshotPtr)
