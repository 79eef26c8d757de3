#include "text/word_tokenizer.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace cllm {
namespace {

using test::expect_error;
using Ids = std::vector<int32_t>;
using Words = std::vector<std::string_view>;

TEST(WordTokenizer, SplitsWordsPunctuationAndNewlines) {
  EXPECT_EQ(WordTokenizer::split("Don't stop, o'er the hills!\n'tis dogs' (fun)\r\n"),
            (Words{"Don't", "stop", ",", "o'er", "the", "hills", "!", "\n", "'", "tis", "dogs", "'", "(",
                   "fun", ")", "\n"}));
  // Spaces and tabs are dropped; digits belong to words; every non-ASCII code point is a letter.
  EXPECT_EQ(WordTokenizer::split("  route66\t\tcaf\xC3\xA9\xE2\x80\x94"
                                 "au 3.5 "),
            (Words{"route66",
                   "caf\xC3\xA9\xE2\x80\x94"
                   "au",
                   "3", ".", "5"}));
  EXPECT_EQ(WordTokenizer::split("a''b -- x\x01y"), (Words{"a", "'", "'", "b", "-", "-", "x", "\x01", "y"}));
  EXPECT_EQ(WordTokenizer::split("\n\n"), (Words{"\n", "\n"}));
  EXPECT_TRUE(WordTokenizer::split(" \t ").empty());
}

TEST(WordTokenizer, IdsByDescendingFrequencyTiesByFirstOccurrence) {
  // the:3, cat:2, then saw, dog, ".", ran once each in order of first occurrence.
  const auto tok = WordTokenizer::train("the cat saw the dog. the cat ran", 0, 1);
  ASSERT_EQ(tok->vocab_size(), 7);
  const char* expected[] = {"<unk>", "the", "cat", "saw", "dog", ".", "ran"};
  for (int32_t id = 0; id < 7; ++id) EXPECT_EQ(tok->token_bytes(id), expected[id]);
  EXPECT_EQ(tok->encode("the dog ran."), (Ids{1, 4, 6, 5}));
}

TEST(WordTokenizer, VocabSizeAndMinFrequencyMapDroppedWordsToUnk) {
  const std::string text = "the cat saw the dog. the cat ran";
  const auto capped = WordTokenizer::train(text, 4, 1);  // <unk>, the, cat, saw
  EXPECT_EQ(capped->vocab_size(), 4);
  EXPECT_EQ(capped->encode("the dog saw a cat"), (Ids{1, 0, 3, 0, 2}));
  const auto frequent = WordTokenizer::train(text, 0, 2);  // <unk>, the, cat
  EXPECT_EQ(frequent->vocab_size(), 3);
  EXPECT_EQ(frequent->encode("saw the cat"), (Ids{0, 1, 2}));
  // The literal text "<unk>" is punctuation and a word, never the special token.
  EXPECT_EQ(frequent->encode("<unk>"), (Ids{0, 0, 0}));
  EXPECT_EQ(frequent->decode(Ids{0, 1}), "<unk> the");
}

TEST(WordTokenizer, DecodeSpacingRules) {
  const WordTokenizer tok({"<unk>", "Hello", ",", "world", "!", "(", "yes", ")", "\n", "don't", ".",
                           "'",     "tis",   "[", "a",     "]", "{", "b",   "}", ";",  ":",     "?"});
  EXPECT_EQ(tok.decode(Ids{1, 2, 3, 4}), "Hello, world!");
  EXPECT_EQ(tok.decode(Ids{5, 6, 7, 9, 10}), "(yes) don't.");
  EXPECT_EQ(tok.decode(Ids{8, 1, 8, 8, 3, 8}), "\nHello\n\nworld\n");
  EXPECT_EQ(tok.decode(Ids{1, 11, 12}), "Hello' tis");
  EXPECT_EQ(tok.decode(Ids{13, 14, 15, 16, 17, 18, 19, 14, 20, 17, 21}), "[a] {b}; a: b?");
  EXPECT_EQ(tok.decode(Ids{5, 5, 0, 7, 7}), "((<unk>))");
  EXPECT_EQ(tok.decode(Ids{}), "");
}

TEST(WordTokenizer, RoundTripIsExactOnlyForNormalisedText) {
  const std::string text = "Hello, world! (yes) don't stop.\nnext \xC3\xA9t\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC";
  const auto tok = WordTokenizer::train(text, 0, 1);
  EXPECT_EQ(tok->decode(tok->encode(text)), text);
  EXPECT_EQ(tok->decode(tok->encode("Hello  ,\tworld\r\n")), "Hello, world\n");
  EXPECT_EQ(tok->decode(tok->encode("Hello, moon!")), "Hello, <unk>!");
  EXPECT_TRUE(tok->encode("").empty());
}

TEST(WordTokenizer, DecodeIsPrefixStable) {
  const WordTokenizer tok({"<unk>", "a", "(", ")", "\n", ",", "'", "["});
  Rng rng(11);
  Ids ids;
  for (int i = 0; i < 300; ++i) ids.push_back(static_cast<int32_t>(rng.below(8)));
  std::string previous;
  for (size_t n = 0; n <= ids.size(); ++n) {
    const std::string text = tok.decode(std::span(ids.data(), n));
    ASSERT_EQ(text.compare(0, previous.size(), previous), 0) << "prefix of length " << n;
    previous = text;
  }
}

TEST(WordTokenizer, Errors) {
  const auto tok = WordTokenizer::train("one two", 0, 1);
  expect_error([&] { tok->encode("one\n two \xC3"); },
               {"invalid UTF-8", "byte offset 9", "line 2, column 6"});
  expect_error([] { WordTokenizer::train("a\xFF", 0, 1); }, {"invalid UTF-8", "byte offset 1"});
  expect_error([] { WordTokenizer::train("", 0, 1); }, {"empty"});
  expect_error([] { WordTokenizer::train("a", 1, 1); }, {"vocab_size", "got 1"});
  expect_error([] { WordTokenizer::train("a", -3, 1); }, {"vocab_size", "got -3"});
  expect_error([] { WordTokenizer::train("a", 0, 0); }, {"min_frequency", "got 0"});
  expect_error([&] { tok->decode(Ids{1, 3}); }, {"token id 3", "[0, 3)"});
  expect_error([&] { tok->token_bytes(-1); }, {"token id -1"});
}

}  // namespace
}  // namespace cllm
