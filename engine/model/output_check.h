#pragma once
// A valid input that gives NaN or infinite logits or losses means the weights overflow float32: finite
// but huge weights (3e38) make infinities in the first product and NaN after. Reported as an error that
// says so, instead of printed as NaN probabilities or a NaN loss with exit status 0.

#include <span>
#include <string>

namespace cllm {

// Throws cllm::Error when `values` hold NaN or an infinity: "<what> is not finite (...)", naming the
// largest |parameter|.
void require_finite_output(std::span<const float> values, std::span<const float> parameters,
                           const std::string& what);

}  // namespace cllm
