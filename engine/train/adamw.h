#pragma once
// AdamW (Loshchilov & Hutter) with PyTorch's update order: decoupled weight decay p *= 1 - lr*wd on the
// tensors the parameter table marks for decay, then the bias-corrected Adam step. Holds the first and second
// moments, one value per parameter, in the model's parameter table order (a checkpoint stores them as is).

#include <cstdint>
#include <span>
#include <vector>

namespace cllm {

namespace layers {
class ParameterTable;
}

struct AdamWSettings {
  double beta1 = 0.9, beta2 = 0.99, eps = 1e-8, weight_decay = 0.1;
};

class AdamW {
 public:
  AdamW(const layers::ParameterTable& table, const AdamWSettings& settings);

  // One update with learning rate `lr`; `step` counts updates from 1 (bias correction).
  void update(std::span<float> params, std::span<const float> grads, float lr, int64_t step);

  std::span<float> first_moment() { return m_; }
  std::span<float> second_moment() { return v_; }
  std::span<const float> first_moment() const { return m_; }
  std::span<const float> second_moment() const { return v_; }
  const AdamWSettings& settings() const { return settings_; }

 private:
  AdamWSettings settings_;
  std::vector<float> m_, v_;
  std::vector<uint8_t> decay_;  // per parameter: 1 if weight decay applies
};

}  // namespace cllm
