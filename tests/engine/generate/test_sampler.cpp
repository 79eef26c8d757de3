#include "generate/sampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "util/error.h"
#include "util/rng.h"

namespace cllm {
namespace {

SamplingSettings plain(double temperature = 1.0) {
  SamplingSettings s;
  s.temperature = temperature, s.top_k = 0, s.top_p = 1.0, s.min_p = 0.0, s.repetition_penalty = 1.0;
  return s;
}

std::map<int32_t, int> draw_counts(const std::vector<float>& logits, const SamplingSettings& s, int n,
                                   const std::vector<int32_t>& recent = {}) {
  Rng rng(7);
  std::map<int32_t, int> counts;
  for (int i = 0; i < n; ++i) ++counts[sample_token(logits, recent, s, rng, 0).id];
  return counts;
}

// logits of log(p) for p = 0.5, 0.25, 0.15, 0.1
const std::vector<float> kLogits = {std::log(0.5f), std::log(0.25f), std::log(0.15f), std::log(0.1f)};

TEST(Sampler, TemperatureOneDrawsTheModelDistribution) {
  const auto counts = draw_counts(kLogits, plain(), 40000);
  const double expected[] = {0.5, 0.25, 0.15, 0.1};
  for (int v = 0; v < 4; ++v) EXPECT_NEAR(counts.at(v) / 40000.0, expected[v], 0.01) << v;
}

TEST(Sampler, GreedyAndTopKOneTakeTheArgmax) {
  EXPECT_EQ(draw_counts(kLogits, plain(0.0), 100).at(0), 100);
  auto s = plain();
  s.top_k = 1;
  EXPECT_EQ(draw_counts(kLogits, s, 100).at(0), 100);
}

// Ties go to the lower id, whether the sampler orders one candidate (greedy), the top k or all of them.
TEST(Sampler, TiesGoToTheLowerIdHoweverManyCandidatesAreOrdered) {
  std::vector<float> logits(1000, 0.0f);
  for (int v : {700, 300, 900}) logits[v] = 20.0f;  // three equal tokens with nearly all the probability
  EXPECT_EQ(draw_counts(logits, plain(0.0), 10).at(300), 10);
  auto s = plain();
  s.top_k = 2;  // exactly the two lowest ids of the three
  auto c = draw_counts(logits, s, 4000);
  EXPECT_EQ(c.size(), 2u);
  EXPECT_NEAR(c.at(300) / 4000.0, 0.5, 0.03);
  EXPECT_NEAR(c.at(700) / 4000.0, 0.5, 0.03);
  s = plain();
  s.top_p = 0.5;  // all candidates ordered: the first of the three alone reaches 1/3, the first two 2/3
  c = draw_counts(logits, s, 4000);
  EXPECT_EQ(c.size(), 2u);
  EXPECT_TRUE(c.count(300) && c.count(700));
}

TEST(Sampler, TopKTopPAndMinPCutAsDocumented) {
  auto s = plain();
  s.top_k = 2;  // renormalised 0.5 : 0.25
  auto c = draw_counts(kLogits, s, 30000);
  EXPECT_EQ(c.count(2) + c.count(3), 0u);
  EXPECT_NEAR(c.at(0) / 30000.0, 2.0 / 3.0, 0.01);
  s = plain();
  s.top_p = 0.8;  // 0.5 + 0.25 = 0.75 < 0.8, so the 0.15 token is needed too
  c = draw_counts(kLogits, s, 30000);
  EXPECT_EQ(c.count(3), 0u);
  EXPECT_NEAR(c.at(2) / 30000.0, 0.15 / 0.9, 0.01);
  s = plain();
  s.min_p = 0.4;  // keeps p >= 0.2: tokens 0 and 1
  c = draw_counts(kLogits, s, 30000);
  EXPECT_EQ(c.count(2) + c.count(3), 0u);
}

TEST(Sampler, TemperatureAppliesAfterTheCutOffs) {
  auto s = plain(0.5);  // p^2 renormalised: 0.25, 0.0625, 0.0225, 0.01 over 0.345
  const auto c = draw_counts(kLogits, s, 40000);
  EXPECT_NEAR(c.at(0) / 40000.0, 0.25 / 0.345, 0.01);
  s.top_p = 0.6;  // cut on the untempered distribution: tokens 0 and 1 survive
  const auto d = draw_counts(kLogits, s, 20000);
  EXPECT_EQ(d.count(2) + d.count(3), 0u);
}

TEST(Sampler, RepetitionPenaltyDividesPositiveAndMultipliesNegativeLogits) {
  auto s = plain(0.0);
  s.repetition_penalty = 10.0;
  const std::vector<float> logits = {2.0f, 1.5f, -1.0f};
  Rng rng(1);
  // Token 0 was just generated: 2.0 / 10 = 0.2 < 1.5, so token 1 wins.
  EXPECT_EQ(sample_token(logits, std::vector<int32_t>{0}, s, rng, 0).id, 1);
  // Outside the window it no longer counts.
  s.repetition_window = 1;
  EXPECT_EQ(sample_token(logits, std::vector<int32_t>{0, 2}, s, rng, 0).id, 0);
}

TEST(Sampler, ReportsModelProbabilityAndTopAlternatives) {
  Rng rng(3);
  const auto t = sample_token(kLogits, {}, plain(0.0), rng, 3);
  EXPECT_EQ(t.id, 0);
  EXPECT_NEAR(t.probability, 0.5f, 1e-6f);
  ASSERT_EQ(t.top.size(), 3u);
  EXPECT_EQ(t.top[1].id, 1);
  EXPECT_NEAR(t.top[2].probability, 0.15f, 1e-6f);
}

// The alternatives are the n most likely tokens, best first, ties by smaller id, for any n: the same list a
// full sort gives, from the logits (sample_token) and from probabilities (top_tokens).
TEST(Sampler, TopAlternativesEqualAFullSortWithTiesById) {
  Rng rng(21);
  std::vector<float> logits(300);
  for (auto& z : logits) z = static_cast<float>(rng.below(40)) * 0.25f;  // many equal values
  std::vector<int32_t> order(logits.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return logits[a] > logits[b]; });
  const std::vector<double> probs = softmax(logits);
  for (int n : {0, 1, 5, 37, 300, 305}) {
    const auto sampled = sample_token(logits, {}, plain(0.0), rng, n).top;
    const auto from_probs = top_tokens(probs, n);
    const size_t expected = static_cast<size_t>(std::min(n, 300));
    ASSERT_EQ(sampled.size(), expected) << n;
    ASSERT_EQ(from_probs.size(), expected) << n;
    for (size_t i = 0; i < expected; ++i) {
      EXPECT_EQ(sampled[i].id, order[i]) << "n=" << n << " rank " << i;
      EXPECT_EQ(from_probs[i].id, order[i]) << "n=" << n << " rank " << i;
      EXPECT_NEAR(sampled[i].probability, probs[order[i]], 1e-6);
    }
  }
}

TEST(Sampler, SameSeedSameDraws) {
  auto s = plain(1.2);
  Rng a(11), b(11);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(sample_token(kLogits, {}, s, a, 0).id, sample_token(kLogits, {}, s, b, 0).id);
}

TEST(Sampler, ImpossibleSettingsAreRejected) {
  auto s = plain();
  s.top_p = 0;
  EXPECT_THROW(s.validate(), Error);
  s = plain(-1);
  EXPECT_THROW(s.validate(), Error);
  s = plain();
  s.repetition_penalty = 0;
  EXPECT_THROW(s.validate(), Error);
}

}  // namespace
}  // namespace cllm
