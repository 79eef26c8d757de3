#pragma once
// Deterministic random numbers for data sampling, initialisation and sampling tokens.
//
// xoshiro256** (Blackman & Vigna) seeded through splitmix64: a small, fully specified state (four
// 64-bit words) that a checkpoint stores so a resumed run draws exactly the numbers an uninterrupted
// run would have drawn. The conversions to uniform and normal numbers are our own, not <random>'s
// distributions, because those are implementation-defined and would make runs differ between libraries.

#include <array>
#include <cstdint>
#include <string>

namespace cllm {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0);

  uint64_t next_u64();
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  // Uniform integer in [0, n), unbiased (rejection); n > 0.
  uint64_t below(uint64_t n);
  // Standard normal (Box-Muller, both values used).
  double normal();

  // The whole state as 4 (or 5 with a cached normal) hexadecimal words, and back. set_state throws
  // cllm::Error on malformed text.
  std::string state() const;
  void set_state(const std::string& text);

  bool operator==(const Rng& other) const = default;

 private:
  std::array<uint64_t, 4> s_{};
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace cllm
