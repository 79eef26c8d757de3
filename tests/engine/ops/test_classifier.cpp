// The head's backward fused with the loss's: exact gradients of the reference, and the fast path (which
// works through slices of the vocabulary) held to it.
#include "ops/classifier.h"

#include <omp.h>

#include "op_test_util.h"

namespace cllm::test {
namespace {

TEST(Classifier, ReferenceGradientsMatchFiniteDifferences) {
  const int N = 4, C = 5, V = 9;
  const double loss_scale = 0.75;
  const std::vector<int32_t> targets = {0, 8, 3, 3};
  Rng rng(47);
  auto in = random_vector(N * C, rng), table = random_vector(V * C, rng);
  auto loss = [&] {
    std::vector<double> logits(N * V), lse(N), losses(N);
    ops::matmul_forward_ref(logits.data(), in.data(), table.data(), static_cast<const double*>(nullptr), N, C,
                            V);
    return loss_scale *
           ops::cross_entropy_forward_ref(lse.data(), losses.data(), logits.data(), targets.data(), N, V);
  };
  std::vector<double> logits(N * V), lse(N), losses(N), din(N * C), dtable(V * C);
  ops::matmul_forward_ref(logits.data(), in.data(), table.data(), static_cast<const double*>(nullptr), N, C,
                          V);
  ops::cross_entropy_forward_ref(lse.data(), losses.data(), logits.data(), targets.data(), N, V);
  ops::classifier_backward_ref(din.data(), dtable.data(), static_cast<double*>(nullptr), logits.data(),
                               lse.data(), targets.data(), in.data(), table.data(), N, C, V, loss_scale);
  expect_gradient_matches("din", in, din, loss);
  expect_gradient_matches("dtable", table, dtable, loss);
}

// Vocabularies that fill one slice, several, and several with a partial last one; rows few and many
// (many rows make the slices narrow); gradients added to what the buffers held. On one thread the op
// works through slices; with more (outside a parallel region) the library's threads take whole rows.
TEST(Classifier, FastMatchesReferenceAcrossSlices) {
  struct Shape {
    int N, C, V;
  };
  const int threads_before = omp_get_max_threads();
  for (int threads : {1, 2})
    for (const Shape s : {Shape{5, 7, 65}, Shape{384, 32, 1000}, Shape{3000, 16, 50}, Shape{64, 24, 8192}}) {
      omp_set_num_threads(threads);
      const int N = s.N, C = s.C, V = s.V;
      Rng rng(48 + V);
      std::vector<int32_t> targets(N);
      for (auto& t : targets) t = static_cast<int32_t>(rng.below(V));
      targets[0] = V - 1;  // a target in the last slice
      auto in = random_vector(N * C, rng), table = random_vector(V * C, rng, 0.5);
      auto din = random_vector(N * C, rng, 1e-4), dtable = random_vector(V * C, rng, 1e-4);
      std::vector<double> logits(N * V), lse(N), losses(N);
      ops::matmul_forward_ref(logits.data(), in.data(), table.data(), static_cast<const double*>(nullptr), N,
                              C, V);
      ops::cross_entropy_forward_ref(lse.data(), losses.data(), logits.data(), targets.data(), N, V);
      auto fdin = to_float(din), fdtable = to_float(dtable), flogits = to_float(logits), flse = to_float(lse),
           fin = to_float(in), ftable = to_float(table);
      std::vector<float> fscratch(ops::classifier_scratch_floats(N, V));
      ops::classifier_backward_ref(din.data(), dtable.data(), static_cast<double*>(nullptr), logits.data(),
                                   lse.data(), targets.data(), in.data(), table.data(), N, C, V, 0.375);
      ops::classifier_backward(fdin.data(), fdtable.data(), fscratch.data(), flogits.data(), flse.data(),
                               targets.data(), fin.data(), ftable.data(), N, C, V, 0.375f);
      const std::string shape = std::to_string(N) + "x" + std::to_string(C) + "x" + std::to_string(V);
      omp_set_num_threads(threads_before);
      expect_close("din " + shape + ", " + std::to_string(threads) + " threads", fdin, din);
      expect_close("dtable " + shape + ", " + std::to_string(threads) + " threads", fdtable, dtable);
    }
}

}  // namespace
}  // namespace cllm::test
