// GELU, residual, encoder and cross-entropy: the ops without matrix products.
#include "ops/cross_entropy.h"
#include "ops/encoder.h"
#include "ops/gelu.h"
#include "ops/residual.h"

#include "op_test_util.h"

namespace cllm::test {
namespace {

TEST(Gelu, ReferenceGradientMatchesFiniteDifferencesAndKnownValues) {
  Rng rng(41);
  auto x = random_vector(200, rng, 3.0), r = random_vector(200, rng);
  auto loss = [&] {
    std::vector<double> out(x.size());
    ops::gelu_forward_ref(out.data(), x.data(), static_cast<long>(x.size()));
    return dot(out, r);
  };
  std::vector<double> dx(x.size());
  ops::gelu_backward_ref(dx.data(), x.data(), r.data(), static_cast<long>(x.size()));
  expect_gradient_matches("dinp", x, dx, loss);
  // gelu(0) = 0, gelu(x) -> x for large x, -> 0 for very negative x; gelu(1) ~ 0.841192 (tanh form).
  const std::vector<double> pts = {0.0, 1.0, 10.0, -10.0};
  std::vector<double> out(4);
  ops::gelu_forward_ref(out.data(), pts.data(), 4);
  EXPECT_EQ(out[0], 0.0);
  EXPECT_NEAR(out[1], 0.841192, 1e-6);
  EXPECT_NEAR(out[2], 10.0, 1e-9);
  EXPECT_NEAR(out[3], 0.0, 1e-9);
}

TEST(Gelu, FastMatchesReference) {
  Rng rng(42);
  const long n = 768 * 512 + 13;  // not a multiple of the chunk or SIMD width
  auto x = random_vector(n, rng, 4.0), d = random_vector(n, rng), d0 = random_vector(n, rng);
  std::vector<double> out(n), dx = d0;
  ops::gelu_forward_ref(out.data(), x.data(), n);
  ops::gelu_backward_ref(dx.data(), x.data(), d.data(), n);
  auto fx = to_float(x), fd = to_float(d), fdx = to_float(d0);
  std::vector<float> fo(n);
  ops::gelu_forward(fo.data(), fx.data(), n);
  ops::gelu_backward(fdx.data(), fx.data(), fd.data(), n);
  expect_close("out", fo, out, 1e-5);
  expect_close("dinp", fdx, dx, 1e-5);
}

TEST(Residual, ForwardAddsBackwardFansOut) {
  Rng rng(43);
  const long n = 100000;
  auto a = random_vector(n, rng), b = random_vector(n, rng), d = random_vector(n, rng);
  std::vector<double> out(n), da(n), db(n);
  ops::residual_forward_ref(out.data(), a.data(), b.data(), n);
  ops::residual_backward_ref(da.data(), db.data(), d.data(), n);
  auto fa = to_float(a), fb = to_float(b), fd = to_float(d);
  std::vector<float> fo(n), fda(n, 0.0f), fdb(n, 0.0f);
  ops::residual_forward(fo.data(), fa.data(), fb.data(), n);
  ops::residual_backward(fda.data(), fdb.data(), fd.data(), n);
  for (long i = 0; i < n; i += 997) {
    EXPECT_DOUBLE_EQ(out[i], a[i] + b[i]);
    EXPECT_EQ(fo[i], fa[i] + fb[i]);
    EXPECT_EQ(da[i], d[i]);
    EXPECT_EQ(fdb[i], fd[i]);
  }
}

TEST(Encoder, ReferenceGradientsMatchFiniteDifferences) {
  const int B = 2, T = 4, C = 5, V = 6, Tmax = 7;
  const std::vector<int32_t> inp = {1, 3, 3, 0, 5, 1, 2, 1};  // repeated tokens must accumulate
  Rng rng(44);
  auto wte = random_vector(V * C, rng), wpe = random_vector(Tmax * C, rng), r = random_vector(B * T * C, rng);
  auto loss = [&] {
    std::vector<double> out(B * T * C);
    ops::encoder_forward_ref(out.data(), inp.data(), wte.data(), wpe.data(), B, T, C);
    return dot(out, r);
  };
  std::vector<double> dwte(V * C), dwpe(Tmax * C);
  ops::encoder_backward_ref(dwte.data(), dwpe.data(), r.data(), inp.data(), B, T, C);
  expect_gradient_matches("dwte", wte, dwte, loss);
  expect_gradient_matches("dwpe", wpe, dwpe, loss);
  // Fast path.
  auto fwte = to_float(wte), fwpe = to_float(wpe), fr = to_float(r);
  std::vector<double> out(B * T * C);
  ops::encoder_forward_ref(out.data(), inp.data(), wte.data(), wpe.data(), B, T, C);
  std::vector<float> fo(B * T * C), fdwte(V * C), fdwpe(Tmax * C);
  ops::encoder_forward(fo.data(), inp.data(), fwte.data(), fwpe.data(), B, T, C);
  ops::encoder_backward(fdwte.data(), fdwpe.data(), fr.data(), inp.data(), B, T, C);
  expect_close("out", fo, out);
  expect_close("dwte", fdwte, dwte);
  expect_close("dwpe", fdwpe, dwpe);
}

TEST(CrossEntropy, ReferenceGradientMatchesFiniteDifferences) {
  const int N = 4, V = 9;
  const std::vector<int32_t> targets = {0, 8, 3, 3};
  Rng rng(45);
  auto logits = random_vector(N * V, rng, 2.0);
  auto loss = [&] {
    std::vector<double> lse(N), losses(N);
    return ops::cross_entropy_forward_ref(lse.data(), losses.data(), logits.data(), targets.data(), N, V);
  };
  std::vector<double> lse(N), losses(N), dlogits(N * V);
  ops::cross_entropy_forward_ref(lse.data(), losses.data(), logits.data(), targets.data(), N, V);
  ops::cross_entropy_backward_ref(dlogits.data(), logits.data(), lse.data(), targets.data(), N, V, 1.0);
  expect_gradient_matches("dlogits", logits, dlogits, loss);
  // A loss scale scales the gradient.
  std::vector<double> scaled(N * V);
  ops::cross_entropy_backward_ref(scaled.data(), logits.data(), lse.data(), targets.data(), N, V, 2.5);
  for (int i = 0; i < N * V; ++i) EXPECT_NEAR(scaled[i], 2.5 * dlogits[i], 1e-15);
  // In place over the logits, as the op allows.
  auto in_place = logits;
  ops::cross_entropy_backward_ref(in_place.data(), in_place.data(), lse.data(), targets.data(), N, V, 1.0);
  EXPECT_EQ(in_place, dlogits);
}

TEST(CrossEntropy, UniformLogitsGiveLogV) {
  const int N = 3, V = 65;
  std::vector<double> logits(N * V, 0.25), lse(N), losses(N);
  const std::vector<int32_t> targets = {0, 10, 64};
  const double mean =
      ops::cross_entropy_forward_ref(lse.data(), losses.data(), logits.data(), targets.data(), N, V);
  EXPECT_NEAR(mean, std::log(65.0), 1e-12);
  for (double l : lse) EXPECT_NEAR(l, 0.25 + std::log(65.0), 1e-12);
}

TEST(CrossEntropy, FastMatchesReferenceIncludingExtremeLogits) {
  const int N = 768, V = 65;
  Rng rng(46);
  auto logits = random_vector(N * V, rng, 3.0);
  logits[5] = 80.0;  // saturating row: the loss must stay finite for the other targets
  std::vector<int32_t> targets(N);
  for (auto& t : targets) t = static_cast<int32_t>(rng.below(V));
  std::vector<double> lse(N), losses(N);
  const double mean =
      ops::cross_entropy_forward_ref(lse.data(), losses.data(), logits.data(), targets.data(), N, V);
  auto fl = to_float(logits);
  std::vector<float> flse(N), fls(N);
  const float fmean = ops::cross_entropy_forward(flse.data(), fls.data(), fl.data(), targets.data(), N, V);
  EXPECT_NEAR(fmean, mean, 1e-5 * mean);
  expect_close("losses", fls, losses);
  expect_close("lse", flse, lse);
}

}  // namespace
}  // namespace cllm::test
