// `cllm precision`: does float32 hurt this model? One batch through the same forward and backward pass in
// float32 (the fast model training runs), double and 50 digits; per-activation and per-gradient relative
// errors against 50 digits, bf16 rounding for comparison, a 50-digit gradient check and a verdict. The
// measurement is engine/inspect/precision_lab; this file only reads options and prints.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "common.h"
#include "data/builtin_corpus.h"
#include "data/corpus.h"
#include "inspect/precision_lab.h"
#include "interrupt.h"
#include "io/checkpoint.h"
#include "kernels/threading.h"
#include "progress_line.h"
#include "util/error.h"

namespace cllm::cli {
namespace {

struct PrecisionOptions {
  std::string checkpoint = kDefaultCheckpoint;
  bool allow_unverified = false;
  std::string corpus;  // empty: the checkpoint's own training corpus
  PrecisionSettings settings;
  int threads = 0;
  bool json = false;
};

// The definitions the numbers mean, printed with them (text and JSON say the same).
constexpr const char* kRelativeErrorDefinition =
    "max_i |x_i - ref_i| / max_i |ref_i| against the 50-digit pass";
constexpr const char* kBfloat16Definition =
    "each 50-digit value rounded to bfloat16 (8 significant bits, round to nearest even): what storing the "
    "tensor in bf16 alone costs";
constexpr const char* kLostDigitsDefinition =
    "max over activations and gradients of log10(float32 relative error / 2^-24), at least 0: significant "
    "digits lost beyond float32's own rounding unit";

std::string sci(double v, int digits = 1) {
  if (std::isinf(v)) return "inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*e", digits, v);
  return buf;
}

nlohmann::json tensor_json(const TensorPrecision& t) {
  return {{"name", t.name},       {"size", t.size},       {"max_abs", t.max_abs},
          {"float32", t.float32}, {"float64", t.float64}, {"bfloat16", t.bfloat16}};
}

nlohmann::json entry_json(const GradientCheckEntry& e) {
  return {{"tensor", e.tensor},
          {"index", e.index},
          {"analytic", e.analytic},
          {"numeric", e.numeric},
          {"error", e.error}};
}

nlohmann::json check_json(const GradientCheck& c) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : c.entries) entries.push_back(entry_json(e));
  const auto* worst = c.worst();
  return {{"tokens", c.tokens},
          {"step", c.step},
          {"checked", c.entries.size()},
          {"worst_error", c.worst_error},
          {"worst", worst ? entry_json(*worst) : nlohmann::json()},
          {"entries", entries}};
}

void print_report_json(const PrecisionOptions& o, const std::string& corpus, const PrecisionReport& r) {
  nlohmann::json activations = nlohmann::json::array(), gradients = nlohmann::json::array();
  for (const auto& t : r.activations) activations.push_back(tensor_json(t));
  for (const auto& t : r.gradients) gradients.push_back(tensor_json(t));
  print_json({{"checkpoint", o.checkpoint},
              {"corpus", corpus},
              {"model", r.config.to_json()},
              {"settings",
               {{"batch", r.batch},
                {"tokens_per_sequence", r.tokens_per_sequence},
                {"check_tokens", r.check.tokens},
                {"checks_per_tensor", o.settings.checks_per_tensor},
                {"check_step", r.check.step},
                {"threads", kernels::num_threads()}}},
              {"definitions",
               {{"relative_error", kRelativeErrorDefinition},
                {"bfloat16", kBfloat16Definition},
                {"lost_digits", kLostDigitsDefinition}}},
              {"activations", activations},
              {"gradients", gradients},
              {"losses",
               {{"float32", r.loss.float32},
                {"float64", r.loss.float64},
                {"fifty_digits", r.loss.fifty},
                {"float32_error", r.loss.float32_error},
                {"float64_error", r.loss.float64_error}}},
              {"gradient_check", check_json(r.check)},
              {"verdict",
               {{"text", r.verdict()},
                {"lost_digits", r.lost_digits},
                {"worst_tensor", r.worst_tensor},
                {"worst_float32_error", r.worst_float32_error},
                {"float32_unit", kFloat32Unit}}},
              {"seconds",
               {{"float32", r.seconds_float32},
                {"float64", r.seconds_float64},
                {"fifty_digits", r.seconds_fifty},
                {"gradient_check", r.seconds_check}}}});
}

size_t name_width(const PrecisionReport& r) {
  size_t w = 6;
  for (const auto* list : {&r.activations, &r.gradients})
    for (const auto& t : *list) w = std::max(w, t.name.size());
  return w;
}

