// `cllm info`: what a checkpoint holds.

#include <cmath>
#include <cstdio>

#include "commands.h"
#include "common.h"
#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "text/tokenizer.h"

namespace cllm::cli {
namespace {

struct InfoOptions {
  std::string checkpoint = kDefaultCheckpoint;
  bool allow_unverified = false;
  bool tensors = false;
  bool json = false;
};

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

void run(const InfoOptions& o) {
  const Checkpoint ck = load_checkpoint_warning_if_unverified(o.checkpoint, o.allow_unverified);
  const ModelConfig& mc = ck.model_config;
  nlohmann::json j = {
      {"checkpoint", o.checkpoint},
      {"created_by", ck.created_by},
      {"created_at", ck.created_at},
      {"verified", ck.unverified.empty() ? "the whole file (checksum)" : "not all: " + ck.unverified},
      {"model", mc.to_json()},
      {"parameters", mc.parameter_count()},
      {"tokenizer", {{"kind", ck.tokenizer->kind()}, {"vocab_size", ck.tokenizer->vocab_size()}}}};
  if (ck.training) {
    const TrainingState& s = *ck.training;
    j["training"] = {
        {"steps_done", s.steps_done},
        {"config", s.config.to_json()},
        {"best_validation_loss", std::isfinite(s.best_validation_loss)
                                     ? nlohmann::json(s.best_validation_loss)
                                     : nlohmann::json(nullptr)},
        {"corpus", {{"name", s.corpus.name}, {"bytes", s.corpus.bytes}, {"xxh3", s.corpus.xxh3}}}};
  }
  if (o.tensors) {
    nlohmann::json t = nlohmann::json::array();
    const SafetensorsFile file = SafetensorsFile::open(o.checkpoint);  // verified by the load above
    for (const auto& info : file.tensors())
      t.push_back({{"name", info.name},
                   {"dtype", dtype_name(info.dtype)},
                   {"shape", info.shape},
                   {"bytes", info.nbytes}});
    j["tensors"] = t;
  }
  if (o.json) {
    print_json(j);
    return;
  }
  std::printf("checkpoint   %s (written by %s, %s)\n", o.checkpoint.c_str(), ck.created_by.c_str(),
              ck.created_at.c_str());
  std::printf("model        %d layers, %d heads, width %d, block %d, %s\n", mc.n_layer, mc.n_head, mc.n_embd,
              mc.block_size, describe_options(mc).c_str());
  std::printf("parameters   %s (%.1f MB as float32)\n", group_thousands(mc.parameter_count()).c_str(),
              mc.parameter_count() * 4.0 / 1e6);
  std::printf("tokenizer    %s, vocabulary %d\n", ck.tokenizer->kind().c_str(), ck.tokenizer->vocab_size());
  std::printf("verified     %s\n",
              ck.unverified.empty() ? "the whole file (checksum)" : ("not all: " + ck.unverified).c_str());
  if (ck.training) {
    const TrainingState& s = *ck.training;
    std::printf("training     step %d of %d, batch %d, lr %g -> %g\n", s.steps_done, s.config.steps,
                s.config.batch_size, s.config.lr, s.config.min_lr);
    if (std::isfinite(s.best_validation_loss))
      std::printf("best         validation loss %.4f (perplexity %.3f)\n", s.best_validation_loss,
                  std::exp(s.best_validation_loss));
    std::printf("corpus       %s (%s bytes, xxh3 %s)\n", s.corpus.name.c_str(),
                group_thousands(s.corpus.bytes).c_str(), s.corpus.xxh3.c_str());
  } else {
    std::printf("training     none stored (weights only)\n");
  }
  if (o.tensors)
    for (const auto& t : j["tensors"])
      std::printf("  %-40s %s %s\n", t["name"].get<std::string>().c_str(),
                  t["dtype"].get<std::string>().c_str(),
                  shape_text(t["shape"].get<std::vector<int64_t>>()).c_str());
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto o = std::make_shared<InfoOptions>();
  CLI::App* cmd = app.add_subcommand("info", "summarise a checkpoint");
  cmd->add_option("-c,--checkpoint,checkpoint", o->checkpoint, "checkpoint file")->capture_default_str();
  add_allow_unverified_option(*cmd, o->allow_unverified);
  cmd->add_flag("--tensors", o->tensors, "list every tensor with its dtype and shape");
  cmd->add_flag("--json", o->json, "print one JSON object");
  cmd->callback([o] { run(*o); });
}

}  // namespace cllm::cli
