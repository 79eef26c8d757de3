#include "layers/block.h"

#include <cmath>

namespace cllm::layers {
namespace {

std::string prefix(int index) {
  return "transformer.h." + std::to_string(index) + ".";
}

// GPT-2 starts the projections into the residual stream at 0.02 / sqrt(2 L) so the stream's variance
// does not grow with depth (computed in float, as the float32 model always has).
double residual_std(int layers) {
  return 0.02f / std::sqrt(2.0f * layers);
}

}  // namespace

// Members are declared in table order: ln_1, the mixer, ln_2, mlp (nanoGPT's order for attention).
Block::Block(ParameterTable& table, int index, const BlockShape& shape, bool fourier)
    : name_("h." + std::to_string(index) + "."),
      channels_(shape.channels),
      ln1_(table, prefix(index) + "ln_1", shape.channels),
      attn_(fourier ? std::nullopt
                    : std::optional<Attention>(std::in_place, table, prefix(index) + "attn.", shape.channels,
                                               shape.heads, shape.max_positions, residual_std(shape.layers),
                                               shape.rope_table, shape.clock_table)),
      fourier_(fourier ? std::optional<FourierMixer>(std::in_place, table, prefix(index) + "fourier.",
                                                     shape.channels, shape.max_positions,
                                                     residual_std(shape.layers))
                       : std::nullopt),
      ln2_(table, prefix(index) + "ln_2", shape.channels),
      mlp_(table, prefix(index) + "mlp.", shape.channels, residual_std(shape.layers)) {}

}  // namespace cllm::layers
