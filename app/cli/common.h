#pragma once
// Small pieces shared by the subcommands.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "data/corpus.h"

namespace cllm::cli {

// The default checkpoint path of train, generate, eval and info.
inline constexpr const char* kDefaultCheckpoint = "cllm-model.safetensors";

// `path` empty means the built-in corpus.
Corpus load_corpus_or_builtin(const std::string& path);

// --threads N (0 = one per physical core), applied by apply_threads().
void add_threads_option(CLI::App& command, int& threads);
void apply_threads(int threads);

// One JSON object per line on stdout, flushed (scripts read it as it comes).
void print_json(const nlohmann::json& j);

// "12,345"
std::string group_thousands(double value);

}  // namespace cllm::cli
