#include "util/rng.h"

#include <gtest/gtest.h>

#include <cmath>

#include "util/error.h"

namespace cllm {
namespace {

TEST(Rng, SameSeedSameSequenceDifferentSeedDifferent) {
  Rng a(42), b(42), c(43);
  int differ = 0;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    differ += x != c.next_u64();
  }
  EXPECT_GT(differ, 95);
}

TEST(Rng, StateRoundTripContinuesIdentically) {
  Rng a(7);
  for (int i = 0; i < 11; ++i) a.normal();  // odd count leaves a cached spare normal
  Rng b(0);
  b.set_state(a.state());
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(a.normal(), b.normal());
    EXPECT_EQ(a.below(1000), b.below(1000));
  }
}

TEST(Rng, MalformedStateIsRejected) {
  Rng r(1);
  EXPECT_THROW(r.set_state("12 34"), Error);
  EXPECT_THROW(r.set_state("0 0 0 0"), Error);
  EXPECT_THROW(r.set_state("1 2 3 4 zz"), Error);
}

TEST(Rng, UniformAndNormalMoments) {
  Rng r(3);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
    const double z = r.normal();
    sn += z;
    sn2 += z * z;
  }
  EXPECT_NEAR(su / n, 0.5, 0.005);
  EXPECT_NEAR(sn / n, 0.0, 0.01);
  EXPECT_NEAR(sn2 / n, 1.0, 0.02);
}

TEST(Rng, BelowCoversRangeEvenly) {
  Rng r(5);
  int counts[7] = {};
  for (int i = 0; i < 70000; ++i) ++counts[r.below(7)];
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);
}

}  // namespace
}  // namespace cllm
