#include "inspect/precision_lab.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <memory>
#include <numeric>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include "data/dataset.h"
#include "inspect/training_corpus.h"
#include "io/checkpoint.h"
#include "kernels/threading.h"
#include "model/gpt.h"
#include "model/transformer.h"
#include "util/error.h"

namespace cllm {

using Fifty = boost::multiprecision::cpp_bin_float_50;

// The one instantiation of the 50-digit model (costly to compile: every op in Boost's scalar).
template class Transformer<ops::ReferenceOps<Fifty>>;
using FiftyModel = ReferenceTransformer<Fifty>;
using DoubleModel = ReferenceTransformer<double>;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Backward scratch ("backward.head", "h.0.backward.dln") is reused from block to block, so after a
// pass it holds whatever the last user left: not a tensor of the model.
bool is_backward_scratch(const std::string& name) {
  return name.starts_with("backward.") || name.find(".backward.") != std::string::npos;
}

// |a| (a double >= 0) rounded to bfloat16. `exact_sign` is the sign of (exact value - a) in magnitude:
// a came from rounding the exact value to double, and a tie of bfloat16 is a double, so only when a is
// exactly a tie does the exact value decide the direction (rounding is monotone otherwise).
double bfloat16_magnitude(double a, int exact_sign) {
  if (a == 0 || !std::isfinite(a)) return a;
  int e = 0;
  std::frexp(a, &e);                              // a = m 2^e, m in [0.5, 1)
  const int quantum = std::max(e - 8, -133);      // 8 significant bits; subnormals step 2^-133
  const double scaled = std::ldexp(a, -quantum);  // exact: only the exponent changes
  double r = std::floor(scaled);
  const double fraction = scaled - r;
  const bool tie = fraction == 0.5;
  if (fraction > 0.5 || (tie && exact_sign > 0) || (tie && exact_sign == 0 && std::fmod(r, 2.0) != 0)) r += 1;
  const double rounded = std::ldexp(r, quantum);
  // Largest bfloat16: (2 - 2^-7) 2^127; anything that rounds past it overflows.
  return rounded >= std::ldexp(1.0, 128) ? std::numeric_limits<double>::infinity() : rounded;
}

double round_fifty_to_bfloat16(const Fifty& x) {
  const double d = static_cast<double>(x);
  const double a = std::fabs(d);
  const Fifty beyond = abs(x) - Fifty(a);
  const int exact_sign = beyond > 0 ? 1 : (beyond < 0 ? -1 : 0);
  const double m = bfloat16_magnitude(a, exact_sign);
  return d < 0 ? -m : m;
}

// Largest |x_i - ref_i| of each candidate and the largest |ref_i|, all in 50 digits (exact: every float
// and double is a 50-digit number).
TensorPrecision compare(const std::string& name, std::span<const float> f32, std::span<const double> f64,
                        std::span<const Fifty> ref) {
  require(
      f32.size() == ref.size() && f64.size() == ref.size(),
      "precision lab: tensor " + name + " differs in size between the float32, double and 50-digit models");
  Fifty max_ref = 0, max32 = 0, max64 = 0, max16 = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    const Fifty& r = ref[i];
    max_ref = std::max(max_ref, Fifty(abs(r)));
    max32 = std::max(max32, Fifty(abs(Fifty(f32[i]) - r)));
    max64 = std::max(max64, Fifty(abs(Fifty(f64[i]) - r)));
    max16 = std::max(max16, Fifty(abs(Fifty(round_fifty_to_bfloat16(r)) - r)));
  }
  TensorPrecision t;
  t.name = name;
  t.size = ref.size();
  t.max_abs = static_cast<double>(max_ref);
  auto relative = [&](const Fifty& err) -> double {
    if (max_ref == 0) return err == 0 ? 0.0 : std::numeric_limits<double>::infinity();
    return static_cast<double>(err / max_ref);
  };
  t.float32 = relative(max32);
  t.float64 = relative(max64);
  t.bfloat16 = relative(max16);
  return t;
}

