#include "text/text_streamer.h"

#include <gtest/gtest.h>

#include "test_util.h"
#include "text/bpe_tokenizer.h"
#include "text/byte_tokenizer.h"
#include "text/char_tokenizer.h"
#include "text/word_tokenizer.h"

namespace cllm {
namespace {

using Ids = std::vector<int32_t>;

const std::string kText =
    "H\xC3\xA9llo, w\xC3\xB6rld! \xE2\x82\xAC"
    "42 \xF0\x9F\x98\x80\xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC"
    "\xE8\xAA\x9E\nThe (quick) fox's den.\n";

// Streams `ids` one at a time; every piece must be valid UTF-8 (so no partial character), and all of
// them together must equal decode(ids).
void expect_streams_exactly(const Tokenizer& tok, const Ids& ids) {
  TextStreamer streamer(tok);
  std::string all;
  for (int32_t id : ids) {
    const std::string piece = streamer.push(id);
    ASSERT_TRUE(test::is_valid_utf8(piece)) << "partial character after id " << id;
    all += piece;
  }
  const std::string rest = streamer.finish();
  EXPECT_TRUE(rest.empty());
  EXPECT_EQ(all, tok.decode(ids));
}

TEST(TextStreamer, ConcatenationEqualsDecodeForEveryKind) {
  const ByteTokenizer bytes;
  expect_streams_exactly(bytes, bytes.encode(kText));
  const auto chars = CharTokenizer::train(kText);
  expect_streams_exactly(*chars, chars->encode(kText));
  const auto words = WordTokenizer::train(kText, 0, 1);
  expect_streams_exactly(*words, words->encode(kText));
  expect_streams_exactly(*words, words->encode("( fox's den ) The\nThe quick"));
  const auto bpe = BpeTokenizer::train(test::generate_text(20000, 4) + kText, 600);
  expect_streams_exactly(*bpe, bpe->encode(kText));
  // A bpe token can end inside a character: merges of raw bytes from a corpus of 3-byte characters.
  const std::string cjk = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE6\x97\xA5\xE6\x9C\xAC\xE6\x97\xA5";
  const auto cjk_bpe = BpeTokenizer::train(cjk + cjk + cjk, 300);
  expect_streams_exactly(*cjk_bpe, cjk_bpe->encode(cjk));
}

TEST(TextStreamer, HoldsBackAnUnfinishedCharacter) {
  const ByteTokenizer tok;
  TextStreamer streamer(tok);
  EXPECT_EQ(streamer.push('a'), "a");
  EXPECT_EQ(streamer.push(0xE2), "");
  EXPECT_EQ(streamer.push(0x82), "");
  EXPECT_EQ(streamer.push(0xAC), "\xE2\x82\xAC");
  EXPECT_EQ(streamer.push(0xF0), "");
  EXPECT_EQ(streamer.push(0x9F), "");
  EXPECT_EQ(streamer.finish(), "\xEF\xBF\xBD");  // the unfinished emoji becomes U+FFFD
  EXPECT_EQ(streamer.push('b'), "b");            // and the streamer starts afresh
  EXPECT_EQ(streamer.finish(), "");
}

TEST(TextStreamer, ReplacesBytesThatCanNeverFormACharacter) {
  const ByteTokenizer tok;
  TextStreamer streamer(tok);
  EXPECT_EQ(streamer.push(0xFF), "\xEF\xBF\xBD");
  EXPECT_EQ(streamer.push(0x80), "\xEF\xBF\xBD");  // stray continuation byte
  EXPECT_EQ(streamer.push(0xE2), "");
  EXPECT_EQ(streamer.push('x'),
            "\xEF\xBF\xBD"
            "x");  // a lead byte cut short by ASCII
  Rng rng(21);
  std::string all;
  for (int i = 0; i < 2000; ++i) {
    const std::string piece = streamer.push(static_cast<int32_t>(rng.below(256)));
    ASSERT_TRUE(test::is_valid_utf8(piece));
    all += piece;
  }
  all += streamer.finish();
  EXPECT_TRUE(test::is_valid_utf8(all));
}

TEST(TextStreamer, OutOfRangeIdThrowsAndLeavesTheStreamIntact) {
  const ByteTokenizer tok;
  TextStreamer streamer(tok);
  EXPECT_EQ(streamer.push(0xE2), "");
  test::expect_error([&] { streamer.push(256); }, {"token id 256"});
  EXPECT_EQ(streamer.push(0x82), "");
  EXPECT_EQ(streamer.push(0xAC), "\xE2\x82\xAC");
  const auto words = WordTokenizer::train("a b", 0, 1);
  TextStreamer word_streamer(*words);
  EXPECT_EQ(word_streamer.push(1), "a");
  test::expect_error([&] { word_streamer.push(-1); }, {"token id -1"});
  EXPECT_EQ(word_streamer.push(2), " b");  // the spacing still sees "a" before "b"
}

}  // namespace
}  // namespace cllm
