#pragma once
// A model to generate from, immutable and shareable across threads: a copy of the weights being
// trained (taken between two steps, so it is consistent) or a loaded checkpoint.

#include <QMetaType>
#include <QString>
#include <memory>

#include "model/gpt.h"
#include "text/tokenizer.h"

namespace cllm::app {

struct ModelSnapshot {
  std::shared_ptr<const Gpt> model;
  std::shared_ptr<const Tokenizer> tokenizer;
  QString label;  // e.g. "training run 20261124-101500 at step 300" or a checkpoint path
  int step = 0;
};

using ModelSnapshotPtr = std::shared_ptr<const ModelSnapshot>;

}  // namespace cllm::app

Q_DECLARE_METATYPE(cllm::app::ModelSnapshotPtr)