template <typename Model>
void load_parameters(Model& model, std::span<const float> parameters) {
  using S = typename Model::S;
  auto p = model.parameters();
  require(parameters.size() == p.size(), "precision lab: " + std::to_string(parameters.size()) +
                                             " parameters given, the model has " + std::to_string(p.size()));
  for (size_t i = 0; i < p.size(); ++i) p[i] = S(parameters[i]);
}

// Reports progress and says whether to go on; counts in 50-digit position-passes (see the header).
class Progress {
 public:
  Progress(const PrecisionProgress& callback, long total) : callback_(callback), total_(total) {}
  bool report(const std::string& stage) { return !callback_ || callback_(stage, done_, total_); }
  void advance(long units) { done_ += units; }
  void set_done(long units) { done_ = units; }
  long done() const { return done_; }

 private:
  const PrecisionProgress& callback_;
  long done_ = 0, total_ = 0;
};

// The three models of one measurement and the seconds each spent (float32, double, 50 digits).
struct Models {
  Gpt f32;
  DoubleModel f64;
  FiftyModel fifty;
  double seconds[3] = {0, 0, 0};
  explicit Models(const ModelConfig& c) : f32(c), f64(c), fifty(c) {}
};

template <typename Model>
auto timed_forward(Model& model, const Batch& b, double& seconds) {
  const auto start = Clock::now();
  auto loss = model.forward(b.inputs.data(), b.targets.data(), b.batch_size, b.block_size);
  seconds += seconds_since(start);
  return loss;
}

template <typename Model>
void timed_backward(Model& model, double& seconds) {
  const auto start = Clock::now();
  model.zero_gradients();
  model.backward();
  seconds += seconds_since(start);
}

std::vector<TensorPrecision> compare_activations(const Models& m) {
  std::vector<TensorPrecision> out;
  for (const auto& e : m.fifty.activation_table().entries()) {
    if (is_backward_scratch(e.name)) continue;
    out.push_back(
        compare(e.name, m.f32.activation(e.name), m.f64.activation(e.name), m.fifty.activation(e.name)));
  }
  return out;
}

std::vector<TensorPrecision> compare_gradients(const Models& m) {
  std::vector<TensorPrecision> out;
  const auto g32 = m.f32.gradients();
  const auto g64 = m.f64.gradients();
  const auto ref = m.fifty.gradients();
  for (const auto& t : m.fifty.table().tensors())
    out.push_back(compare(t.name, g32.subspan(t.offset, t.size), g64.subspan(t.offset, t.size),
                          ref.subspan(t.offset, t.size)));
  return out;
}

LossPrecision compare_losses(float f32, double f64, const Fifty& ref) {
  LossPrecision l;
  l.float32 = f32;
  l.float64 = f64;
  l.fifty = ref.str(std::numeric_limits<Fifty>::digits10);
  const Fifty scale = ref == 0 ? Fifty(1) : Fifty(abs(ref));
  l.float32_error = static_cast<double>(abs(Fifty(f32) - ref) / scale);
  l.float64_error = static_cast<double>(abs(Fifty(f64) - ref) / scale);
  return l;
}

// Forward in all three; the activations are compared before any backward pass can touch them. The
// float32 model runs once untimed first: its first pass also wakes the threads and sizes the buffers.
bool measure_forward(Models& m, const Batch& b, Progress& progress, PrecisionReport& r) {
  if (!progress.report("float32 and double forward")) return false;
  double warm_up = 0;
  timed_forward(m.f32, b, warm_up);
  timed_backward(m.f32, warm_up);
  const float loss32 = timed_forward(m.f32, b, m.seconds[0]);
  const double loss64 = timed_forward(m.f64, b, m.seconds[1]);
  if (!progress.report("50-digit forward")) return false;
  const Fifty loss50 = timed_forward(m.fifty, b, m.seconds[2]);
  progress.advance(static_cast<long>(b.batch_size) * b.block_size);
  r.activations = compare_activations(m);
  r.loss = compare_losses(loss32, loss64, loss50);
  return true;
}

