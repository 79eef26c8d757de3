// The fixed positional tables and the lattice embedding, against the spec's formulas.
#include "layers/positional_encoding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "lattice/primes.h"
#include "layers/embedding.h"
#include "util/error.h"

namespace cllm::layers {
namespace {

double row_norm(const std::vector<double>& table, int t, int C) {
  double s = 0;
  for (int i = 0; i < C; ++i) s += table[t * C + i] * table[t * C + i];
  return std::sqrt(s);
}

TEST(PositionalEncoding, KindsAndNames) {
  EXPECT_EQ(positional_kind("learned"), PositionKind::learned);
  EXPECT_EQ(positional_kind("rope"), PositionKind::rotary);
  EXPECT_EQ(positional_kind("none"), PositionKind::none);
  for (const char* fixed : {"sinusoidal", "spiral", "clock", "prime"})
    EXPECT_EQ(positional_kind(fixed), PositionKind::fixed);
  EXPECT_EQ(positional_encoding_names().size(), 7u);
  try {
    positional_kind("helix");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("known: learned, sinusoidal, rope, spiral, clock, prime, none"),
              std::string::npos);
  }
  EXPECT_THROW(fixed_positional_table("learned", 4, 4), Error);
}

TEST(PositionalEncoding, SpiralFollowsTheGoldenAngleWithUnitRows) {
  const int T = 40, C = 10;
  const auto table = fixed_positional_table("spiral", T, C);
  for (int t = 0; t < T; ++t) EXPECT_NEAR(row_norm(table, t, C), 1.0, 1e-12) << t;
  // Before normalisation channel i is cos/sin((floor(i/2)+1) gamma t): ratios within a row survive it.
  const int t = 7;
  const double g = 2.3999632297286533;
  EXPECT_NEAR(table[t * C + 2] / table[t * C + 0], std::cos(2 * g * t) / std::cos(g * t), 1e-9);
  EXPECT_NEAR(table[t * C + 3] / table[t * C + 1], std::sin(2 * g * t) / std::sin(g * t), 1e-9);
}

TEST(PositionalEncoding, ClockRepeatsEveryTwelvePositionsUpToItsSlowTerm) {
  const int T = 48, C = 16;
  const auto table = fixed_positional_table("clock", T, C);
  for (int t = 0; t < T; ++t) EXPECT_NEAR(row_norm(table, t, C), 1.0, 1e-12);
  // Channels 4m+2 and 4m+3 carry only the 12-hour part: rows 12 apart differ only by normalisation.
  for (int t = 0; t + 12 < T; ++t) {
    const double ratio_now = table[t * C + 2] / table[t * C + 6];
    const double ratio_later = table[(t + 12) * C + 2] / table[(t + 12) * C + 6];
    if (std::abs(table[t * C + 6]) > 1e-6) {
      EXPECT_NEAR(ratio_now, ratio_later, 1e-9) << t;
    }
  }
  // The slow term makes rows 12 apart differ (it is what tells the hours of different days apart).
  double diff = 0;
  for (int i = 0; i < C; ++i) diff += std::abs(table[0 * C + i] - table[12 * C + i]);
  EXPECT_GT(diff, 1e-3);
}

TEST(PositionalEncoding, PrimeRowsGrowFromAboutAHalfToOne) {
  const int T = 64, C = 8;
  const auto table = fixed_positional_table("prime", T, C);
  const auto q = first_primes(T);
  for (int t = 0; t < T; ++t)
    EXPECT_NEAR(row_norm(table, t, C), 0.5 + 0.5 * std::log(double(q[t])) / std::log(double(q[T - 1])),
                1e-12);
  EXPECT_NEAR(row_norm(table, T - 1, C), 1.0, 1e-12);
  // Channel 0 of row t is cos(2 pi (q_t mod 1000) / 1000) before scaling; channel 1 the sin of twice it.
  const int t = 30;
  const double angle = 2 * std::numbers::pi * double(q[t] % 1000) / 1000.0;
  EXPECT_NEAR(table[t * C + 1] / table[t * C + 0], std::sin(2 * angle) / std::cos(angle), 1e-9);
}

TEST(LatticeEmbedding, RowsHaveTheRandomInitNormAndDifferPerToken) {
  const int V = 65, C = 32;
  const auto table = lattice_embedding(V, C);
  for (int k = 0; k < V; ++k) EXPECT_NEAR(row_norm(table, k, C), 0.02 * std::sqrt(double(C)), 1e-12) << k;
  for (int k = 1; k < V; ++k) {
    double diff = 0;
    for (int i = 0; i < C; ++i) diff += std::abs(table[k * C + i] - table[(k - 1) * C + i]);
    EXPECT_GT(diff, 1e-6) << k;
  }
  EXPECT_EQ(lattice_embedding(V, C), table);  // deterministic
  EXPECT_THROW(check_embedding_init("prime"), Error);
}

}  // namespace
}  // namespace cllm::layers
