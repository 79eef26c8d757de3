#include "lattice/small_primes.h"

#include <primesieve.hpp>

namespace cllm {

const std::vector<uint32_t>& small_primes() {
  static const std::vector<uint32_t> primes = [] {
    std::vector<uint32_t> p;
    primesieve::generate_primes(kTrialDivisionLimit, &p);
    return p;
  }();
  return primes;
}

}  // namespace cllm
