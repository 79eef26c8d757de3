// `cllm number` and `cllm embed` as a user runs them: the number analyser's lines and JSON, and the
// Embedding Projector files of a model trained here.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"

namespace cllm::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string cell; std::getline(ss, cell, '\t');) out.push_back(cell);
  if (!line.empty() && line.back() == '\t') out.emplace_back();
  return out;
}

// ASCII, so the char tokenizer makes one token per byte.
std::string corpus_text() {
  std::string t;
  for (int i = 0; i < 300; ++i)
    t += "The quick brown fox jumps over the lazy dog " + std::to_string(i % 17) + ".\n";
  return t;
}

class CliLatticeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = make_temp_dir("lattice");
    std::ofstream(dir_ + "/corpus.txt") << corpus_text();
    const auto r = run_cllm(
        {"train", "corpus.txt", "--steps", "20", "--eval-interval", "10", "--out", "model.safetensors",
         "--preset", "tiny", "--block", "32", "--batch", "4", "--eval-batches", "2", "--threads", "1"},
        dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  CliResult cllm(const std::vector<std::string>& args) { return run_cllm(args, dir_); }
  static int vocab_size() {
    const auto info = run_cllm({"info", "model.safetensors", "--json"}, dir_);
    return nlohmann::json::parse(info.out)["tokenizer"]["vocab_size"].get<int>();
  }

  static std::string dir_;
};
std::string CliLatticeTest::dir_;

TEST_F(CliLatticeTest, BothCommandsHaveHelp) {
  for (const char* sub : {"number", "embed"}) {
    const auto r = cllm({sub, "--help"});
    EXPECT_EQ(r.exit_code, 0) << sub;
    EXPECT_NE(r.out.find("--json"), std::string::npos) << sub;
  }
}

