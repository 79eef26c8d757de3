#include "data/dataset.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "text/tokenizer.h"
#include "text/word_tokenizer.h"
#include "util/error.h"

namespace cllm {
namespace {

// Checks B, T and the split length shared by both batch makers.
void check_shape(size_t n, int B, int T, const char* what) {
  require(B > 0 && T > 0, std::string("batch size and block size must be positive for the ") + what +
                              " split (got batch size " + std::to_string(B) + ", block size " +
                              std::to_string(T) + ")");
  const size_t needed = static_cast<size_t>(T) + 1;
  if (n < needed)
    throw Error(std::string("the ") + what + " split has " + std::to_string(n) +
                " tokens, fewer than block size + 1 = " + std::to_string(needed) +
                "; use a larger corpus or a smaller block size");
}

void copy_window(std::span<const int32_t> tokens, size_t start, size_t row, int T, Batch& batch) {
  const auto t = static_cast<size_t>(T);
  std::copy_n(tokens.begin() + start, t, batch.inputs.begin() + row * t);
  std::copy_n(tokens.begin() + start + 1, t, batch.targets.begin() + row * t);
}

void shape_batch(Batch& batch, int rows, int T) {
  batch.batch_size = rows;
  batch.block_size = T;
  const size_t size = static_cast<size_t>(rows) * static_cast<size_t>(T);
  batch.inputs.resize(size);
  batch.targets.resize(size);
}

}  // namespace

DataSplit split_tokens(std::vector<int32_t> tokens, double validation_fraction) {
  // Written so that NaN fails the check too.
  require(validation_fraction >= 0.0 && validation_fraction <= 0.5,
          "validation fraction " + format_number(validation_fraction) + " is outside [0, 0.5]");
  const size_t n = tokens.size();
  // The tolerance keeps a fraction like 0.29 (stored as 0.28999...) from losing a token to binary
  // rounding; it is far below one token for any corpus that fits in memory.
  const double exact = static_cast<double>(n) * validation_fraction;
  const auto n_validation = std::min(n, static_cast<size_t>(std::floor(exact + 1e-9 * (1.0 + exact))));
  DataSplit split;
  split.validation.assign(tokens.end() - static_cast<std::ptrdiff_t>(n_validation), tokens.end());
  tokens.resize(n - n_validation);
  split.train = std::move(tokens);
  return split;
}

SplitBytes split_text_bytes(const Tokenizer& tokenizer, std::string_view text, const DataSplit& split) {
  const size_t n = split.train.size() + split.validation.size();
  SplitBytes bytes;
  if (tokenizer.kind() == "word") {
    // Re-split the text: word tokens are views into it, so each one's position is known.
    const std::vector<std::string_view> words = WordTokenizer::split(text);
    require(words.size() == n, "word tokenizer: the split holds " + std::to_string(n) +
                                   " tokens but the text has " + std::to_string(words.size()) +
                                   "; the split is not of this text");
    const size_t start = split.validation.empty()
                             ? text.size()
                             : static_cast<size_t>(words[split.train.size()].data() - text.data());
    bytes.train = start;
    bytes.validation = text.size() - start;
    return bytes;
  }
  // One length per id, so a part costs one table look-up per token rather than a decode.
  std::vector<size_t> length(static_cast<size_t>(tokenizer.vocab_size()));
  for (size_t id = 0; id < length.size(); ++id)
    length[id] = tokenizer.token_bytes(static_cast<int32_t>(id)).size();
  auto sum = [&](const std::vector<int32_t>& tokens) {
    size_t total = 0;
    for (const int32_t id : tokens) {
      require(id >= 0 && static_cast<size_t>(id) < length.size(),
              "token id " + std::to_string(id) + " is outside the tokenizer's vocabulary [0, " +
                  std::to_string(length.size()) + ")");
      total += length[static_cast<size_t>(id)];
    }
    return total;
  };
  bytes.train = sum(split.train);
  bytes.validation = sum(split.validation);
  require(bytes.train + bytes.validation == text.size(),
          "the split's tokens stand for " + std::to_string(bytes.train + bytes.validation) +
              " bytes but the text has " + std::to_string(text.size()) + "; the split is not of this text");
  return bytes;
}

void sample_batch(std::span<const int32_t> tokens, int B, int T, Rng& rng, Batch& out, const char* what) {
  check_shape(tokens.size(), B, T, what);
  shape_batch(out, B, T);
  const uint64_t starts = tokens.size() - static_cast<size_t>(T);  // valid starts: [0, n - T - 1]
  for (int b = 0; b < B; ++b) copy_window(tokens, rng.below(starts), static_cast<size_t>(b), T, out);
}

std::vector<Batch> evaluation_batches(std::span<const int32_t> tokens, int B, int T, int max_batches,
                                      const char* what) {
  check_shape(tokens.size(), B, T, what);
  require(max_batches >= 0, std::string("the maximum number of ") + what +
                                " batches must not be negative (got " + std::to_string(max_batches) + ")");
  const auto t = static_cast<size_t>(T);
  const size_t windows = (tokens.size() - 1) / t;
  size_t taken = windows;
  const size_t limit = static_cast<size_t>(B) * static_cast<size_t>(max_batches);
  if (max_batches > 0 && windows > limit) taken = limit;

  std::vector<Batch> batches;
  const auto rows_per_batch = static_cast<size_t>(B);
  batches.reserve((taken + rows_per_batch - 1) / rows_per_batch);
  for (size_t first = 0; first < taken; first += rows_per_batch) {
    const size_t rows = std::min(rows_per_batch, taken - first);
    Batch& batch = batches.emplace_back();
    shape_batch(batch, static_cast<int>(rows), T);
    for (size_t r = 0; r < rows; ++r) {
      // Window k of `taken` is grid window floor(k * windows / taken): the identity when nothing is
      // dropped, otherwise distinct grid windows spread evenly from the start of the split.
      const size_t k = first + r;
      copy_window(tokens, (k * windows / taken) * t, r, T, batch);
    }
  }
  return batches;
}

}  // namespace cllm
