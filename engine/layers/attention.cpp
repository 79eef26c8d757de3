#include "layers/attention.h"

#include <cmath>
#include <cstdlib>

#include "lattice/primes.h"

namespace cllm::layers {

std::vector<double> clock_log_match() {
  std::vector<double> table(kClockClasses * kClockClasses);
  for (int a = 0; a < kClockClasses; ++a)
    for (int b = 0; b < kClockClasses; ++b) {
      const int d = std::min(std::abs(a - b), kClockClasses - std::abs(a - b));
      table[a * kClockClasses + b] = d == 0 ? 0.0 : -std::log(1.0 + 0.5 * d);
    }
  return table;
}

std::vector<uint8_t> token_clock_classes(int vocab) {
  const std::vector<uint64_t> primes = first_primes(static_cast<size_t>(vocab));
  std::vector<uint8_t> classes(vocab);
  for (int k = 0; k < vocab; ++k) classes[k] = static_cast<uint8_t>(primes[k] % kClockClasses);
  return classes;
}

Attention::Attention(ParameterTable& table, const std::string& prefix, int channels, int heads,
                     int max_positions, double residual_std, size_t rope_table, size_t clock_table)
    : channels_(channels),
      heads_(heads),
      max_positions_(max_positions),
      rope_(rope_table),
      clock_table_(clock_table),
      qkv_(table, prefix + "c_attn", channels, 3 * channels, 0.02),
      proj_(table, prefix + "c_proj", channels, channels, residual_std) {
  if (clock_table != ParameterTable::kNone)
    beta_ = table.add(prefix + "clock_beta", {heads}, false, Init::zeros);
}

}  // namespace cllm::layers
