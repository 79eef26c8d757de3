#include "text/byte_tokenizer.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace cllm {
namespace {

TEST(ByteTokenizer, IdIsTheByteValue) {
  const ByteTokenizer tok;
  EXPECT_EQ(tok.vocab_size(), 256);
  EXPECT_EQ(tok.encode("A\n\xFF"), (std::vector<int32_t>{65, 10, 255}));
  const std::string with_nul("A\0\xFF", 3);
  EXPECT_EQ(tok.encode(with_nul), (std::vector<int32_t>{65, 0, 255}));
  EXPECT_EQ(tok.token_bytes(0xE2), "\xE2");
}

TEST(ByteTokenizer, RoundTripsEveryByteAndRandomStrings) {
  const ByteTokenizer tok;
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  EXPECT_EQ(tok.decode(tok.encode(all)), all);
  Rng rng(7);
  for (int i = 0; i < 50; ++i) {
    const std::string s = test::random_bytes(rng, rng.below(300));
    EXPECT_EQ(tok.decode(tok.encode(s)), s);
  }
  EXPECT_TRUE(tok.encode("").empty());
  const std::string multilingual = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC";
  EXPECT_EQ(tok.decode(tok.encode(multilingual)), multilingual);
}

TEST(ByteTokenizer, DecodeRejectsIdsOutOfRange) {
  const ByteTokenizer tok;
  const std::vector<int32_t> bad = {65, 256};
  test::expect_error([&] { tok.decode(bad); }, {"token id 256", "[0, 256)"});
  test::expect_error([&] { tok.token_bytes(-5); }, {"token id -5"});
}

}  // namespace
}  // namespace cllm
