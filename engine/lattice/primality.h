#pragma once
// Is an integer prime? Exact for n < 2^64, a strong probable-prime test beyond (what every big-number
// library does: a proof of primality for large n is far more expensive than this analyser can afford).
//
//   n < 2             Composite, "not prime: n < 2"
//   2 <= n < 2^64     deterministic Miller–Rabin with the first twelve primes as bases (2..37), which no
//                     composite below 3.3 * 10^24 passes (Sorenson & Webster 2015): Prime or Composite,
//                     both proven
//   n >= 2^64         trial division by the primes below 2^16, then Boost's miller_rabin_test with 25
//                     random bases: Composite (a proof), or ProbablePrime with error below 4^-25
//
// The random bases come from a generator seeded the same way on every call, so a result repeats, and
// calls from several threads are safe. Cost: microseconds below 2^64; for a prime of 1,000 digits about
// 3.5 s (26 modular exponentiations with cpp_int); composites usually fail the first one.

#include <cstdint>
#include <string>

#include "lattice/big_int.h"

namespace cllm {

struct PrimalityResult {
  enum Verdict { Composite, Prime, ProbablePrime } verdict;
  std::string method;  // how the verdict was reached, one sentence, e.g. "composite: divisible by 3"
};

PrimalityResult test_primality(const BigInt& n);

// The deterministic 64-bit test alone (no allocation; used by the factoriser on every cofactor).
bool is_prime_u64(uint64_t n);

}  // namespace cllm
