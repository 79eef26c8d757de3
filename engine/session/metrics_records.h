#pragma once
// The metrics of a run as JSON lines, one object per step and per evaluation. `cllm train --metrics`
// and the workbench (runs/<id>/metrics.jsonl) write the same records, so either can read the other's.
//   {"event":"step","step":12,"loss":2.31,"lr":0.001,"grad_norm":0.8,"clipped":false,"seconds":0.03,
//    "tokens_per_second":25000,"elapsed_seconds":0.4}
//   {"event":"eval","step":250,"validation_loss":2.01,"perplexity":7.46,"bits_per_byte":2.90,
//    "tokens":15360,"seconds":0.2,"best":true,"elapsed_seconds":9.8}
// elapsed_seconds is wall time since this training session started (a resumed run starts again at 0).
// bits_per_byte (EvalResult::bits_per_byte) is left out when unknown, and files written before it existed
// lack it: readers take it as optional (j.value("bits_per_byte", NAN)); JSON has no NaN to write.

#include <filesystem>
#include <nlohmann/json.hpp>

#include "train/trainer.h"

namespace cllm {

nlohmann::json step_record(const StepStats& s, double elapsed_seconds);
nlohmann::json eval_record(const EvalResult& r, bool best, double elapsed_seconds);

// Before a run resumed at `steps_done` appends to its metrics file: removes the step and eval records
// after that step, and a torn last line. A run killed (kill -9, power loss) after its last checkpoint had
// recorded steps that the resumed run records again, twice in the file otherwise (issue 13, defect 8).
// Rewritten atomically, and only when something goes; a missing file is left missing.
void drop_metrics_after(const std::filesystem::path& path, int steps_done);

}  // namespace cllm
