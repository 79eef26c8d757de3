// bfloat16 products: the rounding kernel bit for bit on every ISA table, and gemm_bf16 (through sgemm
// under a MatmulPrecisionScope) against a double product of the same bfloat16-rounded operands, for every
// transpose combination, strides, alpha and beta.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "kernels/cpu_kernels.h"
#include "kernels/gemm.h"

namespace {

using namespace cllm::kernels;

float bits_to_float(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

float round_bf16(float x) {
  unsigned short h;
  cpu_kernels().to_bf16(&h, &x, 1);
  return bits_to_float(uint32_t(h) << 16);
}

TEST(ToBf16, RoundsToNearestEvenOnEveryTable) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  // 1 + 2^-8 is halfway between two bfloat16 values: ties go to the even one (1.0); just above rounds up.
  const std::vector<float> in = {1.0f,
                                 bits_to_float(0x3f808000),
                                 bits_to_float(0x3f808001),
                                 bits_to_float(0x3f818000),
                                 -2.5f,
                                 inf,
                                 -inf,
                                 nan,
                                 0.0f,
                                 -0.0f,
                                 3.0e38f,
                                 1e-40f,
                                 65504.0f,
                                 0.1f,
                                 bits_to_float(0x3f7fffff),
                                 7.0f,
                                 -7.25f};
  const std::vector<uint16_t> want = {0x3f80, 0x3f80, 0x3f81, 0x3f82, 0xc020, 0x7f80, 0xff80, 0x7fc0, 0x0000,
                                      0x8000, 0x7f62, 0x0001, 0x4780, 0x3dcd, 0x3f80, 0x40e0, 0xc0e8};
  for (const CpuKernels* k : supported_cpu_kernels()) {
    std::vector<unsigned short> out(in.size());
    k->to_bf16(out.data(), in.data(), static_cast<long>(in.size()));
    for (size_t i = 0; i < in.size(); ++i) EXPECT_EQ(out[i], want[i]) << k->name << " input " << in[i];
  }
}

struct Case {
  bool ta, tb;
  int M, N, K;
  float alpha, beta;
};

class GemmBf16Test : public ::testing::TestWithParam<Case> {};

TEST_P(GemmBf16Test, MatchesDoubleProductOfRoundedOperands) {
  if (!cpu_has_bf16()) GTEST_SKIP() << "this CPU has " << cpu_bf16_description();
  const Case c = GetParam();
  std::mt19937 gen(3);
  std::normal_distribution<float> normal;
  const int a_rows = c.ta ? c.K : c.M, a_cols = c.ta ? c.M : c.K;
  const int b_rows = c.tb ? c.N : c.K, b_cols = c.tb ? c.K : c.N;
  const int lda = a_cols + 2, ldb = b_cols + 5, ldc = c.N + 3;
  std::vector<float> A(size_t(a_rows) * lda), B(size_t(b_rows) * ldb), C(size_t(c.M) * ldc);
  for (auto& x : A) x = normal(gen);
  for (auto& x : B) x = normal(gen);
  for (auto& x : C) x = normal(gen);
  std::vector<float> out = C;
  {
    MatmulPrecisionScope bf16(MatmulPrecision::Bfloat16);
    ASSERT_EQ(matmul_precision(), MatmulPrecision::Bfloat16);
    sgemm(c.ta, c.tb, c.M, c.N, c.K, c.alpha, A.data(), lda, B.data(), ldb, c.beta, out.data(), ldc);
  }
  EXPECT_EQ(matmul_precision(), MatmulPrecision::Float32);
  double worst = 0, worst_f32_gap = 0;
  for (int i = 0; i < c.M; ++i)
    for (int j = 0; j < c.N; ++j) {
      double acc = 0, acc32 = 0;
      for (int k = 0; k < c.K; ++k) {
        const float a = c.ta ? A[size_t(k) * lda + i] : A[size_t(i) * lda + k];
        const float b = c.tb ? B[size_t(j) * ldb + k] : B[size_t(k) * ldb + j];
        acc += double(round_bf16(a)) * round_bf16(b);
        acc32 += double(a) * b;
      }
      const double want = c.alpha * acc + c.beta * C[size_t(i) * ldc + j];
      worst = std::max(worst, std::abs(out[size_t(i) * ldc + j] - want) / std::sqrt(double(c.K)));
      worst_f32_gap = std::max(worst_f32_gap, std::abs(out[size_t(i) * ldc + j] -
                                                       (c.alpha * acc32 + c.beta * C[size_t(i) * ldc + j])));
    }
  EXPECT_LT(worst, 1e-5) << "not the product of the rounded operands";
  EXPECT_GT(worst_f32_gap, 1e-4) << "no bfloat16 rounding happened";
  for (int i = 0; i < c.M; ++i)
    for (int j = c.N; j < ldc; ++j)
      EXPECT_EQ(out[size_t(i) * ldc + j], C[size_t(i) * ldc + j]) << "wrote past a row";
}

INSTANTIATE_TEST_SUITE_P(Shapes, GemmBf16Test,
                         ::testing::Values(Case{false, true, 48, 96, 64, 1.0f, 0.0f},
                                           Case{false, false, 48, 64, 96, 1.0f, 1.0f},
                                           Case{true, false, 96, 64, 48, 1.0f, 1.0f},
                                           Case{true, true, 33, 17, 65, 0.5f, 0.25f},
                                           Case{false, true, 1, 200, 128, 1.0f, 0.0f}));

}  // namespace
