#include "lattice/primes.h"

#include <mutex>
#include <primesieve.hpp>

#include "util/error.h"

namespace cllm {
namespace {

// primesieve's thread count is process-wide; set it once, before the first use.
void use_one_sieve_thread() {
  static std::once_flag once;
  std::call_once(once, [] { primesieve::set_num_threads(1); });
}

}  // namespace

std::vector<uint64_t> first_primes(size_t count) {
  use_one_sieve_thread();
  std::vector<uint64_t> primes;
  primesieve::generate_n_primes(count, &primes);
  return primes;
}

uint64_t nth_prime(size_t k) {
  require(k < kNthPrimeLimit, "prime p_" + std::to_string(k) + " is beyond the sieve limit: indices below " +
                                  std::to_string(kNthPrimeLimit) + " (primes up to " +
                                  std::to_string(kPrimeCountLimit) + ") only");
  use_one_sieve_thread();
  return primesieve::nth_prime(static_cast<int64_t>(k) + 1);
}

std::optional<uint64_t> prime_count(const BigInt& n) {
  if (n < 2) return 0;
  if (n > kPrimeCountLimit) return std::nullopt;
  use_one_sieve_thread();
  return primesieve::count_primes(0, n.convert_to<uint64_t>());
}

int clock_class(uint64_t p) {
  return static_cast<int>(p % 12);
}

int clock_class(const BigInt& n) {
  const int r = static_cast<int>(boost::multiprecision::integer_modulus(abs(n), 12u));
  return n < 0 && r != 0 ? 12 - r : r;
}

}  // namespace cllm
