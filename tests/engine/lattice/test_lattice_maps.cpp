// The four lattice maps at points worked out by hand from the spec's formulas, the Ulam spiral against a
// plain walk, and the animation functions.
#include "lattice/lattice_maps.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numbers>

#include "lattice/primes.h"
#include "../expect_error.h"

namespace cllm::test {
namespace {

constexpr double kTol = 1e-12;

void expect_point(const Point3& p, double x, double y, double z, double tol = kTol) {
  EXPECT_NEAR(p.x, x, tol);
  EXPECT_NEAR(p.y, y, tol);
  EXPECT_NEAR(p.z, z, tol);
}

TEST(LatticeMaps, GoldenAngleConeAtTheFirstThreeTokens) {
  EXPECT_NEAR(kGoldenAngle, 2 * std::numbers::pi / (kPhi * kPhi), 1e-15);
  expect_point(prime_cone(0, 2), 0, 0, std::log(3.0));  // r = 0
  // k = 1: r = 1, theta = gamma = 2.399963 rad (137.5 deg).
  expect_point(prime_cone(1, 3), -0.7373688780783197, 0.6754902942615238, std::log(4.0));
  // k = 2: r = sqrt 2, theta = 2 gamma = 4.799926 rad (275.0 deg).
  expect_point(prime_cone(2, 5), 0.12363864559502138, -1.4087985964343621, std::log(6.0));
  expect_error([] { prime_cone(-1, 2); }, "negative");
}

TEST(LatticeMaps, ClockAbacusRingsSlotsAnglesAndRadii) {
  struct Case {
    int64_t n, ring;
    int slot, slot_count;
    double radius, angle;
  };
  const Case cases[] = {
      {1, 0, 0, 12, 0.25, 270},   {4, 0, 3, 12, 0.25, 0},        {12, 0, 11, 12, 0.25, 240},
      {13, 1, 0, 60, 0.5, 270},   {28, 1, 15, 60, 0.5, 0},       {72, 1, 59, 60, 0.5, 264},
      {73, 2, 0, 60, 0.75, 270},  {132, 2, 59, 60, 0.75, 264},   {133, 3, 0, 100, 1.0, 270},
      {158, 3, 25, 100, 1.0, 0},  {232, 3, 99, 100, 1.0, 266.4}, {233, 4, 0, 100, 1.25, 270},
      {333, 5, 0, 100, 1.5, 270}, {359, 5, 26, 100, 1.5, 3.6},
  };
  for (const Case& c : cases) {
    const ClockPosition p = clock_position(c.n);
    EXPECT_EQ(p.ring, c.ring) << c.n;
    EXPECT_EQ(p.slot, c.slot) << c.n;
    EXPECT_EQ(p.slot_count, c.slot_count) << c.n;
    EXPECT_DOUBLE_EQ(p.radius, c.radius) << c.n;
    EXPECT_NEAR(p.angle_degrees, c.angle, 1e-12) << c.n;
  }
  expect_point(clock_abacus(4), 0.25, 0, 0);
  expect_point(clock_abacus(13), 0, -0.5, 1);
  expect_point(clock_abacus(25), 0.5 * std::cos(342 * std::numbers::pi / 180),
               0.5 * std::sin(342 * std::numbers::pi / 180), 1);  // index 25 (the prime 97): ring 1, slot 12
  expect_error([] { clock_position(0); }, "below 1");
}

TEST(LatticeMaps, ModularHelix) {
  // p = 2: theta = 60 deg, r = 2^(log2 phi) = phi, z = ln 2 / ln phi.
  expect_point(modular_helix(2), kPhi / 2, kPhi * std::sqrt(3.0) / 2, 1.4404200904125564);
  // p = 13: 13 mod 12 = 1, theta = 30 deg, r = 13^0.694242 = 5.933981.
  expect_point(modular_helix(13), 5.138978447355348, 2.966990589940295, 5.330187713371007, 1e-11);
  expect_error([] { modular_helix(0); }, "at least 1");
}

// The spiral walked step by step: right 1, up 1, left 2, down 2, right 3, ...
std::vector<std::pair<int64_t, int64_t>> walk(int64_t count) {
  std::vector<std::pair<int64_t, int64_t>> at(1, {0, 0});  // at[n - 1] is the point of n
  int64_t x = 0, y = 0;
  const int dx[] = {1, 0, -1, 0}, dy[] = {0, 1, 0, -1};
  for (int64_t leg = 0; static_cast<int64_t>(at.size()) < count; ++leg) {
    const int64_t length = leg / 2 + 1;
    for (int64_t s = 0; s < length && static_cast<int64_t>(at.size()) < count; ++s) {
      x += dx[leg % 4];
      y += dy[leg % 4];
      at.emplace_back(x, y);
    }
  }
  return at;
}

TEST(LatticeMaps, UlamSpiralFirstTenByHand) {
  const std::pair<int64_t, int64_t> expected[] = {{0, 0},  {1, 0},   {1, 1},  {0, 1},  {-1, 1},
                                                  {-1, 0}, {-1, -1}, {0, -1}, {1, -1}, {2, -1}};
  for (int64_t n = 1; n <= 10; ++n) {
    const Point3 p = ulam_spiral(n);
    EXPECT_EQ(p.x, expected[n - 1].first) << n;
    EXPECT_EQ(p.y, expected[n - 1].second) << n;
    EXPECT_EQ(p.z, 0) << n;
  }
  EXPECT_NEAR(ulam_spiral(10, true).z, std::log(10.0), kTol);
  expect_error([] { ulam_spiral(0); }, "below 1");
}

TEST(LatticeMaps, UlamSpiralMatchesAWalkFarOut) {
  const int64_t count = 2'000'000;
  const auto at = walk(count);
  for (int64_t n = 1; n <= count; ++n) {
    const Point3 p = ulam_spiral(n);
    ASSERT_EQ(p.x, at[n - 1].first) << n;
    ASSERT_EQ(p.y, at[n - 1].second) << n;
  }
  for (const int64_t n : {int64_t{1}, int64_t{2}, int64_t{999'983}, count}) {
    const auto [x, y] = ulam_coordinates(n);
    EXPECT_EQ(x, at[n - 1].first) << n;
    EXPECT_EQ(y, at[n - 1].second) << n;
  }
}

TEST(LatticeMaps, UlamCoordinatesOfHugeNumbersAreExact) {
  const BigInt k = pow(BigInt(10), 40);
  const BigInt square = (2 * k + 1) * (2 * k + 1);  // the last number of ring k sits at (k, -k)
  EXPECT_EQ(ulam_coordinates(square), std::make_pair(k, BigInt(-k)));
  EXPECT_EQ(ulam_coordinates(square + 1), std::make_pair(BigInt(k + 1), BigInt(-k)));   // next ring starts
  EXPECT_EQ(ulam_coordinates(square - 2 * k), std::make_pair(BigInt(-k), BigInt(-k)));  // bottom-left corner
  // The int64 and BigInt forms agree near the top of int64's range.
  const int64_t big = (int64_t{1} << 62) + 12345;
  const Point3 p = ulam_spiral(big);
  const auto [x, y] = ulam_coordinates(big);
  EXPECT_EQ(p.x, x.convert_to<double>());
  EXPECT_EQ(p.y, y.convert_to<double>());
}

TEST(LatticeMaps, ScenesMapTokenIdsToPoints) {
  const std::vector<uint64_t> primes = first_primes(5);
  const auto cone = lattice_points(LatticeScene::Cone, primes);
  ASSERT_EQ(cone.size(), 5u);
  expect_point(cone[2], prime_cone(2, 5).x, prime_cone(2, 5).y, prime_cone(2, 5).z);
  const auto clock = lattice_points(LatticeScene::Clock, primes);
  expect_point(clock[3], 0.25, 0, 0);  // token 3 -> prime index 4 -> 3 o'clock
  const auto helix = lattice_points(LatticeScene::Helix, primes);
  expect_point(helix[0], kPhi / 2, kPhi * std::sqrt(3.0) / 2, 1.4404200904125564);
  const auto ulam = lattice_points(LatticeScene::Ulam, primes);
  expect_point(ulam[4], 2, 0, 0);  // p_4 = 11
  for (const LatticeScene s : lattice_scenes()) EXPECT_EQ(parse_lattice_scene(lattice_scene_name(s)), s);
  EXPECT_EQ(lattice_scene_name(LatticeScene::Helix), "helix");
  expect_error([] { parse_lattice_scene("sphere"); }, "expected cone, clock, helix or ulam");
}

TEST(LatticeMaps, FrequencyRingsPulse) {
  EXPECT_DOUBLE_EQ(frequency_ring_radius(0, 12), 0.7);
  // sin(0.1 t f) = 1 at t = pi / (2 * 0.1 * 12).
  EXPECT_NEAR(frequency_ring_radius(std::numbers::pi / 2.4, 12), 1.0, kTol);
  EXPECT_NEAR(frequency_ring_radius(3 * std::numbers::pi / 20, 100), 0.4, kTol);  // sin = -1
  EXPECT_EQ(ring_frequency(0), 12);
  EXPECT_EQ(ring_frequency(2), 60);
  EXPECT_EQ(ring_frequency(3), 100);
  EXPECT_EQ(ring_frequency(9), 100);
}

TEST(LatticeMaps, FourDimensionalClockProjection) {
  const std::vector<int64_t> indices = {1, 4};
  // Angle 0: index 4 (slot 3, 0 deg) has w = 0.125 cos(pi/2) = 0; index 1 (slot 0, 270 deg) has
  // w = 0.125, so it is enlarged by 3 / (3 - 0.125).
  const auto still = clock_4d_projection(indices, 0);
  ASSERT_EQ(still.size(), 2u);
  expect_point(still[0], 0, -0.25 * 3 / 2.875, 0);
  expect_point(still[1], 0.25, 0, 0);
  // Angle pi/2: index 1 -> x' = -w = -0.125, w' = x = 0 (no perspective), (y, z) = (-0.25, 0) turned by
  // pi/2 * phi in the y-z plane.
  const auto turned = clock_4d_projection(indices, std::numbers::pi / 2);
  expect_point(turned[0], -0.125, 0.20633520134726163, -0.1411587216043876);
  // Outer rings move the camera back so it stays outside every point.
  std::vector<int64_t> many(2000);
  for (size_t i = 0; i < many.size(); ++i) many[i] = static_cast<int64_t>(i) + 1;
  for (const double a : {0.0, 0.7, 2.0, 4.0})
    for (const Point3& p : clock_4d_projection(many, a)) ASSERT_TRUE(std::isfinite(p.x + p.y + p.z));
}

}  // namespace
}  // namespace cllm::test
