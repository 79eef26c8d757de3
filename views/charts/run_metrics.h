#pragma once
// What the charts show of a run: plain records the app fills from the engine's training loop or from a
// run's metrics file on disk.

namespace cllm::views {

struct StepRecord {
  int step = 0;
  double wall_seconds = 0.0;  // since the run started
  double loss = 0.0;
  double lr = 0.0;
  double grad_norm = 0.0;
  double tokens_per_second = 0.0;
};

struct EvalRecord {
  int step = 0;
  double wall_seconds = 0.0;  // since the run started
  double loss = 0.0;
};

}  // namespace cllm::views
