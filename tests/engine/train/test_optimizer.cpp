// AdamW, the learning-rate schedule and gradient clipping against hand-written expectations.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "model/model_config.h"
#include "model/transformer_graph.h"
#include "train/adamw.h"
#include "train/gradient_norm.h"
#include "train/lr_schedule.h"
#include "train/train_config.h"
#include "util/error.h"
#include "util/rng.h"

namespace cllm {
namespace {

TEST(LrSchedule, WarmupThenCosineToMinimum) {
  const LrSchedule s{1e-3, 1e-4, 10, 110, true};
  EXPECT_DOUBLE_EQ(s.at(0), 1e-3 * 1 / 11);
  EXPECT_DOUBLE_EQ(s.at(9), 1e-3 * 10 / 11);
  EXPECT_DOUBLE_EQ(s.at(10), 1e-3);                   // peak right after warmup
  EXPECT_NEAR(s.at(60), 0.5 * (1e-3 + 1e-4), 1e-12);  // half-way through the decay
  EXPECT_DOUBLE_EQ(s.at(110), 1e-4);
  EXPECT_DOUBLE_EQ(s.at(500), 1e-4);
  for (int i = 10; i < 110; ++i) EXPECT_GE(s.at(i), s.at(i + 1));
  const LrSchedule constant{1e-3, 1e-4, 0, 100, false};
  EXPECT_DOUBLE_EQ(constant.at(0), 1e-3);
  EXPECT_DOUBLE_EQ(constant.at(99), 1e-3);
}

TEST(AdamW, MatchesTheTextbookUpdateInDoubleAndDecaysOnlyMatrices) {
  ModelConfig c;
  c.vocab_size = 5, c.block_size = 4, c.n_layer = 1, c.n_head = 1, c.n_embd = 4;
  const TransformerGraph graph(c);
  const ParameterTable& layout = graph.parameters();
  const AdamWSettings st{0.9, 0.99, 1e-8, 0.1};
  AdamW opt(layout, st);
  Rng rng(1);
  std::vector<float> p(layout.total());
  for (auto& x : p) x = static_cast<float>(rng.normal());
  std::vector<double> pd(p.begin(), p.end()), m(p.size()), v(p.size());
  for (int step = 1; step <= 5; ++step) {
    std::vector<float> g(p.size());
    for (auto& x : g) x = static_cast<float>(rng.normal());
    const float lr = 0.01f * step;
    opt.update(p, g, lr, step);
    for (const auto& t : layout.tensors())
      for (size_t i = t.offset; i < t.offset + t.size; ++i) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.99 * v[i] + 0.01 * double(g[i]) * g[i];
        const double mhat = m[i] / (1 - std::pow(0.9, step)), vhat = v[i] / (1 - std::pow(0.99, step));
        if (t.decay) pd[i] *= 1 - double(lr) * 0.1;
        pd[i] -= lr * mhat / (std::sqrt(vhat) + 1e-8);
      }
  }
  for (size_t i = 0; i < p.size(); ++i) ASSERT_NEAR(p[i], pd[i], 2e-6 * (1 + std::abs(pd[i]))) << i;
  // A zero gradient still shrinks decayed weights and leaves gains alone.
  AdamW fresh(layout, st);
  std::vector<float> ones(layout.total(), 1.0f), zero(layout.total(), 0.0f);
  fresh.update(ones, zero, 0.5f, 1);
  for (const auto& t : layout.tensors()) EXPECT_FLOAT_EQ(ones[t.offset], t.decay ? 0.95f : 1.0f) << t.name;
}

TEST(GradientNorm, NormAndClipping) {
  std::vector<float> g = {3, 4, 0, 0};
  EXPECT_DOUBLE_EQ(gradient_norm(g), 5.0);
  EXPECT_DOUBLE_EQ(clip_gradients(g, 5.0, 10.0), 1.0);  // under the limit: untouched
  EXPECT_EQ(g[0], 3.0f);
  EXPECT_DOUBLE_EQ(clip_gradients(g, 5.0, 0.0), 1.0);  // 0 turns clipping off
  EXPECT_NEAR(clip_gradients(g, 5.0, 1.0), 0.2, 1e-7);
  EXPECT_NEAR(gradient_norm(g), 1.0, 1e-6);
  // Long vectors go through the parallel path and still sum exactly enough.
  std::vector<float> big(1'000'003, 0.5f);
  EXPECT_NEAR(gradient_norm(big), 0.5 * std::sqrt(1'000'003.0), 1e-6);
}

// What validate() says about a config; empty when it is valid.
std::string message(const TrainConfig& c) {
  try {
    c.validate();
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

TEST(TrainConfig, ValidationNamesTheBadValue) {
  TrainConfig c;
  EXPECT_EQ(message(c), "");
  c.lr = -1;
  EXPECT_NE(message(c).find("learning rate"), std::string::npos);
  c = TrainConfig{};
  c.batch_size = 0;
  EXPECT_NE(message(c).find("batch size"), std::string::npos);
  c = TrainConfig{};
  c.beta2 = 1.0;
  EXPECT_NE(message(c).find("beta2"), std::string::npos);
  c = TrainConfig{};
  c.min_lr = 0.1;  // above lr
  EXPECT_NE(message(c).find("minimum learning rate"), std::string::npos);
  c = TrainConfig{};
  c.lr = NAN;
  EXPECT_NE(message(c).find("learning rate"), std::string::npos);
  c = TrainConfig{};
  c.grad_accum = -3;
  EXPECT_NE(message(c).find("gradient accumulation"), std::string::npos);
}

TEST(TrainConfig, ValuesThatVanishInFloat32AreRefused) {
  // Valid as doubles, but AdamW computes in float32, where they become 1 or 0.
  TrainConfig c;
  c.beta2 = 0.999999999;
  EXPECT_NE(message(c).find("beta2 0.999999999 rounds to 1 in float32"), std::string::npos) << message(c);
  c = TrainConfig{};
  c.beta1 = 0.9999999999;
  EXPECT_NE(message(c).find("beta1"), std::string::npos);
  c = TrainConfig{};
  c.eps = 1e-50;
  EXPECT_NE(message(c).find("epsilon 1e-50 is below the smallest normal float32"), std::string::npos)
      << message(c);
  c = TrainConfig{};
  c.beta2 = 0.9999999;  // 1 - 1e-7 is still below 1 in float32
  c.eps = 1e-30;
  EXPECT_EQ(message(c), "");
}

TEST(TrainConfig, JsonRoundTrip) {
  TrainConfig c;
  c.steps = 77, c.lr = 3e-4, c.schedule = "constant", c.seed = 99, c.grad_clip = 0;
  EXPECT_EQ(TrainConfig::from_json(c.to_json()), c);
  auto j = c.to_json();
  j["lr"] = "fast";
  EXPECT_THROW(TrainConfig::from_json(j), Error);
}

}  // namespace
}  // namespace cllm
