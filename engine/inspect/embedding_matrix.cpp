#include "inspect/embedding_matrix.h"

#include "model/gpt.h"

namespace cllm {

std::vector<float> token_embeddings(const Gpt& model) {
  return model.graph().embedding().token_rows(model.parameters().data());
}

}  // namespace cllm
