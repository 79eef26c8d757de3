#pragma once
// Turning a token sequence into training and validation data: a contiguous split, random training
// batches and deterministic evaluation batches.
//
// A window of T tokens needs T + 1 consecutive tokens: its inputs are tokens[s .. s+T) and its targets
// tokens[s+1 .. s+T], so each target is the token that follows its input. Batches own copies of their
// tokens; the functions keep no reference to the spans they are given.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "util/rng.h"

namespace cllm {

class Tokenizer;

struct DataSplit {
  std::vector<int32_t> train, validation;
};

// The last `validation_fraction` of the tokens (rounded down) is validation, the rest training; the
// split is contiguous and deterministic. Throws if validation_fraction is not in [0, 0.5].
// "Rounded down" tolerates the binary error of a decimal fraction: 0.29 of 100 tokens is 29, not 28.
DataSplit split_tokens(std::vector<int32_t> tokens, double validation_fraction);

// How many bytes of the corpus text each part of a split stands for: the denominator of bits per byte,
// which makes losses of different tokenizers comparable. train + validation == text.size().
//   char, byte, bpe: decode is the concatenation of token_bytes and reproduces the text, so each part's
//     bytes are the sum of its tokens' byte lengths (exact);
//   word: lossy (spaces normalised, rare words become <unk>), so decoded tokens would miscount; the
//     validation part is the text from where the pre-tokeniser found its first token to the end, and
//     the training part everything before (whitespace between the two parts counts as training text).
// `split` must come from split_tokens(tokenizer.encode(text), ...); throws cllm::Error when its token
// count does not match the text's encoding.
struct SplitBytes {
  size_t train = 0, validation = 0;
};
SplitBytes split_text_bytes(const Tokenizer& tokenizer, std::string_view text, const DataSplit& split);

// One batch of B rows of T tokens, row-major: inputs[b*T + t], targets = inputs shifted by one.
struct Batch {
  int batch_size = 0, block_size = 0;
  std::vector<int32_t> inputs, targets;
};

// B random contiguous windows; each start uniform in [0, n - T - 1] drawn with rng.below(n - T), in row
// order (this order is part of the determinism contract: resumed runs must draw identical batches).
// Reuses out's storage. Throws cllm::Error when n < T + 1: "the training split has 50 tokens, fewer
// than block size + 1 = 65; use a larger corpus or a smaller block size", and when B or T is not
// positive. `what` names the split in messages.
void sample_batch(std::span<const int32_t> tokens, int B, int T, Rng& rng, Batch& out,
                  const char* what = "training");

// Deterministic evaluation windows: non-overlapping windows starting at 0, T, 2T, ... (each token
// predicted once), grouped into batches of up to B rows (the last may be smaller). With max_batches > 0
// and more windows than B * max_batches, take B * max_batches windows spread evenly over the split
// instead. Throws like sample_batch when the split is too short, and when max_batches is negative.
// The (n - 1) % T tokens after the last full window are never predicted: a window is always T long.
std::vector<Batch> evaluation_batches(std::span<const int32_t> tokens, int B, int T, int max_batches,
                                      const char* what = "validation");

}  // namespace cllm
