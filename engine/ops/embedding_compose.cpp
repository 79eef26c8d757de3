#include "ops/embedding_compose.h"

#include "kernels/parallel.h"

namespace cllm::ops {

// Rows are independent: each thread runs the reference on single rows.
void embedding_compose_forward(float* table, const float* roots, const float* affixes, const int32_t* root_of,
                               const int32_t* affix_of, int V, int C) {
  CLLM_CHECK_SHAPE("embedding_compose_forward", V >= 1 && C >= 1);
  kernels::parallel_for(V, static_cast<long>(V) * C, [&](long v) {
    embedding_compose_forward_ref(table + v * C, roots, affixes, root_of + v, affix_of + v, 1, C);
  });
}

}  // namespace cllm::ops
