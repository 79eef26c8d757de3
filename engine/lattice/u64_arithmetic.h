#pragma once
// Modular arithmetic on 64-bit integers through 128-bit products (GCC/Clang's unsigned __int128), for the
// deterministic primality test and the 64-bit Pollard rho. Internal to engine/lattice.

#include <cstdint>

namespace cllm::u64 {

__extension__ typedef unsigned __int128 u128;  // __extension__: not ISO C++, but on every target we build

inline uint64_t mul_mod(uint64_t a, uint64_t b, uint64_t m) {
  return static_cast<uint64_t>(static_cast<u128>(a) * b % m);
}

inline uint64_t pow_mod(uint64_t base, uint64_t exponent, uint64_t m) {
  uint64_t result = 1 % m;
  base %= m;
  while (exponent > 0) {
    if (exponent & 1) result = mul_mod(result, base, m);
    base = mul_mod(base, base, m);
    exponent >>= 1;
  }
  return result;
}

}  // namespace cllm::u64
