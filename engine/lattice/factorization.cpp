#include "lattice/factorization.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <optional>

#include "lattice/primality.h"
#include "lattice/small_primes.h"
#include "lattice/u64_arithmetic.h"

namespace cllm {
namespace {

using Clock = std::chrono::steady_clock;

// Arithmetic modulo n for the rho iteration, one type per number size.
struct U64Ring {
  uint64_t n;
  uint64_t step(uint64_t v, uint64_t c) const {  // v^2 + c mod n, without overflowing the sum
    return static_cast<uint64_t>((static_cast<u64::u128>(u64::mul_mod(v, v, n)) + c) % n);
  }
  uint64_t mul(uint64_t a, uint64_t b) const { return u64::mul_mod(a, b, n); }
  uint64_t gcd(uint64_t a) const { return std::gcd(a, n); }
  static uint64_t diff(uint64_t a, uint64_t b) { return a > b ? a - b : b - a; }
};

struct BigRing {
  BigInt n;
  BigInt step(const BigInt& v, const BigInt& c) const { return (v * v + c) % n; }
  BigInt mul(const BigInt& a, const BigInt& b) const { return a * b % n; }
  BigInt gcd(const BigInt& a) const { return boost::multiprecision::gcd(a, n); }
  static BigInt diff(const BigInt& a, const BigInt& b) { return a > b ? BigInt(a - b) : BigInt(b - a); }
};

// Pollard's rho, Brent's variant (Brent 1980): the gcd is taken once per batch of kBatch products of
// |x - y|, and the batch is replayed one step at a time when it overshoots to n. Returns a factor in
// (1, n), n when this constant c fails (try another), or nullopt when the deadline passes.
template <class Ring, class T>
std::optional<T> brent_rho(const Ring& ring, const T& c, Clock::time_point deadline) {
  constexpr int kBatch = 128;
  const T& n = ring.n;
  T y = 2, x = 2, ys = 2, q = 1, g = 1;
  uint64_t r = 1;
  do {
    x = y;
    for (uint64_t i = 0; i < r; ++i) {
      y = ring.step(y, c);
      if (i % kBatch == kBatch - 1 && Clock::now() >= deadline) return std::nullopt;
    }
    for (uint64_t k = 0; k < r && g == 1; k += kBatch) {
      ys = y;
      const uint64_t steps = std::min<uint64_t>(kBatch, r - k);
      for (uint64_t i = 0; i < steps; ++i) {
        y = ring.step(y, c);
        q = ring.mul(q, Ring::diff(x, y));
      }
      g = ring.gcd(q);
      if (Clock::now() >= deadline) return std::nullopt;
    }
    r *= 2;
  } while (g == 1);
  if (g == n) {  // the batch multiplied in a multiple of n: replay it step by step (at most kBatch steps)
    do {
      ys = ring.step(ys, c);
      g = ring.gcd(Ring::diff(x, ys));
    } while (g == 1);
  }
  return g;
}

// A non-trivial factor of composite m, or nullopt when the deadline passes first.
template <class Ring, class T>
std::optional<T> find_factor(const T& m, Clock::time_point deadline) {
  const Ring ring{m};
  for (T c = 1;; ++c) {
    const std::optional<T> d = brent_rho<Ring, T>(ring, c, deadline);
    if (!d) return std::nullopt;
    if (*d != m) return d;
  }
}

}  // namespace

Factorization factorize(const BigInt& n, std::chrono::milliseconds budget) {
  const Clock::time_point start = Clock::now(), deadline = start + budget;
  Factorization f;
  BigInt m = abs(n);
  if (n < 0) f.factors.emplace_back(-1, 1);
  if (m <= 1) {
    f.unfactored = m;
    f.complete = m == 1;
    if (n == 0) f.note = "0 has no factorisation";
    if (n == 1) f.note = "1 has no prime factors";
    return f;
  }
  std::map<BigInt, int> found;
  for (const uint32_t p : small_primes()) {
    if (BigInt(p) * p > m) break;
    while (boost::multiprecision::integer_modulus(m, p) == 0) {
      m /= p;
      ++found[p];
    }
  }
  std::vector<BigInt> work, left;
  if (m > 1) work.push_back(m);
  while (!work.empty()) {
    const BigInt c = std::move(work.back());
    work.pop_back();
    std::optional<BigInt> d;
    if (c <= std::numeric_limits<uint64_t>::max()) {
      const auto v = c.convert_to<uint64_t>();
      if (is_prime_u64(v)) {
        ++found[c];
        continue;
      }
      if (const auto dv = find_factor<U64Ring, uint64_t>(v, deadline)) d = BigInt(*dv);
    } else {
      if (test_primality(c).verdict != PrimalityResult::Composite) {
        ++found[c];
        continue;
      }
      d = find_factor<BigRing, BigInt>(c, deadline);
    }
    if (!d) {
      left.push_back(c);
      continue;
    }
    work.push_back(*d);
    work.push_back(c / *d);
  }
  for (auto& [p, e] : found) f.factors.emplace_back(p, e);
  for (const BigInt& c : left) f.unfactored *= c;
  f.complete = left.empty();
  f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return f;
}

}  // namespace cllm
