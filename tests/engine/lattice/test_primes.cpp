// Primes, pi(n), clock classes and the primality test, against a plain sieve and known values.
#include "lattice/primes.h"

#include <gtest/gtest.h>

#include <vector>

#include "util/error.h"

namespace cllm::test {
namespace {

std::vector<bool> sieve(size_t n) {
  std::vector<bool> prime(n, true);
  prime[0] = prime[1] = false;
  for (size_t i = 2; i * i < n; ++i)
    if (prime[i])
      for (size_t j = i * i; j < n; j += i) prime[j] = false;
  return prime;
}

BigInt mersenne(unsigned exponent) {
  return (BigInt(1) << exponent) - 1;
}

TEST(Primes, FirstPrimesAndNthPrime) {
  EXPECT_EQ(first_primes(10), (std::vector<uint64_t>{2, 3, 5, 7, 11, 13, 17, 19, 23, 29}));
  EXPECT_TRUE(first_primes(0).empty());
  EXPECT_EQ(nth_prime(0), 2u);
  EXPECT_EQ(nth_prime(1), 3u);
  EXPECT_EQ(nth_prime(9999), 104729u);
  EXPECT_EQ(first_primes(10000).back(), 104729u);
  EXPECT_THROW(nth_prime(kNthPrimeLimit), Error);
}

TEST(Primes, PrimeCountingFunction) {
  EXPECT_EQ(prime_count(10), 4u);
  EXPECT_EQ(prime_count(2), 1u);
  EXPECT_EQ(prime_count(1), 0u);
  EXPECT_EQ(prime_count(-5), 0u);
  EXPECT_EQ(prime_count(1'000'000), 78498u);
  EXPECT_EQ(prime_count(1'000'000'000), 50847534u);
  EXPECT_EQ(prime_count(BigInt(kPrimeCountLimit) + 1), std::nullopt);
  EXPECT_EQ(prime_count(kPrimeCountLimit), kNthPrimeLimit);  // the two limits describe the same primes
}

TEST(Primes, ClockClassIsTheResidueModTwelve) {
  EXPECT_EQ(clock_class(uint64_t{97}), 1);
  EXPECT_EQ(clock_class(uint64_t{2}), 2);
  EXPECT_EQ(clock_class(uint64_t{11}), 11);
  EXPECT_EQ(clock_class(BigInt(97)), 1);
  EXPECT_EQ(clock_class(BigInt(-1)), 11);
  EXPECT_EQ(clock_class(BigInt(-12)), 0);
  EXPECT_EQ(clock_class(mersenne(521)), static_cast<int>(mersenne(521) % 12));
}

TEST(Primality, EveryNumberBelowTenThousandAgreesWithASieve) {
  const auto prime = sieve(10000);
  for (int n = -3; n < 10000; ++n) {
    const PrimalityResult r = test_primality(n);
    const bool expected = n >= 0 && prime[static_cast<size_t>(n)];
    ASSERT_EQ(r.verdict, expected ? PrimalityResult::Prime : PrimalityResult::Composite)
        << n << ": " << r.method;
  }
  EXPECT_EQ(test_primality(1).method, "not prime: n < 2");
  EXPECT_EQ(test_primality(-7).method, "not prime: n < 2");
}

TEST(Primality, CarmichaelNumbersAreComposite) {
  for (const int n : {561, 1105, 1729, 41041, 825265}) {
    EXPECT_EQ(test_primality(n).verdict, PrimalityResult::Composite) << n;
    EXPECT_FALSE(is_prime_u64(static_cast<uint64_t>(n))) << n;
  }
  // The smallest strong pseudoprime to bases 2, 3, 5 and 7 (it fools fewer bases than ours).
  EXPECT_EQ(test_primality(3215031751).verdict, PrimalityResult::Composite);
}

TEST(Primality, LargestSixtyFourBitPrimeIsProven) {
  const PrimalityResult r = test_primality(BigInt("18446744073709551557"));
  EXPECT_EQ(r.verdict, PrimalityResult::Prime);
  EXPECT_EQ(r.method, "deterministic Miller–Rabin (bases 2..37), proven");
  EXPECT_TRUE(is_prime_u64(18446744073709551557ull));
  EXPECT_FALSE(is_prime_u64(18446744073709551555ull));
  EXPECT_EQ(test_primality(BigInt("18446744073709551615")).verdict, PrimalityResult::Composite);  // 2^64 - 1
}

TEST(Primality, MersenneNumbersBeyondSixtyFourBits) {
  const BigInt m521 = mersenne(521), m607 = mersenne(607), m1279 = mersenne(1279);
  EXPECT_EQ(m521.str().size(), 157u);
  EXPECT_EQ(m1279.str().size(), 386u);  // several hundred digits
  for (const BigInt& m : {m521, m607, m1279}) {
    const PrimalityResult r = test_primality(m);
    EXPECT_EQ(r.verdict, PrimalityResult::ProbablePrime);
    EXPECT_EQ(r.method, "probable prime: Miller–Rabin, 25 random bases, error < 4^-25");
  }
  EXPECT_EQ(test_primality(m521 * m607).verdict, PrimalityResult::Composite);
  EXPECT_EQ(test_primality(m607 * m1279).verdict, PrimalityResult::Composite);
  // 2^67 - 1 = 193707721 x 761838257287 (Cole, 1903): no factor below 2^16, so Miller–Rabin decides.
  const PrimalityResult m67 = test_primality(mersenne(67));
  EXPECT_EQ(m67.verdict, PrimalityResult::Composite);
  EXPECT_NE(m67.method.find("Miller–Rabin"), std::string::npos) << m67.method;
  const PrimalityResult even = test_primality(mersenne(521) + 1);
  EXPECT_EQ(even.method, "composite: divisible by 2");
}

}  // namespace
}  // namespace cllm::test
