#include "views/charts/series_data.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cllm::views {

bool SeriesData::append(const QList<QPointF>& points, const QList<double>& wallSeconds) {
  bool dropped = false;
  for (qsizetype i = 0; i < points.size(); ++i) {
    const double step = points[i].x();
    if (!steps_.empty() && step <= steps_.back()) {
      const auto keep = std::lower_bound(steps_.begin(), steps_.end(), step) - steps_.begin();
      steps_.resize(keep);
      walls_.resize(keep);
      values_.resize(keep);
      dropped = true;
    }
    steps_.push_back(step);
    walls_.push_back(i < wallSeconds.size() ? wallSeconds[i] : std::numeric_limits<double>::quiet_NaN());
    values_.push_back(points[i].y());
  }
  // The running average cannot be rewound, so a dropped tail means smoothing from the start again.
  if (dropped) {
    resmooth();
  } else {
    smoothed_.reserve(values_.size());
    for (std::size_t i = smoothed_.size(); i < values_.size(); ++i) smoothed_.push_back(ema_.add(values_[i]));
  }
  return dropped;
}

void SeriesData::clear() {
  steps_.clear();
  walls_.clear();
  values_.clear();
  smoothed_.clear();
  ema_.reset();
}

void SeriesData::setSmoothing(double weight) {
  weight_ = DebiasedEma(weight).weight();
  resmooth();
}

void SeriesData::resmooth() {
  ema_ = DebiasedEma(weight_);
  smoothed_.clear();
  smoothed_.reserve(values_.size());
  for (double y : values_) smoothed_.push_back(ema_.add(y));
}

int SeriesData::nearestByStep(double x) const {
  if (steps_.empty()) return -1;
  const auto it = std::lower_bound(steps_.begin(), steps_.end(), x);
  if (it == steps_.end()) return size() - 1;
  const int i = static_cast<int>(it - steps_.begin());
  if (i > 0 && x - steps_[i - 1] <= steps_[i] - x) return i - 1;
  return i;
}

int SeriesData::nearestByWallTime(double x) const {
  // Wall times are not guaranteed monotonic (clock adjustments, merged runs), so no binary search.
  int best = -1;
  double bestDistance = std::numeric_limits<double>::infinity();
  for (int i = 0; i < size(); ++i) {
    const double d = std::abs(walls_[i] - x);
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}

}  // namespace cllm::views
