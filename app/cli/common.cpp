#include "common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "data/builtin_corpus.h"
#include "kernels/gemm.h"
#include "kernels/threading.h"

namespace cllm::cli {

Corpus load_corpus_or_builtin(const std::string& path) {
  return path.empty() ? builtin_corpus() : load_corpus(path);
}

void add_threads_option(CLI::App& command, int& threads) {
  command.add_option("--threads", threads, "compute threads (0 = one per physical core)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
}

int resolve_threads(int threads) {
  const int cores = kernels::default_num_threads();
  // More threads than cores take turns on them, and every parallel step waits for one that is not running.
  if (threads > cores)
    std::fprintf(stderr,
                 "warning: --threads %d is more than the %d cores this process can use: the threads take "
                 "turns and a run can be many times slower (0 uses one per core)\n",
                 threads, cores);
  return threads > 0 ? threads : cores;
}

void apply_threads(int threads) {
  kernels::set_num_threads(resolve_threads(threads));
}

CLI::Option* add_allow_unverified_option(CLI::App& command, bool& allow_unverified) {
  return command.add_flag(
      "--allow-unverified", allow_unverified,
      "load a checkpoint that has no checksum (from another tool, or edited); nothing in it is "
      "verified");
}

void warn_if_unverified(const std::string& path, const std::string& unverified) {
  if (!unverified.empty())
    std::fprintf(stderr, "warning: '%s' is not verified: %s\n", path.c_str(), unverified.c_str());
}

Checkpoint load_checkpoint_warning_if_unverified(const std::string& path, bool allow_unverified) {
  Checkpoint ck =
      load_checkpoint(path, allow_unverified ? Verification::kAllowUnverified : Verification::kRequired);
  warn_if_unverified(path, ck.unverified);
  return ck;
}

ModelConfig ModelShapeOptions::config() const {
  ModelConfig c = model_preset(preset);
  if (layers) c.n_layer = *layers;
  if (heads) c.n_head = *heads;
  if (width) c.n_embd = *width;
  if (block) c.block_size = *block;
  for (const ModelOption& option : model_options()) c.*option.field = options.*option.field;
  return c;
}

std::vector<CLI::Option*> add_model_shape_options(CLI::App& command, ModelShapeOptions& shape) {
  std::vector<CLI::Option*> added = {
      command.add_option("--preset", shape.preset, "tiny (64 wide, 2 layers) or small (128 wide, 4 layers)")
          ->capture_default_str(),
      command.add_option("--layers", shape.layers, "transformer blocks (overrides the preset)"),
      command.add_option("--heads", shape.heads, "attention heads (must divide the width)"),
      command.add_option("--width", shape.width, "channels (embedding size)"),
      command.add_option("--block", shape.block, "context length in tokens (default 64)")};
  for (const ModelOption& option : model_options()) {
    std::string flag = "--" + option.key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    // An on/off option is a flag: --roots means --roots=on.
    const bool on_off = option.values == std::vector<std::string>{"off", "on"};
    added.push_back(
        on_off ? command.add_flag(flag + "{on}", shape.options.*option.field, option.help)
               : command.add_option(flag, shape.options.*option.field, option.help)->capture_default_str());
  }
  return added;
}

std::vector<CLI::Option*> add_tokenizer_options(CLI::App& command, TokenizerSpec& tokenizer) {
  return {command.add_option("--tokenizer", tokenizer.kind, "char, byte, word or bpe")->capture_default_str(),
          command.add_option("--vocab-size", tokenizer.vocab_size,
                             "bpe: vocabulary size (default " + std::to_string(default_vocab_size("bpe")) +
                                 "); word: maximum (default 0 = every word)"),
          command.add_option("--min-frequency", tokenizer.min_frequency, "word: rarer words become <unk>")};
}

std::vector<CLI::Option*> add_train_config_options(CLI::App& command, TrainConfig& t, bool& no_clip) {
  return {
      command.add_option("--batch", t.batch_size, "sequences per micro-batch")->capture_default_str(),
      command.add_option("--lr", t.lr, "peak learning rate")->capture_default_str(),
      command.add_option("--min-lr", t.min_lr, "learning rate at the end of the cosine decay")
          ->capture_default_str(),
      command.add_option("--warmup", t.warmup_steps, "linear warmup steps")->capture_default_str(),
      command.add_option("--schedule", t.schedule, "cosine or constant")->capture_default_str(),
      command.add_option("--weight-decay", t.weight_decay, "AdamW decoupled weight decay")
          ->capture_default_str(),
      command.add_option("--beta1", t.beta1, "AdamW beta1")->capture_default_str(),
      command.add_option("--beta2", t.beta2, "AdamW beta2")->capture_default_str(),
      command.add_option("--eps", t.eps, "AdamW epsilon")->capture_default_str(),
      command.add_option("--clip", t.grad_clip, "clip the global gradient norm to this (0 = off)")
          ->capture_default_str(),
      command.add_flag("--no-clip", no_clip, "turn gradient clipping off"),
      command.add_option("--grad-accum", t.grad_accum, "micro-batches per optimizer step")
          ->capture_default_str(),
      command
          .add_option("--shards", t.shards,
                      "split each micro-batch into this many shards, run by up to one thread each; the "
                      "results depend on it, not on --threads (0 = one per core of this machine)")
          ->check(CLI::Range(0, 1024))
          ->capture_default_str(),
      command.add_option("--eval-interval", t.eval_interval, "steps between evaluations (0 = at the end)")
          ->capture_default_str(),
      command.add_option("--eval-batches", t.eval_batches, "validation batches per evaluation (0 = all)")
          ->capture_default_str(),
      command.add_option("--val-fraction", t.validation_fraction, "last part of the corpus held out")
          ->capture_default_str(),
      command
          .add_option("--precision", t.precision,
                      "matrix products of training: float32, or bf16 (bfloat16 operands, float32 "
                      "accumulation, weights and optimizer state; needs AVX512_BF16 or AMX)")
          ->check(CLI::IsMember(kernels::matmul_precision_names()))
          ->capture_default_str()};
}

void print_json(const nlohmann::json& j) {
  std::cout << j.dump() << std::endl;
}

std::string group_thousands(double value) {
  const long long v = std::llround(value);
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

}  // namespace cllm::cli
