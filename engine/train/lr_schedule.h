#pragma once
// Learning rate at a step: linear warmup from lr/(warmup+1) to lr, then cosine decay to min_lr at
// total_steps (nanoGPT's schedule), or constant after warmup.

#include <string>

namespace cllm {

struct LrSchedule {
  double lr = 1e-3;
  double min_lr = 1e-4;
  int warmup_steps = 100;
  int total_steps = 2000;
  bool cosine = true;  // false: constant lr after warmup

  // `step` counts from 0.
  double at(int step) const;
};

}  // namespace cllm
