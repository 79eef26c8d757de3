#include "model/gpt.h"

namespace cllm {

template class Transformer<ops::FastOps>;

void check_token_ids(const int32_t* ids, long n, int vocab_size, const char* what) {
  for (long i = 0; i < n; ++i)
    require(ids[i] >= 0 && ids[i] < vocab_size,
            std::string(what) + " id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                " is outside the vocabulary [0, " + std::to_string(vocab_size) + ")");
}

}  // namespace cllm
