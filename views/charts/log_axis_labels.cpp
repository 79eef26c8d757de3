#include "views/charts/log_axis_labels.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>

namespace cllm::views {

namespace {

constexpr std::size_t kMaxLabels = 10;

// m x 10^e, dividing for negative e: 3 / 10 is the double nearest 0.3, 3 * 0.1 is not.
double timesPowerOfTen(double m, int e) {
  return e >= 0 ? m * std::pow(10.0, e) : m / std::pow(10.0, -e);
}

// Relative slack so that a value computed a rounding error outside the range still counts as inside.
bool inside(double v, double min, double max) {
  return v >= min * (1.0 - 1e-9) && v <= max * (1.0 + 1e-9);
}

struct MantissaSet {
  std::initializer_list<double> mantissas;
  double minGapDecades;  // the smallest log10 distance between two neighbours: where labels crowd
};

// Densest first. 9 to 10 is log10(10 / 9) apart, 2 to 3 log10(1.5), 1 to 2 log10(2).
const std::array<MantissaSet, 3> kSets = {{
    {{1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0}, 0.0457575},
    {{1.0, 2.0, 3.0, 5.0}, 0.1760913},
    {{1.0, 2.0, 5.0}, 0.3010300},
}};

std::vector<double> multiples(double min, double max, std::initializer_list<double> mantissas) {
  std::vector<double> out;
  const int first = static_cast<int>(std::floor(std::log10(min)));
  const int last = static_cast<int>(std::floor(std::log10(max)));
  for (int e = first; e <= last; ++e) {
    for (double m : mantissas) {
      const double v = timesPowerOfTen(m, e);
      if (inside(v, min, max)) out.push_back(v);
    }
  }
  return out;
}

// Every `step`-th decade, keeping exponents that are multiples of it so labels do not hop while panning.
std::vector<double> decades(double min, double max, int step) {
  const int first = static_cast<int>(std::ceil(std::log10(min) - 1e-9));
  const int last = static_cast<int>(std::floor(std::log10(max) + 1e-9));
  std::vector<double> out;
  for (int e = first; e <= last; ++e) {
    if (e % step == 0) out.push_back(timesPowerOfTen(1.0, e));
  }
  return out;
}

}  // namespace

double niceInterval(double span, int targetTicks) {
  const double raw = span / targetTicks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (raw <= m * magnitude) return m * magnitude;
  }
  return 10.0 * magnitude;
}

std::vector<double> logAxisLabelValues(double min, double max, double lengthPx, double minGapPx) {
  if (!(min > 0.0) || !(max > min) || !std::isfinite(max)) return {};
  const double decadesShown = std::log10(max / min);
  const double pxPerDecade = std::max(lengthPx, 1.0) / decadesShown;
  const double gap = std::max(minGapPx, 1.0);

  for (const MantissaSet& set : kSets) {
    if (set.minGapDecades * pxPerDecade < gap) continue;
    std::vector<double> out = multiples(min, max, set.mantissas);
    if (out.size() > kMaxLabels) continue;
    if (out.size() >= 3 || &set != &kSets.front()) return out;
    // Too narrow a range for three multiples: round values in between, as far apart as room allows.
    const int target = static_cast<int>(std::clamp(lengthPx / (2.0 * gap), 2.0, 5.0));
    const double step = niceInterval(max - min, target);
    out.clear();
    // Bounded: over a span near the double resolution k * step could stop growing.
    for (double k = std::ceil(min / step); k * step <= max * (1.0 + 1e-9) && out.size() < kMaxLabels;
         k += 1.0) {
      out.push_back(k * step);
    }
    return out;
  }
  int step = std::max(1, static_cast<int>(std::ceil(gap / pxPerDecade)));
  while (std::floor(decadesShown / step) + 1 > static_cast<double>(kMaxLabels)) ++step;
  return decades(min, max, step);
}

}  // namespace cllm::views
