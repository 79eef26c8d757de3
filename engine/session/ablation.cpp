#include "session/ablation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "data/corpus.h"
#include "session/training_session.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace cllm {
namespace {

const ModelOption& option_named(const std::string& key) {
  for (const ModelOption& o : model_options())
    if (o.key == key) return o;
  std::string known;
  for (const ModelOption& o : model_options()) known += (known.empty() ? "" : ", ") + o.key;
  throw Error("unknown model option '" + key + "' in an ablation variant (known: " + known + ")");
}

std::string format(const char* pattern, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, pattern, value);
  return buf;
}

}  // namespace

AblationVariant parse_variant(const ModelConfig& base, const std::string& spec) {
  AblationVariant v{spec, base};
  if (spec == "baseline") return v;
  size_t start = 0;
  while (start <= spec.size()) {
    const size_t end = std::min(spec.find(',', start), spec.size());
    const std::string part = spec.substr(start, end - start);
    const size_t eq = part.find('=');
    require(eq != std::string::npos && eq > 0 && eq + 1 < part.size(),
            "ablation variant '" + spec + "': '" + part + "' is not key=value (e.g. positional=rope)");
    const ModelOption& option = option_named(part.substr(0, eq));
    v.model.*option.field = part.substr(eq + 1);
    start = end + 1;
  }
  ModelConfig check = v.model;
  check.vocab_size = std::max(check.vocab_size, 1);  // the tokenizer sets it later; check the rest now
  check.validate();
  return v;
}

std::vector<AblationVariant> default_variants(const ModelConfig& base, const std::string& tokenizer_kind) {
  std::vector<AblationVariant> out = {{"baseline", base}};
  for (const ModelOption& o : model_options())
    for (const std::string& value : o.values)
      if (o.key != "roots" || tokenizer_kind == "word")
        if (value != base.*o.field) out.push_back(parse_variant(base, o.key + "=" + value));
  return out;
}

void check_ablation(const AblationSettings& s) {
  require(!s.seeds.empty(), "an ablation needs at least one seed");
  require(!s.variants.empty(), "an ablation needs at least one variant");
  for (const AblationVariant& v : s.variants) {
    ModelConfig check = v.model;
    check.vocab_size = std::max(check.vocab_size, 1);
    try {
      check.validate();
    } catch (const Error& e) {
      throw Error("ablation variant '" + v.name + "': " + e.what());
    }
  }
}

std::vector<AblationRun> run_ablation(const Corpus& corpus, const AblationSettings& s,
                                      const AblationObserver& observer) {
  check_ablation(s);  // fail before any training when one of the runs could not start
  std::vector<AblationRun> runs;
  const int total = static_cast<int>(s.variants.size() * s.seeds.size());
  int index = 0;
  for (const AblationVariant& v : s.variants)
    for (uint64_t seed : s.seeds) {
      if (observer.stop_requested && observer.stop_requested()) return runs;
      if (observer.on_run_start) observer.on_run_start(index++, total, v, seed);
      const auto start = std::chrono::steady_clock::now();
      TrainingSession::NewRun run{s.tokenizer, v.model, s.train};
      run.train.seed = seed;
      std::unique_ptr<TrainingSession> session;
      try {
        session = TrainingSession::start(corpus, run);
      } catch (const Error& e) {
        throw Error("ablation variant '" + v.name + "': " + e.what());
      }
      double step_seconds = 0;
      int64_t tokens = 0;
      TrainingObserver train_observer;
      train_observer.on_step = [&](const StepStats& st) {
        step_seconds += st.seconds;
        tokens += st.tokens;
        if (observer.on_step) observer.on_step(st);
      };
      train_observer.on_eval = observer.on_eval;
      train_observer.stop_requested = observer.stop_requested;
      const EvalResult last = run_training(session->trainer(), train_observer);
      AblationRun r;
      r.variant = v.name;
      r.seed = seed;
      r.steps = session->trainer().steps_done();
      r.validation_loss = last.loss;
      r.bits_per_byte = last.bits_per_byte;
      r.parameters = session->model().config().parameter_count();
      r.tokens_per_second = step_seconds > 0 ? tokens / step_seconds : 0;
      r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      runs.push_back(r);
      if (observer.on_run_end) observer.on_run_end(r);
    }
  return runs;
}

AblationRun ablation_run_from_records(const std::string& variant, uint64_t seed, int64_t parameters,
                                      std::span<const StepRecord> steps, std::span<const EvalRecord> evals,
                                      double wall_seconds) {
  require(!evals.empty(), "the run of ablation variant '" + variant + "' has no evaluation");
  AblationRun r;
  r.variant = variant;
  r.seed = seed;
  r.steps = std::max(steps.empty() ? 0 : steps.back().step, evals.back().step);
  r.validation_loss = evals.back().loss;
  r.bits_per_byte = evals.back().bits_per_byte;
  r.parameters = parameters;
  double inverse_rates = 0;
  int rated = 0;
  for (const StepRecord& st : steps)
    if (st.tokens_per_second > 0) inverse_rates += 1.0 / st.tokens_per_second, ++rated;
  r.tokens_per_second = rated > 0 ? rated / inverse_rates : 0;
  r.wall_seconds = wall_seconds;
  return r;
}

