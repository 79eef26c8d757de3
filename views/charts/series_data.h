#pragma once
// The data behind one chart series: every point ever received (export and hover need all of them, the
// display only a decimated subset), its wall time, and its smoothed value kept up to date incrementally.

#include <QList>
#include <QPointF>

#include <vector>

#include "views/charts/smoothing.h"

namespace cllm::views {

class SeriesData {
 public:
  // Points are (step, value); wallSeconds[i] belongs to points[i] (missing entries count as unknown,
  // NaN). A point whose step is <= the last stored step starts a resumed tail: stored points with
  // step >= it are dropped first, so steps stay strictly increasing and the line never zig-zags.
  // Returns true when stored points were dropped.
  bool append(const QList<QPointF>& points, const QList<double>& wallSeconds);
  void clear();

  void setSmoothing(double weight);  // re-smooths every point
  double smoothing() const { return weight_; }

  int size() const { return static_cast<int>(steps_.size()); }
  bool empty() const { return steps_.empty(); }
  const std::vector<double>& steps() const { return steps_; }
  const std::vector<double>& wallSeconds() const { return walls_; }
  const std::vector<double>& values() const { return values_; }
  const std::vector<double>& smoothed() const { return smoothed_; }

  // Index of the point whose step (or wall time) is nearest to x; -1 when there is none (points
  // without a wall time are never nearest in wall time).
  int nearestByStep(double x) const;
  int nearestByWallTime(double x) const;

 private:
  void resmooth();

  std::vector<double> steps_, walls_, values_, smoothed_;
  double weight_ = 0.0;
  DebiasedEma ema_;
};

}  // namespace cllm::views
