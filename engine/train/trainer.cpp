#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <new>

#include "kernels/gemm.h"
#include "kernels/threading.h"
#include "model/gpt.h"
#include "model/output_check.h"
#include "train/gradient_norm.h"
#include "util/error.h"
#include "util/system_memory.h"

namespace cllm {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs `pass`, which sizes the activation buffers on first use: the largest allocation of a run, so
// running out of memory there is explained rather than left as std::bad_alloc.
template <typename Pass>
double sizing_activations(const Gpt& model, const Batch& b, int shards, Pass pass) {
  try {
    return pass();
  } catch (const std::bad_alloc&) {
    const ModelConfig& c = model.config();
    const size_t weights = 4 * static_cast<size_t>(c.parameter_count()) * sizeof(float);
    const size_t activations = Gpt::training_memory_bytes(c, b.batch_size, b.block_size) - weights +
                               BatchShards::extra_memory_bytes(c, b.batch_size, b.block_size, shards);
    throw Error("out of memory allocating the model's activations (" + format_gib(activations) +
                " for batch " + std::to_string(b.batch_size) + " x block " + std::to_string(b.block_size) +
                "); use a smaller batch size, block size or model");
  }
}

}  // namespace

double bits_per_byte(double loss_nats_per_token, double bytes_per_token) {
  if (!(bytes_per_token > 0)) return std::numeric_limits<double>::quiet_NaN();
  return loss_nats_per_token / std::log(2.0) / bytes_per_token;
}

Trainer::Trainer(Gpt& model, const TrainConfig& config, std::span<const int32_t> train_tokens,
                 std::span<const int32_t> validation_tokens, double validation_bytes_per_token)
    : model_(model),
      config_(validated(config)),
      train_(train_tokens),
      validation_(validation_tokens),
      validation_bytes_per_token_(validation_bytes_per_token),
      optimizer_(model.table(), config.adamw()),
      rng_(config.seed) {
  kernels::require_supported(kernels::parse_matmul_precision(config_.precision));  // now, not at step 1
  config_.shards = config_.shard_count();  // fixed for the run from now on
  const int T = model.config().block_size;
  eval_batches_ = evaluation_batches(validation_, config_.batch_size, T, config_.eval_batches, "validation");
  // Fail now, not at the first step, when the training split cannot hold one window.
  Rng probe(0);
  sample_batch(train_, 1, T, probe, batch_, "training");
}

void Trainer::set_total_steps(int steps) {
  TrainConfig c = config_;
  c.steps = steps;
  c.validate();
  config_ = c;
}

StepStats Trainer::step() {
  return *step_unless({});
}

std::optional<StepStats> Trainer::step_unless(const std::function<bool()>& stop) {
  const auto start = std::chrono::steady_clock::now();
  const int B = config_.batch_size, T = model_.config().block_size;
  const kernels::MatmulPrecisionScope precision(kernels::parse_matmul_precision(config_.precision));
  const std::string rng_at_start = rng_.state();
  double loss_sum = 0.0;
  for (int micro = 0; micro < config_.grad_accum; ++micro) {
    if (micro > 0 && stop && stop()) {
      rng_.set_state(rng_at_start);  // the batches drawn so far will be drawn again by this step's rerun
      return std::nullopt;
    }
    sample_batch(train_, B, T, rng_, batch_, "training");
    const float scale = 1.0f / static_cast<float>(config_.grad_accum);
    const double loss = sizing_activations(model_, batch_, shards().shards(), [&] {
      return shards().train(
          batch_, scale, micro == 0 ? BatchShards::Gradients::replace : BatchShards::Gradients::accumulate);
    });
    require(std::isfinite(loss), "training diverged at step " + std::to_string(steps_done_ + 1) +
                                     ": the loss is " + format_number(loss) + " (learning rate " +
                                     format_number(config_.lr_schedule().at(steps_done_)) +
                                     "); lower the learning rate or turn gradient clipping on");
    loss_sum += loss;
  }
  if (reduce_gradients_) reduce_gradients_(model_.gradients());
  StepStats s;
  s.grad_norm = gradient_norm(model_.gradients());
  require(std::isfinite(s.grad_norm), "training diverged at step " + std::to_string(steps_done_ + 1) +
                                          ": the gradient norm is " + format_number(s.grad_norm) +
                                          "; lower the learning rate or turn gradient clipping on");
  s.clipped = clip_gradients(model_.gradients(), s.grad_norm, config_.grad_clip) != 1.0;
  s.lr = config_.lr_schedule().at(steps_done_);
  optimizer_.update(model_.parameters(), model_.gradients(), static_cast<float>(s.lr), steps_done_ + 1);
  ++steps_done_;
  s.step = steps_done_;
  s.loss = loss_sum / config_.grad_accum;
  s.tokens = config_.tokens_per_step(T);
  s.seconds = seconds_since(start);
  return s;
}

EvalResult Trainer::evaluate() {
  const auto start = std::chrono::steady_clock::now();
  double total = 0.0;
  int64_t count = 0;
  for (const Batch& b : eval_batches_) {
    total += sizing_activations(model_, b, shards().shards(), [&] { return shards().loss_sum(b); });
    count += static_cast<int64_t>(b.batch_size) * b.block_size;
  }
  EvalResult r;
  r.step = steps_done_;
  r.loss = total / static_cast<double>(count);
  const float loss = static_cast<float>(r.loss);
  require_finite_output(std::span(&loss, 1), model_.parameters(),
                        "the validation loss at step " + std::to_string(steps_done_));
  r.perplexity = std::exp(r.loss);
  r.bits_per_byte = bits_per_byte(r.loss, validation_bytes_per_token_);
  r.tokens = count;
  r.seconds = seconds_since(start);
  return r;
}

BatchShards& Trainer::shards() {
  if (!shards_) shards_.emplace(model_, config_.shards);
  return *shards_;
}

EvalResult run_training(Trainer& trainer, const TrainingObserver& observer) {
  const int interval = trainer.config().eval_interval;
  EvalResult last;
  bool evaluated_last_step = false;
  while (!trainer.finished()) {
    if (observer.stop_requested && observer.stop_requested()) break;
    const std::optional<StepStats> stepped = trainer.step_unless(observer.stop_requested);
    if (!stepped) break;
    const StepStats& s = *stepped;
    if (observer.on_step) observer.on_step(s);
    evaluated_last_step = interval > 0 && s.step % interval == 0;
    if (evaluated_last_step) {
      last = trainer.evaluate();
      if (observer.on_eval) observer.on_eval(last);
    }
  }
  if (!evaluated_last_step) {
    last = trainer.evaluate();
    if (observer.on_eval) observer.on_eval(last);
  }
  return last;
}

}  // namespace cllm
