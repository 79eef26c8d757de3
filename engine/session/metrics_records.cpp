#include "session/metrics_records.h"

#include <cmath>
#include <fstream>

#include "util/atomic_file.h"
#include "util/error.h"

namespace cllm {

nlohmann::json step_record(const StepStats& s, double elapsed_seconds) {
  return {{"event", "step"},
          {"step", s.step},
          {"loss", s.loss},
          {"lr", s.lr},
          {"grad_norm", s.grad_norm},
          {"clipped", s.clipped},
          {"seconds", s.seconds},
          {"tokens_per_second", s.seconds > 0 ? s.tokens / s.seconds : 0.0},
          {"elapsed_seconds", elapsed_seconds}};
}

nlohmann::json eval_record(const EvalResult& r, bool best, double elapsed_seconds) {
  nlohmann::json j = {{"event", "eval"},
                      {"step", r.step},
                      {"validation_loss", r.loss},
                      {"perplexity", r.perplexity},
                      {"tokens", r.tokens},
                      {"seconds", r.seconds},
                      {"best", best},
                      {"elapsed_seconds", elapsed_seconds}};
  // A NaN would be written as null, which a reader asking for a number would reject.
  if (std::isfinite(r.bits_per_byte)) j["bits_per_byte"] = r.bits_per_byte;
  return j;
}

void drop_metrics_after(const std::filesystem::path& path, int steps_done) {
  std::ifstream in(path);
  if (!in) return;
  std::string kept, line;
  bool dropped = false;
  while (std::getline(in, line)) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    const bool after = j.is_object() && j.contains("step") && j["step"].is_number_integer() &&
                       (j.value("event", "") == "step" || j.value("event", "") == "eval") &&
                       j["step"].get<int64_t>() > steps_done;
    if (j.is_discarded() || after) {
      dropped = true;
      continue;
    }
    kept += line + "\n";
  }
  require(!in.bad(), "cannot read metrics file '" + path.string() + "'");
  if (dropped) write_file_atomically(path, kept);
}

}  // namespace cllm
