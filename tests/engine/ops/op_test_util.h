#pragma once
// Shared checks for op tests: finite-difference gradients of the double reference, and agreement of
// the fast float32 path with that reference.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "util/rng.h"

namespace cllm::test {

inline std::vector<double> random_vector(size_t n, Rng& rng, double scale = 1.0) {
  std::vector<double> v(n);
  for (auto& x : v) x = rng.normal() * scale;
  return v;
}

inline std::vector<float> to_float(const std::vector<double>& v) { return {v.begin(), v.end()}; }

// Checks analytic[i] == d loss / d x[i] by central differences for every index (or an evenly spread
// sample of `max_checks`). `loss` recomputes the scalar loss from the current x.
inline void expect_gradient_matches(const std::string& what, std::vector<double>& x,
                                    const std::vector<double>& analytic, const std::function<double()>& loss,
                                    size_t max_checks = 400, double h = 1e-5) {
  ASSERT_EQ(x.size(), analytic.size()) << what;
  const size_t step = std::max<size_t>(1, x.size() / max_checks);
  double worst = 0.0;
  for (size_t i = 0; i < x.size(); i += step) {
    const double saved = x[i];
    x[i] = saved + h;
    const double up = loss();
    x[i] = saved - h;
    const double down = loss();
    x[i] = saved;
    const double numeric = (up - down) / (2 * h);
    const double err = std::abs(numeric - analytic[i]) / std::max(1.0, std::abs(numeric));
    worst = std::max(worst, err);
    ASSERT_LT(err, 1e-6) << what << "[" << i << "]: analytic " << analytic[i] << " vs numeric " << numeric;
  }
  ::testing::Test::RecordProperty(what + "_worst_gradient_error", std::to_string(worst));
}

// max |fast - ref| must be within `rtol` of the reference's largest magnitude (float32 rounding grows
// with the length of the sums; real bugs give errors of the order of the values themselves).
inline void expect_close(const std::string& what, const std::vector<float>& fast, const std::vector<double>& ref,
                         double rtol = 2e-5) {
  ASSERT_EQ(fast.size(), ref.size()) << what;
  double scale = 1e-30, worst = 0.0;
  size_t worst_i = 0;
  for (size_t i = 0; i < ref.size(); ++i) scale = std::max(scale, std::abs(ref[i]));
  for (size_t i = 0; i < ref.size(); ++i) {
    ASSERT_TRUE(std::isfinite(fast[i])) << what << "[" << i << "] is not finite";
    const double err = std::abs(fast[i] - ref[i]);
    if (err > worst) worst = err, worst_i = i;
  }
  EXPECT_LE(worst / scale, rtol) << what << ": worst at [" << worst_i << "] fast " << fast[worst_i] << " ref "
                                 << ref[worst_i] << " (scale " << scale << ")";
}

inline double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

}  // namespace cllm::test
