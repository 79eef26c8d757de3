// `cllm eval`: loss, perplexity and bits per byte of a checkpoint on a corpus.

#include <chrono>
#include <cmath>
#include <cstdio>

#include "commands.h"
#include "common.h"
#include "data/dataset.h"
#include "io/checkpoint.h"
#include "model/gpt.h"
#include "model/output_check.h"
#include "progress_line.h"
#include "text/tokenizer.h"
#include "train/trainer.h"
#include "util/error.h"

namespace cllm::cli {
namespace {

struct EvalOptions {
  std::string checkpoint = kDefaultCheckpoint;
  bool allow_unverified = false;
  std::string corpus;
  std::string split = "validation";
  std::optional<double> val_fraction;
  int batch = 12;
  int batches = 0;
  int threads = 0;
  bool json = false;
};

void run(const EvalOptions& o) {
  apply_threads(o.threads);
  const Checkpoint ck = load_checkpoint_warning_if_unverified(o.checkpoint, o.allow_unverified);
  const auto model = make_model(ck);
  const Corpus corpus = load_corpus_or_builtin(o.corpus);
  require(o.split == "validation" || o.split == "train" || o.split == "all",
          "--split must be validation, train or all, got '" + o.split + "'");
  const double fraction =
      o.val_fraction.value_or(ck.training ? ck.training->config.validation_fraction : 0.1);
  std::vector<int32_t> tokens = ck.tokenizer->encode(corpus.text);
  // Bytes of text the evaluated tokens stand for: the denominator of bits per byte.
  size_t text_bytes = corpus.text.size();
  if (o.split != "all") {
    DataSplit split = split_tokens(std::move(tokens), fraction);
    const SplitBytes bytes = split_text_bytes(*ck.tokenizer, corpus.text, split);
    const bool train = o.split == "train";
    text_bytes = train ? bytes.train : bytes.validation;
    tokens = train ? std::move(split.train) : std::move(split.validation);
  }
  const double bytes_per_token =
      tokens.empty() ? 0.0 : static_cast<double>(text_bytes) / static_cast<double>(tokens.size());
  const int T = model->config().block_size;
  const auto batches = evaluation_batches(tokens, o.batch, T, o.batches, o.split.c_str());
  const auto start = std::chrono::steady_clock::now();
  ProgressLine progress;
  double total = 0;
  int64_t count = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    const Batch& b = batches[i];
    model->forward(b.inputs.data(), b.targets.data(), b.batch_size, b.block_size);
    require_finite_output(model->token_losses(), model->parameters(),
                          "the loss on batch " + std::to_string(i + 1));
    for (float l : model->token_losses()) total += l;
    count += static_cast<int64_t>(b.batch_size) * b.block_size;
    if (!o.json) progress.update(static_cast<long>(i + 1), static_cast<long>(batches.size()), "batches");
  }
  progress.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double loss = total / count;
  const double bpb = bits_per_byte(loss, bytes_per_token);
  if (o.json) {
    print_json({{"checkpoint", o.checkpoint},
                {"corpus", corpus.name},
                {"split", o.split},
                {"loss", loss},
                {"perplexity", std::exp(loss)},
                {"bits_per_byte", bpb},
                {"text_bytes", text_bytes},
                {"tokens", count},
                {"seconds", seconds},
                {"tokens_per_second", count / seconds}});
    return;
  }
  std::printf(
      "%s split of %s: loss %.4f, perplexity %.3f, %.3f bits/byte over %s tokens (%.2f s, %s tokens/s)\n",
      o.split.c_str(), corpus.name.c_str(), loss, std::exp(loss), bpb, group_thousands(count).c_str(),
      seconds, group_thousands(count / seconds).c_str());
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* cmd =
      app.add_subcommand("eval", "loss, perplexity and bits per byte of a checkpoint on a corpus");
  cmd->add_option("corpus", o->corpus, "a .txt file or folder (default: the built-in corpus)");
  cmd->add_option("-c,--checkpoint", o->checkpoint, "checkpoint to evaluate")->capture_default_str();
  add_allow_unverified_option(*cmd, o->allow_unverified);
  cmd->add_option("--split", o->split, "validation (the last part), train or all")->capture_default_str();
  cmd->add_option("--val-fraction", o->val_fraction, "size of the validation part (default: the run's own)");
  cmd->add_option("--batch", o->batch, "sequences per batch")->capture_default_str();
  cmd->add_option("--batches", o->batches, "evaluate this many batches spread over the split (0 = all of it)")
      ->capture_default_str();
  add_threads_option(*cmd, o->threads);
  cmd->add_flag("--json", o->json, "print one JSON object");
  cmd->callback([o] { run(*o); });
}

}  // namespace cllm::cli
