#pragma once
// The backward of the output head and its loss in one op: logits = in @ table^T (matmul_forward, no
// bias), then cross_entropy_forward. Their forwards stay two ops because inference needs the logits
// without a loss; their backwards are one so the fast path never writes the N x V logit gradients to
// memory: at large vocabularies they do not fit in cache, and writing and reading them back twice cost
// more than the products' work on them.

#include <cstdint>

#include "ops/cross_entropy.h"
#include "ops/matmul.h"

namespace cllm::ops {

// dlogits = loss_scale * (e^(logits[N,V] - lse[N]) - onehot(targets)) / N (cross_entropy_backward), then
// din[N,C] = dlogits @ table[V,C] (overwritten, as matmul_backward);  dtable[V,C] += dlogits^T @ in[N,C].
// The logits are overwritten: what they hold afterwards is unspecified (the reference leaves dlogits
// there, so no second N x V buffer is needed). `scratch` holds classifier_scratch_floats(N, V) floats.
template <typename S>
void classifier_backward_ref(S* din, S* dtable, S* /*scratch*/, S* logits, const S* lse,
                             const int32_t* targets, const S* in, const S* table, int N, int C, int V,
                             S loss_scale) {
  CLLM_CHECK_SHAPE("classifier_backward", N >= 1 && C >= 1 && V >= 1);
  cross_entropy_backward_ref(logits, logits, lse, targets, N, V, loss_scale);
  matmul_backward_ref(din, dtable, static_cast<S*>(nullptr), logits, in, table, N, C, V);
}

// The fast path's scratch: one slice of the vocabulary's gradients (at most half of a 1 MB L2 cache).
long classifier_scratch_floats(int N, int V);

void classifier_backward(float* din, float* dtable, float* scratch, float* logits, const float* lse,
                         const int32_t* targets, const float* in, const float* table, int N, int C, int V,
                         float loss_scale);

}  // namespace cllm::ops
