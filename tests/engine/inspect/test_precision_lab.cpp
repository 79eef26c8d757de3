// The precision lab on a tiny random model: double agrees with 50 digits to double precision, float32
// is worse than double but within float32's reach, bf16 rounding costs about its unit, every tensor is
// reported, the 50-digit backward pass passes its finite-difference check, and the verdict follows from
// the worst float32 error.
#include "inspect/precision_lab.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "../expect_error.h"
#include "../model_variants.h"
#include "data/corpus.h"
#include "io/checkpoint.h"
#include "model/gpt.h"
#include "text/tokenizer.h"
#include "util/rng.h"

namespace cllm::test {
namespace {

ModelConfig tiny_config() {
  ModelConfig c;
  c.vocab_size = 11, c.block_size = 8, c.n_layer = 2, c.n_head = 2, c.n_embd = 8;
  return c;
}

// GPT-2 initialisation scaled up, so activations and gradients are not dominated by near-zero values.
std::vector<float> tiny_parameters(const ModelConfig& c) {
  Gpt model(c);
  Rng rng(71);
  model.initialize(rng);
  for (auto& p : model.parameters()) p *= 5.0f;
  return {model.parameters().begin(), model.parameters().end()};
}

std::vector<int32_t> random_tokens(size_t n, int vocab) {
  Rng rng(72);
  std::vector<int32_t> t(n);
  for (auto& x : t) x = static_cast<int32_t>(rng.below(static_cast<uint64_t>(vocab)));
  return t;
}

PrecisionSettings tiny_settings() {
  PrecisionSettings s;
  s.batch = 2;
  s.tokens_per_sequence = 8;
  s.check_tokens = 4;
  s.checks_per_tensor = 3;
  return s;
}

class PrecisionLab : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const ModelConfig c = tiny_config();
    report_ = new PrecisionReport(
        *measure_precision(c, tiny_parameters(c), random_tokens(60, c.vocab_size), tiny_settings()));
  }
  static void TearDownTestSuite() { delete report_; }
  static const PrecisionReport& report() { return *report_; }

  static PrecisionReport* report_;
};
PrecisionReport* PrecisionLab::report_ = nullptr;

TEST_F(PrecisionLab, ReportsEveryActivationAndEveryGradientInModelOrder) {
  Gpt model(tiny_config());
  const std::vector<int32_t> tokens(8, 1);
  model.forward(tokens.data(), tokens.data(), 2, 4);  // any pass: the table names do not depend on B, T
  std::vector<std::string> expected;
  for (const auto& e : model.activation_table().entries())
    if (!e.name.starts_with("backward.") && e.name.find(".backward.") == std::string::npos)
      expected.push_back(e.name);
  std::vector<std::string> got;
  for (const auto& t : report().activations) got.push_back(t.name);
  EXPECT_EQ(got, expected);
  for (const char* name : {"embedding.out", "h.0.ln_1.out", "h.0.attn.qkv", "h.0.attn.att", "h.1.mlp.gelu",
                           "logits", "lse", "losses"})
    EXPECT_NE(std::find(got.begin(), got.end(), name), got.end()) << name;

  got.clear();
  expected.clear();
  for (const auto& t : model.table().tensors()) expected.push_back(t.name);
  for (const auto& t : report().gradients) got.push_back(t.name);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(report().batch, 2);
  EXPECT_EQ(report().tokens_per_sequence, 8);
}

TEST_F(PrecisionLab, DoubleIsExactToDoublePrecisionAndFloat32IsWorseButWithinItsReach) {
  for (const auto* list : {&report().activations, &report().gradients})
    for (const auto& t : *list) {
      EXPECT_GT(t.max_abs, 0) << t.name;
      EXPECT_LT(t.float64, 1e-12) << t.name;
      EXPECT_GT(t.float32, t.float64) << t.name;
      EXPECT_LT(t.float32, 1e-3) << t.name;
    }
  EXPECT_LT(report().loss.float64_error, 1e-12);
  EXPECT_GT(report().loss.float32_error, report().loss.float64_error);
  EXPECT_LT(report().loss.float32_error, 1e-5);
  EXPECT_NEAR(report().loss.float64, std::stod(report().loss.fifty), 1e-12);
  EXPECT_GE(report().loss.fifty.size(), 50u);  // every digit, not a double's 17
}

