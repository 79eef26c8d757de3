#pragma once
// The transformer as a graph of layers, built once from a ModelConfig: token + positional embedding,
// n_layer blocks, final LayerNorm, output head tied to the token embedding. Building it declares every
// tensor in order, so the graph is also the parameter table that the model, the optimizer and
// checkpoints share.
//
// Names and shapes follow nanoGPT (nn.Linear weights are [out, in]; the head is tied to
// transformer.wte.weight), so checkpoint tensors load into nanoGPT's GPT class as they are.

#include <vector>

#include "layers/block.h"
#include "layers/embedding.h"
#include "layers/layer_norm.h"
#include "layers/parameter_table.h"
#include "model/model_config.h"

namespace cllm {

using layers::ParameterTable;
using layers::ParameterTensor;

class TransformerGraph {
 public:
  // The config must be valid (ModelConfig::validate).
  explicit TransformerGraph(const ModelConfig& config);

  const ModelConfig& config() const { return config_; }
  const ParameterTable& parameters() const { return table_; }
  const layers::Embedding& embedding() const { return embedding_; }
  const std::vector<layers::Block>& blocks() const { return blocks_; }
  const layers::LayerNorm& final_norm() const { return final_norm_; }
  // Whether the attention layers read each position's clock class (Pass::classes).
  bool needs_clock_classes() const { return config_.attention_bias == "clock"; }

 private:
  ModelConfig config_;
  ParameterTable table_;  // declared before the layers: the layers below fill it as they are constructed
  layers::Embedding embedding_;
  std::vector<layers::Block> blocks_;
  layers::LayerNorm final_norm_;
};

}  // namespace cllm
