#pragma once
// TensorBoard's debiased exponential moving average. A plain EMA started at 0 is biased towards 0 for
// its first points; dividing by (1 - w^n) removes that bias, so the smoothed curve starts on the data.

#include <span>
#include <vector>

namespace cllm::views {

// Incremental form, so that a chart receiving points in batches smooths only the new ones.
class DebiasedEma {
 public:
  // weight is clamped to [0, kMaxSmoothingWeight]; NaN counts as 0 (no smoothing).
  explicit DebiasedEma(double weight = 0.0);

  // Returns the smoothed value for y. A non-finite y is returned unchanged and does not advance the
  // average, so one diverged step does not poison the rest of the curve.
  double add(double y);
  void reset();
  double weight() const { return weight_; }

 private:
  double weight_;
  double last_ = 0.0;
  double decay_ = 1.0;  // w^n for the n finite values seen so far
};

// w = 1 would freeze the average at 0 and make the debias factor 1 - 1^n = 0.
inline constexpr double kMaxSmoothingWeight = 0.999;

std::vector<double> smooth_debiased_ema(std::span<const double> values, double weight);

}  // namespace cllm::views