TEST_F(PrecisionLab, Bfloat16RoundingCostsAboutItsUnit) {
  // Rounding to 8 significant bits errs by at most 2^-8 of a value (2^-9 at the top of its binade), so
  // by at most 2^-8 of the tensor's largest value; in a tensor of more than a few values, near 2^-9.
  for (const auto* list : {&report().activations, &report().gradients})
    for (const auto& t : *list) {
      EXPECT_GT(t.bfloat16, 1e-4) << t.name;
      EXPECT_LT(t.bfloat16, 1e-2) << t.name;
      EXPECT_LE(t.bfloat16, std::ldexp(1.0, -8) * (1 + 1e-12)) << t.name;
      EXPECT_GT(t.bfloat16, t.float32) << t.name;
    }
}

TEST_F(PrecisionLab, FiftyDigitBackwardPassesItsFiniteDifferenceCheck) {
  const GradientCheck& check = report().check;
  size_t expected = 0;
  const Gpt model(tiny_config());
  for (const auto& t : model.table().tensors()) expected += std::min<size_t>(t.size, 3);
  EXPECT_EQ(check.entries.size(), expected);
  EXPECT_EQ(check.tokens, 4);
  EXPECT_EQ(check.step, "1e-20");
  EXPECT_LT(check.worst_error, 1e-22);  // h = 1e-20 in 50 digits: truncation ~h^2, rounding ~1e-30
  ASSERT_NE(check.worst(), nullptr);
  EXPECT_EQ(check.worst()->error, check.worst_error);
  // The check is not vacuous: it compares real, nonzero gradients.
  double largest = 0;
  for (const auto& e : check.entries) largest = std::max(largest, std::fabs(e.analytic));
  EXPECT_GT(largest, 1e-3);
}

TEST_F(PrecisionLab, VerdictIsTheDigitsOfTheWorstFloat32ErrorBeyondItsUnit) {
  double worst = 0;
  std::string where;
  for (const auto* list : {&report().activations, &report().gradients})
    for (const auto& t : *list)
      if (t.float32 > worst) worst = t.float32, where = t.name;
  EXPECT_EQ(report().worst_float32_error, worst);
  EXPECT_EQ(report().worst_tensor, where);
  const double digits = std::max(0.0, std::log10(worst / std::ldexp(1.0, -24)));
  EXPECT_DOUBLE_EQ(report().lost_digits, digits);
  EXPECT_GE(report().lost_digits, 0);
  char expected[96];
  std::snprintf(expected, sizeof expected, "float32 loses at most %.1f significant digits in this model",
                digits);
  EXPECT_EQ(report().verdict(), expected);
}

TEST_F(PrecisionLab, EachScalarIsTimed) {
  EXPECT_GT(report().seconds_float32, 0);
  EXPECT_GT(report().seconds_float64, 0);
  EXPECT_GT(report().seconds_fifty, report().seconds_float64);
  EXPECT_GT(report().seconds_check, 0);
}

// Every model option through the lab on a short batch: the 50-digit reference passes its check and
// double agrees with it, whatever the layers.
class PrecisionLabVariant : public ::testing::TestWithParam<std::string> {};

TEST_P(PrecisionLabVariant, DoubleAgreesWithFiftyDigitsWhichPassItsGradientCheck) {
  const ModelConfig c = with_variant(tiny_config(), GetParam());
  PrecisionSettings s;
  s.tokens_per_sequence = 6;
  s.check_tokens = 3;
  const auto r = measure_precision(c, tiny_parameters(c), random_tokens(30, c.vocab_size), s);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->activations.empty());
  for (const auto* list : {&r->activations, &r->gradients})
    for (const auto& t : *list) {
      EXPECT_LT(t.float64, 1e-12) << t.name;
      EXPECT_LT(t.float32, 1e-3) << t.name;
    }
  EXPECT_LT(r->check.worst_error, 1e-22);
}

