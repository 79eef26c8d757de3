#pragma once
// Runs the real `cllm` executable and captures what a user would see.

#include <gtest/gtest.h>

#include <algorithm>
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

// A failed command as users must see it: non-zero exit, one line on stderr, "cllm: error: ", and `needle`.
inline void expect_one_line_error(const CliResult& r, const std::string& needle) {
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.err.find("cllm: error: "), 0u) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// A fresh, empty temporary folder for one test.
std::string make_temp_dir(const std::string& name);

}  // namespace cllm::test
