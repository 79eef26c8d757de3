#pragma once
// A cllm checkpoint: one safetensors file holding the weights (nanoGPT tensor names), and in its
// metadata the model config, the tokenizer, and, for resumable runs, the training state: config, step,
// data RNG, best validation loss and the identity of the corpus; the AdamW moments are two more tensors.
//
// Saves are atomic (write_safetensors). Loading validates everything and throws cllm::Error with a
// one-line message naming the file and the problem: not a safetensors file, a safetensors file that is
// not a cllm checkpoint, an unsupported format version, a config that does not parse, a missing or
// misshapen tensor, a tokenizer whose vocabulary disagrees with the model, non-finite weights, a checksum
// that does not match or is missing, duplicate keys in the metadata's JSON.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/model_config.h"
#include "text/tokenizer.h"
#include "train/train_config.h"
#include "util/error.h"

namespace cllm {

class Gpt;

// Which corpus a run trains on, so that a resume on different text is refused rather than silently
// continuing on other data.
struct CorpusIdentity {
  std::string name;
  uint64_t bytes = 0;
  std::string xxh3;  // 16 hex digits of XXH3-64 of the corpus text
  bool operator==(const CorpusIdentity&) const = default;
};
CorpusIdentity identify_corpus(const std::string& name, const std::string& text);

struct TrainingState {
  TrainConfig config;
  int steps_done = 0;
  std::string data_rng;               // Rng::state() of the batch sampler
  std::vector<float> adam_m, adam_v;  // AdamW moments, in parameter-layout order
  double best_validation_loss = 0;    // NaN when never evaluated
  CorpusIdentity corpus;
};

struct Checkpoint {
  ModelConfig model_config;
  std::unique_ptr<Tokenizer> tokenizer;
  std::vector<float> parameters;  // parameter-layout order
  std::optional<TrainingState> training;
  std::string created_by;  // program and version that wrote it
  std::string created_at;  // UTC, ISO 8601
  // Empty when the checksum covered the whole file; otherwise what it left unverified, for a warning.
  std::string unverified;
};

// Version 2 adds the whole-file checksum (safetensors.h); version 1 files still load.
inline constexpr int kCheckpointFormatVersion = 2;

// Whether a file without a whole-file checksum may be loaded (an explicit, reported unverified import).
enum class Verification { kRequired, kAllowUnverified };

// What load_checkpoint throws, with kRequired, for a file that is sound but carries no whole-file
// checksum: a caller may ask the user and load it again as an unverified import.
class UnverifiedCheckpointError : public Error {
 public:
  using Error::Error;
};

// `training` may be null (an inference-only checkpoint).
void save_checkpoint(const std::filesystem::path& path, const ModelConfig& config,
                     std::span<const float> parameters, const Tokenizer& tokenizer,
                     const TrainingState* training);

// Throws when the file has no checksum and `verification` is kRequired; a version-1 file (its checksum
// covers the tensors only) loads either way, with Checkpoint::unverified saying so.
Checkpoint load_checkpoint(const std::filesystem::path& path,
                           Verification verification = Verification::kRequired);

// One metadata value's JSON document (model_config, tokenizer, ...) parsed as load_checkpoint does:
// duplicate keys refused (nlohmann keeps the last, so an edited file could say two things), depth and
// size bounded. Throws cllm::Error starting with `where`.
nlohmann::json parse_metadata_json(const std::string& text, const std::string& where, const std::string& key);

// A model holding the checkpoint's weights.
std::unique_ptr<Gpt> make_model(const Checkpoint& checkpoint);

}  // namespace cllm
