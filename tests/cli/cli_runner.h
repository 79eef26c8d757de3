#pragma once
// Runs the real `cllm` executable and captures what a user would see.

#include <string>
#include <vector>

namespace cllm::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs CLLM_EXE with `args` (each passed as one argument), in `cwd` when given.
CliResult run_cllm(const std::vector<std::string>& args, const std::string& cwd = "");

// A fresh, empty temporary folder for one test.
std::string make_temp_dir(const std::string& name);

}  // namespace cllm::test
