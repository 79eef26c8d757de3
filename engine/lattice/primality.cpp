#include "lattice/primality.h"

#include <array>
#include <boost/multiprecision/miller_rabin.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <limits>

#include "lattice/small_primes.h"
#include "lattice/u64_arithmetic.h"

namespace cllm {
namespace {

constexpr std::array<uint64_t, 12> kDeterministicBases = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

// One strong-probable-prime round: false when `a` proves n (odd, > 2) composite.
bool strong_probable_prime(uint64_t n, uint64_t a) {
  uint64_t d = n - 1;
  int s = 0;
  while ((d & 1) == 0) {
    d >>= 1;
    ++s;
  }
  uint64_t x = u64::pow_mod(a % n, d, n);
  if (x == 1 || x == n - 1) return true;
  for (int r = 1; r < s; ++r) {
    x = u64::mul_mod(x, x, n);
    if (x == n - 1) return true;
  }
  return false;
}

// The base that proves n composite, or 0 when n is prime.
uint64_t miller_rabin_witness(uint64_t n) {
  for (const uint64_t a : kDeterministicBases) {
    if (n == a) return 0;
    if (!strong_probable_prime(n, a)) return a;
  }
  return 0;
}

const char* const kDeterministic = "deterministic Miller–Rabin (bases 2..37), proven";

}  // namespace

bool is_prime_u64(uint64_t n) {
  if (n < 2) return false;
  if (n % 2 == 0) return n == 2;
  return miller_rabin_witness(n) == 0;
}

PrimalityResult test_primality(const BigInt& n) {
  if (n < 2) return {PrimalityResult::Composite, "not prime: n < 2"};
  if (n <= std::numeric_limits<uint64_t>::max()) {
    const auto v = n.convert_to<uint64_t>();
    if (v % 2 == 0)
      return v == 2 ? PrimalityResult{PrimalityResult::Prime, kDeterministic}
                    : PrimalityResult{PrimalityResult::Composite, "composite: divisible by 2"};
    const uint64_t witness = miller_rabin_witness(v);
    if (witness == 0) return {PrimalityResult::Prime, kDeterministic};
    return {PrimalityResult::Composite,
            "composite: " + std::to_string(witness) + " is a Miller–Rabin witness"};
  }
  for (const uint32_t p : small_primes())
    if (boost::multiprecision::integer_modulus(n, p) == 0)
      return {PrimalityResult::Composite, "composite: divisible by " + std::to_string(p)};
  // A local generator with a fixed seed: repeatable verdicts, and no shared state between threads (Boost's
  // two-argument overload uses one static generator).
  boost::random::mt19937 gen(0x434C4C4D);
  if (!boost::multiprecision::miller_rabin_test(n, 25, gen))
    return {PrimalityResult::Composite, "composite: fails a Fermat or Miller–Rabin test (a proof)"};
  return {PrimalityResult::ProbablePrime, "probable prime: Miller–Rabin, 25 random bases, error < 4^-25"};
}

}  // namespace cllm
