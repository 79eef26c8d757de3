#pragma once
// Where each named parameter tensor lives inside the model's one contiguous buffer (llm.c style: one
// allocation, sliced). Shared by the fast model, the reference model, the optimizer and checkpoints, so
// they agree on every offset.
//
// Names and shapes follow nanoGPT (nn.Linear weights are [out, in]; the output head is tied to
// transformer.wte.weight), so checkpoint tensors load into nanoGPT's GPT class as they are.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cllm {

struct ModelConfig;

struct ParameterTensor {
  std::string name;
  std::vector<int64_t> shape;
  size_t offset = 0;  // in scalars from the buffer start
  size_t size = 0;
  bool decay = false;  // AdamW weight decay applies to matrices and embeddings, not to biases and gains
};

class ParameterLayout {
 public:
  explicit ParameterLayout(const ModelConfig& config);

  static constexpr size_t kNone = static_cast<size_t>(-1);

  // Offsets of one transformer block's tensors.
  struct Block {
    size_t ln1_w, ln1_b, qkv_w, qkv_b, proj_w, proj_b, ln2_w, ln2_b, fc_w, fc_b, fcproj_w, fcproj_b;
  };

  const std::vector<ParameterTensor>& tensors() const { return tensors_; }
  size_t total() const { return total_; }
  size_t wte() const { return wte_; }
  size_t wpe() const { return wpe_; }  // kNone when the positional encoding is fixed
  size_t lnf_w() const { return lnf_w_; }
  size_t lnf_b() const { return lnf_b_; }
  const std::vector<Block>& blocks() const { return blocks_; }

 private:
  size_t add(std::string name, std::vector<int64_t> shape, bool decay);

  std::vector<ParameterTensor> tensors_;
  size_t total_ = 0;
  size_t wte_ = 0, wpe_ = kNone, lnf_w_ = 0, lnf_b_ = 0;
  std::vector<Block> blocks_;
};

}  // namespace cllm
