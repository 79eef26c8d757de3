// Factorisation: exact results on known numbers, and the time budget on numbers rho cannot crack.
#include "lattice/factorization.h"

#include <gtest/gtest.h>

#include <chrono>

#include "lattice/primality.h"

namespace cllm::test {
namespace {

using namespace std::chrono_literals;
using Factors = std::vector<std::pair<BigInt, int>>;

BigInt product(const Factorization& f) {
  BigInt p = f.unfactored;
  for (const auto& [q, e] : f.factors) p *= pow(q, static_cast<unsigned>(e));
  return p;
}

// The first probable prime >= start.
BigInt next_prime(BigInt start) {
  if (start % 2 == 0) ++start;
  while (test_primality(start).verdict == PrimalityResult::Composite) start += 2;
  return start;
}

TEST(Factorization, SmallNumbersSignsZeroAndOne) {
  EXPECT_EQ(factorize(360, 1s).factors, (Factors{{2, 3}, {3, 2}, {5, 1}}));
  EXPECT_EQ(factorize(-12, 1s).factors, (Factors{{-1, 1}, {2, 2}, {3, 1}}));
  EXPECT_EQ(factorize(97, 1s).factors, (Factors{{97, 1}}));
  EXPECT_EQ(factorize(600851475143, 1s).factors, (Factors{{71, 1}, {839, 1}, {1471, 1}, {6857, 1}}));
  const Factorization zero = factorize(0, 1s);
  EXPECT_TRUE(zero.factors.empty());
  EXPECT_EQ(zero.unfactored, 0);
  EXPECT_FALSE(zero.complete);
  EXPECT_EQ(zero.note, "0 has no factorisation");
  const Factorization one = factorize(1, 1s);
  EXPECT_TRUE(one.factors.empty());
  EXPECT_TRUE(one.complete);
  EXPECT_EQ(one.unfactored, 1);
  EXPECT_EQ(factorize(-1, 1s).factors, (Factors{{-1, 1}}));
}

TEST(Factorization, SquaresOfLargePrimesAndSixtyFourBitSemiprimes) {
  const BigInt p("4294967291");  // the largest prime below 2^32
  EXPECT_EQ(factorize(p * p, 2s).factors, (Factors{{p, 2}}));
  const BigInt q("9999999967");  // the largest 10-digit prime
  EXPECT_EQ(factorize(q * q * 6, 2s).factors, (Factors{{2, 1}, {3, 1}, {q, 2}}));
  EXPECT_EQ(factorize(BigInt("18446744073709551615"), 1s).factors,  // 2^64 - 1
            (Factors{{3, 1}, {5, 1}, {17, 1}, {257, 1}, {641, 1}, {65537, 1}, {6700417, 1}}));
}

TEST(Factorization, TwentyDigitSemiprimeFactorsWithinTwoSeconds) {
  const BigInt p("4294967291"), q("9999999967");
  const BigInt n = p * q;
  ASSERT_EQ(n.str().size(), 20u);
  const Factorization f = factorize(n, 2s);
  EXPECT_TRUE(f.complete);
  EXPECT_EQ(f.unfactored, 1);
  EXPECT_EQ(f.factors, (Factors{{p, 1}, {q, 1}}));
  EXPECT_LT(f.seconds, 2.0);
  // Above 2^64 as well: both factors near 10^10.5, the product 22 digits.
  const BigInt a = next_prime(BigInt("31622776601")), b = next_prime(BigInt("31622776699"));
  const Factorization g = factorize(a * b, 2s);
  EXPECT_TRUE(g.complete);
  EXPECT_EQ(g.factors, (Factors{{a, 1}, {b, 1}}));
}

TEST(Factorization, FortyDigitPrimesOutlastTheBudgetAndReturnPromptly) {
  const BigInt p = next_prime(pow(BigInt(10), 39) + 12345), q = next_prime(pow(BigInt(10), 39) * 7 + 999);
  const BigInt n = p * q * 96;  // 2^5 * 3 found by trial division, the rest is out of reach
  const auto start = std::chrono::steady_clock::now();
  const Factorization f = factorize(n, 200ms);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 1.0);
  EXPECT_GE(f.seconds, 0.2);
  EXPECT_FALSE(f.complete);
  EXPECT_EQ(f.factors, (Factors{{2, 5}, {3, 1}}));
  EXPECT_EQ(f.unfactored, p * q);
  EXPECT_EQ(product(f), n);
}

TEST(Factorization, ProductOfFactorsTimesUnfactoredIsAlwaysN) {
  for (const char* text :
       {"1", "-1", "2", "1000000007", "123456789012345678901234567890", "-987654321987654321987",
        "340282366920938463463374607431768211457"}) {  // the last: 2^128 + 1
    const BigInt n(text);
    const Factorization f = factorize(n, 300ms);
    EXPECT_EQ(product(f), n) << text;
    EXPECT_EQ(f.complete, f.unfactored == 1) << text;
    for (size_t i = 1; i < f.factors.size(); ++i)
      EXPECT_LT(f.factors[i - 1].first, f.factors[i].first) << text;
  }
}

}  // namespace
}  // namespace cllm::test
