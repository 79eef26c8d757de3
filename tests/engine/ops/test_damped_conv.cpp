#include "ops/damped_conv.h"

#include "op_test_util.h"

namespace cllm::test {
namespace {

struct KernelParams {
  KernelParams(int C, int M, Rng& rng)
      : a(random_vector(C * M, rng)),
        rho(random_vector(C * M, rng, 0.5)),
        omega(random_vector(C * M, rng)),
        psi(random_vector(C * M, rng)) {
    for (auto& r : rho) r -= 1.5;  // decay rates around exp(-1.5) ~ 0.2: slow enough to reach across T
  }
  std::vector<double> a, rho, omega, psi;
};

TEST(DampedKernel, IsTheSumOfDampedOscillations) {
  const int C = 2, M = 3, T = 7;
  Rng rng(81);
  KernelParams k(C, M, rng);
  std::vector<double> h(C * T);
  ops::damped_kernel_forward_ref(h.data(), k.a.data(), k.rho.data(), k.omega.data(), k.psi.data(), C, M, T);
  const int c = 1, lag = 5;
  double expected = 0;
  for (int m = 0; m < M; ++m) {
    const int i = c * M + m;
    expected += k.a[i] * std::exp(-std::exp(k.rho[i]) * lag) * std::cos(k.omega[i] * lag + k.psi[i]);
  }
  EXPECT_NEAR(h[c * T + lag], expected, 1e-15);
}

TEST(DampedKernel, ReferenceGradientsMatchFiniteDifferences) {
  const int C = 3, M = 2, T = 9;
  Rng rng(82);
  KernelParams k(C, M, rng);
  const auto r = random_vector(C * T, rng);
  auto loss = [&] {
    std::vector<double> h(C * T);
    ops::damped_kernel_forward_ref(h.data(), k.a.data(), k.rho.data(), k.omega.data(), k.psi.data(), C, M, T);
    return dot(h, r);
  };
  std::vector<double> da(C * M), drho(C * M), domega(C * M), dpsi(C * M);
  ops::damped_kernel_backward_ref(da.data(), drho.data(), domega.data(), dpsi.data(), r.data(), k.a.data(),
                                  k.rho.data(), k.omega.data(), k.psi.data(), C, M, T);
  expect_gradient_matches("amplitude", k.a, da, loss);
  expect_gradient_matches("log_decay", k.rho, drho, loss);
  expect_gradient_matches("frequency", k.omega, domega, loss);
  expect_gradient_matches("phase", k.psi, dpsi, loss);
}

TEST(CausalConv, ReferenceGradientsMatchFiniteDifferencesAndItIsCausal) {
  const int B = 2, T = 6, C = 3;
  Rng rng(83);
  auto u = random_vector(B * T * C, rng), h = random_vector(C * T, rng);
  const auto r = random_vector(B * T * C, rng);
  auto loss = [&] {
    std::vector<double> y(B * T * C);
    ops::causal_conv_forward_ref(y.data(), u.data(), h.data(), B, T, C);
    return dot(y, r);
  };
  std::vector<double> du(u.size()), dh(h.size());
  ops::causal_conv_backward_ref(du.data(), dh.data(), r.data(), u.data(), h.data(), B, T, C);
  expect_gradient_matches("du", u, du, loss);
  expect_gradient_matches("dh", h, dh, loss);
  // Changing the last position's input changes no earlier output.
  std::vector<double> y(u.size()), y2(u.size());
  ops::causal_conv_forward_ref(y.data(), u.data(), h.data(), B, T, C);
  auto later = u;
  for (int c = 0; c < C; ++c) later[(T - 1) * C + c] += 1.0;
  ops::causal_conv_forward_ref(y2.data(), later.data(), h.data(), B, T, C);
  for (int i = 0; i < (T - 1) * C; ++i) EXPECT_EQ(y[i], y2[i]);
}

class CausalConvShapes : public ::testing::TestWithParam<std::tuple<int, int, int>> {};

// The FFT path, zero-padded, equals the direct sums: no wrap-around at any length, power of two or not.
TEST_P(CausalConvShapes, FftPathMatchesTheDirectReference) {
  const auto [B, T, C] = GetParam();
  Rng rng(84 + T);
  const auto u = random_vector(static_cast<size_t>(B) * T * C, rng), dy = random_vector(u.size(), rng),
             du0 = random_vector(u.size(), rng);
  // A kernel that stays large at long lags: wrap-around would show.
  std::vector<double> h(static_cast<size_t>(C) * T);
  for (int c = 0; c < C; ++c)
    for (int k = 0; k < T; ++k)
      h[c * T + k] = std::cos(0.3 * k + c) * std::exp(-0.01 * k) + 0.1 * rng.normal();
  std::vector<double> y(u.size()), du = du0, dh(h.size(), 0.0);
  ops::causal_conv_forward_ref(y.data(), u.data(), h.data(), B, T, C);
  ops::causal_conv_backward_ref(du.data(), dh.data(), dy.data(), u.data(), h.data(), B, T, C);
  const auto fu = to_float(u), fh = to_float(h), fdy = to_float(dy);
  auto fdu = to_float(du0);
  std::vector<float> fy(y.size()), fdh(h.size(), 0.0f);
  ops::causal_conv_forward(fy.data(), fu.data(), fh.data(), B, T, C);
  ops::causal_conv_backward(fdu.data(), fdh.data(), fdy.data(), fu.data(), fh.data(), B, T, C);
  expect_close("y", fy, y, 2e-6);
  expect_close("du", fdu, du, 2e-6);
  expect_close("dh", fdh, dh, 2e-6);
}

INSTANTIATE_TEST_SUITE_P(Lengths, CausalConvShapes,
                         ::testing::Values(std::tuple{1, 1, 1}, std::tuple{2, 5, 3}, std::tuple{3, 37, 8},
                                           std::tuple{12, 64, 128}, std::tuple{2, 256, 16}));

TEST(CausalConv, DecodingStepEqualsTheFullConvolution) {
  const int NS = 3, T = 11, C = 5, T_max = 16;
  Rng rng(85);
  const auto u = random_vector(NS * T * C, rng);
  std::vector<double> h(C * T_max), h_T(C * T);
  for (auto& x : h) x = rng.normal();
  for (int c = 0; c < C; ++c) std::copy_n(h.begin() + c * T_max, T, h_T.begin() + c * T);
  std::vector<double> y(u.size());
  ops::causal_conv_forward_ref(y.data(), u.data(), h_T.data(), NS, T, C);
  std::vector<double> history(NS * T_max * C);
  for (int s = 0; s < NS; ++s)  // channel-major
    for (int t = 0; t < T; ++t)
      for (int c = 0; c < C; ++c) history[(s * C + c) * T_max + t] = u[(s * T + t) * C + c];
  const auto fhistory = to_float(history), fh = to_float(h);
  for (int t = 0; t < T; ++t) {
    std::vector<double> step(NS * C), expected(NS * C);
    ops::causal_conv_step_ref(step.data(), history.data(), h.data(), NS, t, T_max, C);
    for (int s = 0; s < NS; ++s) std::copy_n(y.begin() + (s * T + t) * C, C, expected.begin() + s * C);
    for (int i = 0; i < NS * C; ++i) ASSERT_NEAR(step[i], expected[i], 1e-12) << t;
    std::vector<float> fstep(NS * C);
    ops::causal_conv_step(fstep.data(), fhistory.data(), fh.data(), NS, t, T_max, C);
    expect_close("step", fstep, expected, 1e-6);
  }
}

}  // namespace
}  // namespace cllm::test
