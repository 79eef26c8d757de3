#include "train/adamw.h"

#include <cmath>

#include "kernels/cpu_kernels.h"
#include "kernels/parallel.h"
#include "layers/parameter_table.h"

namespace cllm {

AdamW::AdamW(const layers::ParameterTable& table, const AdamWSettings& settings)
    : settings_(settings), m_(table.total(), 0.0f), v_(table.total(), 0.0f), decay_(table.total(), 0) {
  for (const auto& t : table.tensors())
    if (t.decay) std::fill(decay_.begin() + t.offset, decay_.begin() + t.offset + t.size, 1);
}

void AdamW::update(std::span<float> params, std::span<const float> grads, float lr, int64_t step) {
  const float b1 = static_cast<float>(settings_.beta1), b2 = static_cast<float>(settings_.beta2);
  const float eps = static_cast<float>(settings_.eps);
  const float decay_factor = 1.0f - lr * static_cast<float>(settings_.weight_decay);
  // Bias corrections folded into the step size, as PyTorch does.
  const double correction1 = 1.0 - std::pow(settings_.beta1, static_cast<double>(step));
  const double correction2 = 1.0 - std::pow(settings_.beta2, static_cast<double>(step));
  const float step_size = static_cast<float>(lr / correction1);
  const float inv_sqrt_c2 = static_cast<float>(1.0 / std::sqrt(correction2));
  float* p = params.data();
  const float* g = grads.data();
  float* m = m_.data();
  float* v = v_.data();
  const uint8_t* decay = decay_.data();
  kernels::parallel_chunks(static_cast<long>(params.size()), 8, [&](long begin, long end) {
    kernels::cpu_kernels().adamw(p + begin, g + begin, m + begin, v + begin, decay + begin, end - begin, b1,
                                 b2, eps, decay_factor, step_size, inv_sqrt_c2);
  });
}

}  // namespace cllm
