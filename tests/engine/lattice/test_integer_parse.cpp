// Reading typed integers: plain, separated, powers with offsets; every error names where it went wrong.
#include "lattice/integer_parse.h"

#include <gtest/gtest.h>

#include "../expect_error.h"

namespace cllm::test {
namespace {

TEST(IntegerParse, DecimalsWithSignsAndSeparators) {
  EXPECT_EQ(parse_integer("12345"), 12345);
  EXPECT_EQ(parse_integer("-42"), -42);
  EXPECT_EQ(parse_integer("+7"), 7);
  EXPECT_EQ(parse_integer("  0 "), 0);
  EXPECT_EQ(parse_integer("1,000,000"), 1000000);
  EXPECT_EQ(parse_integer("1_000 000"), 1000000);
  const std::string long_digits(200, '9');
  EXPECT_EQ(parse_integer(long_digits), pow(BigInt(10), 200) - 1);
}

TEST(IntegerParse, PowersWithOffsets) {
  EXPECT_EQ(parse_integer("2^521-1"), (BigInt(1) << 521) - 1);
  EXPECT_EQ(parse_integer("10^30 + 57"), pow(BigInt(10), 30) + 57);
  EXPECT_EQ(parse_integer(" 2 ^ 10 "), 1024);
  EXPECT_EQ(parse_integer("-3^5"), -243);
  EXPECT_EQ(parse_integer("2^64-59"), BigInt("18446744073709551557"));
  EXPECT_EQ(parse_integer("0^0"), 1);
  EXPECT_EQ(parse_integer("1^99999999999999999999"), 1);  // trivial bases never reach the digit limit
}

TEST(IntegerParse, ErrorsNameTheCharacterAndPosition) {
  expect_error([] { parse_integer("12a4"); }, "unexpected 'a' at position 3");
  expect_error([] { parse_integer(""); }, "empty");
  expect_error([] { parse_integer("   "); }, "empty");
  expect_error([] { parse_integer("2^"); }, "the text ends at position 3");
  expect_error([] { parse_integer("^5"); }, "unexpected '^' at position 1");
  expect_error([] { parse_integer("12-3"); }, "only a power may be followed by + or -");
  expect_error([] { parse_integer("\xC3\xA9"); }, "byte 0xC3 at position 1");
  expect_error([] { parse_integer("1,,"); }, "unexpected ',' at position 2");
  expect_error([] { parse_integer("2^3^4"); }, "unexpected '^' at position 4");
}

TEST(IntegerParse, RefusesNumbersBeyondTheDigitLimit) {
  EXPECT_EQ(decimal_digits(parse_integer(std::string(kMaxIntegerDigits, '7'))), kMaxIntegerDigits);
  expect_error([] { parse_integer(std::string(kMaxIntegerDigits + 1, '7')); }, "the limit is 1000");
  expect_error([] { parse_integer("2^5000"); }, "would have about 1506 digits; the limit is 1000");
  expect_error([] { parse_integer("10^99999999999999999999999"); }, "the power at position 4");
  EXPECT_EQ(decimal_digits(parse_integer("10^999")), 1000u);
  expect_error([] { parse_integer("10^999 * 10"); }, "unexpected '*'");
}

TEST(BigInt, DigitsAndAbbreviation) {
  EXPECT_EQ(decimal_digits(0), 1u);
  EXPECT_EQ(decimal_digits(-999), 3u);
  EXPECT_EQ(abbreviated_decimal(BigInt("1234567890123456789012345678")), "1234...5678");
  EXPECT_EQ(abbreviated_decimal(BigInt("-1234567890123456789012345678")), "-1234...5678");
  EXPECT_EQ(abbreviated_decimal(12345), "12345");
}

}  // namespace
}  // namespace cllm::test
