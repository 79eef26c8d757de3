#include "layers/positional_encoding.h"

#include <cmath>
#include <numbers>

#include "lattice/lattice_maps.h"
#include "lattice/primes.h"
#include "util/error.h"

namespace cllm::layers {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

// trig(i, angle): cos for even channels, sin for odd ones.
double trig(int i, double angle) {
  return i % 2 == 0 ? std::cos(angle) : std::sin(angle);
}

void normalise_row(double* row, int channels, double norm = 1.0) {
  double sum = 0;
  for (int i = 0; i < channels; ++i) sum += row[i] * row[i];
  if (sum == 0) return;
  const double scale = norm / std::sqrt(sum);
  for (int i = 0; i < channels; ++i) row[i] *= scale;
}

// table[t, i] = value(t, i)
template <typename Value>
std::vector<double> table(int max_positions, int channels, Value value) {
  std::vector<double> out(static_cast<size_t>(max_positions) * channels);
  for (int t = 0; t < max_positions; ++t)
    for (int i = 0; i < channels; ++i) out[static_cast<size_t>(t) * channels + i] = value(t, i);
  return out;
}

std::vector<double> sinusoidal(int T, int C) {
  // PE[t, 2i] = sin(t / 10000^(2i/C)), PE[t, 2i+1] = cos(same).
  return table(T, C, [&](int t, int c) {
    const double angle = t / std::pow(10000.0, double(c - c % 2) / C);
    return c % 2 == 0 ? std::sin(angle) : std::cos(angle);
  });
}

std::vector<double> spiral(int T, int C) {
  auto out = table(T, C, [](int t, int i) { return trig(i, (i / 2 + 1) * kGoldenAngle * t); });
  for (int t = 0; t < T; ++t) normalise_row(out.data() + static_cast<size_t>(t) * C, C);
  return out;
}

std::vector<double> clock(int T, int C) {
  auto out = table(T, C, [](int t, int i) { return trig(i, (i / 2 + 1) * kTwoPi * (t % 12) / 12.0); });
  for (int t = 0; t < T; ++t) {
    double* row = out.data() + static_cast<size_t>(t) * C;
    for (int m = 0; m < C / 4; ++m) {
      const double angle = kTwoPi * t * (m + 1) / T;
      row[4 * m] += 0.1 * std::cos(angle);
      row[4 * m + 1] += 0.1 * std::sin(angle);
    }
    normalise_row(row, C);
  }
  return out;
}

std::vector<double> prime(int T, int C) {
  const std::vector<uint64_t> q = first_primes(static_cast<size_t>(T));
  auto out =
      table(T, C, [&](int t, int i) { return trig(i, (i + 1) * kTwoPi * double(q[t] % 1000) / 1000.0); });
  const double log_last = std::log(double(q[T - 1]));
  for (int t = 0; t < T; ++t)
    normalise_row(out.data() + static_cast<size_t>(t) * C, C, 0.5 + 0.5 * std::log(double(q[t])) / log_last);
  return out;
}

}  // namespace

PositionKind positional_kind(const std::string& name) {
  if (name == "learned") return PositionKind::learned;
  if (name == "sinusoidal" || name == "spiral" || name == "clock" || name == "prime")
    return PositionKind::fixed;
  if (name == "rope") return PositionKind::rotary;
  if (name == "none") return PositionKind::none;
  std::string known;
  for (const auto& n : positional_encoding_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error("unknown positional encoding '" + name + "' (known: " + known + ")");
}

std::vector<std::string> positional_encoding_names() {
  return {"learned", "sinusoidal", "rope", "spiral", "clock", "prime", "none"};
}

std::vector<double> fixed_positional_table(const std::string& name, int max_positions, int channels) {
  if (name == "sinusoidal") return sinusoidal(max_positions, channels);
  if (name == "spiral") return spiral(max_positions, channels);
  if (name == "clock") return clock(max_positions, channels);
  if (name == "prime") return prime(max_positions, channels);
  throw Error("internal error: positional encoding '" + name + "' has no fixed table");
}

}  // namespace cllm::layers
