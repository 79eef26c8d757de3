#pragma once
// The model the training tests share: small enough that a run of a few hundred steps takes a second.

#include "model/model_config.h"

namespace cllm::test {

// 2 layers, 2 heads, width 32, block 16, an 11-token vocabulary.
inline ModelConfig small_model() {
  ModelConfig c;
  c.vocab_size = 11, c.block_size = 16, c.n_layer = 2, c.n_head = 2, c.n_embd = 32;
  return c;
}

}  // namespace cllm::test
