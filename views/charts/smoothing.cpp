#include "views/charts/smoothing.h"

#include <algorithm>
#include <cmath>

namespace cllm::views {

DebiasedEma::DebiasedEma(double weight)
    : weight_(std::isnan(weight) ? 0.0 : std::clamp(weight, 0.0, kMaxSmoothingWeight)) {}

double DebiasedEma::add(double y) {
  if (!std::isfinite(y)) return y;
  last_ = last_ * weight_ + (1.0 - weight_) * y;
  decay_ *= weight_;
  return last_ / (1.0 - decay_);
}

void DebiasedEma::reset() {
  last_ = 0.0;
  decay_ = 1.0;
}

std::vector<double> smooth_debiased_ema(std::span<const double> values, double weight) {
  DebiasedEma ema(weight);
  std::vector<double> out;
  out.reserve(values.size());
  for (double y : values) out.push_back(ema.add(y));
  return out;
}

}  // namespace cllm::views
