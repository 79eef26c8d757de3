#include "inspect/embedding_matrix.h"

#include "model/gpt.h"

namespace cllm {

std::vector<float> token_embeddings(const Gpt& model) {
  const size_t size =
      static_cast<size_t>(model.config().vocab_size) * static_cast<size_t>(model.config().n_embd);
  const auto wte = model.parameters().subspan(model.graph().embedding().token_table(), size);
  return {wte.begin(), wte.end()};
}

}  // namespace cllm
