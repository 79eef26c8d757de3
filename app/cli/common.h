#pragma once
// Small pieces shared by the subcommands.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "data/corpus.h"
#include "io/checkpoint.h"
#include "model/model_config.h"
#include "text/tokenizer.h"
#include "train/train_config.h"

namespace cllm::cli {

// The default checkpoint path of train, generate, eval and info.
inline constexpr const char* kDefaultCheckpoint = "cllm-model.safetensors";

// `path` empty means the built-in corpus.
Corpus load_corpus_or_builtin(const std::string& path);

// --threads N (0 = one per physical core), applied by apply_threads().
void add_threads_option(CLI::App& command, int& threads);
// The thread count --threads asks for.
int resolve_threads(int threads);
void apply_threads(int threads);

// --preset with --layers --heads --width --block overriding it, and one flag per switchable model
// option of model_options() (--positional, --embedding-init, ...) (train and bench).
struct ModelShapeOptions {
  std::string preset = "small";
  std::optional<int> layers, heads, width, block;
  ModelConfig options;         // only the model_options() fields are read from it
  ModelConfig config() const;  // vocabulary size left at 0
};
// Returns the options added, so a command can attach conditions to them (e.g. excludes --resume).
std::vector<CLI::Option*> add_model_shape_options(CLI::App& command, ModelShapeOptions& shape);

// --tokenizer --vocab-size --min-frequency (train and ablate).
std::vector<CLI::Option*> add_tokenizer_options(CLI::App& command, TokenizerSpec& tokenizer);
// The optimisation and evaluation options of a TrainConfig except --steps and --seed: --batch --lr
// --min-lr --warmup --schedule --weight-decay --beta1 --beta2 --eps --clip --no-clip --grad-accum
// --shards --eval-interval --eval-batches --val-fraction (train and ablate); the caller applies `no_clip`.
std::vector<CLI::Option*> add_train_config_options(CLI::App& command, TrainConfig& train, bool& no_clip);

// --allow-unverified (commands that load a checkpoint): load a file without a checksum, as an explicit
// unverified import.
CLI::Option* add_allow_unverified_option(CLI::App& command, bool& allow_unverified);
// load_checkpoint, with a warning on stderr when the checksum did not cover the whole file.
Checkpoint load_checkpoint_warning_if_unverified(const std::string& path, bool allow_unverified);
// The warning itself, for checkpoints loaded some other way (a resumed training session).
void warn_if_unverified(const std::string& path, const std::string& unverified);

// One JSON object per line on stdout, flushed (scripts read it as it comes).
void print_json(const nlohmann::json& j);

// "12,345"
std::string group_thousands(double value);

}  // namespace cllm::cli
