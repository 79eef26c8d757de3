#pragma once
// The 6,542 primes below 2^16, computed once (thread-safe) for trial division. Internal to engine/lattice.

#include <cstdint>
#include <vector>

namespace cllm {

inline constexpr uint32_t kTrialDivisionLimit = 1u << 16;

const std::vector<uint32_t>& small_primes();

}  // namespace cllm
