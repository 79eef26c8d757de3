#include "model/parameter_layout.h"

#include "model/model_config.h"
#include "model/positional_encoding.h"

namespace cllm {

ParameterLayout::ParameterLayout(const ModelConfig& config) {
  const int64_t V = config.vocab_size, C = config.n_embd;
  wte_ = add("transformer.wte.weight", {V, C}, true);
  if (make_positional_encoding(config.positional)->learned())
    wpe_ = add("transformer.wpe.weight", {config.block_size, C}, true);
  for (int l = 0; l < config.n_layer; ++l) {
    const std::string p = "transformer.h." + std::to_string(l) + ".";
    Block b;
    b.ln1_w = add(p + "ln_1.weight", {C}, false);
    b.ln1_b = add(p + "ln_1.bias", {C}, false);
    b.qkv_w = add(p + "attn.c_attn.weight", {3 * C, C}, true);
    b.qkv_b = add(p + "attn.c_attn.bias", {3 * C}, false);
    b.proj_w = add(p + "attn.c_proj.weight", {C, C}, true);
    b.proj_b = add(p + "attn.c_proj.bias", {C}, false);
    b.ln2_w = add(p + "ln_2.weight", {C}, false);
    b.ln2_b = add(p + "ln_2.bias", {C}, false);
    b.fc_w = add(p + "mlp.c_fc.weight", {4 * C, C}, true);
    b.fc_b = add(p + "mlp.c_fc.bias", {4 * C}, false);
    b.fcproj_w = add(p + "mlp.c_proj.weight", {C, 4 * C}, true);
    b.fcproj_b = add(p + "mlp.c_proj.bias", {C}, false);
    blocks_.push_back(b);
  }
  lnf_w_ = add("transformer.ln_f.weight", {C}, false);
  lnf_b_ = add("transformer.ln_f.bias", {C}, false);
}

size_t ParameterLayout::add(std::string name, std::vector<int64_t> shape, bool decay) {
  size_t size = 1;
  for (int64_t d : shape) size *= static_cast<size_t>(d);
  tensors_.push_back({std::move(name), std::move(shape), total_, size, decay});
  total_ += size;
  return tensors_.back().offset;
}

}  // namespace cllm
