#pragma once
// The shape of a decoder-only transformer, its presets, validation and JSON form.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "layers/embedding.h"

namespace cllm {

struct ModelConfig {
  int vocab_size = 0;
  int block_size = 64;  // longest context (positions) the model handles
  int n_layer = 2;
  int n_head = 4;
  int n_embd = 64;  // channels C; must be divisible by n_head
  // The switchable options (the lattice ideas among them), each one of the names model_options() lists.
  std::string positional = "learned";
  std::string embedding_init = "random";
  std::string attention_bias = "none";
  std::string mixer = "attention";
  std::string roots = "off";
  // With roots "on" (word tokenizer only): each word's root and affix (text/word_roots.h). Empty until a
  // run starts, which fills them from its tokenizer; the checkpoint keeps them. While empty the model is
  // sized as without roots (an upper bound for estimates).
  layers::WordRootTables word_roots;

  int head_size() const { return n_embd / n_head; }
  // Exact number of scalars in the parameter buffer (see TransformerGraph).
  int64_t parameter_count() const;
  // Throws cllm::Error naming the first impossible field, e.g. "--heads 3 does not divide --width 64".
  void validate() const;

  nlohmann::json to_json() const;
  // Validates types and values; throws cllm::Error naming the bad field.
  static ModelConfig from_json(const nlohmann::json& j);

  bool operator==(const ModelConfig&) const = default;
};

// One entry per switchable model option: the one description the CLI flags, the training panel's
// combo boxes, validation, the JSON form and run summaries are made from (f3d's options.json idea).
struct ModelOption {
  std::string key;                  // JSON field; the CLI flag is --key with '_' as '-'
  std::string what;                 // for messages: "unknown <what> 'x' (known: ...)"
  std::string help;                 // one line for --help and tooltips
  std::vector<std::string> values;  // the first is the default
  std::string ModelConfig::*field;
};
const std::vector<ModelOption>& model_options();
// "rope positions, lattice embedding init, clock attention bias": the options that differ from their
// defaults, for run summaries ("default options" when none does).
std::string describe_options(const ModelConfig& c);

// Named sizes: "tiny" (64 channels, 2 layers, 4 heads) and "small" (128 channels, 4 layers, 4 heads).
// vocab_size stays 0 (the tokenizer fills it in). Throws for unknown names, listing the known ones.
ModelConfig model_preset(const std::string& name);
std::vector<std::string> model_preset_names();

}  // namespace cllm
