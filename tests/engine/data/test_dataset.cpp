#include "data/dataset.h"

#include <gtest/gtest.h>

#include "../expect_error.h"

#include <cmath>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "text/tokenizer.h"
#include "util/error.h"

namespace cllm {
namespace {

using test::expect_error;

// Tokens whose value is their position, so every window shows where it came from.
std::vector<int32_t> positions(size_t n) {
  std::vector<int32_t> tokens(n);
  std::iota(tokens.begin(), tokens.end(), 0);
  return tokens;
}

// Checks that row r of `batch` is the window starting at `start` of positions() tokens.
void expect_window(const Batch& batch, int r, int32_t start) {
  for (int t = 0; t < batch.block_size; ++t) {
    const size_t i = static_cast<size_t>(r * batch.block_size + t);
    ASSERT_EQ(batch.inputs[i], start + t) << "row " << r << " t " << t;
    ASSERT_EQ(batch.targets[i], start + t + 1) << "row " << r << " t " << t;
  }
}

TEST(SplitTokens, LastFractionRoundedDownIsValidation) {
  DataSplit s = split_tokens(positions(10), 0.2);
  EXPECT_EQ(s.train, std::vector<int32_t>({0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(s.validation, std::vector<int32_t>({8, 9}));

  s = split_tokens(positions(7), 0.25);  // 1.75 -> 1
  EXPECT_EQ(s.train.size(), 6u);
  EXPECT_EQ(s.validation, std::vector<int32_t>({6}));

  s = split_tokens(positions(9), 0.5);  // 4.5 -> 4
  EXPECT_EQ(s.train.size(), 5u);
  EXPECT_EQ(s.validation.size(), 4u);

  s = split_tokens(positions(5), 0.0);
  EXPECT_EQ(s.train, positions(5));
  EXPECT_TRUE(s.validation.empty());

  s = split_tokens({}, 0.1);
  EXPECT_TRUE(s.train.empty());
  EXPECT_TRUE(s.validation.empty());
}

TEST(SplitTokens, DecimalFractionsAreNotShortchangedByBinaryRounding) {
  // 100 * 0.29 is 28.999999999999996 in doubles; the user meant 29.
  EXPECT_EQ(split_tokens(positions(100), 0.29).validation.size(), 29u);
  EXPECT_EQ(split_tokens(positions(1000), 0.1).validation.size(), 100u);
  EXPECT_EQ(split_tokens(positions(30), 0.1).validation.size(), 3u);
  EXPECT_EQ(split_tokens(positions(1'000'003), 0.1).validation.size(), 100'000u);
}

TEST(SplitTokens, FractionOutsideRangeIsRejected) {
  expect_error([] { split_tokens(positions(10), -0.01); }, "validation fraction -0.01");
  expect_error([] { split_tokens(positions(10), 0.51); }, "is outside [0, 0.5]");
  expect_error([] { split_tokens(positions(10), std::nan("")); }, "is outside [0, 0.5]");
  expect_error([] { split_tokens(positions(10), INFINITY); }, "is outside [0, 0.5]");
}

TEST(SampleBatch, RowsAreWindowsDrawnInRowOrderWithBelow) {
  const std::vector<int32_t> tokens = positions(1000);
  const int B = 8, T = 16;
  Rng rng(123), replay(123);
  Batch batch;
  for (int step = 0; step < 5; ++step) {
    sample_batch(tokens, B, T, rng, batch);
    EXPECT_EQ(batch.batch_size, B);
    EXPECT_EQ(batch.block_size, T);
    ASSERT_EQ(batch.inputs.size(), static_cast<size_t>(B * T));
    ASSERT_EQ(batch.targets.size(), static_cast<size_t>(B * T));
    // The contract: one rng.below(n - T) per row, in row order.
    for (int b = 0; b < B; ++b) expect_window(batch, b, static_cast<int32_t>(replay.below(1000 - T)));
  }
  EXPECT_EQ(rng, replay);
}

TEST(SampleBatch, StartsCoverTheWholeRangeAndNoMore) {
  // n = T + 3: the valid starts are exactly 0, 1 and 2.
  const std::vector<int32_t> tokens = positions(8);
  Rng rng(5);
  Batch batch;
  sample_batch(tokens, 300, 5, rng, batch);
  std::vector<int> seen(3, 0);
  for (int b = 0; b < 300; ++b) {
    const int32_t start = batch.inputs[static_cast<size_t>(b * 5)];
    ASSERT_GE(start, 0);
    ASSERT_LE(start, 2);
    expect_window(batch, b, start);
    ++seen[static_cast<size_t>(start)];
  }
  for (int count : seen) EXPECT_GT(count, 60);

  // n = T + 1 leaves a single window.
  sample_batch(positions(6), 4, 5, rng, batch);
  for (int b = 0; b < 4; ++b) expect_window(batch, b, 0);
}

TEST(SampleBatch, SameSeedSameBatchAndStateRoundTripResumes) {
  const std::vector<int32_t> tokens = positions(500);
  Rng a(77), b(77);
  Batch x, y;
  sample_batch(tokens, 4, 10, a, x);
  sample_batch(tokens, 4, 10, b, y);
  EXPECT_EQ(x.inputs, y.inputs);
  EXPECT_EQ(x.targets, y.targets);

  // A run that saves its rng state and resumes draws exactly the batches the uninterrupted run draws.
  const std::string saved = a.state();
  sample_batch(tokens, 4, 10, a, x);
  Rng resumed(0);
  resumed.set_state(saved);
  sample_batch(tokens, 4, 10, resumed, y);
  EXPECT_EQ(x.inputs, y.inputs);
  EXPECT_EQ(x.targets, y.targets);

  Rng other(78);
  sample_batch(tokens, 4, 10, other, y);
  EXPECT_NE(x.inputs, y.inputs);
}

TEST(SampleBatch, ReusesTheBatchStorage) {
  const std::vector<int32_t> tokens = positions(200);
  Rng rng(1);
  Batch batch;
  sample_batch(tokens, 4, 8, rng, batch);
  const int32_t* inputs = batch.inputs.data();
  const int32_t* targets = batch.targets.data();
  sample_batch(tokens, 4, 8, rng, batch);
  EXPECT_EQ(batch.inputs.data(), inputs);
  EXPECT_EQ(batch.targets.data(), targets);
  // A smaller shape after a larger one is fully reshaped.
  sample_batch(tokens, 2, 3, rng, batch);
  EXPECT_EQ(batch.inputs.size(), 6u);
  EXPECT_EQ(batch.batch_size, 2);
  EXPECT_EQ(batch.block_size, 3);
  expect_window(batch, 1, batch.inputs[3]);
}

TEST(SampleBatch, ShortSplitAndBadShapesAreRejected) {
  Rng rng(1);
  Batch batch;
  const std::vector<int32_t> tokens = positions(50);
  try {
    sample_batch(tokens, 4, 64, rng, batch);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "the training split has 50 tokens, fewer than block size + 1 = 65; use a larger corpus or a "
                 "smaller block size");
  }
  expect_error([&] { sample_batch(positions(64), 4, 64, rng, batch, "validation"); },
               "the validation split has 64 tokens, fewer than block size + 1 = 65");
  expect_error([&] { sample_batch({}, 1, 1, rng, batch); }, "has 0 tokens");
  expect_error([&] { sample_batch(tokens, 0, 8, rng, batch); }, "got batch size 0, block size 8");
  expect_error([&] { sample_batch(tokens, 2, -1, rng, batch); }, "got batch size 2, block size -1");
  EXPECT_EQ(rng, Rng(1));  // a rejected call draws nothing
}

TEST(EvaluationBatches, EveryTokenIsPredictedOnceInNonOverlappingWindows) {
  // n = 23, T = 4: windows start at 0, 4, 8, 12, 16 (16 + 4 = 20 < 23; 20 + 4 = 24 is not), grouped 2, 2, 1.
  const std::vector<int32_t> tokens = positions(23);
  const std::vector<Batch> batches = evaluation_batches(tokens, 2, 4, 0);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].batch_size, 2);
  EXPECT_EQ(batches[1].batch_size, 2);
  EXPECT_EQ(batches[2].batch_size, 1);  // the last batch is smaller
  EXPECT_EQ(batches[2].inputs.size(), 4u);
  const std::vector<int32_t> starts = {0, 4, 8, 12, 16};
  std::vector<int> predicted(tokens.size(), 0);
  size_t row = 0;
  for (const Batch& batch : batches) {
    EXPECT_EQ(batch.block_size, 4);
    for (int r = 0; r < batch.batch_size; ++r, ++row) {
      expect_window(batch, r, starts[row]);
      for (int t = 0; t < 4; ++t)
        ++predicted[static_cast<size_t>(batch.targets[static_cast<size_t>(r * 4 + t)])];
    }
  }
  EXPECT_EQ(row, starts.size());
  // Tokens 1..20 are predicted exactly once; token 0 has no context and 21, 22 do not fill a window.
  for (size_t i = 0; i < tokens.size(); ++i) EXPECT_EQ(predicted[i], i >= 1 && i <= 20 ? 1 : 0) << i;
}

TEST(EvaluationBatches, ExactFitAndSingleWindow) {
  // n - 1 divisible by T: nothing is left over.
  std::vector<Batch> batches = evaluation_batches(positions(13), 3, 4, 0);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].batch_size, 3);
  for (int r = 0; r < 3; ++r) expect_window(batches[0], r, 4 * r);

