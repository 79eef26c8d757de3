#pragma once
// An ablation: the measured answer to "does this option help?". The baseline and each variant (one
// model option changed, e.g. "positional=rope") train on the same corpus with the same step budget,
// training config and seeds; each (variant, seed) is one TrainingSession, so a run here is exactly a
// `cllm train` run. Results are the final validation loss and bits per byte, the parameter count,
// training tokens/s (tokens through forward + backward + update per second of step time) and wall time
// (the whole run, evaluations included), summarised per variant as mean and sample standard deviation
// over the seeds.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "model/model_config.h"
#include "session/run_records.h"
#include "text/tokenizer.h"
#include "train/train_config.h"
#include "train/trainer.h"

namespace cllm {

struct Corpus;

struct AblationVariant {
  std::string name;  // "baseline" or "key=value[,key=value]"
  ModelConfig model;
};

// "baseline" is `base` itself; "positional=rope,mixer=fourier" changes those options of `base`. Throws
// cllm::Error naming an unknown option or value.
AblationVariant parse_variant(const ModelConfig& base, const std::string& spec);
// The baseline, then every value of every model option that differs from `base`'s (model_options()),
// except word roots unless the tokenizer is "word" (they need one).
std::vector<AblationVariant> default_variants(const ModelConfig& base, const std::string& tokenizer_kind);

struct AblationRun {
  std::string variant;
  uint64_t seed = 0;
  int steps = 0;
  double validation_loss = 0, bits_per_byte = 0;
  int64_t parameters = 0;
  double tokens_per_second = 0, wall_seconds = 0;
};

struct AblationRow {
  std::string variant;
  int runs = 0;
  double loss_mean = 0, loss_std = 0, loss_min = 0, loss_max = 0;
  double bits_per_byte_mean = 0;
  int64_t parameters = 0;
  double tokens_per_second_mean = 0, wall_seconds_mean = 0;
};

struct AblationSettings {
  TokenizerSpec tokenizer;
  TrainConfig train;            // its seed is replaced by each of `seeds`
  std::vector<uint64_t> seeds;  // at least one; three or more give a spread
  std::vector<AblationVariant> variants;
};

// Every hook optional. on_run_start(index, total, variant, seed) before each run; on_step and on_eval
// as in run_training; stop_requested is polled between steps and ends the ablation after the current
// run's final evaluation (the finished runs are returned).
struct AblationObserver {
  std::function<void(int, int, const AblationVariant&, uint64_t)> on_run_start;
  std::function<void(const StepStats&)> on_step;
  std::function<void(const EvalResult&)> on_eval;
  std::function<void(const AblationRun&)> on_run_end;
  std::function<bool()> stop_requested;
};

// Throws cllm::Error when the settings have no seed or no variant, or a variant's model cannot be built
// (the tokenizer decides the vocabulary later; everything else is checked).
void check_ablation(const AblationSettings& settings);

// Runs every variant with every seed (variant-major). Throws cllm::Error for a variant that cannot run
// (impossible config, too large for memory) before training anything: all configs are checked first.
std::vector<AblationRun> run_ablation(const Corpus& corpus, const AblationSettings& settings,
                                      const AblationObserver& observer = {});

// The result of one run trained and recorded elsewhere (the workbench trains an ablation's runs as
// ordinary runs of its runs folder): the last evaluation's loss and bits per byte, the steps of the last
// step record, training tokens/s over all step time (the harmonic mean of the per-step rates, since every
// step trains the same number of tokens) and the given wall time. Throws cllm::Error without evaluations.
AblationRun ablation_run_from_records(const std::string& variant, uint64_t seed, int64_t parameters,
                                      std::span<const StepRecord> steps, std::span<const EvalRecord> evals,
                                      double wall_seconds);

// One row per variant, in the order the runs came.
std::vector<AblationRow> summarize_ablation(const std::vector<AblationRun>& runs);
std::string ablation_csv(const std::vector<AblationRow>& rows);
// A markdown table: variant, validation loss mean ± std (n), bits per byte, parameters, tokens/s, wall s.
std::string ablation_markdown(const std::vector<AblationRow>& rows);
nlohmann::json ablation_json(const std::vector<AblationRun>& runs, const std::vector<AblationRow>& rows);
// Writes ablation.csv, ablation.md and ablation.json into `dir` (created when missing), each atomically;
// returns the summary rows. Throws cllm::Error when a file cannot be written.
std::vector<AblationRow> save_ablation(const std::filesystem::path& dir,
                                       const std::vector<AblationRun>& runs);

}  // namespace cllm
