#pragma once
// Root-word embeddings: a word's row is the sum of its root's and its affix's rows (text/word_roots.h).
// The composed table [V,C] then serves the lookups and the tied output head like a plain embedding.

#include <cstdint>

#include "ops/shape_check.h"

namespace cllm::ops {

// table[V,C] = roots[root_of[v]] + affixes[affix_of[v]]
template <typename S>
void embedding_compose_forward_ref(S* table, const S* roots, const S* affixes, const int32_t* root_of,
                                   const int32_t* affix_of, int V, int C) {
  CLLM_CHECK_SHAPE("embedding_compose_forward", V >= 1 && C >= 1);
  for (int v = 0; v < V; ++v) {
    const S* r = roots + static_cast<long>(root_of[v]) * C;
    const S* a = affixes + static_cast<long>(affix_of[v]) * C;
    S* out = table + static_cast<long>(v) * C;
    for (int c = 0; c < C; ++c) out[c] = r[c] + a[c];
  }
}

// droots[R,C] and daffixes[A,C] += the rows of dtable[V,C] scattered to each word's root and affix.
template <typename S>
void embedding_compose_backward_ref(S* droots, S* daffixes, const S* dtable, const int32_t* root_of,
                                    const int32_t* affix_of, int V, int C) {
  CLLM_CHECK_SHAPE("embedding_compose_backward", V >= 1 && C >= 1);
  for (int v = 0; v < V; ++v) {
    const S* d = dtable + static_cast<long>(v) * C;
    S* r = droots + static_cast<long>(root_of[v]) * C;
    S* a = daffixes + static_cast<long>(affix_of[v]) * C;
    for (int c = 0; c < C; ++c) {
      r[c] += d[c];
      a[c] += d[c];
    }
  }
}

void embedding_compose_forward(float* table, const float* roots, const float* affixes, const int32_t* root_of,
                               const int32_t* affix_of, int V, int C);
// Serial: words sharing a root would race; O(V C), small next to the head's product.
inline void embedding_compose_backward(float* droots, float* daffixes, const float* dtable,
                                       const int32_t* root_of, const int32_t* affix_of, int V, int C) {
  embedding_compose_backward_ref(droots, daffixes, dtable, root_of, affix_of, V, C);
}

}  // namespace cllm::ops