TEST_F(CliLatticeTest, NumberNinetySevenIsTheTwentyFifthPrime) {
  const auto r = cllm({"number", "97"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("prime?       prime: deterministic Miller–Rabin"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("prime index  25\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("token id     24\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("clock class  1 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("π(n)         25\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("clock        ring 1, slot 12 of 60, angle 342°"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(cllm({"number", "97", "--json"}).out);
  EXPECT_EQ(j["prime_index"], 25);
  EXPECT_EQ(j["clock_class"], 1);
  EXPECT_EQ(j["primality"]["verdict"], "prime");
}

TEST_F(CliLatticeTest, MersenneNumberAsJson) {
  const auto r = cllm({"number", "2^521-1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["primality"]["verdict"], "probable prime");
  EXPECT_EQ(j["digits"], 157);
  EXPECT_EQ(j["number"].get<std::string>().substr(0, 10), "6864797660");
  EXPECT_TRUE(j["prime_index"].is_null());
  EXPECT_FALSE(j["notes"].empty());
}

TEST_F(CliLatticeTest, SemiprimesFactorOrReportTheUnfactoredPart) {
  const auto r = cllm({"number", "42949672768266079397"});  // 4294967291 x 9999999967, 20 digits
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("factors      4294967291 × 9999999967\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("prime?       composite"), std::string::npos) << r.out;

  // Two 40-digit primes: out of reach, reported within the budget with the composite left over.
  const auto start = std::chrono::steady_clock::now();
  const auto hard =
      cllm({"number", "7000000000000000000000000000000000087782000000000000000000000000000000012434191",
            "--budget-ms", "200"});
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 3.0);
  ASSERT_EQ(hard.exit_code, 0) << hard.err;
  EXPECT_NE(hard.out.find("factors      partially factored after 0."), std::string::npos) << hard.out;
  EXPECT_NE(hard.out.find("(composite 7000...4191, 79 digits)"), std::string::npos) << hard.out;
}

TEST_F(CliLatticeTest, BadNumbersAreOneLineErrorsNamingThePosition) {
  expect_one_line_error(cllm({"number", "12a4"}), "unexpected 'a' at position 3");
  expect_one_line_error(cllm({"number", "2^99999"}), "the limit is 1000");
  expect_one_line_error(cllm({"number"}), "give a number");
}

TEST_F(CliLatticeTest, TokenLooksUpItsPrimeInTheCheckpointsVocabulary) {
  const auto r = cllm({"number", "--token", "o", "-c", "model.safetensors", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const int id = j["token"]["id"].get<int>();
  EXPECT_EQ(j["token"]["text"], "o");
  EXPECT_EQ(j["prime_index"], id + 1);
  EXPECT_EQ(j["token_id"], id);
  EXPECT_EQ(j["number"], std::to_string(j["token"]["prime"].get<uint64_t>()));
  // The space by its printable label works too.
  const auto space = cllm({"number", "--token", "␣", "-c", "model.safetensors"});
  ASSERT_EQ(space.exit_code, 0) << space.err;
  EXPECT_NE(space.out.find("\"␣\" is token id"), std::string::npos) << space.out;
  expect_one_line_error(cllm({"number", "--token", "Z", "-c", "model.safetensors"}),
                        "\"Z\" is not in the vocabulary");
}

TEST_F(CliLatticeTest, EmbedWritesProjectorFilesWithFrequenciesAndPca) {
  const int V = vocab_size();
  const auto r = cllm({"embed", "-c", "model.safetensors", "--out-dir", "projector", "--projection", "pca"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("PCA variance: PC1 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("% together"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("counted over corpus.txt"), std::string::npos) << r.out;

  const fs::path out = fs::path(dir_) / "projector";
  const auto vectors = read_lines(out / "vectors.tsv");
  ASSERT_EQ(vectors.size(), static_cast<size_t>(V));
  EXPECT_EQ(cells(vectors[0]).size(), 64u);  // the tiny preset's width
  const auto metadata = read_lines(out / "metadata.tsv");
  ASSERT_EQ(metadata.size(), static_cast<size_t>(V) + 1);
  EXPECT_EQ(metadata[0], "token\tid\tprime\tclock_class\tfrequency");
  long total = 0;
  for (size_t i = 1; i < metadata.size(); ++i) {
    const auto row = cells(metadata[i]);
    ASSERT_EQ(row.size(), 5u) << metadata[i];
    EXPECT_EQ(row[1], std::to_string(i - 1));
    total += std::stol(row[4]);
  }
  EXPECT_EQ(total, static_cast<long>(corpus_text().size()));  // every character of the training corpus, once
  const auto projection = read_lines(out / "projection-pca.tsv");
  ASSERT_EQ(projection.size(), static_cast<size_t>(V) + 1);
  EXPECT_EQ(projection[0], "x\ty\tz");

  const auto json = cllm({"embed", "-c", "model.safetensors", "--out-dir", "flat", "--projection", "clock",
                          "--dims", "2", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["tokens"], V);
  EXPECT_EQ(j["frequencies"]["known"], true);
  const auto clock = read_lines(fs::path(dir_) / "flat" / "projection-clock.tsv");
  ASSERT_EQ(clock.size(), static_cast<size_t>(V) + 1);
  EXPECT_EQ(clock[0], "x\ty");
  EXPECT_EQ(clock[4], "0.25\t0");  // token 3 -> prime index 4 -> 3 o'clock on the inner ring
}

TEST_F(CliLatticeTest, EmbedErrorsAndUnknownFrequencies) {
  expect_one_line_error(
      cllm({"embed", "-c", "model.safetensors", "--out-dir", "x", "--projection", "sphere"}),
      "unknown projection \"sphere\"");
  expect_one_line_error(cllm({"embed", "-c", "model.safetensors", "--out-dir", "x", "--dims", "4"}),
                        "--dims must be 2 or 3");
  expect_one_line_error(cllm({"embed", "-c", "model.safetensors"}), "--out-dir is required");
  expect_one_line_error(cllm({"embed", "-c", "missing.safetensors", "--out-dir", "x"}),
                        "missing.safetensors");
  // From another folder the recorded corpus path does not resolve: frequencies are unknown, cells empty.
  const std::string elsewhere = make_temp_dir("lattice-elsewhere");
  const auto r = run_cllm({"embed", "-c", dir_ + "/model.safetensors", "--out-dir", "p"}, elsewhere);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("unknown"), std::string::npos) << r.out;
  const auto metadata = read_lines(fs::path(elsewhere) / "p" / "metadata.tsv");
  ASSERT_GT(metadata.size(), 1u);
  EXPECT_EQ(metadata[1].back(), '\t');  // empty frequency cell
  fs::remove_all(elsewhere);
}

}  // namespace
}  // namespace cllm::test
