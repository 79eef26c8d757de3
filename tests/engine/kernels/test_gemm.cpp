// sgemm against a plain triple loop, for every transpose combination, strided operands and beta, with
// each backend (oneDNN, the default, and OpenBLAS).
#include <gtest/gtest.h>

#include <random>
#include <tuple>
#include <vector>

#include "kernels/gemm.h"

namespace {

struct Case {
  bool ta, tb;
  int M, N, K;
  float alpha, beta;
};

using cllm::kernels::GemmBackend;

class GemmTest : public ::testing::TestWithParam<std::tuple<Case, GemmBackend>> {
 protected:
  void SetUp() override { cllm::kernels::set_gemm_backend(std::get<1>(GetParam())); }
  void TearDown() override { cllm::kernels::set_gemm_backend(GemmBackend::OneDnn); }
};

TEST_P(GemmTest, MatchesNaiveProduct) {
  const Case c = std::get<0>(GetParam());
  std::mt19937 gen(7);
  std::normal_distribution<float> normal;
  // Stored shapes: A is [M,K] or [K,M]; B is [K,N] or [N,K]; every row padded by 3 to test strides.
  const int a_rows = c.ta ? c.K : c.M, a_cols = c.ta ? c.M : c.K;
  const int b_rows = c.tb ? c.N : c.K, b_cols = c.tb ? c.K : c.N;
  const int lda = a_cols + 3, ldb = b_cols + 3, ldc = c.N + 3;
  std::vector<float> A(a_rows * lda), B(b_rows * ldb), C(c.M * ldc);
  for (auto& x : A) x = normal(gen);
  for (auto& x : B) x = normal(gen);
  for (auto& x : C) x = normal(gen);
  std::vector<float> expected = C;
  for (int i = 0; i < c.M; ++i)
    for (int j = 0; j < c.N; ++j) {
      double sum = 0;
      for (int k = 0; k < c.K; ++k) {
        const float a = c.ta ? A[k * lda + i] : A[i * lda + k];
        const float b = c.tb ? B[j * ldb + k] : B[k * ldb + j];
        sum += double(a) * b;
      }
      expected[i * ldc + j] = float(c.alpha * sum + c.beta * C[i * ldc + j]);
    }
  cllm::kernels::sgemm(c.ta, c.tb, c.M, c.N, c.K, c.alpha, A.data(), lda, B.data(), ldb, c.beta, C.data(),
                       ldc);
  for (int i = 0; i < c.M; ++i) {
    for (int j = 0; j < c.N; ++j)
      ASSERT_NEAR(C[i * ldc + j], expected[i * ldc + j], 1e-4f * (1 + c.K)) << i << "," << j;
    // The padding between rows is never written.
    for (int j = c.N; j < ldc && i + 1 < c.M; ++j) ASSERT_EQ(C[i * ldc + j], expected[i * ldc + j]);
  }
}

// The last two are a training step's shapes (768 rows would be slow in the naive loop; 200 rows keep the
// backends' threaded, blocked paths).
INSTANTIATE_TEST_SUITE_P(AllTransposes, GemmTest,
                         ::testing::Combine(::testing::Values(Case{false, false, 17, 9, 33, 1.0f, 0.0f},
                                                              Case{false, true, 17, 9, 33, 1.0f, 1.0f},
                                                              Case{true, false, 5, 40, 12, 0.5f, 1.0f},
                                                              Case{true, true, 8, 8, 64, 2.0f, -1.0f},
                                                              Case{false, false, 1, 128, 128, 1.0f, 0.0f},
                                                              Case{false, true, 1, 384, 128, 1.0f, 1.0f},
                                                              Case{false, true, 200, 65, 128, 1.0f, 0.0f},
                                                              Case{true, false, 128, 512, 200, 1.0f, 1.0f}),
                                            ::testing::Values(GemmBackend::OneDnn, GemmBackend::OpenBlas)));

TEST(GemmBackend, NamesRoundTripAndOneDnnIsTheDefault) {
  EXPECT_EQ(cllm::kernels::gemm_backend(), GemmBackend::OneDnn);
  for (GemmBackend b : {GemmBackend::OneDnn, GemmBackend::OpenBlas})
    EXPECT_EQ(cllm::kernels::parse_gemm_backend(cllm::kernels::gemm_backend_name(b)), b);
  EXPECT_FALSE(cllm::kernels::parse_gemm_backend("mkl").has_value());
}

}  // namespace