std::vector<AblationRow> summarize_ablation(const std::vector<AblationRun>& runs) {
  std::vector<AblationRow> rows;
  std::map<std::string, size_t> index;
  for (const AblationRun& r : runs) {
    auto [it, added] = index.try_emplace(r.variant, rows.size());
    if (added)
      rows.push_back({r.variant, 0, 0, 0, r.validation_loss, r.validation_loss, 0, r.parameters, 0, 0});
    AblationRow& row = rows[it->second];
    ++row.runs;
    row.loss_mean += r.validation_loss;
    row.loss_min = std::min(row.loss_min, r.validation_loss);
    row.loss_max = std::max(row.loss_max, r.validation_loss);
    row.bits_per_byte_mean += r.bits_per_byte;
    row.tokens_per_second_mean += r.tokens_per_second;
    row.wall_seconds_mean += r.wall_seconds;
  }
  for (AblationRow& row : rows) {
    row.loss_mean /= row.runs;
    row.bits_per_byte_mean /= row.runs;
    row.tokens_per_second_mean /= row.runs;
    row.wall_seconds_mean /= row.runs;
  }
  // Sample standard deviation over the seeds (0 for a single run).
  std::vector<double> squares(rows.size(), 0.0);
  for (const AblationRun& r : runs) {
    const size_t i = index[r.variant];
    squares[i] += (r.validation_loss - rows[i].loss_mean) * (r.validation_loss - rows[i].loss_mean);
  }
  for (size_t i = 0; i < rows.size(); ++i)
    rows[i].loss_std = rows[i].runs > 1 ? std::sqrt(squares[i] / (rows[i].runs - 1)) : 0.0;
  return rows;
}

std::string ablation_csv(const std::vector<AblationRow>& rows) {
  std::string out =
      "variant,runs,validation_loss_mean,validation_loss_std,validation_loss_min,validation_loss_max,"
      "bits_per_byte_mean,parameters,tokens_per_second_mean,wall_seconds_mean\n";
  for (const AblationRow& r : rows)
    out += r.variant + "," + std::to_string(r.runs) + "," + format("%.6f", r.loss_mean) + "," +
           format("%.6f", r.loss_std) + "," + format("%.6f", r.loss_min) + "," + format("%.6f", r.loss_max) +
           "," + format("%.6f", r.bits_per_byte_mean) + "," + std::to_string(r.parameters) + "," +
           format("%.1f", r.tokens_per_second_mean) + "," + format("%.2f", r.wall_seconds_mean) + "\n";
  return out;
}

std::string ablation_markdown(const std::vector<AblationRow>& rows) {
  std::string out =
      "| variant | validation loss (mean ± std, n) | bits/byte | parameters | training tokens/s | wall s |\n"
      "|---|---|---|---|---|---|\n";
  for (const AblationRow& r : rows)
    out += "| " + r.variant + " | " + format("%.4f", r.loss_mean) + " ± " + format("%.4f", r.loss_std) +
           " (" + std::to_string(r.runs) + ") | " + format("%.3f", r.bits_per_byte_mean) + " | " +
           std::to_string(r.parameters) + " | " + format("%.0f", r.tokens_per_second_mean) + " | " +
           format("%.1f", r.wall_seconds_mean) + " |\n";
  return out;
}

nlohmann::json ablation_json(const std::vector<AblationRun>& runs, const std::vector<AblationRow>& rows) {
  nlohmann::json j = {{"runs", nlohmann::json::array()}, {"variants", nlohmann::json::array()}};
  auto number = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
  for (const AblationRun& r : runs)
    j["runs"].push_back({{"variant", r.variant},
                         {"seed", r.seed},
                         {"steps", r.steps},
                         {"validation_loss", number(r.validation_loss)},
                         {"bits_per_byte", number(r.bits_per_byte)},
                         {"parameters", r.parameters},
                         {"tokens_per_second", r.tokens_per_second},
                         {"wall_seconds", r.wall_seconds}});
  for (const AblationRow& r : rows)
    j["variants"].push_back({{"variant", r.variant},
                             {"runs", r.runs},
                             {"validation_loss_mean", number(r.loss_mean)},
                             {"validation_loss_std", number(r.loss_std)},
                             {"validation_loss_min", number(r.loss_min)},
                             {"validation_loss_max", number(r.loss_max)},
                             {"bits_per_byte_mean", number(r.bits_per_byte_mean)},
                             {"parameters", r.parameters},
                             {"tokens_per_second_mean", r.tokens_per_second_mean},
                             {"wall_seconds_mean", r.wall_seconds_mean}});
  return j;
}

std::vector<AblationRow> save_ablation(const std::filesystem::path& dir,
                                       const std::vector<AblationRun>& runs) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  require(!error, "cannot create the folder '" + dir.string() + "': " + error.message());
  std::vector<AblationRow> rows = summarize_ablation(runs);
  write_file_atomically(dir / "ablation.csv", ablation_csv(rows));
  write_file_atomically(dir / "ablation.md", ablation_markdown(rows));
  write_file_atomically(dir / "ablation.json", ablation_json(runs, rows).dump(2) + "\n");
  return rows;
}

}  // namespace cllm
