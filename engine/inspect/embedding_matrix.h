#pragma once
// The model's token embedding table, transformer.wte.weight [V, C] (row k is token k's vector; the output
// head is tied to it), copied out of the parameter buffer for PCA, neighbours and export.

#include <vector>

namespace cllm {

class Gpt;

// [vocab_size, n_embd] row-major, a copy (the model may keep training).
std::vector<float> token_embeddings(const Gpt& model);

}  // namespace cllm
