#include "train/trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "../expect_error.h"
#include "kernels/cpu_kernels.h"
#include "kernels/gemm.h"
#include "kernels/threading.h"
#include "model/gpt.h"
#include "small_model.h"
#include "util/error.h"
#include "util/rng.h"

namespace cllm {
namespace {

using test::small_model;

// A sequence with learnable structure: a repeating pattern with occasional noise.
std::vector<int32_t> patterned_tokens(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<int32_t> t(n);
  for (size_t i = 0; i < n; ++i)
    t[i] = rng.uniform() < 0.05 ? static_cast<int32_t>(rng.below(11)) : int32_t((i * 3) % 11);
  return t;
}

TrainConfig quick_config(int steps) {
  TrainConfig c;
  c.batch_size = 8, c.steps = steps, c.lr = 3e-3, c.min_lr = 3e-4, c.warmup_steps = 10, c.eval_batches = 4;
  return c;
}

TEST(Trainer, LearnsAPatternWellBelowChance) {
  const auto train = patterned_tokens(20000, 1), val = patterned_tokens(2000, 2);
  Gpt model(small_model());
  Rng init(3);
  model.initialize(init);
  Trainer trainer(model, quick_config(150), train, val);
  const double before = trainer.evaluate().loss;
  EXPECT_NEAR(before, std::log(11.0), 0.2);
  TrainingObserver obs;
  int steps_seen = 0, evals_seen = 0;
  obs.on_step = [&](const StepStats& s) {
    ++steps_seen;
    EXPECT_TRUE(std::isfinite(s.loss));
    EXPECT_EQ(s.tokens, 8 * 16);
  };
  obs.on_eval = [&](const EvalResult&) { ++evals_seen; };
  const EvalResult after = run_training(trainer, obs);
  EXPECT_EQ(steps_seen, 150);
  EXPECT_EQ(evals_seen, 1);  // eval_interval 250 > 150 steps: only the final evaluation
  EXPECT_LT(after.loss, 0.6) << "before " << before;
  EXPECT_NEAR(after.perplexity, std::exp(after.loss), 1e-9);
}

TEST(Trainer, SameSeedGivesBitIdenticalRuns) {
  const auto train = patterned_tokens(5000, 4), val = patterned_tokens(1000, 5);
  std::vector<float> results[2];
  for (auto& r : results) {
    Gpt model(small_model());
    Rng init(6);
    model.initialize(init);
    TrainConfig c = quick_config(12);
    c.grad_accum = 2;
    Trainer trainer(model, c, train, val);
    for (int i = 0; i < 12; ++i) trainer.step();
    r.assign(model.parameters().begin(), model.parameters().end());
  }
  ASSERT_EQ(std::memcmp(results[0].data(), results[1].data(), results[0].size() * sizeof(float)), 0);
}

// Issue 13, defect 11: resuming with another --threads changed every weight (by up to 5.7e-5), because
// the batch was split into one shard per thread. The shard count is the run's now: 1, 2 and 3 threads
// over the same 3 shards (and evaluations) give bit-identical weights and losses.
TEST(Trainer, ResultsDoNotDependOnTheThreadCount) {
  const auto train = patterned_tokens(5000, 4), val = patterned_tokens(1000, 5);
  std::vector<float> weights[3];
  double losses[3];
  for (int threads = 1; threads <= 3; ++threads) {
    const int previous = kernels::num_threads();
    kernels::set_num_threads(threads);
    Gpt model(small_model());
    Rng init(6);
    model.initialize(init);
    TrainConfig c = quick_config(6);
    c.shards = 3;
    Trainer trainer(model, c, train, val);
    for (int i = 0; i < 6; ++i) trainer.step();
    losses[threads - 1] = trainer.evaluate().loss;
    weights[threads - 1].assign(model.parameters().begin(), model.parameters().end());
    kernels::set_num_threads(previous);
  }
  for (int i = 1; i < 3; ++i) {
    SCOPED_TRACE(std::to_string(i + 1) + " threads against 1");
    EXPECT_EQ(losses[i], losses[0]);
    ASSERT_EQ(std::memcmp(weights[i].data(), weights[0].data(), weights[0].size() * sizeof(float)), 0);
  }
}

TEST(Trainer, AZeroShardCountBecomesOnePerCore) {
  const auto train = patterned_tokens(5000, 4), val = patterned_tokens(1000, 5);
  Gpt model(small_model());
  Trainer trainer(model, quick_config(1), train, val);
  EXPECT_EQ(trainer.config().shards, kernels::default_num_threads());
  TrainConfig c = quick_config(1);
  c.shards = -1;
  EXPECT_THROW(Trainer(model, c, train, val), Error);
}

// bfloat16 products: the same run learns as well as float32, its weights differ from float32's (the
// precision really changed), and evaluation afterwards runs in float32 again.
TEST(Trainer, Bf16ProductsLearnLikeFloat32) {
  if (!kernels::cpu_has_bf16()) {
    Gpt model(small_model());
    TrainConfig c = quick_config(10);
    c.precision = "bf16";
    const auto train = patterned_tokens(5000, 1), val = patterned_tokens(1000, 2);
    test::expect_error([&] { Trainer(model, c, train, val); }, "bfloat16 training needs a CPU");
    GTEST_SKIP() << "this CPU has " << kernels::cpu_bf16_description();
  }
  const auto train = patterned_tokens(20000, 1), val = patterned_tokens(2000, 2);
  double loss[2];
  std::vector<float> weights[2];
  for (int i = 0; i < 2; ++i) {
    Gpt model(small_model());
    Rng init(3);
    model.initialize(init);
    TrainConfig c = quick_config(150);
    c.precision = i ? "bf16" : "float32";
    Trainer trainer(model, c, train, val);
    loss[i] = run_training(trainer, {}).loss;
    EXPECT_EQ(kernels::matmul_precision(), kernels::MatmulPrecision::Float32);
    weights[i].assign(model.parameters().begin(), model.parameters().end());
  }
  EXPECT_LT(loss[1], 0.6);
  EXPECT_NEAR(loss[1], loss[0], 0.05);
  EXPECT_NE(weights[0], weights[1]);
}

TEST(Trainer, DivergenceIsAClearErrorAndKeepsTheWeights) {
  const auto train = patterned_tokens(5000, 7), val = patterned_tokens(1000, 8);
  Gpt model(small_model());
  Rng init(9);
  model.initialize(init);
  Trainer trainer(model, quick_config(10), train, val);
  trainer.step();
  // A poisoned weight makes the loss NaN, as an exploding run would.
  model.parameters()[model.table().find("transformer.h.0.mlp.c_fc.weight").offset] = NAN;
  const std::vector<float> before(model.parameters().begin(), model.parameters().end());
  try {
    trainer.step();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("diverged at step 2"), std::string::npos) << e.what();
  }
  EXPECT_EQ(std::memcmp(before.data(), model.parameters().data(), before.size() * sizeof(float)), 0);
  EXPECT_EQ(trainer.steps_done(), 1);
}

TEST(Trainer, EvaluationReportsBitsPerByteWhenTheBytesAreKnown) {
  const auto train = patterned_tokens(5000, 15), val = patterned_tokens(1000, 16);
  Gpt model(small_model());
  Rng init(17);
  model.initialize(init);
  // Unknown bytes: no bits per byte. Bytes per token 2.5 (e.g. BPE): the loss in bits, divided by 2.5.
  EXPECT_TRUE(std::isnan(Trainer(model, quick_config(1), train, val).evaluate().bits_per_byte));
  const EvalResult r = Trainer(model, quick_config(1), train, val, 2.5).evaluate();
  EXPECT_DOUBLE_EQ(r.bits_per_byte, r.loss / std::log(2.0) / 2.5);
  EXPECT_EQ(bits_per_byte(1.0, 1.0), 1.0 / std::log(2.0));
  EXPECT_TRUE(std::isnan(bits_per_byte(1.0, 0.0)));
}

// The gradient-reduce seam sees the accumulated gradients once per step, before they are measured and
// clipped: a stand-in for a sum over two identical processes doubles the norm the step reports.
TEST(Trainer, GradientReducerRunsOncePerStepBeforeTheNormIsMeasured) {
  const auto train = patterned_tokens(5000, 18), val = patterned_tokens(1000, 19);
  auto run = [&](bool reduce) {
    Gpt model(small_model());
    Rng init(20);
    model.initialize(init);
    TrainConfig c = quick_config(1);
    c.grad_accum = 3;
    Trainer trainer(model, c, train, val);
    int calls = 0;
    if (reduce)
      trainer.set_gradient_reducer([&](std::span<float> g) {
        ++calls;
        EXPECT_EQ(g.data(), model.gradients().data());
        for (float& x : g) x *= 2.0f;
      });
    const StepStats s = trainer.step();
    EXPECT_EQ(calls, reduce ? 1 : 0);
    return s.grad_norm;
  };
  EXPECT_NEAR(run(true), 2.0 * run(false), 1e-5 * run(false));
}

TEST(Trainer, TooShortSplitsAreClearErrors) {
  Gpt model(small_model());
  const auto ok = patterned_tokens(5000, 10), tiny = patterned_tokens(10, 11);
  EXPECT_THROW(Trainer(model, quick_config(1), tiny, ok), Error);
  EXPECT_THROW(Trainer(model, quick_config(1), ok, tiny), Error);
}

TEST(Trainer, StopRequestEndsTheLoopWithAFinalEvaluation) {
  const auto train = patterned_tokens(5000, 12), val = patterned_tokens(1000, 13);
  Gpt model(small_model());
  Rng init(14);
  model.initialize(init);
  Trainer trainer(model, quick_config(100), train, val);
  TrainingObserver obs;
  obs.stop_requested = [&] { return trainer.steps_done() >= 3; };
  int evals = 0;
  obs.on_eval = [&](const EvalResult& r) {
    ++evals;
    EXPECT_EQ(r.step, 3);
  };
  run_training(trainer, obs);
  EXPECT_EQ(trainer.steps_done(), 3);
  EXPECT_EQ(evals, 1);
}

// Issue 13, defect 10: Ctrl+C waited for the whole optimizer step (77 s with --grad-accum 3000). A stop
// request now ends the step between micro-batches, and the abandoned step leaves nothing behind: the
// run continued afterwards equals one never stopped, bit for bit.
TEST(Trainer, StopRequestEndsAStepBetweenMicroBatchesAndChangesNothing) {
  const auto train = patterned_tokens(5000, 15), val = patterned_tokens(1000, 16);
  TrainConfig c = quick_config(6);
  c.grad_accum = 5;
  std::vector<float> results[2];
  for (int stopped = 0; stopped < 2; ++stopped) {
    Gpt model(small_model());
    Rng init(17);
    model.initialize(init);
    Trainer trainer(model, c, train, val);
    trainer.step();
    if (stopped) {
      const std::vector<float> before(model.parameters().begin(), model.parameters().end());
      const std::string rng_before = trainer.data_rng().state();
      int polls = 0;
      EXPECT_FALSE(trainer.step_unless([&] { return ++polls == 3; }).has_value());
      EXPECT_EQ(polls, 3);  // polled before the 2nd, 3rd and 4th micro-batch: three of five ran
      EXPECT_EQ(trainer.steps_done(), 1);
      EXPECT_EQ(trainer.data_rng().state(), rng_before);
      EXPECT_EQ(std::memcmp(before.data(), model.parameters().data(), before.size() * sizeof(float)), 0);
    }
    while (!trainer.finished()) trainer.step();
    results[stopped].assign(model.parameters().begin(), model.parameters().end());
  }
  ASSERT_EQ(std::memcmp(results[0].data(), results[1].data(), results[0].size() * sizeof(float)), 0);
}

}  // namespace
}  // namespace cllm
