#pragma once
// What a run reports while it trains, as the charts and the runs folder keep it: one record per optimizer
// step and one per evaluation, with wall time since the run began (cumulative over resumed sessions).
// The training worker produces them, the metrics file stores them (metrics_records.h), the charts draw
// them.

#include <limits>

namespace cllm {

struct StepRecord {
  int step = 0;
  double wall_seconds = 0.0;
  double loss = 0.0;
  double lr = 0.0;
  double grad_norm = 0.0;
  double tokens_per_second = 0.0;
};

struct EvalRecord {
  int step = 0;
  double wall_seconds = 0.0;
  double loss = 0.0;  // nats per token
  // NaN when unknown (metrics files written before it was recorded)
  double bits_per_byte = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace cllm