bool measure_backward(Models& m, Progress& progress, PrecisionReport& r) {
  if (!progress.report("float32 and double backward")) return false;
  timed_backward(m.f32, m.seconds[0]);
  timed_backward(m.f64, m.seconds[1]);
  if (!progress.report("50-digit backward")) return false;
  timed_backward(m.fifty, m.seconds[2]);
  progress.advance(2L * r.batch * r.tokens_per_sequence);
  r.gradients = compare_gradients(m);
  r.seconds_float32 = m.seconds[0], r.seconds_float64 = m.seconds[1], r.seconds_fifty = m.seconds[2];
  return true;
}

// ---- the finite-difference check ----

struct CheckJob {
  size_t tensor = 0;  // index in the parameter table
  size_t index = 0;   // within the tensor
};

// `count` distinct elements of a tensor by |gradient|: evenly spaced ranks from the largest to the
// smallest nonzero (largest, median, smallest for three), so both the dominant and the faint paths of
// the backward pass are checked. Deterministic: ties go to the lower index.
std::vector<size_t> pick_elements(std::span<const Fifty> grad, size_t count) {
  std::vector<double> magnitude(grad.size());
  for (size_t i = 0; i < grad.size(); ++i) magnitude[i] = std::fabs(static_cast<double>(grad[i]));
  std::vector<size_t> order(grad.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return magnitude[a] > magnitude[b]; });
  const size_t nonzero =
      static_cast<size_t>(std::count_if(magnitude.begin(), magnitude.end(), [](double m) { return m > 0; }));
  const size_t pool = nonzero >= count ? nonzero : order.size();
  std::vector<size_t> picked;
  for (size_t j = 0; j < count; ++j) picked.push_back(order[count == 1 ? 0 : j * (pool - 1) / (count - 1)]);
  return picked;
}

size_t check_job_count(const ParameterTable& table, int per_tensor) {
  size_t n = 0;
  for (const auto& t : table.tensors()) n += std::min(t.size, static_cast<size_t>(per_tensor));
  return n;
}

// The first `tokens` positions of the batch's first sequence.
Batch check_window(const Batch& b, int tokens) {
  Batch w;
  w.batch_size = 1;
  w.block_size = tokens;
  w.inputs.assign(b.inputs.begin(), b.inputs.begin() + tokens);
  w.targets.assign(b.targets.begin(), b.targets.begin() + tokens);
  return w;
}

// Central difference of the loss in one parameter, restoring it afterwards.
Fifty central_difference(FiftyModel& model, const Batch& w, size_t at, const Fifty& h) {
  Fifty& p = model.parameters()[at];
  const Fifty saved = p;
  p = saved + h;
  const Fifty up = model.forward(w.inputs.data(), w.targets.data(), 1, w.block_size);
  p = saved - h;
  const Fifty down = model.forward(w.inputs.data(), w.targets.data(), 1, w.block_size);
  p = saved;
  return (up - down) / (2 * h);
}

