// TensorBoard projector files read back: rows, header, escaped labels, empty unknown frequencies, the
// projection file, and errors that name the file.
#include "inspect/projector_export.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../expect_error.h"

namespace cllm::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> read_tsv(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cells.push_back(line.substr(start, tab - start));
    cells.push_back(line.substr(start));
    rows.push_back(cells);
  }
  return rows;
}

class ProjectorExport : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cllm-projector-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ProjectorExport, RoundTrip) {
  const std::vector<float> rows = {0.1f, -2.5f, 3e-8f, 1, 2, 3};
  const std::vector<TokenInfo> tokens = {{0, "\\t", 2, 2, 17}, {1, "raw\ttab\nline", 3, 3, -1}};
  const Projection projection{"pca", 2, {1.5f, -0.25f, 7, 8}};
  const ProjectorFiles files = export_projector(dir_ / "sub", rows.data(), 2, 3, tokens, &projection);
  EXPECT_EQ(files.vectors, dir_ / "sub" / "vectors.tsv");
  EXPECT_EQ(files.projection, dir_ / "sub" / "projection-pca.tsv");

  const auto vectors = read_tsv(files.vectors);
  ASSERT_EQ(vectors.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(vectors[i].size(), 3u);
    for (size_t j = 0; j < 3; ++j) EXPECT_EQ(std::stof(vectors[i][j]), rows[i * 3 + j]) << i << "," << j;
  }
  const auto metadata = read_tsv(files.metadata);
  ASSERT_EQ(metadata.size(), 3u);
  EXPECT_EQ(metadata[0], (std::vector<std::string>{"token", "id", "prime", "clock_class", "frequency"}));
  EXPECT_EQ(metadata[1], (std::vector<std::string>{"\\t", "0", "2", "2", "17"}));
  EXPECT_EQ(metadata[2], (std::vector<std::string>{"raw\\ttab\\nline", "1", "3", "3", ""}));
  const auto proj = read_tsv(files.projection);
  ASSERT_EQ(proj.size(), 3u);
  EXPECT_EQ(proj[0], (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(proj[1], (std::vector<std::string>{"1.5", "-0.25"}));
  EXPECT_EQ(proj[2], (std::vector<std::string>{"7", "8"}));

  const Projection three{"cone", 3, {1, 2, 3, 4, 5, 6}};
  const ProjectorFiles again = export_projector(dir_ / "sub", rows.data(), 2, 3, tokens, &three);
  EXPECT_EQ(read_tsv(again.projection)[0], (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_TRUE(export_projector(dir_, rows.data(), 2, 3, tokens).projection.empty());
}

TEST_F(ProjectorExport, ErrorsNameTheFileOrProblem) {
  const std::vector<float> rows = {1, 2};
  const std::vector<TokenInfo> tokens = {{0, "a", 2, 2, 1}};
  fs::create_directories(dir_);
  std::ofstream(dir_ / "plain-file") << "x";
  expect_error([&] { export_projector(dir_ / "plain-file", rows.data(), 1, 2, tokens); }, "plain-file");
  const Projection wrong_size{"pca", 3, {1, 2}};
  expect_error([&] { export_projector(dir_, rows.data(), 1, 2, tokens, &wrong_size); }, "has 2 coordinates");
  const Projection bad_name{"../x", 2, {1, 2}};
  expect_error([&] { export_projector(dir_, rows.data(), 1, 2, tokens, &bad_name); }, "file name");
  expect_error([&] { export_projector(dir_, rows.data(), 2, 1, tokens); }, "1 metadata rows for 2 vectors");
  // A folder that exists but cannot be written: the message names the file being saved.
  fs::create_directories(dir_ / "locked");
  fs::permissions(dir_ / "locked", fs::perms::owner_read | fs::perms::owner_exec);
  if (::access((dir_ / "locked").c_str(), W_OK) != 0)  // root writes anyway
    expect_error([&] { write_vectors_tsv(dir_ / "locked" / "vectors.tsv", rows.data(), 1, 2); },
                 "vectors.tsv");
  fs::permissions(dir_ / "locked", fs::perms::owner_all);
}

TEST(TsvField, EscapesOnlyRawTabsAndLineBreaks) {
  EXPECT_EQ(tsv_field("a\tb\nc\rd"), "a\\tb\\nc\\rd");
  EXPECT_EQ(tsv_field("\\t already escaped ␣"), "\\t already escaped ␣");
}

}  // namespace
}  // namespace cllm::test
