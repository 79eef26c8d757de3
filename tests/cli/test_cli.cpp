#include <gtest/gtest.h>

#include "cli_runner.h"

namespace cllm::test {
namespace {

TEST(Cli, HelpListsSubcommandsAndSucceeds) {
  const auto r = run_cllm({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("version"), std::string::npos) << r.out;
}

TEST(Cli, UnknownSubcommandFailsWithMessage) {
  const auto r = run_cllm({"no-such-command"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(r.err.empty());
}

}  // namespace
}  // namespace cllm::test
