#include "layers/block.h"

#include <cmath>

namespace cllm::layers {
namespace {

std::string prefix(int index) {
  return "transformer.h." + std::to_string(index) + ".";
}

}  // namespace

// GPT-2 starts the projections into the residual stream at 0.02 / sqrt(2 L) so the stream's variance
// does not grow with depth (computed in float, as the float32 model always has).
Block::Block(ParameterTable& table, int index, const BlockShape& shape)
    : name_("h." + std::to_string(index) + "."),
      channels_(shape.channels),
      ln1_(table, prefix(index) + "ln_1", shape.channels),
      attn_(table, prefix(index) + "attn.", shape.channels, shape.heads, shape.max_positions,
            0.02f / std::sqrt(2.0f * shape.layers), shape.rope_table, shape.clock_table),
      ln2_(table, prefix(index) + "ln_2", shape.channels),
      mlp_(table, prefix(index) + "mlp.", shape.channels, 0.02f / std::sqrt(2.0f * shape.layers)) {}

}  // namespace cllm::layers