  batches = evaluation_batches(positions(5), 8, 4, 0);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].batch_size, 1);
  expect_window(batches[0], 0, 0);
}

TEST(EvaluationBatches, MaxBatchesTakesWindowsSpreadEvenly) {
  // n = 101, T = 2: 50 grid windows. B = 3, max 2: 6 windows, grid indices floor(k * 50 / 6) =
  // 0, 8, 16, 25, 33, 41, so starts 0, 16, 32, 50, 66, 82.
  const std::vector<Batch> batches = evaluation_batches(positions(101), 3, 2, 2);
  ASSERT_EQ(batches.size(), 2u);
  const std::vector<int32_t> starts = {0, 16, 32, 50, 66, 82};
  for (size_t k = 0; k < starts.size(); ++k) {
    ASSERT_EQ(batches[k / 3].batch_size, 3);
    expect_window(batches[k / 3], static_cast<int>(k % 3), starts[k]);
  }
  // Deterministic: the same call gives the same batches.
  const std::vector<Batch> again = evaluation_batches(positions(101), 3, 2, 2);
  for (size_t i = 0; i < 2; ++i) EXPECT_EQ(again[i].inputs, batches[i].inputs);
}

TEST(EvaluationBatches, MaxBatchesAboveTheWindowCountChangesNothing) {
  const std::vector<Batch> all = evaluation_batches(positions(101), 3, 2, 0);
  ASSERT_EQ(all.size(), 17u);  // 50 windows: 16 batches of 3 and one of 2
  EXPECT_EQ(all.back().batch_size, 2);
  for (int max_batches : {17, 100}) {
    const std::vector<Batch> limited = evaluation_batches(positions(101), 3, 2, max_batches);
    ASSERT_EQ(limited.size(), all.size());
    for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(limited[i].inputs, all[i].inputs);
  }
  // One batch fewer than needed switches to the spread windows: 16 * 3 = 48 of the 50.
  const std::vector<Batch> spread = evaluation_batches(positions(101), 3, 2, 16);
  ASSERT_EQ(spread.size(), 16u);
  EXPECT_EQ(spread.back().batch_size, 3);
  expect_window(spread.back(), 2, 2 * (47 * 50 / 48));
}

