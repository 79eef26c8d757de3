// `cllm train`: train a new model, or continue one, on a corpus (the built-in one by default).

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include "commands.h"
#include "common.h"
#include "interrupt.h"
#include "progress_line.h"
#include "session/memory_check.h"
#include "session/metrics_records.h"
#include "session/training_session.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace cllm::cli {
namespace {

struct TrainOptions {
  std::string corpus;
  TokenizerSpec tokenizer;
  ModelShapeOptions shape;
  TrainConfig train;
  std::optional<int> steps;  // separate so --resume can extend a run
  bool no_clip = false;
  std::string out;  // empty: the --resume checkpoint, else kDefaultCheckpoint
  std::string resume;
  bool allow_unverified = false;
  std::string metrics;
  int threads = 0;
  bool json = false;
  std::optional<double> target_loss;  // report when validation loss first reaches it
  bool stop_at_target = false;
};

// When a run first reached its target validation loss: time to quality.
struct TargetReached {
  int step = 0;
  double wall_seconds = 0, training_seconds = 0;
  int64_t tokens = 0;
};

// "run.safetensors" -> "run.best.safetensors"
std::filesystem::path best_path(const std::filesystem::path& out) {
  std::filesystem::path p = out;
  const std::string ext = p.extension().string();
  p.replace_extension();
  return p.string() + ".best" + (ext.empty() ? ".safetensors" : ext);
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2e", v);
  return buf;
}

void run(const TrainOptions& o) {
  apply_threads(o.threads);
  const Corpus corpus = load_corpus_or_builtin(o.corpus);
  std::unique_ptr<TrainingSession> session;
  if (!o.resume.empty()) {
    session = TrainingSession::resume(
        o.resume, corpus, o.allow_unverified ? Verification::kAllowUnverified : Verification::kRequired);
    warn_if_unverified(o.resume, session->resumed_unverified());
    if (o.steps) session->trainer().set_total_steps(*o.steps);
  } else {
    TrainingSession::NewRun run;
    run.tokenizer = o.tokenizer;
    run.model = o.shape.config();
    run.train = o.train;
    if (o.steps) run.train.steps = *o.steps;
    if (o.no_clip) run.train.grad_clip = 0.0;
    session = TrainingSession::start(corpus, run);
  }
  // The run fits (start/resume refuse one that does not), but say so when it is close to the limit.
  if (session->memory().verdict == MemoryVerdict::Tight)
    std::fprintf(stderr, "warning: %s\n", session->memory().message().c_str());
  Trainer& trainer = session->trainer();
  const ModelConfig& mc = session->model().config();
  const TrainConfig& tc = trainer.config();
  // A resumed run continues its own checkpoint unless told otherwise.
  const std::filesystem::path out = !o.out.empty()      ? o.out
                                    : !o.resume.empty() ? o.resume
                                                        : kDefaultCheckpoint;
  const std::filesystem::path best = best_path(out);
  // Fail before training, not at the first save after --eval-interval steps of work.
  require_can_save(out);
  require_can_save(best);

  std::ofstream metrics;
  if (!o.metrics.empty() && !o.resume.empty()) drop_metrics_after(o.metrics, trainer.steps_done());
  if (!o.metrics.empty()) {
    metrics.open(o.metrics, std::ios::app);
    require(metrics.good(), "cannot open metrics file '" + o.metrics + "' for writing");
  }
  auto record = [&](const nlohmann::json& j) {
    if (o.json) print_json(j);
    if (!metrics.is_open()) return;
    // A full disk or a lost file system must stop the run loudly, not leave a short metrics file behind.
    metrics << j.dump() << std::endl;
    require(metrics.good(), "cannot write metrics file '" + o.metrics + "': " + std::strerror(errno) +
                                " (the write failed; the checkpoints are unaffected)");
  };

  const std::string summary =
      "corpus " + corpus.name + ": " + group_thousands(corpus.text.size()) + " bytes, " +
      group_thousands(session->train_token_count()) + " training / " +
      group_thousands(session->validation_token_count()) + " validation tokens (" +
      session->tokenizer().kind() + " tokenizer, vocabulary " + std::to_string(mc.vocab_size) +
      ")\nmodel: " + std::to_string(mc.n_layer) + " layers, " + std::to_string(mc.n_head) + " heads, width " +
      std::to_string(mc.n_embd) + ", block " + std::to_string(mc.block_size) + ", " + describe_options(mc) +
      ", " + group_thousands(mc.parameter_count()) + " parameters\ntraining: steps " +
      std::to_string(trainer.steps_done()) + " -> " + std::to_string(tc.steps) + ", batch " +
      std::to_string(tc.batch_size) + " x " + std::to_string(tc.grad_accum) + ", lr " + sci(tc.lr) + " -> " +
      sci(tc.min_lr) + " (" + tc.schedule + ", warmup " + std::to_string(tc.warmup_steps) + "), clip " +
      (tc.grad_clip > 0 ? fixed(tc.grad_clip, 2) : "off") +
      (tc.precision == "bf16" ? ", bfloat16 matrix products" : "") + "\ncheckpoints: latest " + out.string() +
      ", best " + best.string() + " (at every evaluation and at the end)";
  if (!o.json) std::fprintf(stderr, "%s\n", summary.c_str());
  // Only word runs can have unknown tokens; a high share means the model mostly learns to say <unk>.
  if (session->tokenizer().unknown_id()) {
    const double rate = session->unknown_token_rate();
    const bool high = rate > kHighUnknownTokenRate;
    const std::string line = "unknown tokens: " + fixed(100 * rate, 1) + "% of the corpus at vocabulary " +
                             std::to_string(mc.vocab_size) + (high ? "; raise --vocab-size or use bpe" : "");
    if (high)
      std::fprintf(stderr, "warning: %s\n", line.c_str());
    else if (!o.json)
      std::fprintf(stderr, "%s\n", line.c_str());
  }
  nlohmann::json start = {{"event", "start"},
                          {"corpus", corpus.name},
                          {"model", mc.to_json()},
                          {"train", tc.to_json()},
                          {"parameters", mc.parameter_count()},
                          {"train_tokens", session->train_token_count()},
                          {"validation_tokens", session->validation_token_count()},
                          {"validation_bytes_per_token", session->validation_bytes_per_token()},
                          {"unknown_token_rate", session->unknown_token_rate()},
                          {"memory_needed_bytes", session->memory().needed_bytes}};
  if (session->memory().available_bytes) start["memory_available_bytes"] = *session->memory().available_bytes;
  record(start);

  install_interrupt_handler();
  ProgressLine progress;
  const auto wall_start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  };
  double step_seconds = 0, recent_loss = NAN;
  int64_t tokens = 0;
  const int first_step = trainer.steps_done();
  std::optional<TargetReached> reached;
  TrainingObserver observer;
  observer.stop_requested = [&] { return interrupted() || (o.stop_at_target && reached); };
  observer.on_step = [&](const StepStats& s) {
    step_seconds += s.seconds;
    tokens += s.tokens;
    recent_loss = std::isnan(recent_loss) ? s.loss : 0.9 * recent_loss + 0.1 * s.loss;
    const double rate = tokens / step_seconds;
    record(step_record(s, elapsed()));
    if (!o.json)
      progress.update(s.step, tc.steps,
                      "loss " + fixed(recent_loss, 4) + "  lr " + sci(s.lr) + "  |g| " +
                          fixed(s.grad_norm, 2) + "  " + group_thousands(rate) + " tok/s");
  };
  observer.on_eval = [&](const EvalResult& r) {
    const bool is_best = session->record_evaluation(r);
    session->save(out);
    if (is_best) session->save(best);
    record(eval_record(r, is_best, elapsed()));
    if (!o.json)
      progress.message("step " + std::to_string(r.step) + ": validation loss " + fixed(r.loss, 4) +
                       " (perplexity " + fixed(r.perplexity, 2) + ", " + fixed(r.bits_per_byte, 3) +
                       " bits/byte)" + (is_best ? "  best, saved" : "  saved"));
    if (o.target_loss && !reached && r.loss <= *o.target_loss) {
      // Wall time includes the evaluations so far; training time is the steps alone.
      reached = TargetReached{r.step, elapsed(), step_seconds, tokens};
      if (!o.json)
        progress.message("reached validation loss <= " + fixed(*o.target_loss, 4) + " at step " +
                         std::to_string(r.step) + ": " +
                         ProgressLine::format_duration(reached->wall_seconds) + " wall, " +
                         fixed(reached->training_seconds, 1) + " s of training steps, " +
                         group_thousands(reached->tokens) + " training tokens");
    }
  };
  run_training(trainer, observer);
  progress.finish();
  const double wall = elapsed();
  const int steps_run = trainer.steps_done() - first_step;
  const double rate = step_seconds > 0 ? tokens / step_seconds : 0;
  const double best_bpb =
      bits_per_byte(session->best_validation_loss(), session->validation_bytes_per_token());
  record({{"event", "done"},
          {"steps", trainer.steps_done()},
          {"steps_run", steps_run},
          {"interrupted", interrupted()},
          {"best_validation_loss", session->best_validation_loss()},
          {"best_bits_per_byte", best_bpb},
          {"wall_seconds", wall},
          {"training_seconds", step_seconds},
          {"training_tokens_per_second", rate},
          {"checkpoint", out.string()},
          {"target_loss", o.target_loss ? nlohmann::json(*o.target_loss) : nlohmann::json(nullptr)},
          {"target_reached", reached ? nlohmann::json{{"step", reached->step},
                                                      {"wall_seconds", reached->wall_seconds},
                                                      {"training_seconds", reached->training_seconds},
                                                      {"tokens", reached->tokens}}
                                     : nlohmann::json(nullptr)}});
  if (!o.json)
    std::fprintf(
        stderr,
        "%s %d steps in %s (%s training tokens/s); best validation loss %s (%s bits/byte); checkpoint %s\n",
        interrupted() ? "interrupted after" : "done:", steps_run, ProgressLine::format_duration(wall).c_str(),
        group_thousands(rate).c_str(), fixed(session->best_validation_loss(), 4).c_str(),
        fixed(best_bpb, 3).c_str(), out.string().c_str());
  if (!o.json && o.target_loss && !reached)
    std::fprintf(stderr, "validation loss never reached %s\n", fixed(*o.target_loss, 4).c_str());
  if (interrupted()) std::exit(130);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto o = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand("train", "train a model on a corpus (the built-in one by default)");
  cmd->add_option("corpus", o->corpus,
                  "a .txt file or a folder of .txt files (default: the built-in corpus)");
  auto* resume =
      cmd->add_option("--resume", o->resume, "continue the run saved in this checkpoint (same corpus)");
  add_allow_unverified_option(*cmd, o->allow_unverified)->needs(resume);
  auto model_option = [&](CLI::Option* opt) { opt->excludes(resume); };
  for (CLI::Option* opt : add_tokenizer_options(*cmd, o->tokenizer)) model_option(opt);
  for (CLI::Option* opt : add_model_shape_options(*cmd, o->shape)) model_option(opt);
  TrainConfig& t = o->train;
  cmd->add_option("--steps", o->steps, "optimizer steps (with --resume: the new total; default 2000)");
  for (CLI::Option* opt : add_train_config_options(*cmd, t, o->no_clip)) model_option(opt);
  model_option(cmd->add_option("--seed", t.seed, "initialisation and data order")->capture_default_str());
  cmd->add_option("--out", o->out,
                  "checkpoint to write (the best one goes beside it as *.best.safetensors); default: the "
                  "--resume checkpoint, else " +
                      std::string(kDefaultCheckpoint));
  cmd->add_option("--metrics", o->metrics, "append every step and evaluation as JSON lines to this file");
  auto* target =
      cmd->add_option("--target-loss", o->target_loss,
                      "report the step, wall time and training tokens at which the validation loss "
                      "first reaches this (time to quality; checked at every evaluation)")
          ->check(CLI::PositiveNumber);
  cmd->add_flag("--stop-at-target", o->stop_at_target, "stop training once --target-loss is reached")
      ->needs(target);
  add_threads_option(*cmd, o->threads);
  cmd->add_flag("--json", o->json,
                "print JSON lines (start, step, eval, done) on stdout instead of progress");
  cmd->callback([o] { run(*o); });
}

}  // namespace cllm::cli