// Runs the jobs on the engine's threads, one 50-digit model each (a model is driven by one thread).
// Only the calling thread reports progress, so the callback needs no locking; a stop request ends every
// thread after its current job. Returns false when stopped.
bool run_check_jobs(const ModelConfig& config, std::span<const float> parameters, const Batch& w,
                    const std::vector<CheckJob>& jobs, const ParameterTable& table, const Fifty& h,
                    std::vector<Fifty>& numeric, Progress& progress) {
  const int threads = std::max(1, std::min(kernels::num_threads(), static_cast<int>(jobs.size())));
  std::vector<std::unique_ptr<FiftyModel>> models;
  for (int t = 0; t < threads; ++t) {
    models.push_back(std::make_unique<FiftyModel>(config));
    load_parameters(*models.back(), parameters);
  }
  numeric.assign(jobs.size(), Fifty(0));
  std::atomic<size_t> next{0}, finished{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
  const long units_per_job = 2L * w.block_size;
  const long start_units = progress.done();
#pragma omp parallel num_threads(threads)
  {
    const int me = omp_get_thread_num();
    try {
      while (!stop) {
        const size_t j = next++;
        if (j >= jobs.size()) break;
        const size_t at = table.tensors()[jobs[j].tensor].offset + jobs[j].index;
        numeric[j] = central_difference(*models[me], w, at, h);
        const size_t done = ++finished;
        if (me == 0) {
          progress.set_done(start_units + static_cast<long>(done) * units_per_job);
          if (!progress.report("gradient check " + std::to_string(done) + "/" + std::to_string(jobs.size())))
            stop = true;
        }
      }
    } catch (...) {
#pragma omp critical(cllm_precision_failure)
      if (!failure) failure = std::current_exception();
      stop = true;
    }
  }
  if (failure) std::rethrow_exception(failure);
  progress.set_done(start_units + static_cast<long>(finished) * units_per_job);
  return finished == jobs.size();
}

// Central differences of the 50-digit loss against its analytic gradient, on a short window so that
// hundreds of 50-digit forward passes stay affordable: it checks the backward code, which is the same for
// any window length.
std::optional<GradientCheck> gradient_check(const ModelConfig& config, std::span<const float> parameters,
                                            const Batch& batch, const PrecisionSettings& settings,
                                            Progress& progress) {
  GradientCheck check;
  check.tokens = std::min(settings.check_tokens, batch.block_size);
  check.step = settings.check_step;
  const Batch w = check_window(batch, check.tokens);
  FiftyModel model(config);
  load_parameters(model, parameters);
  if (!progress.report("gradient check: analytic gradient")) return std::nullopt;
  model.forward(w.inputs.data(), w.targets.data(), 1, w.block_size);
  model.backward();
  progress.advance(3L * check.tokens);
  const auto grad = model.gradients();

  std::vector<CheckJob> jobs;
  const auto& tensors = model.table().tensors();
  for (size_t k = 0; k < tensors.size(); ++k) {
    const auto& t = tensors[k];
    const size_t n = std::min(t.size, static_cast<size_t>(settings.checks_per_tensor));
    for (size_t i : pick_elements(grad.subspan(t.offset, t.size), n)) jobs.push_back({k, i});
  }
  std::vector<Fifty> numeric;
  if (!run_check_jobs(config, parameters, w, jobs, model.table(), Fifty(settings.check_step), numeric,
                      progress))
    return std::nullopt;

  for (size_t j = 0; j < jobs.size(); ++j) {
    const auto& t = tensors[jobs[j].tensor];
    const auto g = grad.subspan(t.offset, t.size);
    Fifty scale = 0;
    for (const Fifty& x : g) scale = std::max(scale, Fifty(abs(x)));
    if (scale == 0) scale = 1;
    const Fifty& analytic = g[jobs[j].index];
    GradientCheckEntry e{t.name, jobs[j].index, static_cast<double>(analytic),
                         static_cast<double>(numeric[j]),
                         static_cast<double>(abs(numeric[j] - analytic) / scale)};
    check.worst_error = std::max(check.worst_error, e.error);
    check.entries.push_back(std::move(e));
  }
  return check;
}

void set_verdict(PrecisionReport& r) {
  r.worst_float32_error = 0;
  for (const auto* list : {&r.activations, &r.gradients})
    for (const auto& t : *list)
      if (t.float32 > r.worst_float32_error || r.worst_tensor.empty()) {
        r.worst_float32_error = t.float32;
        r.worst_tensor = t.name;
      }
  r.lost_digits =
      r.worst_float32_error > 0 ? std::max(0.0, std::log10(r.worst_float32_error / kFloat32Unit)) : 0;
}

void check_settings(const ModelConfig& config, const PrecisionSettings& s) {
  require(s.batch >= 1,
          "precision lab: the batch must be at least 1 sequence, got " + std::to_string(s.batch));
  require(s.tokens_per_sequence >= 0 && s.tokens_per_sequence <= config.block_size,
          "precision lab: " + std::to_string(s.tokens_per_sequence) +
              " tokens per sequence is outside [1, block size " + std::to_string(config.block_size) + "]");
  require(s.check_tokens >= 1,
          "precision lab: the gradient check needs at least 1 token, got " + std::to_string(s.check_tokens));
  require(s.checks_per_tensor >= 1, "precision lab: at least 1 parameter per tensor must be checked, got " +
                                        std::to_string(s.checks_per_tensor));
  Fifty h;
  try {
    h = Fifty(s.check_step);
  } catch (const std::exception&) {
    throw Error("precision lab: the finite-difference step '" + s.check_step + "' is not a number");
  }
  require(h > 0, "precision lab: the finite-difference step must be positive, got " + s.check_step);
}

}  // namespace

