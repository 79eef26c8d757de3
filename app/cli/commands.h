#pragma once
// Each `cllm` subcommand registers its options and its action on the root CLI11 app.

#include <CLI/CLI.hpp>

namespace cllm::cli {

void add_train_command(CLI::App& app);
void add_generate_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_number_command(CLI::App& app);
void add_embed_command(CLI::App& app);
void add_precision_command(CLI::App& app);
void add_ablate_command(CLI::App& app);

}  // namespace cllm::cli
