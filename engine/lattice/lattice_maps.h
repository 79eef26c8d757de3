#pragma once
// The lattice maps of the "crystalline lattice" ideas: token -> 3-D point, exactly as defined in the
// project's spec ("Lattice maps"), as pure functions. The GUI draws them; the number analyser and
// `cllm number`/`cllm embed` print and export them. Angles are in radians unless a name says degrees.
//
// Notation: phi = (1 + sqrt 5) / 2, golden angle gamma = 2 pi / phi^2 (about 2.399963 rad).
//
//   cone   token id k with prime p_k:  r = sqrt k, theta = k gamma mod 2 pi, (r cos, r sin, ln(p_k + 1))
//   clock  prime index n (1-based) on rings of 12, 60, 60, 100, then 100 slots per ring; ring i has
//          radius 0.25 (i + 1); slot s sits at (s - 3) 30 deg, (s - 15) 6 deg or (s - 25) 3.6 deg on 12-,
//          60- and 100-slot rings (0 deg = 3 o'clock, counter-clockwise with y up); z = ring
//   helix  prime p:  theta = 2 pi (p mod 12) / 12, r = p^(log2 phi), z = ln p / ln phi
//   ulam   integer p on the square spiral: 1 at the origin, 2 at (1, 0), then counter-clockwise
//          (3 at (1, 1), 4 at (0, 1), 5 at (-1, 1), ...); z = 0, or ln p when asked
//
// Every function is deterministic and thread-safe; out-of-domain arguments (a prime index < 1, p < 1)
// throw cllm::Error.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lattice/big_int.h"

namespace cllm {

struct Point3 {
  double x = 0, y = 0, z = 0;
};

inline constexpr double kPhi = 1.6180339887498948482;
inline constexpr double kGoldenAngle = 2.3999632297286533222;  // 2 pi / phi^2

Point3 prime_cone(int64_t k, uint64_t p_k);

struct ClockPosition {
  int64_t ring = 0;          // 0-based
  int slot = 0;              // 0-based on its ring
  int slot_count = 0;        // 12, 60 or 100 (not "slots": Qt defines that word as a macro)
  double radius = 0;         // 0.25 (ring + 1)
  double angle_degrees = 0;  // normalised to [0, 360)
};
ClockPosition clock_position(int64_t n);  // n = prime index, 1-based
Point3 clock_abacus(int64_t n);           // (radius cos, radius sin, ring)

Point3 modular_helix(uint64_t p);

Point3 ulam_spiral(int64_t p, bool log_z = false);
// Exact lattice coordinates (x, y) of any p >= 1 on the same spiral (the number analyser's huge n).
std::pair<BigInt, BigInt> ulam_coordinates(const BigInt& p);

// One scene per map; a token id k maps to: cone -> prime_cone(k, p_k), clock -> clock_abacus(k + 1),
// helix -> modular_helix(p_k), ulam -> ulam_spiral(p_k) (z = 0).
enum class LatticeScene { Cone, Clock, Helix, Ulam };
// primes[k] = p_k for token k (first_primes(V)); one point per token, in id order.
std::vector<Point3> lattice_points(LatticeScene scene, std::span<const uint64_t> primes);
std::string_view lattice_scene_name(LatticeScene scene);  // "cone", "clock", "helix", "ulam"
// Throws cllm::Error listing the known names.
LatticeScene parse_lattice_scene(std::string_view name);
const std::array<LatticeScene, 4>& lattice_scenes();

// The prototype's animations, as functions of time for the GUI to draw.
//
// Frequency rings: ring i pulses with radius factor 0.7 + 0.3 sin(0.1 t f), t in seconds, with f from
// kRingFrequencies (rings past the fourth use the last, 100).
inline constexpr std::array<double, 4> kRingFrequencies = {12, 60, 60, 100};
double frequency_ring_radius(double t, double f);
double ring_frequency(int64_t ring);

// Rotating 4-D clock. Each prime index n is lifted from its clock-abacus point (x, y) to 4-D as
//   (x, y, z, w) = (x, y, 0.25 ring, 0.5 radius cos(2 pi slot / slot_count)),
// rotated by `angle` (radians) in the x-w plane and by angle * phi in the y-z plane:
//   x' = x cos a - w sin a,  w' = x sin a + w cos a,  y' = y cos b - z sin b,  z' = y sin b + z cos b,
// then projected to 3-D in perspective from a camera on the w axis at distance d = 3 rho:
//   (x', y', z') * d / (d - w'),   rho = max(1, largest radius among the given indices),
// so the camera stays outside every point (|w'| <= 1.12 rho) and the picture keeps the abacus's scale.
// At angle 0 a point is (x, y, 0.25 ring) scaled by 3 rho / (3 rho - w).
std::vector<Point3> clock_4d_projection(std::span<const int64_t> prime_indices, double angle);

}  // namespace cllm
