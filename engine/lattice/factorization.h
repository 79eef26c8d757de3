#pragma once
// Factoring an integer within a time budget, for the number analyser: trial division by the primes below
// 2^16, then Pollard's rho with Brent's cycle detection and batched gcds on each composite cofactor
// (native 128-bit arithmetic below 2^64, cpp_int above). Rho finds a factor p in about sqrt(p) steps:
// factors up to ~20 digits come out in well under a second, two 40-digit primes never do.
//
// It never hangs: the clock is checked every few hundred steps, and once the budget is spent the composite
// cofactors still standing are multiplied into `unfactored`. Invariant for every n:
//   product(prime^exponent over factors) * unfactored == n,   complete == (unfactored == 1).
// Only the primality test of a cofactor is not interrupted (at most a few seconds at the parser's
// 1,000-digit limit, see primality.h), so the budget can be overrun by that much.
//
// n < 0 gets the sign factor (-1, 1) first; 1 has no factors (complete); 0 has no factorisation
// (unfactored = 0, complete = false, said in `note`).

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "lattice/big_int.h"

namespace cllm {

struct Factorization {
  // Prime factors with multiplicity, ascending (above 2^64 "prime" means probable prime, primality.h);
  // (-1, 1) comes first for negative n.
  std::vector<std::pair<BigInt, int>> factors;
  BigInt unfactored =
      1;  // the product of the composite cofactors left when the budget ran out; 1 when complete
  bool complete = true;
  double seconds = 0;  // wall time spent
  std::string note;    // a plain sentence for 0 and 1, else empty
};

Factorization factorize(const BigInt& n, std::chrono::milliseconds budget);

}  // namespace cllm
