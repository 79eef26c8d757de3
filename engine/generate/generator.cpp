#include "generate/generator.h"

#include <algorithm>
#include <chrono>

#include "generate/kv_decoder.h"
#include "kernels/spin_team.h"
#include "kernels/threading.h"
#include "model/gpt.h"
#include "text/text_streamer.h"
#include "text/tokenizer.h"
#include "util/error.h"
#include "util/rng.h"

namespace cllm {

void GenerationSettings::validate() const {
  sampling.validate();
  require(max_tokens >= 0 && max_tokens <= 1'000'000,
          "max tokens must be between 0 and 1000000, got " + std::to_string(max_tokens));
  require(top_alternatives >= 0 && top_alternatives <= 100,
          "top alternatives must be between 0 and 100, got " + std::to_string(top_alternatives));
  for (const auto& s : stop_strings) require(!s.empty(), "stop strings must not be empty");
}

size_t find_stop(const std::string& text, const std::vector<std::string>& stops) {
  size_t best = std::string::npos;
  for (const auto& s : stops) best = std::min(best, text.find(s));
  return best;
}

size_t stop_prefix_overlap(const std::string& text, const std::vector<std::string>& stops) {
  size_t overlap = 0;
  for (const auto& s : stops)
    for (size_t n = std::min(text.size(), s.size() - 1); n > overlap; --n)
      if (text.compare(text.size() - n, n, s, 0, n) == 0) {
        overlap = n;
        break;
      }
  return overlap;
}

std::span<const float> feed_context(KvDecoder& decoder, const std::vector<std::vector<int32_t>>& histories,
                                    int block_size) {
  const size_t length = histories.at(0).size();
  const size_t keep =
      length <= static_cast<size_t>(block_size) ? length : static_cast<size_t>(std::max(1, block_size / 2));
  std::vector<std::span<const int32_t>> tails;
  for (const auto& h : histories) tails.emplace_back(h.data() + h.size() - keep, keep);
  return decoder.prefill(tails);
}

namespace {

GenerationResult generate_in_team(const Gpt& model, const Tokenizer& tokenizer,
                                  std::span<const int32_t> prompt, const GenerationSettings& settings,
                                  const TokenCallback& on_token) {
  settings.validate();
  require(!prompt.empty(), "the prompt is empty: give at least one token");
  check_token_ids(settings.forced_tokens.data(), static_cast<long>(settings.forced_tokens.size()),
                  model.config().vocab_size, "forced tokens");
  const int block = model.config().block_size;
  GenerationResult result;
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };

  std::vector<std::vector<int32_t>> history{std::vector<int32_t>(prompt.begin(), prompt.end())};
  KvDecoder decoder(model, 1);
  std::span<const float> logits = feed_context(decoder, history, block);
  result.prompt_seconds = elapsed();
  start = std::chrono::steady_clock::now();

  Rng rng(settings.seed);
  TextStreamer streamer(tokenizer);
  std::string text;    // everything generated so far
  size_t emitted = 0;  // bytes of `text` already handed to on_token
  result.stop_reason = "max_tokens";
  for (int i = 0; i < settings.max_tokens; ++i) {
    const SampledToken token =
        static_cast<size_t>(i) < settings.forced_tokens.size()
            ? forced_token(logits, settings.forced_tokens[i], settings.top_alternatives)
            : sample_token(logits, history[0], settings.sampling, rng, settings.top_alternatives);
    result.tokens.push_back(token);
    history[0].push_back(token.id);
    text += streamer.push(token.id);
    const bool last = i + 1 == settings.max_tokens;
    if (last) text += streamer.finish();
    const size_t stop = find_stop(text, settings.stop_strings);
    if (stop != std::string::npos) {
      text.resize(stop);
      result.stop_reason = "stop_string";
    }
    // Hold back what may still turn into a stop string, unless generation ends here.
    const bool ending = last || stop != std::string::npos;
    const size_t ready =
        ending ? text.size() : text.size() - stop_prefix_overlap(text, settings.stop_strings);
    const std::string piece = ready > emitted ? text.substr(emitted, ready - emitted) : std::string();
    emitted = std::max(emitted, ready);
    if (on_token && !on_token(token, piece)) {
      result.stop_reason = "cancelled";
      break;
    }
    if (ending) break;
    logits = decoder.full() ? feed_context(decoder, history, block) : decoder.step(std::span(&token.id, 1));
  }
  result.text = text;
  result.seconds = elapsed();
  return result;
}

}  // namespace

GenerationResult generate(const Gpt& model, const Tokenizer& tokenizer, std::span<const int32_t> prompt,
                          const GenerationSettings& settings, const TokenCallback& on_token) {
  // One spin team for the whole loop: between and within steps the threads wait spinning, not sleeping.
  GenerationResult result;
  kernels::run_with_spin_team(kernels::num_threads(), [&] {
    result = generate_in_team(model, tokenizer, prompt, settings, on_token);
  });
  return result;
}

}  // namespace cllm
