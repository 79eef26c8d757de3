#include "layers/fourier_mixer.h"

#include <cmath>
#include <numbers>
#include <vector>

namespace cllm::layers {
namespace {

// A deterministic low-discrepancy spread over the C x M modes (the additive recurrence u_i = frac((i +
// 1/2) step)), mapped through `value`: every channel gets different time scales and frequencies.
template <typename Value>
std::vector<double> spread(int C, int M, double step, Value value) {
  std::vector<double> out(static_cast<size_t>(C) * M);
  for (size_t i = 0; i < out.size(); ++i) {
    const double x = (i + 0.5) * step;
    out[i] = value(x - std::floor(x));
  }
  return out;
}

}  // namespace

FourierMixer::FourierMixer(ParameterTable& table, const std::string& prefix, int channels, int max_positions,
                           double residual_std)
    : channels_(channels),
      amplitude_(
          table.add(prefix + "amplitude", {channels, kModes}, false, Init::normal, 0.5 / std::sqrt(kModes))),
      // lambda = exp(rho) from 1 (a memory of about one position) down to 1 / T_max (the whole context).
      log_decay_(
          table.add_with_values(prefix + "log_decay", {channels, kModes}, false,
                                spread(channels, kModes, std::numbers::phi - 1,
                                       [&](double u) { return -u * std::log(std::max(2, max_positions)); }))),
      frequency_(table.add_with_values(
          prefix + "frequency", {channels, kModes}, false,
          spread(channels, kModes, std::numbers::sqrt2 - 1, [](double u) { return std::numbers::pi * u; }))),
      phase_(table.add(prefix + "phase", {channels, kModes}, false, Init::zeros)),
      proj_(table, prefix + "c_proj", channels, channels, residual_std) {}

}  // namespace cllm::layers