const GradientCheckEntry* GradientCheck::worst() const {
  const GradientCheckEntry* w = nullptr;
  for (const auto& e : entries)
    if (!w || e.error > w->error) w = &e;
  return w;
}

std::string PrecisionReport::verdict() const {
  char buf[96];
  std::snprintf(buf, sizeof buf, "float32 loses at most %.1f significant digits in this model", lost_digits);
  return buf;
}

double round_to_bfloat16(double x) {
  const double m = bfloat16_magnitude(std::fabs(x), 0);
  return x < 0 ? -m : m;
}

std::optional<PrecisionReport> measure_precision(const ModelConfig& config, std::span<const float> parameters,
                                                 std::span<const int32_t> tokens,
                                                 const PrecisionSettings& settings,
                                                 const PrecisionProgress& callback) {
  config.validate();
  check_settings(config, settings);
  const int T = settings.tokens_per_sequence > 0 ? settings.tokens_per_sequence
                                                 : std::min(config.block_size, kDefaultPrecisionTokens);
  require(tokens.size() > static_cast<size_t>(T),
          "the validation split has " + std::to_string(tokens.size()) + " tokens, fewer than the " +
              std::to_string(T + 1) + " a sequence of " + std::to_string(T) +
              " tokens needs; use a larger corpus or fewer tokens per sequence");
  const Batch b = evaluation_batches(tokens, settings.batch, T, 1, "validation").front();
  const long positions = static_cast<long>(b.batch_size) * T;
  Models m(config);
  const int check_tokens = std::min(settings.check_tokens, T);
  const long check_units =
      3L * check_tokens +
      2L * check_tokens * static_cast<long>(check_job_count(m.fifty.table(), settings.checks_per_tensor));
  Progress progress(callback, 3 * positions + check_units);

  PrecisionReport r;
  r.config = config;
  r.batch = b.batch_size;
  r.tokens_per_sequence = T;
  load_parameters(m.f32, parameters);
  load_parameters(m.f64, parameters);
  load_parameters(m.fifty, parameters);

  if (!measure_forward(m, b, progress, r) || !measure_backward(m, progress, r)) return std::nullopt;
  set_verdict(r);

  const auto start = Clock::now();
  auto check = gradient_check(config, parameters, b, settings, progress);
  if (!check) return std::nullopt;
  r.check = std::move(*check);
  r.seconds_check = seconds_since(start);
  progress.report("done");
  return r;
}

std::optional<PrecisionReport> measure_precision(const Checkpoint& checkpoint,
                                                 std::span<const int32_t> tokens,
                                                 const PrecisionSettings& settings,
                                                 const PrecisionProgress& progress) {
  return measure_precision(checkpoint.model_config, checkpoint.parameters, tokens, settings, progress);
}

std::vector<int32_t> precision_tokens(const Checkpoint& checkpoint, const Corpus* corpus) {
  if (corpus) {
    const double fraction = checkpoint.training ? checkpoint.training->config.validation_fraction : 0.1;
    return corpus_tokens(*checkpoint.tokenizer, *corpus, fraction).validation;
  }
  CorpusTokens found = training_corpus_tokens(checkpoint);
  const std::string why = found.source.substr(found.source.starts_with("unknown: ") ? 9 : 0);
  require(found.found(), "no tokens to measure on (" + why + "); pass a corpus");
  return std::move(found.validation);
}

}  // namespace cllm
