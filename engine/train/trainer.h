#pragma once
// Drives optimisation of one model on one tokenised corpus: micro-batches, gradient accumulation,
// clipping, AdamW, the learning-rate schedule, and evaluation on fixed validation batches.
//
// Single-threaded from the caller's view (the ops use the engine's OpenMP threads); the GUI calls it
// from its worker thread. Everything that decides the future of a run (parameters, optimizer moments,
// step count, data RNG) is reachable for checkpoints, so a restored run continues bit-identically.

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "data/dataset.h"
#include "train/adamw.h"
#include "train/batch_shards.h"
#include "train/train_config.h"
#include "util/rng.h"

namespace cllm {

struct StepStats {
  int step = 0;     // optimizer steps done, counting this one
  double loss = 0;  // mean training loss over the step's micro-batches
  double lr = 0;
  double grad_norm = 0;  // before clipping
  bool clipped = false;
  double seconds = 0;  // wall time of this step
  int64_t tokens = 0;  // tokens processed by this step
};

struct EvalResult {
  int step = 0;
  double loss = 0;        // mean per-token validation cross-entropy (nats)
  double perplexity = 0;  // exp(loss)
  // The same loss in bits per byte of text (see bits_per_byte); comparable across tokenizers, unlike
  // loss. NaN when the trainer was not told how many bytes a validation token stands for.
  double bits_per_byte = std::numeric_limits<double>::quiet_NaN();
  int64_t tokens = 0;  // tokens evaluated
  double seconds = 0;
};

// A loss in nats per token as bits per byte of the text the tokens stand for:
// loss / ln 2 / bytes_per_token. A char model on ASCII text and a byte model give loss / ln 2; a BPE
// token covering 3.5 bytes divides by 3.5. NaN when bytes_per_token is not positive.
double bits_per_byte(double loss_nats_per_token, double bytes_per_token);

class Trainer {
 public:
  // The token spans must outlive the trainer. `validation_bytes_per_token` is how many bytes of text a
  // validation token stands for on average (TrainingSession knows it; 0 = unknown, then evaluations
  // report no bits per byte). Throws cllm::Error if a split is too short for one window of
  // block_size + 1 tokens, or the config is invalid.
  Trainer(Gpt& model, const TrainConfig& config, std::span<const int32_t> train_tokens,
          std::span<const int32_t> validation_tokens, double validation_bytes_per_token = 0);

  // One optimizer step. Throws cllm::Error, before changing any parameter, when the loss or the gradient
  // norm is not finite (a diverged run keeps its last good weights). Running out of memory for the
  // activations is a cllm::Error naming their size; the model must not be used after it.
  StepStats step();
  // The same, polling `stop` before every micro-batch after the first: when it returns true the step is
  // abandoned and nothing a checkpoint holds has changed (parameters, moments, step count, data RNG), so
  // saving now and resuming later still repeats an uninterrupted run bit for bit. Returns nullopt then.
  // A step of many micro-batches (--grad-accum) can take minutes; a stop request should not wait for it.
  std::optional<StepStats> step_unless(const std::function<bool()>& stop);
  // Mean loss over the fixed validation batches (the same batches every time).
  EvalResult evaluate();

  int steps_done() const { return steps_done_; }
  bool finished() const { return steps_done_ >= config_.steps; }
  const TrainConfig& config() const { return config_; }
  Gpt& model() { return model_; }
  AdamW& optimizer() { return optimizer_; }
  const AdamW& optimizer() const { return optimizer_; }
  Rng& data_rng() { return rng_; }
  const Rng& data_rng() const { return rng_; }
  // For restoring a checkpoint: the step count (the RNG and moments are restored through their accessors).
  void set_steps_done(int steps) { steps_done_ = steps; }
  // Extends or shortens the run (the cosine schedule is stretched to the new end).
  void set_total_steps(int steps);

  // The seam between backward and clipping where data-parallel training sums the gradients of all
  // processes (llm.c's multi_gpu_async_reduce_gradient): called once per step with the accumulated
  // gradients, before the norm is measured. Unset (one process), nothing happens there.
  using GradientReducer = std::function<void(std::span<float> gradients)>;
  void set_gradient_reducer(GradientReducer reducer) { reduce_gradients_ = std::move(reducer); }

 private:
  BatchShards& shards();

  Gpt& model_;
  TrainConfig config_;
  std::span<const int32_t> train_, validation_;
  double validation_bytes_per_token_;
  AdamW optimizer_;
  Rng rng_;
  Batch batch_;
  std::vector<Batch> eval_batches_;
  std::optional<BatchShards> shards_;  // config_.shards of them, made at first use
  GradientReducer reduce_gradients_;
  int steps_done_ = 0;
};

// Observer of run_training; every hook is optional.
struct TrainingObserver {
  std::function<void(const StepStats&)> on_step;
  std::function<void(const EvalResult&)> on_eval;
  std::function<bool()> stop_requested;  // polled before every step and between its micro-batches
};

// Steps until the configured step count or a stop request, evaluating every eval_interval steps and
// once at the end (unless the last step was just evaluated). Returns the last evaluation.
EvalResult run_training(Trainer& trainer, const TrainingObserver& observer);

}  // namespace cllm
