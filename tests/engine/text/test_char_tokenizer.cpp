#include "text/char_tokenizer.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace cllm {
namespace {

using test::expect_error;

std::vector<int32_t> ids(std::initializer_list<int32_t> list) {
  return list;
}

TEST(CharTokenizer, IdsByDescendingFrequencyTiesByFirstOccurrence) {
  // a:5, b:2 (first at 1), r:2 (first at 2), c:1 (first at 4), d:1 (first at 6).
  const auto tok = CharTokenizer::train("abracadabra");
  EXPECT_EQ(tok->vocab_size(), 5);
  EXPECT_EQ(tok->vocab(), (std::vector<char32_t>{U'a', U'b', U'r', U'c', U'd'}));
  EXPECT_EQ(tok->encode("abracadabra"), ids({0, 1, 2, 0, 3, 0, 4, 0, 1, 2, 0}));
}

TEST(CharTokenizer, NonAsciiCharactersTakePartInTheOrdering) {
  // x:3, é:2 (first at 0), a:2 (first at 2), €:1. "é" sorts before the ASCII "a" on first occurrence.
  const auto tok = CharTokenizer::train(
      "\xC3\xA9"
      "a\xC3\xA9"
      "axxx\xE2\x82\xAC");
  EXPECT_EQ(tok->vocab(), (std::vector<char32_t>{U'x', U'\u00E9', U'a', U'\u20AC'}));
  EXPECT_EQ(tok->encode("\xE2\x82\xAC"
                        "a\xC3\xA9x"),
            ids({3, 2, 1, 0}));
}

TEST(CharTokenizer, RoundTripsAsciiAndMultilingualText) {
  const std::string text =
      "Hello, world!\n\tcaf\xC3\xA9 \xE2\x82\xAC"
      "5 \xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E "
      "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82";
  const auto tok = CharTokenizer::train(text);
  const auto encoded = tok->encode(text);
  EXPECT_EQ(encoded.size(), utf8::decode(text).size());  // one id per code point
  EXPECT_EQ(tok->decode(encoded), text);
  EXPECT_TRUE(tok->encode("").empty());
  EXPECT_EQ(tok->decode({}), "");
  EXPECT_EQ(tok->token_bytes(tok->encode("\xF0\x9F\x98\x80")[0]), "\xF0\x9F\x98\x80");
}

TEST(CharTokenizer, UnseenCharacterIsReportedWithCodePointAndOffset) {
  const auto tok = CharTokenizer::train("abc\n");
  expect_error([&] { tok->encode("ab\nc\xC3\xA9"); },
               {"U+00E9", "'\xC3\xA9'", "byte offset 4", "line 2, column 2", "vocabulary of 4"});
  expect_error([&] { tok->encode("abz"); }, {"U+007A", "'z'", "byte offset 2", "line 1, column 3"});
  // A control character is shown escaped, so the message stays one printable line.
  expect_error([&] { tok->encode("a\x01"); }, {"U+0001", "'\\x01'", "byte offset 1"});
}

TEST(CharTokenizer, InvalidUtf8IsReportedWithOffset) {
  const auto tok = CharTokenizer::train("abc\n");
  expect_error([&] { tok->encode("ab\n\xFF"); },
               {"invalid UTF-8", "byte offset 3", "line 2, column 1", "0xFF"});
  expect_error([&] { tok->encode("a\xC3"); }, {"invalid UTF-8", "byte offset 1", "0xC3"});  // truncated
  expect_error([] { CharTokenizer::train("ok\xED\xA0\x80"); },
               {"invalid UTF-8", "byte offset 2"});  // surrogate
  expect_error([] { CharTokenizer::train(""); }, {"empty"});
}

TEST(CharTokenizer, DecodeRejectsIdsOutOfRange) {
  const auto tok = CharTokenizer::train("abc");
  expect_error([&] { tok->decode(ids({0, 3})); }, {"token id 3", "[0, 3)"});
  expect_error([&] { tok->decode(ids({-1})); }, {"token id -1"});
  expect_error([&] { tok->token_bytes(7); }, {"token id 7"});
}

TEST(CharTokenizer, EncodesLongAsciiTextThroughTheFastPath) {
  const std::string text = test::generate_text(200000, 3);
  const auto tok = CharTokenizer::train(text);
  const auto encoded = tok->encode(text);
  ASSERT_EQ(encoded.size(), text.size());
  EXPECT_EQ(tok->decode(encoded), text);
  // The space is by far the most frequent character of the generated text.
  EXPECT_EQ(encoded[text.find(' ')], 0);
}

}  // namespace
}  // namespace cllm
