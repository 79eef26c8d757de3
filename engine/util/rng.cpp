#include "util/rng.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>

#include "util/error.h"

namespace cllm {
namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(uint64_t seed) {
  for (auto& word : s_) word = splitmix64(seed);
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

uint64_t Rng::below(uint64_t n) {
  // Reject the top partial block so every residue is equally likely.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = next_u64();
  while (x >= limit);
  return x % n;
}

double Rng::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u1;
  do u1 = uniform();
  while (u1 <= 0.0);
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 2.0 * std::numbers::pi * u2;
  spare_normal_ = r * std::sin(theta);
  has_spare_normal_ = true;
  return r * std::cos(theta);
}

std::string Rng::state() const {
  char buf[128];
  int n = std::snprintf(buf, sizeof buf, "%016llx %016llx %016llx %016llx", (unsigned long long)s_[0],
                        (unsigned long long)s_[1], (unsigned long long)s_[2], (unsigned long long)s_[3]);
  std::string text(buf, n);
  if (has_spare_normal_) {
    uint64_t bits;
    std::memcpy(&bits, &spare_normal_, sizeof bits);
    std::snprintf(buf, sizeof buf, " %016llx", (unsigned long long)bits);
    text += buf;
  }
  return text;
}

void Rng::set_state(const std::string& text) {
  unsigned long long w[5];
  int consumed = 0;
  int n = std::sscanf(text.c_str(), "%llx %llx %llx %llx%n", &w[0], &w[1], &w[2], &w[3], &consumed);
  require(n == 4, "random-number state '" + text + "' is not four hexadecimal words");
  std::array<uint64_t, 4> s{w[0], w[1], w[2], w[3]};
  require(s != std::array<uint64_t, 4>{}, "random-number state is all zero, which xoshiro256** cannot use");
  bool spare = false;
  double spare_value = 0.0;
  const char* rest = text.c_str() + consumed;
  if (*rest != '\0') {
    int tail = 0;
    require(std::sscanf(rest, " %llx%n", &w[4], &tail) == 1 && rest[tail] == '\0',
            "random-number state '" + text + "' has unexpected trailing text");
    uint64_t bits = w[4];
    std::memcpy(&spare_value, &bits, sizeof bits);
    spare = true;
  }
  s_ = s;
  has_spare_normal_ = spare;
  spare_normal_ = spare_value;
}

}  // namespace cllm