TEST(EvaluationBatches, ShortSplitAndBadArgumentsAreRejected) {
  expect_error([] { evaluation_batches(positions(10), 2, 16, 0); },
               "the validation split has 10 tokens, fewer than block size + 1 = 17; use a larger corpus or a "
               "smaller block size");
  expect_error([] { evaluation_batches(positions(4), 2, 4, 0, "test"); }, "the test split has 4 tokens");
  expect_error([] { evaluation_batches(positions(100), 2, 4, -1); }, "must not be negative (got -1)");
  expect_error([] { evaluation_batches(positions(100), 0, 4, 0); }, "got batch size 0, block size 4");
  expect_error([] { evaluation_batches(positions(100), 2, 0, 0); }, "got batch size 2, block size 0");
}

// --- split_text_bytes: the bytes behind each part of a split, for bits per byte ---

TokenizerSpec kind(const std::string& k, int vocab_size = 0) {
  TokenizerSpec spec;
  spec.kind = k;
  spec.vocab_size = vocab_size;
  return spec;
}

TEST(SplitTextBytes, LosslessKindsCountTheBytesTheirTokensDecodeTo) {
  // Multi-byte characters (é is 2 bytes, € 3, 😀 4) make byte, char and bpe token counts all differ.
  std::string text;
  for (int i = 0; i < 50; ++i)
    text += "caf\xC3\xA9 \xE2\x82\xAC" + std::to_string(i) + " \xF0\x9F\x98\x80 the cat\n";
  for (const char* k : {"byte", "char", "bpe"}) {
    SCOPED_TRACE(k);
    const auto tok = train_tokenizer(kind(k, 300), text);
    const DataSplit split = split_tokens(tok->encode(text), 0.2);
    const SplitBytes bytes = split_text_bytes(*tok, text, split);
    EXPECT_EQ(bytes.train, tok->decode(split.train).size());
    EXPECT_EQ(bytes.validation, tok->decode(split.validation).size());
    EXPECT_EQ(bytes.train + bytes.validation, text.size());
  }
}

