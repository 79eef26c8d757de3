#include "common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "data/builtin_corpus.h"
#include "kernels/threading.h"

namespace cllm::cli {

Corpus load_corpus_or_builtin(const std::string& path) {
  return path.empty() ? builtin_corpus() : load_corpus(path);
}

void add_threads_option(CLI::App& command, int& threads) {
  command.add_option("--threads", threads, "compute threads (0 = one per physical core)")
      ->capture_default_str();
}

int resolve_threads(int threads) {
  return threads > 0 ? threads : kernels::default_num_threads();
}

void apply_threads(int threads) {
  kernels::set_num_threads(resolve_threads(threads));
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
    added.push_back(
        command.add_option(flag, shape.options.*option.field, option.help)->capture_default_str());
  }
  return added;
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
