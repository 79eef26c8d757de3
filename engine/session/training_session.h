#pragma once
// One training run, assembled: the corpus identity, the tokenizer, the tokenised train/validation
// splits, the model and its trainer, and the best validation loss so far. The `cllm` command line and
// the workbench both train through this class, so a run behaves the same in either.
//
// The tokenizer is trained on the whole corpus (as nanoGPT builds its character vocabulary), so every
// character of the validation split is encodable. The model is initialised from Rng(seed ^ kInitStream)
// and batches are drawn from Rng(seed): two separate streams.
//
// Before the model is allocated, start and resume check that the run fits in the available memory
// (session/memory_check.h) and refuse it with both sizes when it does not; running out of memory later
// while allocating the model, optimizer or activations is a cllm::Error saying what and how much.
// The session also knows how many bytes of corpus text each split's tokens stand for (data/dataset.h
// split_text_bytes), which turns a loss into bits per byte, and the share of <unk> tokens.
//
// Not thread-safe: one thread drives a session (the workbench's training worker).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "io/checkpoint.h"
#include "model/gpt.h"
#include "session/memory_check.h"
#include "text/tokenizer.h"
#include "train/trainer.h"

namespace cllm {

struct Corpus;

class TrainingSession {
 public:
  struct NewRun {
    TokenizerSpec tokenizer;
    ModelConfig model;  // vocab_size is set from the tokenizer
    TrainConfig train;
  };

  static constexpr uint64_t kInitStream = 0x9e3779b97f4a7c15ULL;

  // Throws cllm::Error on an impossible config, a corpus too small for the block size, or a run that does
  // not fit in the available memory (MemoryVerdict::TooLarge; checked before the model is allocated).
  static std::unique_ptr<TrainingSession> start(const Corpus& corpus, const NewRun& run);
  // Continues a run saved by save(). Throws cllm::Error when the checkpoint has no training state,
  // `corpus` is not the text the run trained on (compared by size and XXH3 hash), or the run does not
  // fit in the available memory; and when the checkpoint is unverified and `verification` does not allow
  // that (load_checkpoint).
  static std::unique_ptr<TrainingSession> resume(const std::filesystem::path& checkpoint,
                                                 const Corpus& corpus,
                                                 Verification verification = Verification::kRequired);
  // What the resumed checkpoint's checksum left unverified (Checkpoint::unverified); empty otherwise.
  const std::string& resumed_unverified() const { return resumed_unverified_; }

  Gpt& model() { return *model_; }
  const Gpt& model() const { return *model_; }
  const Tokenizer& tokenizer() const { return *tokenizer_; }
  Trainer& trainer() { return *trainer_; }
  const Trainer& trainer() const { return *trainer_; }
  const CorpusIdentity& corpus() const { return corpus_; }
  size_t train_token_count() const { return train_.size(); }
  size_t validation_token_count() const { return validation_.size(); }
  std::span<const int32_t> train_tokens() const { return train_; }
  std::span<const int32_t> validation_tokens() const { return validation_; }
  // Bytes of corpus text per token of each split (exact for char, byte and bpe; for word the text region
  // the split covers, see split_text_bytes). bits_per_byte(loss, validation_bytes_per_token()) is what
  // evaluations report as EvalResult::bits_per_byte.
  double train_bytes_per_token() const;
  double validation_bytes_per_token() const;
  // Share of the corpus's tokens that are <unk> (word tokenizer; 0 for the others).
  double unknown_token_rate() const { return unknown_token_rate_; }
  // The memory check made before the model was allocated (never TooLarge: that was refused). The
  // caller shows message() when the verdict is Tight.
  const MemoryCheck& memory() const { return memory_; }

  // NaN before the first evaluation.
  double best_validation_loss() const { return best_validation_loss_; }
  // Notes an evaluation; true when it is the best so far.
  bool record_evaluation(const EvalResult& result);

  // Everything needed to continue bit-identically; atomic.
  void save(const std::filesystem::path& path) const;

 private:
  TrainingSession() = default;
  // Encodes the corpus with tokenizer_ and splits it; notes the bytes and the unknown-token rate.
  void load_tokens(const std::string& text, double validation_fraction);
  // The memory check, then the model (zero parameters).
  void allocate_model(const ModelConfig& config, const TrainConfig& train);
  void build_trainer(const TrainConfig& config);

  CorpusIdentity corpus_;
  std::string resumed_unverified_;
  std::unique_ptr<Tokenizer> tokenizer_;
  std::vector<int32_t> train_, validation_;
  size_t train_bytes_ = 0, validation_bytes_ = 0;
  double unknown_token_rate_ = 0;
  MemoryCheck memory_;
  std::unique_ptr<Gpt> model_;
  std::unique_ptr<Trainer> trainer_;
  double best_validation_loss_;
};

}  // namespace cllm
