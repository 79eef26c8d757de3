#include "lattice/lattice_maps.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "util/error.h"

namespace cllm {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

// Ring layout of the clock abacus: the first prime index on each of the four drawn rings.
struct RingSpec {
  int64_t first;  // 1-based prime index of slot 0
  int slot_count;
  int zero_slot;  // the slot at 0 degrees (3 o'clock)
};
constexpr std::array<RingSpec, 4> kRings = {{{1, 12, 3}, {13, 60, 15}, {73, 60, 15}, {133, 100, 25}}};
constexpr int64_t kFirstOuterIndex = 233;  // rings 4, 5, ... hold 100 slots each from here on

// ceil(sqrt(n)) for n >= 1, exact.
uint64_t ceil_sqrt(uint64_t n) {
  auto r = static_cast<uint64_t>(std::sqrt(static_cast<double>(n)));
  while (r > 0 && r * r >= n) --r;  // the double guess may be one too high near 2^64
  while (r * r < n) ++r;
  return r;
}

// The square-spiral position of n >= 1 on ring k = ceil(sqrt n) / 2, whose last number m = (2k+1)^2
// sits at (k, -k); walking back from m: the bottom side (2k numbers), the left, the top, then the right.
template <class T>
std::pair<T, T> spiral_position(const T& n, const T& k) {
  const T side = 2 * k;
  T m = (side + 1) * (side + 1);
  if (n >= m - side) return {k - (m - n), -k};
  m -= side;
  if (n >= m - side) return {-k, -k + (m - n)};
  m -= side;
  if (n >= m - side) return {-k + (m - n), k};
  m -= side;
  return {k, k - (m - n)};
}

}  // namespace

Point3 prime_cone(int64_t k, uint64_t p_k) {
  require(k >= 0, "prime cone: token id " + std::to_string(k) + " is negative");
  const double r = std::sqrt(static_cast<double>(k));
  // fmod of the exact product keeps theta accurate for large k (k gamma itself is exact to ~1e-16 k).
  const double theta = std::fmod(static_cast<double>(k) * kGoldenAngle, kTwoPi);
  return {r * std::cos(theta), r * std::sin(theta), std::log(static_cast<double>(p_k) + 1.0)};
}

ClockPosition clock_position(int64_t n) {
  require(n >= 1, "clock abacus: prime index " + std::to_string(n) + " is below 1 (indices start at 1)");
  ClockPosition c;
  int zero_slot = 25;
  if (n < kFirstOuterIndex) {
    int ring = 3;
    while (n < kRings[static_cast<size_t>(ring)].first) --ring;
    const RingSpec& spec = kRings[static_cast<size_t>(ring)];
    c.ring = ring;
    c.slot = static_cast<int>(n - spec.first);
    c.slot_count = spec.slot_count;
    zero_slot = spec.zero_slot;
  } else {
    c.ring = 4 + (n - kFirstOuterIndex) / 100;
    c.slot = static_cast<int>((n - kFirstOuterIndex) % 100);
    c.slot_count = 100;
  }
  c.radius = 0.25 * static_cast<double>(c.ring + 1);
  // 360 / slots degrees per slot: 30, 6 or 3.6; computed as a product of integers first, then one division,
  // so slot angles come out as the exact decimals the spec lists.
  double angle = static_cast<double>((c.slot - zero_slot) * 360) / c.slot_count;
  if (angle < 0) angle += 360;
  c.angle_degrees = angle;
  return c;
}

Point3 clock_abacus(int64_t n) {
  const ClockPosition c = clock_position(n);
  const double a = c.angle_degrees * std::numbers::pi / 180;
  return {c.radius * std::cos(a), c.radius * std::sin(a), static_cast<double>(c.ring)};
}

Point3 modular_helix(uint64_t p) {
  require(p >= 1, "modular helix: p must be at least 1");
  const double theta = kTwoPi * static_cast<double>(p % 12) / 12;
  const double ln_p = std::log(static_cast<double>(p));
  const double r = std::exp(ln_p * std::log2(kPhi));  // p^(log2 phi)
  return {r * std::cos(theta), r * std::sin(theta), ln_p / std::log(kPhi)};
}

