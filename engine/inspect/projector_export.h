#pragma once
// Files for TensorBoard's Embedding Projector (projector.tensorflow.org: "Load" takes a vectors file
// and a metadata file):
//   vectors.tsv               one row per token, the C embedding values tab-separated, no header
//   metadata.tsv              header "token\tid\tprime\tclock_class\tfrequency", then one row per token
//                             (labels are Tokenizer::token_label, so they hold no raw tab or newline; any
//                             that would is escaped as \t, \n, \r); an unknown frequency is an empty cell
//   projection-<name>.tsv     optional: header "x\ty\tz" (or "x\ty"), one row per token in id order
// Floats are written in their shortest form that reads back to the same float. Each file is written
// atomically (util/atomic_file.h); a failure is a cllm::Error naming the file.

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inspect/token_table.h"

namespace cllm {

// Coordinates of a 2-D or 3-D projection, e.g. from pca() or the lattice maps.
struct Projection {
  std::string name;                // in the file name: letters, digits, '-' and '_' only
  int dims = 3;                    // 2 or 3
  std::vector<float> coordinates;  // [N, dims] row-major
};

struct ProjectorFiles {
  std::filesystem::path vectors, metadata;
  std::filesystem::path projection;  // empty without a projection
};

// Creates `dir` when missing. rows is [n, d] row-major; tokens has n entries.
ProjectorFiles export_projector(const std::filesystem::path& dir, const float* rows, int n, int d,
                                std::span<const TokenInfo> tokens, const Projection* projection = nullptr);

// The pieces, for callers that write only one.
void write_vectors_tsv(const std::filesystem::path& path, const float* rows, int n, int d);
void write_metadata_tsv(const std::filesystem::path& path, std::span<const TokenInfo> tokens);
void write_projection_tsv(const std::filesystem::path& path, const Projection& projection, int n);

// A metadata cell: raw tab, newline and carriage return escaped as \t, \n, \r; everything else as is.
std::string tsv_field(std::string_view text);

}  // namespace cllm
