// `cllm ablate`: the baseline and each model option (or the --variant list) trained with the same data,
// step budget and seeds; prints the per-variant table and saves it as CSV, markdown and JSON, with every
// run's metrics as JSON lines beside them.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "commands.h"
#include "common.h"
#include "interrupt.h"
#include "progress_line.h"
#include "session/ablation.h"
#include "session/metrics_records.h"
#include "util/error.h"

namespace cllm::cli {
namespace {

struct AblateOptions {
  std::string corpus;
  TokenizerSpec tokenizer;
  ModelShapeOptions shape;
  TrainConfig train;
  bool no_clip = false;
  std::vector<uint64_t> seeds = {1, 2, 3};
  std::vector<std::string> variants;  // empty = baseline + every option value
  std::string out_dir = "ablation";
  int threads = 0;
  bool json = false;
};

void run(const AblateOptions& o) {
  apply_threads(o.threads);
  const Corpus corpus = load_corpus_or_builtin(o.corpus);
  AblationSettings s;
  s.tokenizer = o.tokenizer;
  s.train = o.train;
  if (o.no_clip) s.train.grad_clip = 0.0;
  s.train.validate();
  s.seeds = o.seeds;
  const ModelConfig base = o.shape.config();
  if (o.variants.empty()) {
    s.variants = default_variants(base, o.tokenizer.kind);
  } else {
    for (const std::string& spec : o.variants) s.variants.push_back(parse_variant(base, spec));
  }
  const std::filesystem::path out = o.out_dir, runs_dir = out / "runs";
  std::filesystem::create_directories(runs_dir);

  install_interrupt_handler();
  ProgressLine progress;
  std::string current;
  std::ofstream metrics;
  long run_index = 0, run_count = 0;
  auto run_started = std::chrono::steady_clock::now();
  // Each run's metrics count wall time from its own start, as a `cllm train --metrics` file would.
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - run_started).count();
  };
  AblationObserver observer;
  observer.on_run_start = [&](int index, int total, const AblationVariant& v, uint64_t seed) {
    run_index = index, run_count = total;
    run_started = std::chrono::steady_clock::now();
    current = "run " + std::to_string(index + 1) + "/" + std::to_string(total) + " " + v.name + " seed " +
              std::to_string(seed);
    const std::filesystem::path file = runs_dir / (v.name + "-seed" + std::to_string(seed) + ".jsonl");
    metrics.close();
    metrics.clear();
    metrics.open(file, std::ios::trunc);
    require(metrics.good(), "cannot write '" + file.string() + "'");
  };
  observer.on_step = [&](const StepStats& st) {
    metrics << step_record(st, elapsed()).dump() << '\n';
    char loss[32];
    std::snprintf(loss, sizeof loss, "  loss %.4f", st.loss);
    // Progress over the whole ablation, so the ETA is the ablation's.
    if (!o.json)
      progress.update(run_index * s.train.steps + st.step, run_count * s.train.steps, current + loss);
  };
  observer.on_eval = [&](const EvalResult& r) { metrics << eval_record(r, false, elapsed()).dump() << '\n'; };
  observer.on_run_end = [&](const AblationRun& r) {
    metrics.close();
    require(!metrics.fail(), "writing the metrics of " + current + " failed");
    char line[256];
    std::snprintf(line, sizeof line, "%s: validation loss %.4f after %d steps, %.0f tokens/s, %.1f s",
                  current.c_str(), r.validation_loss, r.steps, r.tokens_per_second, r.wall_seconds);
    if (o.json)
      print_json({{"event", "run"},
                  {"variant", r.variant},
                  {"seed", r.seed},
                  {"validation_loss", r.validation_loss}});
    else
      progress.message(line);
  };
  observer.stop_requested = [] { return interrupted(); };
  std::vector<AblationRun> runs = run_ablation(corpus, s, observer);
  progress.finish();
  // A run cut short by Ctrl+C did not get the same budget: leave it out of the comparison.
  const size_t all = runs.size();
  std::erase_if(runs, [&](const AblationRun& r) { return r.steps < s.train.steps; });
  if (runs.size() < all)
    std::fprintf(stderr, "interrupted: %zu unfinished run(s) left out\n", all - runs.size());

  const auto rows = save_ablation(out, runs);
  if (o.json) {
    print_json({{"event", "done"}, {"ablation", ablation_json(runs, rows)}});
  } else {
    std::printf("%s", ablation_markdown(rows).c_str());
    std::fprintf(stderr, "saved %s, %s and %s; per-run metrics in %s\n", (out / "ablation.csv").c_str(),
                 (out / "ablation.md").c_str(), (out / "ablation.json").c_str(), runs_dir.c_str());
  }
  if (interrupted()) std::exit(130);
}

}  // namespace

void add_ablate_command(CLI::App& app) {
  auto o = std::make_shared<AblateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "ablate", "train the baseline and each model option with the same data, steps and seeds; compare them");
  cmd->add_option("corpus", o->corpus,
                  "a .txt file or a folder of .txt files (default: the built-in corpus)");
  add_tokenizer_options(*cmd, o->tokenizer);
  add_model_shape_options(*cmd, o->shape);
  cmd->add_option("--steps", o->train.steps, "optimizer steps of every run")->capture_default_str();
  add_train_config_options(*cmd, o->train, o->no_clip);
  cmd->add_option("--seeds", o->seeds, "seeds, each run once per variant (at least 3 give a spread)")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option(
         "--variant", o->variants,
         "a variant to run, repeatable: baseline, or option=value[,option=value] (e.g. positional=rope); "
         "default: the baseline and every value of every model option")
      ->delimiter(';');
  cmd->add_option("--out-dir", o->out_dir, "folder for ablation.csv, ablation.md, ablation.json and runs/")
      ->capture_default_str();
  add_threads_option(*cmd, o->threads);
  cmd->add_flag("--json", o->json,
                "print JSON lines (one per run, then the whole result) instead of the table");
  cmd->callback([o] { run(*o); });
}

}  // namespace cllm::cli