Point3 ulam_spiral(int64_t p, bool log_z) {
  require(p >= 1, "Ulam spiral: " + std::to_string(p) + " is below 1 (the spiral starts at 1)");
  const auto n = static_cast<uint64_t>(p);
  const auto k = static_cast<int64_t>(ceil_sqrt(n) / 2);
  const auto [x, y] = spiral_position<int64_t>(p, k);
  return {static_cast<double>(x), static_cast<double>(y), log_z ? std::log(static_cast<double>(p)) : 0.0};
}

std::pair<BigInt, BigInt> ulam_coordinates(const BigInt& p) {
  require(p >= 1, "Ulam spiral: " + p.str() + " is below 1 (the spiral starts at 1)");
  BigInt root = boost::multiprecision::sqrt(p);
  if (root * root < p) ++root;  // ceil(sqrt p)
  const BigInt k = root / 2;
  return spiral_position<BigInt>(p, k);
}

std::vector<Point3> lattice_points(LatticeScene scene, std::span<const uint64_t> primes) {
  std::vector<Point3> points(primes.size());
  for (size_t k = 0; k < primes.size(); ++k) {
    const auto id = static_cast<int64_t>(k);
    switch (scene) {
      case LatticeScene::Cone:
        points[k] = prime_cone(id, primes[k]);
        break;
      case LatticeScene::Clock:
        points[k] = clock_abacus(id + 1);
        break;
      case LatticeScene::Helix:
        points[k] = modular_helix(primes[k]);
        break;
      case LatticeScene::Ulam:
        points[k] = ulam_spiral(static_cast<int64_t>(primes[k]));
        break;
    }
  }
  return points;
}

std::string_view lattice_scene_name(LatticeScene scene) {
  switch (scene) {
    case LatticeScene::Cone:
      return "cone";
    case LatticeScene::Clock:
      return "clock";
    case LatticeScene::Helix:
      return "helix";
    case LatticeScene::Ulam:
      return "ulam";
  }
  return "?";
}

const std::array<LatticeScene, 4>& lattice_scenes() {
  static constexpr std::array<LatticeScene, 4> kAll = {LatticeScene::Cone, LatticeScene::Clock,
                                                       LatticeScene::Helix, LatticeScene::Ulam};
  return kAll;
}

LatticeScene parse_lattice_scene(std::string_view name) {
  for (const LatticeScene s : lattice_scenes())
    if (lattice_scene_name(s) == name) return s;
  throw Error("unknown lattice scene \"" + std::string(name) + "\" (expected cone, clock, helix or ulam)");
}

double frequency_ring_radius(double t, double f) {
  return 0.7 + 0.3 * std::sin(0.1 * t * f);
}

double ring_frequency(int64_t ring) {
  require(ring >= 0, "frequency rings: ring " + std::to_string(ring) + " is negative");
  return kRingFrequencies[static_cast<size_t>(std::min<int64_t>(ring, 3))];
}

std::vector<Point3> clock_4d_projection(std::span<const int64_t> prime_indices, double angle) {
  std::vector<ClockPosition> positions;
  positions.reserve(prime_indices.size());
  double rho = 1;
  for (const int64_t n : prime_indices) {
    positions.push_back(clock_position(n));
    rho = std::max(rho, positions.back().radius);
  }
  const double d = 3 * rho, b = angle * kPhi;
  const double ca = std::cos(angle), sa = std::sin(angle), cb = std::cos(b), sb = std::sin(b);
  std::vector<Point3> out;
  out.reserve(positions.size());
  for (const ClockPosition& c : positions) {
    const double a = c.angle_degrees * std::numbers::pi / 180;
    const double x = c.radius * std::cos(a), y = c.radius * std::sin(a),
                 z = 0.25 * static_cast<double>(c.ring);
    const double w = 0.5 * c.radius * std::cos(kTwoPi * c.slot / c.slot_count);
    const double x2 = x * ca - w * sa, w2 = x * sa + w * ca;
    const double y2 = y * cb - z * sb, z2 = y * sb + z * cb;
    const double s = d / (d - w2);
    out.push_back({x2 * s, y2 * s, z2 * s});
  }
  return out;
}

}  // namespace cllm
