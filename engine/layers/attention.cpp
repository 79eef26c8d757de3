#include "layers/attention.h"

namespace cllm::layers {

Attention::Attention(ParameterTable& table, const std::string& prefix, int channels, int heads,
                     int max_positions, double residual_std, size_t rope_table)
    : channels_(channels),
      heads_(heads),
      max_positions_(max_positions),
      rope_(rope_table),
      qkv_(table, prefix + "c_attn", channels, 3 * channels, 0.02),
      proj_(table, prefix + "c_proj", channels, channels, residual_std) {}

}  // namespace cllm::layers