INSTANTIATE_TEST_SUITE_P(Variants, PrecisionLabVariant, ::testing::ValuesIn(model_variant_names()));

TEST(PrecisionLabRounding, Bfloat16RoundsToNearestEven) {
  const double u = std::ldexp(1.0, -7);  // the spacing of bfloat16 in [1, 2)
  EXPECT_EQ(round_to_bfloat16(1.0), 1.0);
  EXPECT_EQ(round_to_bfloat16(1 + u / 2), 1.0);                           // tie: to the even 1
  EXPECT_EQ(round_to_bfloat16(1 + 3 * u / 2), 1 + 2 * u);                 // tie: to the even 1 + 2u
  EXPECT_EQ(round_to_bfloat16(1 + u / 2 + std::ldexp(1.0, -30)), 1 + u);  // past the tie
  EXPECT_EQ(round_to_bfloat16(-(1 + 0.75 * u)), -(1 + u));
  EXPECT_EQ(round_to_bfloat16(std::ldexp(1.0, -140)), 0.0);  // below half the least subnormal
  EXPECT_EQ(round_to_bfloat16(3 * std::ldexp(1.0, -134)), std::ldexp(1.0, -132));  // subnormal tie: even
  EXPECT_TRUE(std::isinf(round_to_bfloat16(std::ldexp(1.0, 128))));
  EXPECT_EQ(round_to_bfloat16(0.1), 0.10009765625);
}

TEST(PrecisionLabErrors, BadSizesAndShortTokensAreOneLineErrors) {
  const ModelConfig c = tiny_config();
  const auto params = tiny_parameters(c);
  const auto tokens = random_tokens(60, c.vocab_size);
  PrecisionSettings s = tiny_settings();
  s.batch = 0;
  expect_error([&] { measure_precision(c, params, tokens, s); }, {"batch", "0"});
  s = tiny_settings();
  s.tokens_per_sequence = 9;
  expect_error([&] { measure_precision(c, params, tokens, s); }, {"9", "block size 8"});
  s = tiny_settings();
  expect_error([&] { measure_precision(c, params, random_tokens(5, c.vocab_size), s); }, "validation");
  s.check_step = "tiny";
  expect_error([&] { measure_precision(c, params, tokens, s); }, "'tiny' is not a number");
  const std::vector<float> too_few(10, 0.0f);
  expect_error([&] { measure_precision(c, too_few, tokens, tiny_settings()); }, "10 parameters");
}

TEST(PrecisionLabProgress, StoppingReturnsNoReport) {
  const ModelConfig c = tiny_config();
  int calls = 0;
  long last_total = 0;
  const auto stop_in_check = [&](const std::string& stage, long done, long total) {
    ++calls;
    last_total = total;
    EXPECT_LE(done, total) << stage;
    return stage.find("gradient check") == std::string::npos;
  };
  EXPECT_FALSE(measure_precision(c, tiny_parameters(c), random_tokens(60, c.vocab_size), tiny_settings(),
                                 stop_in_check));
  EXPECT_GE(calls, 5);
  EXPECT_GT(last_total, 0);
}

TEST(PrecisionLabTokens, WithoutACorpusTheErrorSaysToPassOne) {
  Checkpoint ck;
  ck.model_config = tiny_config();
  expect_error([&] { precision_tokens(ck, nullptr); }, {"no tokens to measure on", "pass a corpus"});
}

TEST(PrecisionLabTokens, AGivenCorpusIsTokenisedAndItsValidationSplitTaken) {
  Checkpoint ck;
  const std::string text = "abcdefghij";
  ck.tokenizer = train_tokenizer(TokenizerSpec{}, text);
  const Corpus corpus{"corpus.txt", text, {}};
  const std::vector<int32_t> tokens = precision_tokens(ck, &corpus);  // 10% of 10 characters
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(ck.tokenizer->decode(tokens), "j");
}

}  // namespace
}  // namespace cllm::test
