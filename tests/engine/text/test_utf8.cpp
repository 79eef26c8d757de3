#include "text/utf8.h"

#include <gtest/gtest.h>

namespace cllm::utf8 {
namespace {

TEST(Utf8, ValidTextHasNoInvalidPosition) {
  EXPECT_FALSE(find_invalid("plain ascii\nline two").has_value());
  EXPECT_FALSE(find_invalid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80").has_value());
  EXPECT_FALSE(find_invalid("").has_value());
}

TEST(Utf8, InvalidSequencesAreLocatedByOffsetLineAndColumn) {
  const auto pos = find_invalid("ab\ncd\xFF");
  ASSERT_TRUE(pos.has_value());
  EXPECT_EQ(pos->byte_offset, 5u);
  EXPECT_EQ(pos->line, 2u);
  EXPECT_EQ(pos->column, 3u);
}

TEST(Utf8, IllFormedClassesAreRejected) {
  EXPECT_TRUE(find_invalid("\xC0\xAF").has_value());          // overlong '/'
  EXPECT_TRUE(find_invalid("\xED\xA0\x80").has_value());      // surrogate U+D800
  EXPECT_TRUE(find_invalid("\xF4\x90\x80\x80").has_value());  // above U+10FFFF
  EXPECT_TRUE(find_invalid("\xE2\x82").has_value());          // truncated
  EXPECT_TRUE(find_invalid("\x80").has_value());              // stray continuation
}

TEST(Utf8, CompletePrefixHoldsBackUnfinishedCharacter) {
  const std::string euro = "\xE2\x82\xAC";
  EXPECT_EQ(complete_prefix_length("a" + euro.substr(0, 1)), 1u);
  EXPECT_EQ(complete_prefix_length("a" + euro.substr(0, 2)), 1u);
  EXPECT_EQ(complete_prefix_length("a" + euro), 4u);
  EXPECT_EQ(complete_prefix_length("abc"), 3u);
}

TEST(Utf8, CompletePrefixDoesNotHoldBackBytesThatCanNeverFinish) {
  EXPECT_EQ(complete_prefix_length("a\xFF"), 2u);          // never a lead byte
  EXPECT_EQ(complete_prefix_length("a\xC0"), 2u);          // overlong lead
  EXPECT_EQ(complete_prefix_length("a\xE0\x80"), 3u);      // E0 needs A0..BF next
  EXPECT_EQ(complete_prefix_length("a\xED\xA0"), 3u);      // would be a surrogate
  EXPECT_EQ(complete_prefix_length("a\xF4\x90"), 3u);      // would exceed U+10FFFF
  EXPECT_EQ(complete_prefix_length("a\xF0\x9F\x98"), 1u);  // a valid start of an emoji
  EXPECT_EQ(complete_prefix_length("\xC3\xA9\x80"), 3u);   // finished character + stray byte
  EXPECT_EQ(complete_prefix_length(""), 0u);
}

TEST(Utf8, DecodeAtReadsOneSequence) {
  const std::string text = "a\xC3\xA9\xF0\x9F\x98\x80\xE2\x82";
  EXPECT_EQ(decode_at(text, 0).code_point, U'a');
  EXPECT_EQ(decode_at(text, 0).length, 1u);
  EXPECT_EQ(decode_at(text, 1).code_point, U'\u00E9');
  EXPECT_EQ(decode_at(text, 1).length, 2u);
  EXPECT_EQ(decode_at(text, 3).code_point, U'\U0001F600');
  EXPECT_EQ(decode_at(text, 3).length, 4u);
  EXPECT_EQ(decode_at(text, 2).length, 0u);   // continuation byte
  EXPECT_EQ(decode_at(text, 7).length, 0u);   // truncated
  EXPECT_EQ(decode_at(text, 99).length, 0u);  // past the end
}

TEST(Utf8, EncodeDecodeRoundTrip) {
  const std::u32string cps = {U'a', U'\u00E9', U'\u20AC', U'\U0001F600'};
  std::string text;
  for (char32_t cp : cps) text += encode(cp);
  const auto back = decode(text);
  EXPECT_EQ(std::u32string(back.begin(), back.end()), cps);
  EXPECT_EQ(code_point_name(U'\u00E9'), "U+00E9");
}

}  // namespace
}  // namespace cllm::utf8
