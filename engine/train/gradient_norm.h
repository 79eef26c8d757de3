#pragma once
// Global L2 norm of the gradients, and clipping by it.

#include <span>

namespace cllm {

// sqrt(sum g^2), accumulated in double over fixed chunks summed in order: deterministic and accurate.
double gradient_norm(std::span<const float> grads);

// If max_norm > 0 and norm > max_norm, scales grads by max_norm / norm. Returns the scale applied (1 if
// none).
double clip_gradients(std::span<float> grads, double norm, double max_norm);

}  // namespace cllm
