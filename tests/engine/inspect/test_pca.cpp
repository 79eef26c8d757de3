// PCA on cases whose answer is known by hand, sign alignment with a previous result, and shape errors.
#include "inspect/pca.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../expect_error.h"
#include "util/rng.h"

namespace cllm::test {
namespace {

TEST(Pca, ExactTwoDimensionalCase) {
  // Variance along x is (4 + 4) / 3, along y (1 + 1) / 3: shares 0.8 and 0.2, axes x then y.
  const std::vector<float> rows = {2, 0, -2, 0, 0, 1, 0, -1};
  const PcaResult r = pca(rows.data(), 4, 2, 2);
  EXPECT_EQ(r.components, 2);
  ASSERT_EQ(r.variance_share.size(), 2u);
  EXPECT_NEAR(r.variance_share[0], 0.8, 1e-12);
  EXPECT_NEAR(r.variance_share[1], 0.2, 1e-12);
  EXPECT_NEAR(r.mean[0], 0, 1e-7);
  EXPECT_NEAR(r.mean[1], 0, 1e-7);
  // Without a previous result each axis's largest entry is positive: (1, 0) and (0, 1).
  const std::vector<float> axes = {1, 0, 0, 1};
  for (size_t i = 0; i < axes.size(); ++i) EXPECT_NEAR(r.axes[i], axes[i], 1e-6) << i;
  const std::vector<float> coords = {2, 0, -2, 0, 0, 1, 0, -1};
  for (size_t i = 0; i < coords.size(); ++i) EXPECT_NEAR(r.coordinates[i], coords[i], 1e-6) << i;
}

TEST(Pca, PointsOnALineWithSmallNoise) {
  // Along (1, 1)/sqrt 2 with spread ~ sqrt(var of -1..1), noise 0.1 across: shares about 0.99 and 0.01.
  Rng rng(5);
  const int n = 2000;
  std::vector<float> rows;
  for (int i = 0; i < n; ++i) {
    const double t = -1 + 2.0 * i / (n - 1),
                 e = 0.1 * (rng.uniform() - 0.5) * std::sqrt(12.0) * std::sqrt(1.0 / 3);
    rows.push_back(static_cast<float>(3 + (t - e) / std::sqrt(2.0)));
    rows.push_back(static_cast<float>(-1 + (t + e) / std::sqrt(2.0)));
  }
  const PcaResult r = pca(rows.data(), n, 2, 2);
  EXPECT_NEAR(r.variance_share[0], 0.99, 0.002);
  EXPECT_NEAR(r.variance_share[1], 0.01, 0.002);
  EXPECT_NEAR(r.mean[0], 3, 1e-3);
  EXPECT_NEAR(r.mean[1], -1, 1e-3);
  // The sample's noise correlates with t by ~1/sqrt(n), tilting the axis by a few thousandths of a radian.
  EXPECT_NEAR(std::abs(r.axes[0]), std::sqrt(0.5), 6e-3);
  EXPECT_NEAR(r.axes[0], r.axes[1], 6e-3);  // same sign: the line rises
}

TEST(Pca, SharesDescendSumToAtMostOneAndAllComponentsReconstruct) {
  Rng rng(6);
  const int n = 300, d = 10;
  std::vector<float> rows(static_cast<size_t>(n) * d);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j)
      rows[static_cast<size_t>(i) * d + j] = static_cast<float>(rng.normal() * (j + 1) + j);
  const PcaResult r = pca(rows.data(), n, d, d);
  double sum = 0;
  for (size_t c = 0; c < r.variance_share.size(); ++c) {
    sum += r.variance_share[c];
    if (c > 0) {
      EXPECT_LE(r.variance_share[c], r.variance_share[c - 1]);
    }
  }
  EXPECT_LE(sum, 1 + 1e-12);
  EXPECT_NEAR(sum, 1, 1e-9);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) {
      double x = r.mean[j];
      for (int c = 0; c < d; ++c)
        x += double(r.coordinates[static_cast<size_t>(i) * d + c]) * r.axes[static_cast<size_t>(c) * d + j];
      ASSERT_NEAR(x, rows[static_cast<size_t>(i) * d + j], 2e-4) << i << "," << j;
    }
  const PcaResult three = pca(rows.data(), n, d, 3);
  EXPECT_LT(three.variance_share[0] + three.variance_share[1] + three.variance_share[2], 1);
  EXPECT_EQ(three.coordinates.size(), static_cast<size_t>(n) * 3);
}

TEST(Pca, AxesFollowThePreviousResultsSigns) {
  const std::vector<float> rows = {2, 0.1f, -2, 0, 0, 1, 0.2f, -1, 1, 0.5f};
  const PcaResult first = pca(rows.data(), 5, 2, 2);
  PcaResult flipped = first;
  for (int j = 0; j < 2; ++j)
    flipped.axes[static_cast<size_t>(j)] = -flipped.axes[static_cast<size_t>(j)];  // axis 0 only
  const PcaResult follow = pca(rows.data(), 5, 2, 2, &flipped);
  for (int j = 0; j < 2; ++j) {
    EXPECT_FLOAT_EQ(follow.axes[static_cast<size_t>(j)], -first.axes[static_cast<size_t>(j)]);
    EXPECT_FLOAT_EQ(follow.axes[static_cast<size_t>(2 + j)], first.axes[static_cast<size_t>(2 + j)]);
  }
  for (int i = 0; i < 5; ++i) {
    EXPECT_FLOAT_EQ(follow.coordinates[static_cast<size_t>(2 * i)],
                    -first.coordinates[static_cast<size_t>(2 * i)]);
    EXPECT_FLOAT_EQ(follow.coordinates[static_cast<size_t>(2 * i + 1)],
                    first.coordinates[static_cast<size_t>(2 * i + 1)]);
  }
  // A previous result of another shape is ignored.
  const PcaResult one = pca(rows.data(), 5, 2, 1);
  const PcaResult unaffected = pca(rows.data(), 5, 2, 2, &one);
  EXPECT_EQ(unaffected.axes, first.axes);
}

TEST(Pca, ShapeErrors) {
  const std::vector<float> rows = {1, 2, 3, 4};
  expect_error([&] { pca(rows.data(), 1, 2, 1); }, "at least 2 points");
  expect_error([&] { pca(rows.data(), 2, 2, 0); }, "0 components");
  expect_error([&] { pca(rows.data(), 2, 2, 3); }, "3 components asked of 2-dimensional points");
}

}  // namespace
}  // namespace cllm::test
