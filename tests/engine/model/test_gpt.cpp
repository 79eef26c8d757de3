#include "model/gpt.h"

#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>
#include "../model_variants.h"
#include "../ops/op_test_util.h"

#include "util/error.h"
#include "util/rng.h"

namespace cllm::test {
namespace {

ModelConfig tiny_config(const std::string& variant = "learned") {
  ModelConfig c;
  c.vocab_size = 7, c.block_size = 6, c.n_layer = 2, c.n_head = 2, c.n_embd = 8;
  return with_variant(c, variant);
}

std::vector<int32_t> random_tokens(size_t n, int vocab, Rng& rng) {
  std::vector<int32_t> t(n);
  for (auto& x : t) x = static_cast<int32_t>(rng.below(vocab));
  return t;
}

// Random but non-degenerate parameters (gains near 1, biases non-zero) so every path carries gradient.
void randomize_parameters(ReferenceTransformer<double>& model, Rng& rng) {
  std::span<double> p = model.parameters();
  for (const auto& t : model.table().tensors())
    for (size_t i = 0; i < t.size; ++i)
      p[t.offset + i] = t.name.find("ln_") != std::string::npos && t.name.ends_with("weight")
                            ? 1.0 + 0.1 * rng.normal()
                            : 0.3 * rng.normal();
}

class WholeModelGradient : public ::testing::TestWithParam<std::string> {};

TEST_P(WholeModelGradient, ReferenceMatchesFiniteDifferencesForEveryParameter) {
  const ModelConfig c = tiny_config(GetParam());
  const int B = 2, T = 5;
  Rng rng(61);
  ReferenceTransformer<double> model(c);
  randomize_parameters(model, rng);
  const auto inputs = random_tokens(B * T, c.vocab_size, rng),
             targets = random_tokens(B * T, c.vocab_size, rng);
  model.forward(inputs.data(), targets.data(), B, T);
  model.backward();
  const std::vector<double> analytic(model.gradients().begin(), model.gradients().end());
  auto loss = [&] { return model.forward(inputs.data(), targets.data(), B, T); };
  const auto params = model.parameters();
  for (const auto& t : model.table().tensors()) {
    std::vector<double> slice(params.begin() + t.offset, params.begin() + t.offset + t.size);
    const std::vector<double> grad(analytic.begin() + t.offset, analytic.begin() + t.offset + t.size);
    // Perturb through the slice by writing it back around each loss evaluation.
    auto sliced_loss = [&] {
      std::copy(slice.begin(), slice.end(), params.begin() + t.offset);
      return loss();
    };
    expect_gradient_matches(t.name, slice, grad, sliced_loss, 60);
    std::copy(slice.begin(), slice.end(), params.begin() + t.offset);
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, WholeModelGradient, ::testing::ValuesIn(model_variant_names()));

class FastPath : public ::testing::TestWithParam<std::string> {};

TEST_P(FastPath, MatchesReferenceLogitsLossAndEveryGradientTensor) {
  ModelConfig c;
  c.vocab_size = 65, c.block_size = 32, c.n_layer = 2, c.n_head = 4, c.n_embd = 64;
  c = with_variant(c, GetParam());
  const int B = 4, T = 32;
  Rng rng(62);
  Gpt fast(c);
  fast.initialize(rng);
  // Larger than init-scale weights so the comparison is not dominated by near-zero values.
  for (auto& p : fast.parameters()) p *= 5.0f;
  ReferenceTransformer<double> ref(c);
  std::copy(fast.parameters().begin(), fast.parameters().end(), ref.parameters().begin());
  const auto inputs = random_tokens(B * T, c.vocab_size, rng),
             targets = random_tokens(B * T, c.vocab_size, rng);

  const float fast_loss = fast.forward(inputs.data(), targets.data(), B, T);
  const double ref_loss = ref.forward(inputs.data(), targets.data(), B, T);
  EXPECT_NEAR(fast_loss, ref_loss, 1e-5 * ref_loss);
  // Before the backward passes, which overwrite the logits.
  expect_close("logits", {fast.logits().begin(), fast.logits().end()},
               {ref.logits().begin(), ref.logits().end()});
  fast.zero_gradients();
  fast.backward();
  ref.backward();

  expect_close("token losses", {fast.token_losses().begin(), fast.token_losses().end()},
               {ref.token_losses().begin(), ref.token_losses().end()});
  for (const auto& t : fast.table().tensors()) {
    std::vector<float> g(fast.gradients().begin() + t.offset, fast.gradients().begin() + t.offset + t.size);
    std::vector<double> r(ref.gradients().begin() + t.offset, ref.gradients().begin() + t.offset + t.size);
    expect_close(t.name, g, r, 1e-4);
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, FastPath, ::testing::ValuesIn(model_variant_names()));

TEST(Gpt, BackwardAccumulatesAndScales) {
  const ModelConfig c = tiny_config();
  Rng rng(63);
  Gpt model(c);
  model.initialize(rng);
  const auto x = random_tokens(12, c.vocab_size, rng), y = random_tokens(12, c.vocab_size, rng);
  model.forward(x.data(), y.data(), 2, 6);
  model.zero_gradients();
  model.backward();
  const std::vector<float> once(model.gradients().begin(), model.gradients().end());
  // A backward pass uses up its forward's logits: a second one is refused, not silently wrong.
  EXPECT_THROW(model.backward(), Error);
  model.zero_gradients();
  for (int i = 0; i < 2; ++i) {
    model.forward(x.data(), y.data(), 2, 6);
    model.backward(0.5f);
  }
  for (size_t i = 0; i < once.size(); ++i)
    ASSERT_NEAR(model.gradients()[i], once[i], 1e-6f + 1e-5f * std::abs(once[i]));
}

TEST(Gpt, OutputsAtEarlierPositionsIgnoreLaterTokens) {
  ModelConfig c = tiny_config();
  Rng rng(64);
  Gpt model(c);
  model.initialize(rng);
  auto x = random_tokens(6, c.vocab_size, rng);
  model.forward(x.data(), nullptr, 1, 6);
  const std::vector<float> before(model.logits().begin(), model.logits().end());
  x[5] = (x[5] + 1) % c.vocab_size;
  model.forward(x.data(), nullptr, 1, 6);
  for (int i = 0; i < 5 * c.vocab_size; ++i) ASSERT_EQ(model.logits()[i], before[i]) << i;
  bool last_changed = false;
  for (int i = 5 * c.vocab_size; i < 6 * c.vocab_size; ++i) last_changed |= model.logits()[i] != before[i];
  EXPECT_TRUE(last_changed);
}

TEST(Gpt, FreshModelPredictsNearlyUniformly) {
  ModelConfig c = model_preset("small");
  c.vocab_size = 65;
  Rng rng(65);
  Gpt model(c);
  model.initialize(rng);
  const auto x = random_tokens(4 * 64, 65, rng), y = random_tokens(4 * 64, 65, rng);
  const float loss = model.forward(x.data(), y.data(), 4, 64);
  EXPECT_NEAR(loss, std::log(65.0f), 0.1f);
}

TEST(ModelConfig, ParameterCountFollowsTheArchitecture) {
  for (const std::string& preset : model_preset_names()) {
    ModelConfig c = model_preset(preset);
    c.vocab_size = 65;
    const int64_t C = c.n_embd;
    const int64_t expected = 65 * C + c.block_size * C + c.n_layer * (12 * C * C + 13 * C) + 2 * C;
    EXPECT_EQ(c.parameter_count(), expected) << preset;
    c.positional = "sinusoidal";  // a fixed table is not a parameter
    EXPECT_EQ(c.parameter_count(), expected - c.block_size * C) << preset;
  }
}

TEST(ModelConfig, ImpossibleSizesAreClearErrors) {
  auto message = [](ModelConfig c) {
    try {
      c.validate();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  ModelConfig c = tiny_config();
  c.n_head = 3;
  EXPECT_NE(message(c).find("do not divide width"), std::string::npos) << message(c);
  c = tiny_config();
  c.n_embd = 0;
  EXPECT_NE(message(c).find("width"), std::string::npos);
  c = tiny_config();
  c.n_layer = -2;
  EXPECT_NE(message(c).find("layer count"), std::string::npos);
  c = tiny_config();
  c.vocab_size = 0;
  EXPECT_NE(message(c).find("vocabulary size"), std::string::npos);
  c = tiny_config();
  c.positional = "spiral?";
  EXPECT_NE(message(c).find("unknown positional encoding"), std::string::npos);
  c = tiny_config();
  c.n_embd = 65536, c.n_layer = 1000;
  EXPECT_NE(message(c).find("the limit is"), std::string::npos);
}

TEST(ModelConfig, JsonRoundTripAndRejection) {
  const ModelConfig c = tiny_config("sinusoidal");
  EXPECT_EQ(ModelConfig::from_json(c.to_json()), c);
  auto j = c.to_json();
  j["n_head"] = "four";
  EXPECT_THROW(ModelConfig::from_json(j), Error);
  j = c.to_json();
  j.erase("n_embd");
  EXPECT_THROW(ModelConfig::from_json(j), Error);
  j = c.to_json();
  j["n_head"] = 3;
  EXPECT_THROW(ModelConfig::from_json(j), Error);
}

TEST(Gpt, TenMillionParameterModelRuns) {
  ModelConfig c;
  c.vocab_size = 256, c.block_size = 128, c.n_layer = 6, c.n_head = 6, c.n_embd = 384;
  ASSERT_GT(c.parameter_count(), 10'000'000);
  Rng rng(66);
  Gpt model(c);
  model.initialize(rng);
  const auto x = random_tokens(2 * 16, 256, rng), y = random_tokens(2 * 16, 256, rng);
  const float loss = model.forward(x.data(), y.data(), 2, 16);
  EXPECT_TRUE(std::isfinite(loss));
  model.zero_gradients();
  model.backward();
  double norm = 0;
  for (float g : model.gradients()) norm += double(g) * g;
  EXPECT_GT(norm, 0.0);
  EXPECT_TRUE(std::isfinite(norm));
}

TEST(Gpt, TrainingMemoryEstimateMatchesWhatTheModelAllocates) {
  for (const std::string& variant : model_variant_names())
    for (auto [B, T] : {std::pair{1, 1}, {3, 5}, {2, 6}}) {
      const ModelConfig c = tiny_config(variant);
      Rng rng(3);
      Gpt model(c);
      EXPECT_EQ(model.activation_bytes(), 0u);
      const auto x = random_tokens(size_t(B) * T, c.vocab_size, rng);
      model.forward(x.data(), x.data(), B, T);
      const size_t state = 4 * c.parameter_count() * sizeof(float);
      EXPECT_EQ(Gpt::training_memory_bytes(c, B, T), model.activation_bytes() + state)
          << variant << " " << B << "x" << T;
    }
}

TEST(Gpt, LatticeInitialisationSetsTheEmbeddingAndDrawsTheSameRest) {
  const ModelConfig random = tiny_config(), lattice = tiny_config("lattice_init");
  Gpt a(random), b(lattice);
  Rng r1(5), r2(5);
  a.initialize(r1);
  b.initialize(r2);
  const auto& wte = b.table().find("transformer.wte.weight");
  const auto rows = layers::lattice_embedding(lattice.vocab_size, lattice.n_embd);
  for (size_t i = 0; i < wte.size; ++i)
    ASSERT_EQ(b.parameters()[wte.offset + i], static_cast<float>(rows[i])) << i;
  // The embedding draws nothing: started where the random embedding's draws end, every later tensor
  // equals the random-init model's.
  Rng skipped(5);
  for (size_t i = 0; i < wte.size; ++i) skipped.normal();
  Gpt c(lattice);
  c.initialize(skipped);
  ASSERT_EQ(wte.offset, 0u);
  for (size_t i = wte.size; i < a.parameters().size(); ++i)
    ASSERT_EQ(c.parameters()[i], a.parameters()[i]) << i;
}

TEST(Gpt, RopeNeedsAnEvenHeadSize) {
  ModelConfig c = tiny_config("rope");
  c.n_embd = 6, c.n_head = 2;  // head size 3
  try {
    c.validate();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("even head size"), std::string::npos) << e.what();
  }
}

TEST(Gpt, BadInputsAreClearErrors) {
  const ModelConfig c = tiny_config();
  Gpt model(c);
  std::vector<int32_t> x = {0, 1, 2, 7};
  EXPECT_THROW(model.forward(x.data(), nullptr, 1, 4), Error);  // id 7 outside vocab 7
  x[3] = 1;
  EXPECT_THROW(model.forward(x.data(), nullptr, 1, 7), Error);  // longer than block size 6
  EXPECT_THROW(model.backward(), Error);                        // no forward with targets yet
}

}  // namespace
}  // namespace cllm::test
