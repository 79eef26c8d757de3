#include "common.h"

#include <cmath>
#include <cstdio>
#include <iostream>

#include "data/builtin_corpus.h"
#include "kernels/threading.h"

namespace cllm::cli {

Corpus load_corpus_or_builtin(const std::string& path) { return path.empty() ? builtin_corpus() : load_corpus(path); }

void add_threads_option(CLI::App& command, int& threads) {
  command.add_option("--threads", threads, "compute threads (0 = one per physical core)")->capture_default_str();
}

void apply_threads(int threads) {
  kernels::set_num_threads(threads > 0 ? threads : kernels::default_num_threads());
}

void print_json(const nlohmann::json& j) { std::cout << j.dump() << std::endl; }

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
