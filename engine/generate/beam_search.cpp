#include "generate/beam_search.h"

#include <algorithm>
#include <cmath>

#include "generate/generator.h"
#include "generate/kv_decoder.h"
#include "kernels/spin_team.h"
#include "kernels/threading.h"
#include "model/gpt.h"
#include "text/tokenizer.h"
#include "util/error.h"

namespace cllm {

void BeamSettings::validate() const {
  require(width >= 1 && width <= 64, "beam width must be between 1 and 64, got " + std::to_string(width));
  require(std::isfinite(length_penalty) && length_penalty >= 0 && length_penalty <= 10,
          "length penalty must be between 0 and 10, got " + format_number(length_penalty));
  require(max_tokens >= 1 && max_tokens <= 100000,
          "max tokens must be between 1 and 100000, got " + std::to_string(max_tokens));
  require(top_alternatives >= 0 && top_alternatives <= 100, "top alternatives must be between 0 and 100");
  for (const auto& s : stop_strings) require(!s.empty(), "stop strings must not be empty");
}

namespace {

struct Beam {
  std::vector<int32_t> history;  // prompt + generated
  std::vector<SampledToken> tokens;
  double log_probability = 0;
};

double score_of(double log_probability, size_t length, double penalty) {
  return log_probability / std::pow(static_cast<double>(std::max<size_t>(1, length)), penalty);
}

BeamHypothesis finish(const Beam& beam, const Tokenizer& tokenizer, const BeamSettings& s, bool finished) {
  BeamHypothesis h;
  h.tokens = beam.tokens;
  std::vector<int32_t> ids;
  for (const auto& t : beam.tokens) ids.push_back(t.id);
  h.text = tokenizer.decode(ids);
  const size_t stop = find_stop(h.text, s.stop_strings);
  if (stop != std::string::npos) h.text.resize(stop);
  h.log_probability = beam.log_probability;
  h.score = score_of(beam.log_probability, beam.tokens.size(), s.length_penalty);
  h.finished = finished;
  return h;
}

std::vector<BeamHypothesis> search_in_team(const Gpt& model, const Tokenizer& tokenizer,
                                           std::span<const int32_t> prompt, const BeamSettings& settings,
                                           const std::function<bool(int step)>& progress) {
  settings.validate();
  require(!prompt.empty(), "the prompt is empty: give at least one token");
  const int V = model.config().vocab_size, block = model.config().block_size;
  KvDecoder decoder(model, settings.width);
  std::vector<Beam> beams(1);
  beams[0].history.assign(prompt.begin(), prompt.end());
  auto histories = [&] {
    std::vector<std::vector<int32_t>> h;
    for (const auto& b : beams) h.push_back(b.history);
    return h;
  };
  std::span<const float> logits = feed_context(decoder, histories(), block);
  std::vector<BeamHypothesis> done;

  for (int step = 0; step < settings.max_tokens && !beams.empty(); ++step) {
    if (progress && !progress(step)) break;
    // Every (beam, token) continuation with its cumulative log-probability.
    struct Candidate {
      double log_probability;
      int beam;
      int32_t token;
    };
    std::vector<Candidate> candidates;
    std::vector<std::vector<double>> probs(beams.size());
    for (size_t b = 0; b < beams.size(); ++b) {
      probs[b] = softmax(logits.subspan(b * V, V));
      for (int v = 0; v < V; ++v)
        if (probs[b][v] > 0)
          candidates.push_back({beams[b].log_probability + std::log(probs[b][v]), int(b), v});
    }
    const size_t keep = std::min(candidates.size(), static_cast<size_t>(settings.width));
    std::partial_sort(candidates.begin(), candidates.begin() + keep, candidates.end(),
                      [](const Candidate& a, const Candidate& b) {
                        if (a.log_probability != b.log_probability)
                          return a.log_probability > b.log_probability;
                        return a.beam != b.beam ? a.beam < b.beam : a.token < b.token;
                      });
    std::vector<Beam> next;
    std::vector<int> parents;
    for (size_t i = 0; i < keep; ++i) {
      const Candidate& c = candidates[i];
      Beam nb = beams[c.beam];
      SampledToken t;
      t.id = c.token;
      t.probability = static_cast<float>(probs[c.beam][c.token]);
      t.sampling_probability = t.probability;
      t.top = top_tokens(probs[c.beam], settings.top_alternatives);
      nb.tokens.push_back(std::move(t));
      nb.history.push_back(c.token);
      nb.log_probability = c.log_probability;
      std::vector<int32_t> ids;
      for (const auto& tok : nb.tokens) ids.push_back(tok.id);
      if (!settings.stop_strings.empty() &&
          find_stop(tokenizer.decode(ids), settings.stop_strings) != std::string::npos) {
        done.push_back(finish(nb, tokenizer, settings, true));
        continue;
      }
      parents.push_back(c.beam);
      next.push_back(std::move(nb));
    }
    beams = std::move(next);
    // Enough finished hypotheses to fill the answer.
    if (static_cast<int>(done.size()) >= settings.width) break;
    if (beams.empty() || step + 1 == settings.max_tokens) break;
    if (decoder.full()) {
      logits = feed_context(decoder, histories(), block);
    } else {
      decoder.reorder(parents);
      std::vector<int32_t> last;
      for (const auto& b : beams) last.push_back(b.history.back());
      logits = decoder.step(last);
    }
  }
  for (const auto& b : beams) done.push_back(finish(b, tokenizer, settings, false));
  std::stable_sort(done.begin(), done.end(),
                   [](const BeamHypothesis& a, const BeamHypothesis& b) { return a.score > b.score; });
  if (static_cast<int>(done.size()) > settings.width) done.resize(settings.width);
  return done;
}

}  // namespace

std::vector<BeamHypothesis> beam_search(const Gpt& model, const Tokenizer& tokenizer,
                                        std::span<const int32_t> prompt, const BeamSettings& settings,
                                        const std::function<bool(int step)>& progress) {
  // One spin team for the whole search, as in generate().
  std::vector<BeamHypothesis> result;
  kernels::run_with_spin_team(kernels::num_threads(),
                              [&] { result = search_in_team(model, tokenizer, prompt, settings, progress); });
  return result;
}

}  // namespace cllm
