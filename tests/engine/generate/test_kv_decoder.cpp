// The KV cache must give what recomputing the whole context gives.
#include "generate/kv_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "../model_variants.h"
#include "generate/beam_search.h"
#include "generate/generator.h"
#include "kernels/threading.h"
#include "model/gpt.h"
#include "text/tokenizer.h"
#include "util/error.h"
#include "util/rng.h"

namespace cllm {
namespace {

ModelConfig config(const std::string& variant = "learned") {
  ModelConfig c;
  c.vocab_size = 29, c.block_size = 24, c.n_layer = 3, c.n_head = 4, c.n_embd = 32;
  return test::with_variant(c, variant);
}

std::unique_ptr<Gpt> random_model(const ModelConfig& c, uint64_t seed) {
  auto m = std::make_unique<Gpt>(c);
  Rng rng(seed);
  m->initialize(rng);
  for (auto& p : m->parameters()) p *= 8.0f;  // sharper distributions than at init
  return m;
}

// n <= 29 distinct characters, each once, so ids follow this order.
std::unique_ptr<Tokenizer> alphabet_tokenizer(int n) {
  const std::string text = "ABCDEFGHIJKLMNOPQRSTUVWXYZ.,!";
  return train_tokenizer(TokenizerSpec{"char", 0, 1}, text.substr(0, n));
}

class KvCache : public ::testing::TestWithParam<std::string> {};

TEST_P(KvCache, LogitsMatchFullRecomputationAtEveryPosition) {
  const ModelConfig c = config(GetParam());
  const auto model = random_model(c, 1);
  Rng rng(2);
  std::vector<int32_t> tokens(c.block_size);
  for (auto& t : tokens) t = static_cast<int32_t>(rng.below(c.vocab_size));
  model->forward(tokens.data(), nullptr, 1, c.block_size);
  const std::vector<float> full(model->logits().begin(), model->logits().end());
  KvDecoder decoder(*model, 1);
  decoder.reset(1);
  for (int t = 0; t < c.block_size; ++t) {
    const auto logits = decoder.step(std::span(&tokens[t], 1));
    // float32 sums in a different order. Measured against the double reference on this model, both the
    // full forward and the cached path are off by up to 2e-5 of the largest logit with FMA kernels; with
    // OpenBLAS's SSE3 kernel (its choice on CPUs it does not recognise) the two differ by up to 1.2e-4 of
    // it. Bugs are O(1).
    float scale = 1.0f;
    for (int v = 0; v < c.vocab_size; ++v) scale = std::max(scale, std::abs(full[t * c.vocab_size + v]));
    for (int v = 0; v < c.vocab_size; ++v)
      ASSERT_NEAR(logits[v], full[t * c.vocab_size + v], 3e-4f * scale) << "position " << t << " token " << v;
  }
  EXPECT_TRUE(decoder.full());
  EXPECT_THROW(decoder.step(std::span(&tokens[0], 1)), Error);
}

INSTANTIATE_TEST_SUITE_P(Variants, KvCache, ::testing::ValuesIn(test::model_variant_names()));

TEST(KvCache, GreedyGenerationEqualsRecomputingTheFullContextEachStep) {
  const ModelConfig c = config();
  const auto model = random_model(c, 3);
  const auto tok = alphabet_tokenizer(c.vocab_size);
  const std::vector<int32_t> prompt = {4, 8, 15};
  GenerationSettings g;
  g.sampling.temperature = 0;
  g.max_tokens = c.block_size - static_cast<int>(prompt.size());
  const GenerationResult cached = generate(*model, *tok, prompt, g);
  ASSERT_EQ(static_cast<int>(cached.tokens.size()), g.max_tokens);
  std::vector<int32_t> context = prompt;
  for (int i = 0; i < g.max_tokens; ++i) {
    const int T = static_cast<int>(context.size());
    model->forward(context.data(), nullptr, 1, T);
    const auto last = model->logits().subspan(static_cast<size_t>(T - 1) * c.vocab_size, c.vocab_size);
    const int32_t argmax = static_cast<int32_t>(std::max_element(last.begin(), last.end()) - last.begin());
    ASSERT_EQ(cached.tokens[i].id, argmax) << "token " << i;
    // The reported probability is the model's softmax at that position (float32 logits summed in another
    // order by the cached path, so equal to a few parts in 1e5).
    const auto probs = softmax(last);
    EXPECT_NEAR(cached.tokens[i].probability, probs[argmax], 5e-5 * probs[argmax] + 1e-6);
    context.push_back(argmax);
  }
}

TEST(KvCache, GenerationSlidesPastTheContextWindow) {
  const ModelConfig c = config();
  const auto model = random_model(c, 4);
  const auto tok = alphabet_tokenizer(c.vocab_size);
  GenerationSettings g;
  g.max_tokens = 3 * c.block_size;
  g.seed = 5;
  const std::vector<int32_t> long_prompt(c.block_size + 5, 1);  // longer than the window too
  const auto r = generate(*model, *tok, long_prompt, g);
  EXPECT_EQ(static_cast<int>(r.tokens.size()), g.max_tokens);
  EXPECT_EQ(r.stop_reason, "max_tokens");
}

TEST(KvCache, ReorderCopiesParentsCaches) {
  const ModelConfig c = config();
  const auto model = random_model(c, 6);
  KvDecoder decoder(*model, 3);
  const std::vector<int32_t> a = {1, 2, 3}, b = {7, 8, 9};
  decoder.prefill({a, b});
  decoder.reorder(std::vector<int>{1, 1, 0});
  const std::vector<int32_t> next = {5, 5, 5};
  const auto logits = decoder.step(next);
  // Sequences 0 and 1 both continue b, sequence 2 continues a.
  KvDecoder single(*model, 1);
  const std::vector<int32_t> b5 = {7, 8, 9, 5}, a5 = {1, 2, 3, 5};
  auto logits_after = [&](const std::vector<int32_t>& history) {
    const auto l = single.prefill({history});
    return std::vector<float>(l.begin(), l.end());
  };
  const auto lb = logits_after(b5), la = logits_after(a5);
  // Relative to the largest logit, as above: a wrong parent would be off by O(1).
  float scale = 1.0f;
  for (int v = 0; v < c.vocab_size; ++v) scale = std::max({scale, std::abs(lb[v]), std::abs(la[v])});
  for (int v = 0; v < c.vocab_size; ++v) {
    EXPECT_NEAR(logits[v], lb[v], 3e-4f * scale);
    EXPECT_NEAR(logits[c.vocab_size + v], lb[v], 3e-4f * scale);
    EXPECT_NEAR(logits[2 * c.vocab_size + v], la[v], 3e-4f * scale);
  }
}

// Decoding on two threads splits the rows of every product and the heads of every attention across a
// spin team: each number is still computed by one thread in the same order, so the logits are those of
// one thread bit for bit. The model is wide enough that every product but the 128 x 128 one is split,
// and the context long enough that attention is split from position 128 on.
TEST(KvCache, TwoThreadsDecodeBitForBitAsOne) {
  ModelConfig c;
  c.vocab_size = 300, c.block_size = 160, c.n_layer = 2, c.n_head = 4, c.n_embd = 128;
  const auto model = random_model(c, 7);
  Rng rng(8);
  std::vector<int32_t> tokens(c.block_size);
  for (auto& t : tokens) t = static_cast<int32_t>(rng.below(c.vocab_size));
  auto decode_all = [&](int threads) {
    kernels::set_num_threads(threads);
    KvDecoder decoder(*model, 1);
    std::vector<float> all;
    for (int t = 0; t < c.block_size; ++t) {
      const auto logits = decoder.step(std::span(&tokens[t], 1));
      all.insert(all.end(), logits.begin(), logits.end());
    }
    return all;
  };
  const auto one = decode_all(1), two = decode_all(2);
  kernels::set_num_threads(kernels::default_num_threads());
  ASSERT_EQ(one.size(), two.size());
  for (size_t i = 0; i < one.size(); ++i) ASSERT_EQ(one[i], two[i]) << "logit " << i;
}

// A beam wider than the vector kernel's few rows goes to the library product, whose output columns the
// team shares: the same hypotheses on one and two threads.
TEST(KvCache, WideBeamSearchAgreesOnOneAndTwoThreads) {
  ModelConfig c;
  c.vocab_size = 29, c.block_size = 24, c.n_layer = 2, c.n_head = 4, c.n_embd = 64;
  const auto model = random_model(c, 9);
  const auto tok = alphabet_tokenizer(c.vocab_size);
  BeamSettings b;
  b.width = 6;
  b.max_tokens = 10;
  const std::vector<int32_t> prompt = {3, 1, 4};
  kernels::set_num_threads(1);
  const auto one = beam_search(*model, *tok, prompt, b);
  kernels::set_num_threads(2);
  const auto two = beam_search(*model, *tok, prompt, b);
  kernels::set_num_threads(kernels::default_num_threads());
  ASSERT_EQ(one.size(), two.size());
  for (size_t h = 0; h < one.size(); ++h) {
    EXPECT_EQ(one[h].text, two[h].text) << "hypothesis " << h;
    EXPECT_NEAR(one[h].score, two[h].score, 1e-4 * std::abs(one[h].score)) << "hypothesis " << h;
  }
}

// Issue 13, defect 4: finite but huge weights (3e38) overflow float32 in the first product; decoding
// printed NaN probabilities and exited 0. The decoder now stops with an error that names the cause.
TEST(KvCache, HugeWeightsAreAnErrorNotNanProbabilities) {
  const ModelConfig c = config();
  const auto model = random_model(c, 5);
  for (auto& p : model->parameters()) p = std::copysign(3e38f, p);
  KvDecoder decoder(*model, 1);
  const int32_t token = 3;
  try {
    decoder.step(std::span(&token, 1));
    FAIL() << "decoded NaN or infinite logits without an error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("the model's output at position 1"), std::string::npos) << message;
    EXPECT_NE(message.find("not a finite number"), std::string::npos) << message;
    EXPECT_NE(message.find("overflow float32"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace cllm
