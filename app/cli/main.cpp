// `cllm`: the command-line twin of the workbench. Every engine feature is reachable from here.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "commands.h"
#include "interrupt.h"
#include "util/error.h"

int main(int argc, char** argv) {
  cllm::cli::start_interrupt_thread();
  CLI::App app{"cllm: train, evaluate, sample and benchmark small language models on the CPU"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "cllm 0.1.0");
  cllm::cli::add_train_command(app);
  cllm::cli::add_generate_command(app);
  cllm::cli::add_eval_command(app);
  cllm::cli::add_info_command(app);
  cllm::cli::add_bench_command(app);
  cllm::cli::add_number_command(app);
  cllm::cli::add_embed_command(app);
  cllm::cli::add_precision_command(app);
  cllm::cli::add_ablate_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const cllm::Error& e) {
    std::fprintf(stderr, "cllm: error: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "cllm: error: out of memory (try a smaller model, batch or corpus)\n");
    return 1;
  }
  return 0;
}
