#pragma once
// What the runs panel shows about a checkpoint: its model, tokenizer, training state and origin, one fact
// a line, in the user's language.

#include <QString>

namespace cllm {
struct Checkpoint;
}

namespace cllm::app {

QString checkpointSummary(const Checkpoint& checkpoint);

}  // namespace cllm::app
