// `cllm`: the command-line twin of the workbench.

#include <CLI/CLI.hpp>

#include <iostream>

#include "util/error.h"

int main(int argc, char** argv) {
  CLI::App app{"cllm: train, evaluate, sample and benchmark small language models on the CPU"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "cllm 0.1.0");
  app.add_subcommand("version", "print the version")->callback([] { std::cout << "cllm 0.1.0\n"; });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const cllm::Error& e) {
    std::cerr << "cllm: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
