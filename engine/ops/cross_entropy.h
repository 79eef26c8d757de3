#pragma once
// Softmax over the vocabulary fused with the cross-entropy loss against the next token.

#include <cmath>
#include <cstdint>

#include "ops/shape_check.h"

namespace cllm::ops {

// logits[N,V], targets[N] in [0, V)  ->  lse[N] = log sum_v e^logits[n,v], the softmax's normaliser
// (probs = e^(logits - lse)), and losses[N] = lse[n] - logits[n, target] = -log probs[n, target].
// Returns the mean loss. The probabilities are not stored: the loss needs only lse, and the backward
// recomputes them where it uses them (at large vocabularies writing N x V floats and reading them back
// cost more than computing the exponentials again).
template <typename S>
S cross_entropy_forward_ref(S* lse, S* losses, const S* logits, const int32_t* targets, int N, int V) {
  using std::exp, std::log;
  CLLM_CHECK_SHAPE("cross_entropy_forward", N >= 1 && V >= 1);
  S total = 0;
  for (int n = 0; n < N; ++n) {
    const S* z = logits + static_cast<long>(n) * V;
    S maxval = z[0];
    for (int v = 1; v < V; ++v)
      if (z[v] > maxval) maxval = z[v];
    S sum = 0;
    for (int v = 0; v < V; ++v) sum += exp(z[v] - maxval);
    // log-sum-exp form: exact even when the target's probability underflows.
    lse[n] = log(sum) + maxval;
    losses[n] = lse[n] - z[targets[n]];
    total += losses[n];
  }
  return total / N;
}

// dlogits[N,V] = loss_scale * (e^(logits - lse) - onehot(target)) / N: the gradient of loss_scale times the
// MEAN loss (the scale in the same pass: at large vocabularies a second pass over N x V costs as much as
// this one). dlogits is OVERWRITTEN (it may alias logits).
template <typename S>
void cross_entropy_backward_ref(S* dlogits, const S* logits, const S* lse, const int32_t* targets, int N,
                                int V, S loss_scale) {
  using std::exp;
  CLLM_CHECK_SHAPE("cross_entropy_backward", N >= 1 && V >= 1);
  const S scale = loss_scale / S(N);
  for (int n = 0; n < N; ++n)
    for (int v = 0; v < V; ++v) {
      const long i = static_cast<long>(n) * V + v;
      dlogits[i] = (exp(logits[i] - lse[n]) - (v == targets[n] ? S(1) : S(0))) * scale;
    }
}

float cross_entropy_forward(float* lse, float* losses, const float* logits, const int32_t* targets, int N,
                            int V);

}  // namespace cllm::ops
