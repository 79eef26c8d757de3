#pragma once
// One training run, assembled: the corpus identity, the tokenizer, the tokenised train/validation
// splits, the model and its trainer, and the best validation loss so far. The `cllm` command line and
// the workbench both train through this class, so a run behaves the same in either.
//
// The tokenizer is trained on the whole corpus (as nanoGPT builds its character vocabulary), so every
// character of the validation split is encodable. The model is initialised from Rng(seed ^ kInitStream)
// and batches are drawn from Rng(seed): two separate streams.
//
// Not thread-safe: one thread drives a session (the workbench's training worker).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "io/checkpoint.h"
#include "model/gpt.h"
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

  // Throws cllm::Error on an impossible config or a corpus too small for the block size.
  static std::unique_ptr<TrainingSession> start(const Corpus& corpus, const NewRun& run);
  // Continues a run saved by save(). Throws cllm::Error when the checkpoint has no training state or
  // `corpus` is not the text the run trained on (compared by size and XXH3 hash).
  static std::unique_ptr<TrainingSession> resume(const std::filesystem::path& checkpoint, const Corpus& corpus);

  Gpt& model() { return *model_; }
  const Gpt& model() const { return *model_; }
  const Tokenizer& tokenizer() const { return *tokenizer_; }
  Trainer& trainer() { return *trainer_; }
  const Trainer& trainer() const { return *trainer_; }
  const CorpusIdentity& corpus() const { return corpus_; }
  size_t train_token_count() const { return train_.size(); }
  size_t validation_token_count() const { return validation_.size(); }

  // NaN before the first evaluation.
  double best_validation_loss() const { return best_validation_loss_; }
  // Notes an evaluation; true when it is the best so far.
  bool record_evaluation(const EvalResult& result);

  // Everything needed to continue bit-identically; atomic.
  void save(const std::filesystem::path& path) const;

 private:
  TrainingSession() = default;
  void build_trainer(const TrainConfig& config);

  CorpusIdentity corpus_;
  std::unique_ptr<Tokenizer> tokenizer_;
  std::vector<int32_t> train_, validation_;
  std::unique_ptr<Gpt> model_;
  std::unique_ptr<Trainer> trainer_;
  double best_validation_loss_;
};

}  // namespace cllm
