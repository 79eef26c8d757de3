#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace cllm {

double LrSchedule::at(int step) const {
  if (step < warmup_steps) return lr * (step + 1) / (warmup_steps + 1);
  if (!cosine) return lr;
  if (step >= total_steps) return min_lr;
  const double progress = double(step - warmup_steps) / std::max(1, total_steps - warmup_steps);
  const double coeff = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
  return min_lr + coeff * (lr - min_lr);
}

}  // namespace cllm
