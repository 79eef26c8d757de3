#pragma once
// Everything the number analyser (the workbench's panel and `cllm number`) shows for one integer, computed
// in one call: primality, factorisation within a time budget, pi(n) when it is cheap, and, for primes
// whose index is known, the token id and lattice positions a token with that prime would have.
//
// Huge n are reported without overflow: integers stay exact (BigInt), and the helix, whose radius
// n^0.694 leaves double's range past ~10^443, is computed in 50-digit binary floating point. Fields
// that do not apply to n are empty, and `notes` says why in plain words.

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lattice/lattice_maps.h"
#include "lattice/primes.h"

namespace cllm {

using HighFloat = boost::multiprecision::cpp_bin_float_50;

struct HighPoint3 {
  HighFloat x, y, z;
};

struct NumberReport {
  BigInt n;
  std::string decimal;  // n in decimal, in full
  size_t digits = 0;    // decimal digits of |n|
  PrimalityResult primality;
  bool is_prime() const { return primality.verdict != PrimalityResult::Composite; }
  Factorization factorization;
  std::chrono::milliseconds budget{0};  // the factorisation's time budget
  std::optional<uint64_t> prime_count;  // pi(n) when n <= kPrimeCountLimit
  int clock_class = 0;                  // n mod 12 in [0, 12)
  // Primes whose index is known (n <= kPrimeCountLimit) only:
  std::optional<uint64_t> prime_index;  // 1-based: 2 is the 1st prime
  std::optional<int64_t> token_id;      // prime_index - 1: the token that gets this prime
  std::optional<ClockPosition> clock;   // clock_position(prime_index)
  std::optional<Point3> cone;           // prime_cone(token_id, n)
  // n >= 1 only:
  std::optional<HighPoint3> helix;                // modular_helix(n), in high precision
  std::optional<std::pair<BigInt, BigInt>> ulam;  // exact square-spiral lattice point
  std::vector<std::string> notes;                 // why an empty field is empty, one sentence each
};

NumberReport analyse_number(const BigInt& n, std::chrono::milliseconds budget);

// JSON form: big integers (number, factors, unfactored, Ulam coordinates) as decimal strings; counts,
// indices and coordinates that fit a double as numbers; a high-precision coordinate beyond double's range
// as a string in scientific notation ("1.2345678901234568e+500"). Empty fields are null.
nlohmann::json to_json(const NumberReport& report);

// A coordinate for people: %.6g when it fits a double, else 7 significant digits with an exponent.
std::string format_coordinate(const HighFloat& value);

}  // namespace cllm
