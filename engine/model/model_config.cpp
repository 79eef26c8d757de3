#include "model/model_config.h"

#include <algorithm>

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
  for (const ModelOption& o : model_options()) {
    const std::string& value = this->*o.field;
    if (std::find(o.values.begin(), o.values.end(), value) != o.values.end()) continue;
    std::string known;
    for (const auto& v : o.values) known += (known.empty() ? "" : ", ") + v;
    throw Error("unknown " + o.what + " '" + value + "' (known: " + known + ")");
  }
  require(layers::positional_kind(positional) != layers::PositionKind::rotary || head_size() % 2 == 0,
          "rotary positions (rope) need an even head size; width " + std::to_string(n_embd) + " / " +
              std::to_string(n_head) + " heads = " + std::to_string(head_size()));
  const auto& r = word_roots;
  require(roots == "on" || r.root_of.empty(), "root-word tables are set but roots are off");
  if (roots == "on" && !r.root_of.empty()) {
    require(r.root_of.size() == static_cast<size_t>(vocab_size) && r.affix_of.size() == r.root_of.size(),
            "root-word tables cover " + std::to_string(r.root_of.size()) + " words, the vocabulary has " +
                std::to_string(vocab_size));
    require(r.roots >= 1 && r.affixes >= 1, "root-word tables need at least one root and one affix");
    for (size_t v = 0; v < r.root_of.size(); ++v)
      require(r.root_of[v] >= 0 && r.root_of[v] < r.roots && r.affix_of[v] >= 0 && r.affix_of[v] < r.affixes,
              "root-word table entry of word " + std::to_string(v) + " is out of range");
  }
  // Per layer 12 C^2 + 13 C, plus embeddings: estimate in double first so huge sizes cannot overflow.
  const double estimate = 12.0 * n_embd * n_embd * n_layer + double(vocab_size + block_size) * n_embd;
  require(estimate < double(kMaxParameters),
          "the model would have about " + std::to_string(int64_t(estimate)) + " parameters; the limit is " +
              std::to_string(kMaxParameters));
}

nlohmann::json ModelConfig::to_json() const {
  nlohmann::json j = {{"vocab_size", vocab_size},
                      {"block_size", block_size},
                      {"n_layer", n_layer},
                      {"n_head", n_head},
                      {"n_embd", n_embd}};
  for (const ModelOption& o : model_options()) j[o.key] = this->*o.field;
  if (!word_roots.root_of.empty())
    j["word_roots"] = {{"roots", word_roots.roots},
                       {"affixes", word_roots.affixes},
                       {"root_of", word_roots.root_of},
                       {"affix_of", word_roots.affix_of}};
  return j;
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
  require(j.contains("positional"), "model config field 'positional' is missing");
  // Options other than positional are absent in checkpoints written before they existed, which all had
  // the defaults.
  for (const ModelOption& o : model_options()) {
    if (!j.contains(o.key)) continue;
    require(j[o.key].is_string(), "model config field '" + o.key + "' is not a string");
    c.*o.field = j[o.key].get<std::string>();
  }
  if (j.contains("word_roots")) {
    const auto& r = j["word_roots"];
    require(r.is_object() && r.value("roots", nlohmann::json()).is_number_integer() &&
                r.value("affixes", nlohmann::json()).is_number_integer() &&
                r.value("root_of", nlohmann::json()).is_array() && r.value("affix_of", nlohmann::json()).is_array(),
            "model config field 'word_roots' is malformed");
    try {
      c.word_roots.roots = r["roots"].get<int>();
      c.word_roots.affixes = r["affixes"].get<int>();
      c.word_roots.root_of = r["root_of"].get<std::vector<int32_t>>();
      c.word_roots.affix_of = r["affix_of"].get<std::vector<int32_t>>();
    } catch (const nlohmann::json::exception&) {
      throw Error("model config field 'word_roots' holds something other than integers");
    }
  }
  c.validate();
  return c;
}

const std::vector<ModelOption>& model_options() {
  static const std::vector<ModelOption> options = {
      {"positional", "positional encoding",
       "learned, sinusoidal, rope (rotary), the lattice tables spiral, clock or prime, or none",
       layers::positional_encoding_names(), &ModelConfig::positional},
      {"embedding_init", "embedding initialisation",
       "random (GPT-2) or lattice (Fourier features of each token's prime)", layers::embedding_init_names(),
       &ModelConfig::embedding_init},
      {"attention_bias",
       "attention bias",
       "none, or clock: a learned per-head bias between the clock classes (prime mod 12) of two tokens",
       {"none", "clock"},
       &ModelConfig::attention_bias},
      {"mixer",
       "token mixer",
       "attention, fourier (the damped Fourier mixer in every block) or alternate (Fourier in every second "
       "block)",
       {"attention", "fourier", "alternate"},
       &ModelConfig::mixer},
      {"roots", "root-word setting",
       "on (word tokenizer only): a word is a root plus an optional affix, embedded as E_root + E_affix",
       {"off", "on"},
       &ModelConfig::roots},
  };
  return options;
}

std::string describe_options(const ModelConfig& c) {
  std::string out;
  for (const ModelOption& o : model_options()) {
    const std::string& value = c.*o.field;
    if (value == o.values.front()) continue;
    std::string text = value + " " + o.key;
    std::replace(text.begin(), text.end(), '_', ' ');
    if (o.key == "positional") text = value + " positions";
    if (o.key == "roots") text = "word roots";
    out += (out.empty() ? "" : ", ") + text;
  }
  return out.empty() ? "default options" : out;
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