TEST(SplitTextBytes, WordCountsTheTextRegionNotTheDecodedTokens) {
  // 100 lines of 5 tokens (the, cat, sat, ".", "\n") in 16 bytes; decoding normalises the double spaces
  // away ("the cat sat.\n" is 13 bytes), so decoded tokens would undercount the text.
  std::string text;
  for (int i = 0; i < 100; ++i) text += "the  cat   sat.\n";
  const auto tok = train_tokenizer(kind("word"), text);
  const DataSplit split = split_tokens(tok->encode(text), 0.1);
  ASSERT_EQ(split.validation.size(), 50u);  // the last 10 lines
  const SplitBytes bytes = split_text_bytes(*tok, text, split);
  EXPECT_EQ(bytes.validation, 10u * 16u);
  EXPECT_EQ(bytes.train, 90u * 16u);
  EXPECT_EQ(tok->decode(split.validation).size(), 10u * 13u);  // what the text region avoids
  // Whitespace between the parts belongs to the training text.
  const std::string spaced = "one two   three";
  const auto words = train_tokenizer(kind("word"), spaced);
  const SplitBytes s =
      split_text_bytes(*words, spaced, DataSplit{words->encode("one two"), words->encode("three")});
  EXPECT_EQ(s.train, 10u);  // "one two   "
  EXPECT_EQ(s.validation, 5u);
}

TEST(SplitTextBytes, ASplitOfAnotherTextIsRejected) {
  const std::string text = "abc abc abc";
  for (const char* k : {"char", "word"}) {
    SCOPED_TRACE(k);
    const auto tok = train_tokenizer(kind(k), text);
    const DataSplit split = split_tokens(tok->encode("abc abc"), 0.5);
    expect_error([&] { split_text_bytes(*tok, text, split); }, "the split is not of this text");
  }
}

}  // namespace
}  // namespace cllm
