#include "io/checkpoint.h"

#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <nlohmann/json.hpp>

#include "io/safetensors.h"
#include "io/strict_json.h"
#include "model/gpt.h"
#include "model/transformer_graph.h"
#include "text/tokenizer.h"
#include "util/error.h"
#include "util/finite.h"
#include "util/rng.h"

namespace cllm {
namespace {

constexpr const char* kFormat = "cllm-checkpoint";
constexpr const char* kAdamM = "cllm.optimizer.exp_avg";
constexpr const char* kAdamV = "cllm.optimizer.exp_avg_sq";

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A JSON number for a double that may be NaN (JSON has no NaN).
nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace

CorpusIdentity identify_corpus(const std::string& name, const std::string& text) {
  return {name, text.size(), hex64(XXH3_64bits(text.data(), text.size()))};
}

namespace {

// Throws before anything is written when a tensor holds NaN or an infinity: such a file could not be
// loaded again, and saving it would replace the last good checkpoint (issue 13, defect 5).
void require_finite(const std::filesystem::path& path, const std::string& name,
                    std::span<const float> values) {
  const std::optional<size_t> bad = first_non_finite(values);
  if (!bad) return;
  throw Error("not saving '" + path.string() + "': " + name + " holds " + format_number(values[*bad]) +
              " at index " + std::to_string(*bad) +
              " (training diverged; the file there, if any, is left as it was)");
}

// Metadata values are small JSON documents: a tokenizer nests 3 levels (merges are pairs in an array).
constexpr JsonLimits kMetadataJsonLimits = {/*max_depth=*/4, /*max_entries=*/1000};

// What the file's checksum leaves unverified ("" for nothing), or an error when that is not acceptable.
// Version 2 files carry a whole-file checksum and must; version 1 files (before issue 13) covered only the
// tensor data, which is verified, so they load with a warning. A file without any checksum loads only
// when the caller asks for an unverified import.
std::string unverified_parts(Integrity integrity, const std::string& version, const std::string& where,
                             Verification verification) {
  if (integrity == Integrity::kWholeFile) return "";
  if (integrity == Integrity::kDataOnly && version == "1")
    return "format version 1: its checksum covers the tensors only, not the configs, tokenizer or "
           "training state (saving it again writes version 2)";
  const std::string what = integrity == Integrity::kNone
                               ? "no checksum"
                               : "only a data checksum ('" + std::string(kDataChecksumKey) + "')";
  if (verification != Verification::kAllowUnverified)
    throw UnverifiedCheckpointError(where + " has " + what +
                                    ", so nothing guards it against corruption or editing (written by "
                                    "another tool, or its checksum was removed); load it anyway with "
                                    "--allow-unverified");
  return what + ": nothing in it is verified (loaded with --allow-unverified)";
}

}  // namespace

void save_checkpoint(const std::filesystem::path& path, const ModelConfig& config,
                     std::span<const float> parameters, const Tokenizer& tokenizer,
                     const TrainingState* training) {
  const TransformerGraph graph(config);
  const ParameterTable& layout = graph.parameters();
  require(parameters.size() == layout.total(), "internal: parameter count does not match the model config");
  require(tokenizer.vocab_size() == config.vocab_size,
          "internal: tokenizer and model vocabulary sizes differ");
  std::vector<TensorToWrite> tensors;
  for (const auto& t : layout.tensors()) {
    require_finite(path, "parameter '" + t.name + "'", parameters.subspan(t.offset, t.size));
    tensors.push_back({t.name, DType::F32, t.shape, parameters.data() + t.offset});
  }
  Metadata meta;
  meta["format"] = kFormat;
  meta["format_version"] = std::to_string(kCheckpointFormatVersion);
  meta["created_by"] = "cllm 0.1.0";
  meta["created_at"] = utc_now();
  meta["model_config"] = config.to_json().dump();
  meta["tokenizer"] = tokenizer.to_json().dump();
  if (training) {
    require(training->adam_m.size() == layout.total() && training->adam_v.size() == layout.total(),
            "internal: optimizer state size does not match the model");
    const int64_t n = static_cast<int64_t>(layout.total());
    require_finite(path, "the optimizer's first moment", training->adam_m);
    require_finite(path, "the optimizer's second moment", training->adam_v);
    tensors.push_back({kAdamM, DType::F32, {n}, training->adam_m.data()});
    tensors.push_back({kAdamV, DType::F32, {n}, training->adam_v.data()});
    meta["train_config"] = training->config.to_json().dump();
    meta["training_state"] =
        nlohmann::json{{"steps_done", training->steps_done},
                       {"data_rng", training->data_rng},
                       {"best_validation_loss", number_or_null(training->best_validation_loss)},
                       {"corpus",
                        {{"name", training->corpus.name},
                         {"bytes", training->corpus.bytes},
                         {"xxh3", training->corpus.xxh3}}}}
            .dump();
  }
  write_safetensors(path, tensors, meta);
}

Checkpoint load_checkpoint(const std::filesystem::path& path, Verification verification) {
  const SafetensorsFile file = SafetensorsFile::open(path);
  const std::string where = "'" + path.string() + "'";
  const Metadata& meta = file.metadata();
  auto field = [&](const char* key) -> const std::string& {
    const auto it = meta.find(key);
    require(it != meta.end(), where + " has no '" + key + "' metadata; it is not a complete cllm checkpoint");
    return it->second;
  };
  auto parse = [&](const char* key) { return parse_metadata_json(field(key), where + ": ", key); };
  // The rest of this function attributes every engine error to the file.
  auto in_file = [&](const char* what, auto&& fn) {
    try {
      return fn();
    } catch (const Error& e) {
      throw Error(where + ": " + what + ": " + e.what());
    }
  };

  const auto format = meta.find("format");
  require(format != meta.end() && format->second == kFormat,
          where + " is a safetensors file but not a cllm checkpoint (no 'format: " + kFormat + "' metadata)");
  const std::string& version = field("format_version");
  require(version == "1" || version == std::to_string(kCheckpointFormatVersion),
          where + " has checkpoint format version '" + version + "'; this cllm reads versions 1 to " +
              std::to_string(kCheckpointFormatVersion));

  Checkpoint ck;
  ck.unverified = unverified_parts(file.integrity(), version, where, verification);
  ck.created_by = meta.count("created_by") ? meta.at("created_by") : "";
  ck.created_at = meta.count("created_at") ? meta.at("created_at") : "";
  ck.model_config = in_file("model config", [&] { return ModelConfig::from_json(parse("model_config")); });
  ck.tokenizer = in_file("tokenizer", [&] { return tokenizer_from_json(parse("tokenizer")); });
  require(ck.tokenizer->vocab_size() == ck.model_config.vocab_size,
          where + ": the tokenizer has " + std::to_string(ck.tokenizer->vocab_size()) +
              " tokens but the model " + std::to_string(ck.model_config.vocab_size));

  const TransformerGraph graph(ck.model_config);
  const ParameterTable& layout = graph.parameters();
  // Every size so far comes from the metadata. Hold it to the file's own tensors (which open() has read
  // and checked against the file's length) before allocating anything that large: a 1.3 MB file whose
  // config claimed width 4096 and 9 layers made the loader allocate 6.9 GiB first (issue 13, defect 2).
  for (const auto& t : layout.tensors()) file.data(t.name, DType::F32, t.shape);
  const size_t expected_tensors = layout.tensors().size() + (meta.count("training_state") ? 2 : 0);
  for (const auto& info : file.tensors()) {
    const bool known = info.name == kAdamM || info.name == kAdamV ||
                       std::any_of(layout.tensors().begin(), layout.tensors().end(),
                                   [&](const ParameterTensor& t) { return t.name == info.name; });
    require(known, where + " has an unexpected tensor '" + info.name + "' for this model config");
  }
  require(file.tensors().size() == expected_tensors, where + " has " + std::to_string(file.tensors().size()) +
                                                         " tensors, expected " +
                                                         std::to_string(expected_tensors));
  ck.parameters.resize(layout.total());
  for (const auto& t : layout.tensors()) {
    const auto values = file.read_f32(t.name, t.shape);
    if (const auto bad = first_non_finite(values))
      throw Error(where + ": tensor '" + t.name + "' holds a non-finite value (" +
                  std::to_string(values[*bad]) + ") at index " + std::to_string(*bad));
    std::copy(values.begin(), values.end(), ck.parameters.begin() + t.offset);
  }

  if (meta.count("training_state")) {
    TrainingState s;
    s.config = in_file("training config", [&] { return TrainConfig::from_json(parse("train_config")); });
    const auto j = parse("training_state");
    in_file("training state", [&] {
      require(j.is_object(), "not a JSON object");
      require(j.contains("steps_done") && j["steps_done"].is_number_integer() &&
                  j["steps_done"].get<int64_t>() >= 0 &&
                  j["steps_done"].get<int64_t>() <= std::numeric_limits<int>::max(),
              "'steps_done' is missing or not a non-negative integer");
      s.steps_done = j["steps_done"].get<int>();
      require(j.contains("data_rng") && j["data_rng"].is_string(), "'data_rng' is missing or not a string");
      s.data_rng = j["data_rng"].get<std::string>();
      Rng probe;
      probe.set_state(s.data_rng);  // validates
      require(j.contains("best_validation_loss") &&
                  (j["best_validation_loss"].is_number() || j["best_validation_loss"].is_null()),
              "'best_validation_loss' is missing or not a number");
      s.best_validation_loss = j["best_validation_loss"].is_null() ? std::numeric_limits<double>::quiet_NaN()
                                                                   : j["best_validation_loss"].get<double>();
      const auto& c = j.value("corpus", nlohmann::json());
      require(c.is_object() && c.contains("name") && c["name"].is_string() && c.contains("bytes") &&
                  c["bytes"].is_number_unsigned() && c.contains("xxh3") && c["xxh3"].is_string(),
              "'corpus' is missing or malformed");
      s.corpus = {c["name"].get<std::string>(), c["bytes"].get<uint64_t>(), c["xxh3"].get<std::string>()};
      return 0;
    });
    const int64_t n = static_cast<int64_t>(layout.total());
    s.adam_m = file.read_f32(kAdamM, {n});
    s.adam_v = file.read_f32(kAdamV, {n});
    // The message is built only for a bad value: building it for every one cost more than the check.
    for (size_t i = 0; i < s.adam_v.size(); ++i)
      if (!(std::isfinite(s.adam_m[i]) && std::isfinite(s.adam_v[i]) && s.adam_v[i] >= 0.0f))
        throw Error(where + ": optimizer state is corrupt at index " + std::to_string(i));
    ck.training = std::move(s);
  }
  return ck;
}

nlohmann::json parse_metadata_json(const std::string& text, const std::string& where,
                                   const std::string& key) {
  return parse_strict_json(text, where, "metadata '" + key + "'", kMetadataJsonLimits);
}

std::unique_ptr<Gpt> make_model(const Checkpoint& checkpoint) {
  auto model = std::make_unique<Gpt>(checkpoint.model_config);
  std::copy(checkpoint.parameters.begin(), checkpoint.parameters.end(), model->parameters().begin());
  return model;
}

}  // namespace cllm
