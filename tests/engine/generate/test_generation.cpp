// Stop strings, streaming and beam search.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "generate/beam_search.h"
#include "generate/generator.h"
#include "model/gpt.h"
#include "text/tokenizer.h"
#include "util/error.h"
#include "util/rng.h"

namespace cllm {
namespace {

struct Fixture {
  std::unique_ptr<Tokenizer> tok = train_tokenizer(TokenizerSpec{"char", 0, 1}, "ab cd\n");
  ModelConfig config = [&] {
    ModelConfig c;
    c.vocab_size = tok->vocab_size(), c.block_size = 32, c.n_layer = 2, c.n_head = 2, c.n_embd = 16;
    return c;
  }();
  std::unique_ptr<Gpt> model = [&] {
    auto m = std::make_unique<Gpt>(config);
    Rng rng(5);
    m->initialize(rng);
    for (auto& p : m->parameters()) p *= 20.0f;
    return m;
  }();
};

TEST(StopStrings, HelpersFindAndHoldBack) {
  EXPECT_EQ(find_stop("hello world", {"wor", "lo"}), 3u);
  EXPECT_EQ(find_stop("hello", {"xyz"}), std::string::npos);
  EXPECT_EQ(stop_prefix_overlap("hello wo", {"world"}), 2u);
  EXPECT_EQ(stop_prefix_overlap("hello", {"world"}), 0u);
}

TEST(Generation, StreamedPiecesAddUpAndStopStringEndsIt) {
  Fixture f;
  const std::vector<int32_t> prompt = f.tok->encode("a");
  GenerationSettings g;
  g.max_tokens = 200;
  g.seed = 9;
  g.sampling.temperature = 1.5;
  const GenerationResult free_run = generate(*f.model, *f.tok, prompt, g);
  ASSERT_EQ(free_run.tokens.size(), 200u);
  // Pick a stop string that occurs in that text: the first two characters after position 20.
  const std::string stop = free_run.text.substr(20, 2);
  g.stop_strings = {stop};
  std::string streamed;
  const GenerationResult stopped = generate(*f.model, *f.tok, prompt, g, [&](const SampledToken&, const std::string& t) {
    streamed += t;
    return true;
  });
  EXPECT_EQ(stopped.stop_reason, "stop_string");
  EXPECT_EQ(stopped.text, free_run.text.substr(0, free_run.text.find(stop)));
  EXPECT_EQ(streamed, stopped.text);
  EXPECT_EQ(stopped.text.find(stop), std::string::npos);
}

// "Continue with this alternative": the forced token comes first, reported with the model's own
// probability of it, and the rest is what generation from prompt + forced token would give.
TEST(Generation, ForcedTokensComeFirstWithTheModelsProbability) {
  Fixture f;
  const std::vector<int32_t> prompt = f.tok->encode("ab");
  GenerationSettings g;
  g.max_tokens = 12;
  g.seed = 3;
  g.sampling.temperature = 0;  // greedy: the KV-cached and the prefilled run agree on every argmax
  g.top_alternatives = 4;
  const GenerationResult plain = generate(*f.model, *f.tok, prompt, g);
  ASSERT_GE(plain.tokens.front().top.size(), 2u);
  const TokenProbability second = plain.tokens.front().top[1];  // the runner-up at the first position
  g.forced_tokens = {second.id};
  const GenerationResult forced = generate(*f.model, *f.tok, prompt, g);
  ASSERT_EQ(forced.tokens.size(), 12u);
  EXPECT_EQ(forced.tokens.front().id, second.id);
  EXPECT_FLOAT_EQ(forced.tokens.front().probability, second.probability);
  EXPECT_EQ(forced.tokens.front().top.size(), 4u);
  EXPECT_EQ(forced.tokens.front().top[1].id, second.id);
  // Afterwards: exactly a generation from the longer prompt with the same seed (11 tokens).
  std::vector<int32_t> longer = prompt;
  longer.push_back(second.id);
  GenerationSettings rest = g;
  rest.forced_tokens.clear();
  rest.max_tokens = 11;
  const GenerationResult continued = generate(*f.model, *f.tok, longer, rest);
  for (size_t i = 0; i < continued.tokens.size(); ++i) EXPECT_EQ(forced.tokens[i + 1].id, continued.tokens[i].id) << i;
  g.forced_tokens = {f.config.vocab_size};
  EXPECT_THROW(generate(*f.model, *f.tok, prompt, g), Error);
}

TEST(Generation, CallbackCancels) {
  Fixture f;
  GenerationSettings g;
  g.max_tokens = 100;
  int calls = 0;
  const auto r = generate(*f.model, *f.tok, f.tok->encode("ab"), g, [&](const SampledToken&, const std::string&) {
    return ++calls < 5;
  });
  EXPECT_EQ(r.stop_reason, "cancelled");
  EXPECT_EQ(r.tokens.size(), 5u);
}

TEST(Generation, EmptyPromptIsAClearError) {
  Fixture f;
  EXPECT_THROW(generate(*f.model, *f.tok, std::vector<int32_t>{}, GenerationSettings{}), Error);
}

// log p of `continuation` after `prompt`, by full recomputation.
double sequence_log_probability(Gpt& model, std::vector<int32_t> prompt, const std::vector<int32_t>& continuation) {
  double lp = 0;
  for (int32_t t : continuation) {
    model.forward(prompt.data(), nullptr, 1, static_cast<int>(prompt.size()));
    const auto logits = model.logits().subspan((prompt.size() - 1) * model.config().vocab_size, model.config().vocab_size);
    lp += std::log(softmax(logits)[t]);
    prompt.push_back(t);
  }
  return lp;
}

TEST(BeamSearch, WideEnoughBeamFindsTheExactBestSequence) {
  Fixture f;
  const int V = f.config.vocab_size, L = 3;
  const std::vector<int32_t> prompt = f.tok->encode("ab");
  // Exhaustive search over all V^L continuations.
  double best_lp = -INFINITY;
  std::vector<int32_t> best, cur(L);
  std::function<void(int)> search = [&](int depth) {
    if (depth == L) {
      const double lp = sequence_log_probability(*f.model, prompt, cur);
      if (lp > best_lp) best_lp = lp, best = cur;
      return;
    }
    for (int v = 0; v < V; ++v) {
      cur[depth] = v;
      search(depth + 1);
    }
  };
  search(0);
  BeamSettings b;
  b.width = V * V;  // holds every prefix of length 2: exact
  b.max_tokens = L;
  b.length_penalty = 0;
  const auto hyps = beam_search(*f.model, *f.tok, prompt, b);
  ASSERT_FALSE(hyps.empty());
  std::vector<int32_t> got;
  for (const auto& t : hyps[0].tokens) got.push_back(t.id);
  EXPECT_EQ(got, best);
  EXPECT_NEAR(hyps[0].log_probability, best_lp, 1e-4);
  for (size_t i = 1; i < hyps.size(); ++i) EXPECT_GE(hyps[i - 1].score, hyps[i].score);
}

TEST(BeamSearch, WidthOneIsGreedy) {
  Fixture f;
  const std::vector<int32_t> prompt = f.tok->encode("cd");
  BeamSettings b;
  b.width = 1;
  b.max_tokens = 20;
  GenerationSettings g;
  g.sampling.temperature = 0;
  g.max_tokens = 20;
  const auto beam = beam_search(*f.model, *f.tok, prompt, b);
  const auto greedy = generate(*f.model, *f.tok, prompt, g);
  ASSERT_EQ(beam.size(), 1u);
  EXPECT_EQ(beam[0].text, greedy.text);
}

TEST(BeamSearch, BadSettingsAreRejected) {
  Fixture f;
  BeamSettings b;
  b.width = 0;
  EXPECT_THROW(beam_search(*f.model, *f.tok, f.tok->encode("a"), b), Error);
}

}  // namespace
}  // namespace cllm
