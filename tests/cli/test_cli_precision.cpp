// `cllm precision` as a user runs it, on a model trained here: the JSON report's fields and bounds, the
// text table and verdict, and the one-line errors for a missing checkpoint and a missing corpus.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace cllm::test {
namespace {

namespace fs = std::filesystem;

class CliPrecisionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = make_temp_dir("precision");
    std::string text;
    for (int i = 0; i < 200; ++i) text += "A small fox counts " + std::to_string(i % 13) + " primes.\n";
    std::ofstream(dir_ + "/corpus.txt") << text;
    // A very small model, so the 50-digit pass takes a fraction of a second.
    const auto r = run_cllm({"train",           "corpus.txt", "--steps",        "10",
                             "--eval-interval", "10",         "--out",          "model.safetensors",
                             "--width",         "16",         "--layers",       "2",
                             "--heads",         "2",          "--block",        "16",
                             "--batch",         "2",          "--eval-batches", "1",
                             "--threads",       "1"},
                            dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  CliResult cllm(const std::vector<std::string>& args) { return run_cllm(args, dir_); }
  static std::string dir_;
};
std::string CliPrecisionTest::dir_;

TEST_F(CliPrecisionTest, JsonReportHasEveryTensorErrorsWithinBoundsAndAConsistentVerdict) {
  const auto r = cllm({"precision", "-c", "model.safetensors", "corpus.txt", "--json", "--threads", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["corpus"], "corpus.txt");
  EXPECT_EQ(j["settings"]["batch"], 1);
  EXPECT_EQ(j["settings"]["tokens_per_sequence"], 16);  // the block size (below the default cap)
  EXPECT_EQ(j["settings"]["check_step"], "1e-20");

  std::vector<std::string> names;
  for (const auto& a : j["activations"]) names.push_back(a["name"]);
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), "embedding.out");
  EXPECT_EQ(names.back(), "losses");
  for (const char* name : {"h.0.attn.qkv", "h.0.attn.att", "h.1.mlp.gelu", "logits", "lse"})
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  for (const auto& n : names) EXPECT_EQ(n.find("backward"), std::string::npos) << n;
  ASSERT_FALSE(j["gradients"].empty());
  EXPECT_EQ(j["gradients"].front()["name"], "transformer.wte.weight");

  double worst = 0;
  for (const char* list : {"activations", "gradients"})
    for (const auto& t : j[list]) {
      const double f32 = t["float32"], f64 = t["float64"], bf16 = t["bfloat16"];
      EXPECT_LT(f64, 1e-12) << t["name"];
      EXPECT_LT(f32, 1e-4) << t["name"];
      EXPECT_GT(bf16, f32) << t["name"];
      EXPECT_LE(bf16, std::ldexp(1.0, -8) * (1 + 1e-12)) << t["name"];
      worst = std::max(worst, f32);
    }
  const auto& verdict = j["verdict"];
  EXPECT_EQ(verdict["worst_float32_error"].get<double>(), worst);
  const double digits = std::max(0.0, std::log10(worst / std::ldexp(1.0, -24)));
  EXPECT_NEAR(verdict["lost_digits"].get<double>(), digits, 1e-12);
  EXPECT_EQ(verdict["text"].get<std::string>().find("float32 loses at most "), 0u) << verdict["text"];

  EXPECT_LT(j["losses"]["float64_error"].get<double>(), 1e-12);
  EXPECT_LT(j["losses"]["float32_error"].get<double>(), 1e-5);
  EXPECT_GE(j["losses"]["fifty_digits"].get<std::string>().size(), 50u);
  EXPECT_GT(j["gradient_check"]["checked"].get<int>(), 10);
  EXPECT_EQ(j["gradient_check"]["entries"].size(), j["gradient_check"]["checked"].get<size_t>());
  EXPECT_LT(j["gradient_check"]["worst_error"].get<double>(), 1e-15);
  EXPECT_GT(j["seconds"]["fifty_digits"].get<double>(), j["seconds"]["float64"].get<double>());
  EXPECT_TRUE(j["definitions"].contains("bfloat16"));
}

TEST_F(CliPrecisionTest, TextReportIsATableWithTheDefinitionsAndTheVerdict) {
  const auto r = cllm({"precision", "-c", "model.safetensors", "--tokens", "4", "--threads", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;  // no corpus given: the training corpus, found again
  EXPECT_NE(r.out.find("1 sequence x 4 tokens from the validation split of corpus.txt"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("relative error = max_i |x_i - ref_i| / max_i |ref_i|"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bf16 = each 50-digit value rounded to bfloat16"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nh.1.attn.att "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ntransformer.ln_f.bias "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gradient check in 50 digits"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nfloat32 loses at most "), std::string::npos) << r.out;
}

TEST_F(CliPrecisionTest, HasHelp) {
  const auto r = cllm({"precision", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--json"), std::string::npos);
  EXPECT_NE(r.out.find("--tokens"), std::string::npos);
}

TEST_F(CliPrecisionTest, MissingCheckpointIsAOneLineError) {
  expect_one_line_error(cllm({"precision", "-c", "missing.safetensors", "corpus.txt"}),
                        "missing.safetensors");
}

TEST_F(CliPrecisionTest, WithoutACorpusToFindTheErrorSaysToPassOne) {
  // From another folder the recorded training corpus (corpus.txt, relative) is not found.
  const std::string elsewhere = make_temp_dir("precision-elsewhere");
  const auto r = run_cllm({"precision", "-c", dir_ + "/model.safetensors"}, elsewhere);
  expect_one_line_error(r, "pass a corpus");
  EXPECT_NE(r.err.find("corpus.txt"), std::string::npos) << r.err;
  fs::remove_all(elsewhere);
}

TEST_F(CliPrecisionTest, TooFewTokensForTheSequenceIsAOneLineError) {
  std::ofstream(dir_ + "/short.txt") << "A small fox.\n";
  expect_one_line_error(cllm({"precision", "-c", "model.safetensors", "short.txt"}),
                        "fewer tokens per sequence");
}

}  // namespace
}  // namespace cllm::test
