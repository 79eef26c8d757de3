#include "layers/layer_norm.h"

namespace cllm::layers {

LayerNorm::LayerNorm(ParameterTable& table, const std::string& name, int channels)
    : channels_(channels),
      weight_(table.add(name + ".weight", {channels}, false, Init::ones)),
      bias_(table.add(name + ".bias", {channels}, false, Init::zeros)) {}

}  // namespace cllm::layers
