#include "model/model_config.h"

#include <nlohmann/json.hpp>

#include "layers/embedding.h"
#include "layers/positional_encoding.h"
#include "model/transformer_graph.h"
#include "util/error.h"

namespace cllm {
namespace {

// Limits that keep every buffer index inside int64 and every row count inside int.
constexpr int64_t kMaxParameters = 2'000'000'000;
constexpr int kMaxDimension = 1 << 20;

void require_range(int value, int lo, int hi, const std::string& what) {
  require(value >= lo && value <= hi, what + " must be between " + std::to_string(lo) + " and " +
                                          std::to_string(hi) + ", got " + std::to_string(value));
}

}  // namespace

int64_t ModelConfig::parameter_count() const {
  return static_cast<int64_t>(TransformerGraph(*this).parameters().total());
}

void ModelConfig::validate() const {
  require_range(vocab_size, 1, kMaxDimension, "vocabulary size");
  require_range(block_size, 1, 65536, "block size (context length)");
  require_range(n_layer, 1, 1024, "layer count");
  require_range(n_head, 1, 4096, "head count");
  require_range(n_embd, 1, 65536, "width (channels)");
  require(n_embd % n_head == 0, "heads " + std::to_string(n_head) + " do not divide width " +
                                    std::to_string(n_embd) +
                                    " (the width must be a multiple of the head count)");
  const auto kind = layers::positional_kind(positional);  // throws for unknown names
  require(kind != layers::PositionKind::rotary || head_size() % 2 == 0,
          "rotary positions (rope) need an even head size; width " + std::to_string(n_embd) + " / " +
              std::to_string(n_head) + " heads = " + std::to_string(head_size()));
  layers::check_embedding_init(embedding_init);
  // Per layer 12 C^2 + 13 C, plus embeddings: estimate in double first so huge sizes cannot overflow.
  const double estimate = 12.0 * n_embd * n_embd * n_layer + double(vocab_size + block_size) * n_embd;
  require(estimate < double(kMaxParameters),
          "the model would have about " + std::to_string(int64_t(estimate)) + " parameters; the limit is " +
              std::to_string(kMaxParameters));
}

nlohmann::json ModelConfig::to_json() const {
  return {{"vocab_size", vocab_size},
          {"block_size", block_size},
          {"n_layer", n_layer},
          {"n_head", n_head},
          {"n_embd", n_embd},
          {"positional", positional},
          {"embedding_init", embedding_init}};
}

ModelConfig ModelConfig::from_json(const nlohmann::json& j) {
  require(j.is_object(), "model config must be a JSON object");
  auto get_int = [&](const char* key) {
    require(j.contains(key) && j[key].is_number_integer(),
            std::string("model config field '") + key + "' is missing or not an integer");
    const auto v = j[key].get<int64_t>();
    require(v >= 0 && v <= kMaxDimension,
            std::string("model config field '") + key + "' is out of range: " + std::to_string(v));
    return static_cast<int>(v);
  };
  ModelConfig c;
  c.vocab_size = get_int("vocab_size");
  c.block_size = get_int("block_size");
  c.n_layer = get_int("n_layer");
  c.n_head = get_int("n_head");
  c.n_embd = get_int("n_embd");
  require(j.contains("positional") && j["positional"].is_string(),
          "model config field 'positional' is missing or not a string");
  c.positional = j["positional"].get<std::string>();
  // Absent in checkpoints written before the option existed: they were all initialised at random.
  if (j.contains("embedding_init")) {
    require(j["embedding_init"].is_string(), "model config field 'embedding_init' is not a string");
    c.embedding_init = j["embedding_init"].get<std::string>();
  }
  c.validate();
  return c;
}

ModelConfig model_preset(const std::string& name) {
  ModelConfig c;
  if (name == "tiny") {
    c.n_embd = 64, c.n_layer = 2, c.n_head = 4;
  } else if (name == "small") {
    c.n_embd = 128, c.n_layer = 4, c.n_head = 4;
  } else {
    throw Error("unknown model preset '" + name + "' (known: tiny, small)");
  }
  return c;
}

std::vector<std::string> model_preset_names() {
  return {"tiny", "small"};
}

}  // namespace cllm
