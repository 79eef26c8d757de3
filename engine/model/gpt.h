#pragma once
// The float32 model that trains and generates: the transformer on the fast ops (matrix products through
// the kernels, OpenMP). A class rather than an alias so it can be forward-declared.

#include "model/transformer.h"

namespace cllm {

extern template class Transformer<ops::FastOps>;

class Gpt final : public Transformer<ops::FastOps> {
 public:
  using Transformer::Transformer;
};

}  // namespace cllm
