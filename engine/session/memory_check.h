#pragma once
// Will a training run fit in memory? Computed from the model shape, batch and token count alone (nothing
// is allocated), and compared with what the machine can still give (util/system_memory.h), so a run that
// cannot fit is refused with both numbers before it allocates, instead of dying hours later with
// std::bad_alloc or an OOM kill. TrainingSession::start and resume refuse TooLarge themselves; the
// workbench can call check_training_memory as settings change, off the GUI thread or on it (it reads a
// few small /proc and /sys files).
//
// Units: bytes. The estimate counts what a run allocates from the moment the corpus is tokenised: the
// model (weights, gradients, AdamW's two moments and its one-byte-per-parameter decay mask), the
// activations for batch x block (Gpt::training_memory_bytes, exact, plus what splitting the batch over
// the calling thread's engine threads adds: BatchShards::extra_memory_bytes), and the token buffers (train
// and validation splits, the evaluation windows' inputs and targets and the training batch: at most 8 bytes
// per corpus token + 8 per batch token). Buffers that already exist when the check runs are counted anyway,
// so the answer is the same before and after loading the corpus (pessimistic by at most the token buffers, a
// few MB for a few MB of text).

#include <cstdint>
#include <optional>
#include <string>

#include "model/model_config.h"

namespace cllm {

enum class MemoryVerdict {
  Fits,      // at most kTightMemoryShare of the available memory (or the available memory is unknown)
  Tight,     // more than that: it may run, but the machine may swap or other programs may push it out
  TooLarge,  // more than is available: refused
};

// Above this share of the available memory a run is Tight.
inline constexpr double kTightMemoryShare = 0.8;

struct MemoryCheck {
  uint64_t needed_bytes = 0;                // model_bytes + activation_bytes + token_bytes
  uint64_t model_bytes = 0;                 // weights, gradients, AdamW moments and decay mask
  uint64_t activation_bytes = 0;            // forward and backward buffers for batch x block, split
                                            // into one shard per engine thread (train/batch_shards.h)
  uint64_t token_bytes = 0;                 // token splits, evaluation windows, the training batch
  std::optional<uint64_t> available_bytes;  // nullopt: could not be read (the verdict is then Fits)
  MemoryVerdict verdict = MemoryVerdict::Fits;
  int64_t parameters = 0;
  int batch_size = 0, block_size = 0;

  // needed / available (NaN when unknown), e.g. 0.83 for a Tight run.
  double share() const;
  // One line for the user: for TooLarge both sizes and what to change, for Tight the share and the
  // risk, otherwise the two sizes.
  std::string message() const;
};

// `model` must be complete (vocab_size set; default_vocab_size("bpe") before a BPE run has trained its
// tokenizer). Throws cllm::Error when the model config is invalid or batch_size < 1.
// `shards` as TrainConfig::shards (0: this machine's default).
MemoryCheck check_training_memory(const ModelConfig& model, int batch_size, size_t token_count,
                                  std::optional<uint64_t> available_bytes, int shards = 0);
// The same against available_memory_bytes() now, for this machine's default shard count.
MemoryCheck check_training_memory(const ModelConfig& model, int batch_size, size_t token_count);

// Throws cllm::Error(check.message()) when the verdict is TooLarge.
void require_memory(const MemoryCheck& check);

}  // namespace cllm
