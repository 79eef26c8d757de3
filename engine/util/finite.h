#pragma once
// The one scan behind the checks that no NaN or infinity is saved, loaded or shown as a result.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <span>

namespace cllm {

// The index of the first NaN or infinity in `values`, or nothing when every value is a finite number.
inline std::optional<size_t> first_non_finite(std::span<const float> values) {
  const auto it = std::find_if(values.begin(), values.end(), [](float v) { return !std::isfinite(v); });
  if (it == values.end()) return std::nullopt;
  return static_cast<size_t>(it - values.begin());
}

}  // namespace cllm
