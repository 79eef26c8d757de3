// `cllm generate`: sample text (or beam-search it) from a checkpoint.

#include <cstdio>
#include <iostream>
#include <random>

#include "commands.h"
#include "common.h"
#include "generate/beam_search.h"
#include "generate/generator.h"
#include "interrupt.h"
#include "io/checkpoint.h"
#include "model/gpt.h"
#include "text/tokenizer.h"
#include "util/error.h"

namespace cllm::cli {
namespace {

struct GenerateOptions {
  std::string checkpoint = kDefaultCheckpoint;
  bool allow_unverified = false;
  std::string prompt = "\n";
  GenerationSettings settings;
  std::optional<uint64_t> seed;
  bool greedy = false;
  int beam = 0;
  double length_penalty = 1.0;
  int probs = 0;
  bool json = false;
  int threads = 0;
};

nlohmann::json token_json(const Tokenizer& tok, const SampledToken& t) {
  nlohmann::json top = nlohmann::json::array();
  for (const auto& a : t.top)
    top.push_back({{"id", a.id}, {"text", tok.token_label(a.id)}, {"probability", a.probability}});
  return {{"id", t.id},
          {"text", tok.token_label(t.id)},
          {"probability", t.probability},
          {"sampling_probability", t.sampling_probability},
          {"top", top}};
}

void print_probability_table(const Tokenizer& tok, const std::vector<SampledToken>& tokens) {
  std::fprintf(stderr, "\n%-5s %-12s %8s  %s\n", "#", "token", "p", "alternatives (p)");
  for (size_t i = 0; i < tokens.size(); ++i) {
    const auto& t = tokens[i];
    std::string alts;
    for (const auto& a : t.top) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "  %s %.3f", tok.token_label(a.id).c_str(), a.probability);
      alts += buf;
    }
    std::fprintf(stderr, "%-5zu %-12s %8.4f %s\n", i, tok.token_label(t.id).c_str(), t.probability,
                 alts.c_str());
  }
}

void run(GenerateOptions o) {
  if (o.greedy) o.settings.sampling.temperature = 0.0;
  o.settings.validate();
  apply_threads(o.threads);
  const Checkpoint ck = load_checkpoint_warning_if_unverified(o.checkpoint, o.allow_unverified);
  const std::unique_ptr<Gpt> owned = make_model(ck);
  const Gpt& model = *owned;
  const Tokenizer& tok = *ck.tokenizer;
  require(!o.prompt.empty(), "the prompt is empty: give at least one character with --prompt");
  const std::vector<int32_t> prompt = tok.encode(o.prompt);
  o.settings.seed = o.seed ? *o.seed : std::random_device{}();
  o.settings.top_alternatives = std::max(o.probs, o.json ? 5 : 0);
  install_interrupt_handler();

  if (o.beam > 0) {
    BeamSettings b;
    b.width = o.beam;
    b.length_penalty = o.length_penalty;
    b.max_tokens = o.settings.max_tokens;
    b.stop_strings = o.settings.stop_strings;
    b.top_alternatives = o.settings.top_alternatives;
    const auto hyps = beam_search(model, tok, prompt, b, [](int) { return !interrupted(); });
    if (o.json) {
      nlohmann::json all = nlohmann::json::array();
      for (const auto& h : hyps) {
        nlohmann::json toks = nlohmann::json::array();
        for (const auto& t : h.tokens) toks.push_back(token_json(tok, t));
        all.push_back({{"text", h.text},
                       {"score", h.score},
                       {"log_probability", h.log_probability},
                       {"finished", h.finished},
                       {"tokens", toks}});
      }
      print_json({{"prompt", o.prompt},
                  {"beam_width", b.width},
                  {"length_penalty", b.length_penalty},
                  {"hypotheses", all}});
      return;
    }
    std::cout << o.prompt << (hyps.empty() ? "" : hyps[0].text) << std::endl;
    if (o.probs > 0 && !hyps.empty()) print_probability_table(tok, hyps[0].tokens);
    return;
  }

  if (!o.json) {
    std::fprintf(stderr, "seed %llu (pass --seed %llu to repeat this output)\n",
                 static_cast<unsigned long long>(o.settings.seed),
                 static_cast<unsigned long long>(o.settings.seed));
    std::cout << o.prompt << std::flush;
  }
  const GenerationResult r =
      generate(model, tok, prompt, o.settings, [&](const SampledToken&, const std::string& text) {
        if (!o.json) std::cout << text << std::flush;
        return !interrupted();
      });
  const double rate = r.seconds > 0 ? r.tokens.size() / r.seconds : 0;
  if (o.json) {
    nlohmann::json toks = nlohmann::json::array();
    for (const auto& t : r.tokens) toks.push_back(token_json(tok, t));
    print_json({{"prompt", o.prompt},
                {"text", r.text},
                {"seed", o.settings.seed},
                {"sampling", o.settings.sampling.to_json()},
                {"stop_reason", r.stop_reason},
                {"tokens_per_second", rate},
                {"tokens", toks}});
    return;
  }
  std::cout << std::endl;
  std::fprintf(stderr, "%zu tokens in %.2f s (%.0f tokens/s), stopped by %s\n", r.tokens.size(), r.seconds,
               rate, r.stop_reason.c_str());
  if (o.probs > 0) print_probability_table(tok, r.tokens);
}

}  // namespace

void add_generate_command(CLI::App& app) {
  auto o = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand("generate", "generate text from a checkpoint");
  SamplingSettings& s = o->settings.sampling;
  cmd->add_option("-c,--checkpoint", o->checkpoint, "checkpoint to sample from")->capture_default_str();
  add_allow_unverified_option(*cmd, o->allow_unverified);
  cmd->add_option("-p,--prompt", o->prompt, "text to continue (default: a newline)");
  cmd->add_option("-n,--max-tokens", o->settings.max_tokens, "tokens to generate")->capture_default_str();
  cmd->add_option("--temperature", s.temperature, "0 = greedy; applied after the cut-offs")
      ->capture_default_str();
  cmd->add_option("--top-k", s.top_k, "keep the k most likely tokens (0 = off)")->capture_default_str();
  cmd->add_option("--top-p", s.top_p, "keep the smallest set with this much probability (1 = off)")
      ->capture_default_str();
  cmd->add_option("--min-p", s.min_p, "drop tokens below min-p x the most likely (0 = off)")
      ->capture_default_str();
  cmd->add_option("--repeat-penalty", s.repetition_penalty, "penalise recently seen tokens (1 = off)")
      ->capture_default_str();
  cmd->add_option("--repeat-window", s.repetition_window, "recent tokens the penalty looks at")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "random seed (default: random, printed)");
  cmd->add_flag("--greedy", o->greedy, "always take the most likely token (temperature 0)");
  cmd->add_option("--stop", o->settings.stop_strings, "stop when this text appears (repeatable)");
  cmd->add_option("--beam", o->beam, "beam search with this width instead of sampling");
  cmd->add_option("--length-penalty", o->length_penalty, "beam score = log p / length^penalty")
      ->capture_default_str();
  cmd->add_option("--probs", o->probs,
                  "after the text, list each token's probability and this many alternatives");
  add_threads_option(*cmd, o->threads);
  cmd->add_flag("--json", o->json, "print one JSON object with the text and every token's probabilities");
  cmd->callback([o] { run(*o); });
}

}  // namespace cllm::cli
