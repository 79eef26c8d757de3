#include "model/output_check.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"
#include "util/finite.h"

namespace cllm {

void require_finite_output(std::span<const float> values, std::span<const float> parameters,
                           const std::string& what) {
  const std::optional<size_t> bad = first_non_finite(values);
  if (!bad) return;
  float largest = 0;
  bool weights_finite = true;
  for (float p : parameters) {
    if (!std::isfinite(p))
      weights_finite = false;
    else
      largest = std::max(largest, std::abs(p));
  }
  const std::string cause = !weights_finite ? "the model's weights hold NaN or infinities"
                            : largest > 1e18f
                                ? "its weights reach " + format_number(largest) +
                                      ", so the products overflow float32 (the largest float is 3.4e+38)"
                                : "the largest |weight| is " + format_number(largest);
  const float v = values[*bad];
  const std::string value = std::isnan(v) ? "NaN" : v > 0 ? "infinite" : "-infinite";
  throw Error(what + " is " + value + ", not a finite number: " + cause +
              "; the checkpoint is damaged or its training diverged");
}

}  // namespace cllm
