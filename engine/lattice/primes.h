#pragma once
// The prime machinery of the lattice ideas, one include: the primes themselves (token id k gets the k-th
// prime p_k, p_0 = 2), the prime-counting function, clock classes, and through the headers below exact
// integers, their parsing, primality tests and factorisation.
//
// Primes come from primesieve (a segmented sieve), run on one thread: the engine's threads belong to
// OpenMP and the application, and a sieve pool would compete with training for the same cores. The
// functions are safe to call from several threads at once.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "lattice/big_int.h"
#include "lattice/factorization.h"
#include "lattice/integer_parse.h"
#include "lattice/primality.h"

namespace cllm {

// p_0, ..., p_{count-1}: 2, 3, 5, 7, ...
std::vector<uint64_t> first_primes(size_t count);

// pi(n), the number of primes <= n, when n <= kPrimeCountLimit; nullopt above (0 for n < 2).
// The limit keeps one call under about a second. Measured on the CI machine kind with one sieve thread:
// pi(10^9) 0.09 s of CPU; pi(5 * 10^9) 0.59 s of CPU, 0.65 s wall on an idle machine and 0.9-1.2 s while
// other builds shared its two cores; pi(10^10) 1.3 s wall idle.
inline constexpr uint64_t kPrimeCountLimit = 5'000'000'000;
std::optional<uint64_t> prime_count(const BigInt& n);

// p_k, 0-based (nth_prime(0) == 2), for k < kNthPrimeLimit = pi(kPrimeCountLimit) (the same cost bound).
// Throws cllm::Error beyond.
inline constexpr size_t kNthPrimeLimit = 234'954'223;
uint64_t nth_prime(size_t k);

// The "clock class" p mod 12 (for primes > 3 one of 1, 5, 7, 11). The BigInt overload returns the
// non-negative residue in [0, 12) also for negative n.
int clock_class(uint64_t p);
int clock_class(const BigInt& n);

}  // namespace cllm
