#include "layers/mlp.h"

namespace cllm::layers {

Mlp::Mlp(ParameterTable& table, const std::string& prefix, int channels, double residual_std)
    : fc_(table, prefix + "c_fc", channels, 4 * channels, 0.02),
      proj_(table, prefix + "c_proj", 4 * channels, channels, residual_std) {}

}  // namespace cllm::layers