void print_rows(const char* title, const std::vector<TensorPrecision>& rows, int width) {
  std::printf("%-*s %9s %9s %9s %9s %9s\n", width, title, "size", "max|ref|", "float32", "double", "bf16");
  for (const auto& t : rows)
    std::printf("%-*s %9zu %9s %9s %9s %9s\n", width, t.name.c_str(), t.size, sci(t.max_abs, 2).c_str(),
                sci(t.float32).c_str(), sci(t.float64).c_str(), sci(t.bfloat16).c_str());
}

void print_report_text(const PrecisionOptions& o, const std::string& corpus, const PrecisionReport& r) {
  std::printf("%s: %d sequence%s x %d tokens from the validation split of %s\n", o.checkpoint.c_str(),
              r.batch, r.batch == 1 ? "" : "s", r.tokens_per_sequence, corpus.c_str());
  std::printf("relative error = %s\nbf16 = %s\n\n", kRelativeErrorDefinition, kBfloat16Definition);
  const int width = static_cast<int>(name_width(r));
  print_rows("activation", r.activations, width);
  std::printf("\n");
  print_rows("gradient", r.gradients, width);
  std::printf("\nloss  float32 %.9g  double %.17g  50 digits %s\n", r.loss.float32, r.loss.float64,
              r.loss.fifty.c_str());
  std::printf("      relative error: float32 %s, double %s\n", sci(r.loss.float32_error).c_str(),
              sci(r.loss.float64_error).c_str());
  const auto* w = r.check.worst();
  std::printf(
      "gradient check in 50 digits (central differences, h = %s, %zu parameters on the first %d tokens): "
      "worst relative error %s%s\n",
      r.check.step.c_str(), r.check.entries.size(), r.check.tokens, sci(r.check.worst_error).c_str(),
      w ? (" (" + w->tensor + "[" + std::to_string(w->index) + "])").c_str() : "");
  std::printf("time: float32 %.3f s, double %.3f s, 50 digits %.1f s, gradient check %.1f s\n",
              r.seconds_float32, r.seconds_float64, r.seconds_fifty, r.seconds_check);
  std::printf("%s (worst: %s, %s = %.1f x 2^-24)\n", r.verdict().c_str(), r.worst_tensor.c_str(),
              sci(r.worst_float32_error).c_str(), r.worst_float32_error / kFloat32Unit);
}

void run(const PrecisionOptions& o) {
  apply_threads(o.threads);
  const Checkpoint ck = load_checkpoint_warning_if_unverified(o.checkpoint, o.allow_unverified);
  std::optional<Corpus> corpus;
  if (!o.corpus.empty()) corpus = o.corpus == "built-in" ? builtin_corpus() : load_corpus(o.corpus);
  const std::vector<int32_t> tokens = precision_tokens(ck, corpus ? &*corpus : nullptr);
  const std::string source = corpus ? corpus->name : ck.training->corpus.name;

  install_interrupt_handler();
  ProgressLine progress(5.0);
  const auto report =
      measure_precision(ck, tokens, o.settings, [&](const std::string& stage, long done, long total) {
        if (!o.json) progress.update(done, total, stage);
        return !interrupted();
      });
  progress.finish();
  if (!report) {
    std::fprintf(stderr, "cllm: interrupted before the measurement finished; nothing to report\n");
    std::exit(130);
  }
  if (o.json)
    print_report_json(o, source, *report);
  else
    print_report_text(o, source, *report);
}

}  // namespace

void add_precision_command(CLI::App& app) {
  auto o = std::make_shared<PrecisionOptions>();
  CLI::App* cmd = app.add_subcommand(
      "precision", "does float32 hurt this model? one batch in float32, double and 50 digits, compared");
  cmd->add_option("corpus", o->corpus,
                  "a .txt file or folder, or built-in, to take the batch from (default: the corpus the "
                  "checkpoint was trained on, when unchanged)");
  cmd->add_option("-c,--checkpoint", o->checkpoint, "checkpoint to measure")->capture_default_str();
  add_allow_unverified_option(*cmd, o->allow_unverified);
  cmd->add_option("--tokens", o->settings.tokens_per_sequence,
                  "tokens per sequence (default: the block size, at most " +
                      std::to_string(kDefaultPrecisionTokens) + ")");
  cmd->add_option("--batch", o->settings.batch, "sequences in the batch")->capture_default_str();
  cmd->add_option("--check-tokens", o->settings.check_tokens,
                  "tokens of the first sequence the 50-digit gradient check runs on")
      ->capture_default_str();
  cmd->add_option("--checks", o->settings.checks_per_tensor,
                  "parameters checked per tensor (largest, median, smallest nonzero |gradient|, ...)")
      ->capture_default_str();
  add_threads_option(*cmd, o->threads);
  cmd->add_flag("--json", o->json, "print one JSON object");
  cmd->callback([o] { run(*o); });
}

}  // namespace cllm::cli
