#include "text/tokenizer.h"

#include <gtest/gtest.h>

#include <set>

#include "test_util.h"
#include "text/bpe_tokenizer.h"
#include "text/byte_tokenizer.h"
#include "text/char_tokenizer.h"
#include "text/word_tokenizer.h"

namespace cllm {
namespace {

using nlohmann::json;
using test::expect_error;
using Ids = std::vector<int32_t>;

const std::string kCorpus =
    "The king said: \"Don't go!\"\nThe queen (smiling) went anyway, 3 times.\n"
    "Caf\xC3\xA9 \xE2\x82\xAC"
    "5 \xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC\n";

TokenizerSpec spec(std::string kind, int vocab_size = 0, int min_frequency = 1) {
  TokenizerSpec s;
  s.kind = std::move(kind);
  s.vocab_size = vocab_size;
  s.min_frequency = min_frequency;
  return s;
}

TEST(TokenLabel, EscapesControlsSpacesAndInvalidBytes) {
  EXPECT_EQ(printable_label("a"), "a");
  EXPECT_EQ(printable_label("\n"), "\\n");
  EXPECT_EQ(printable_label("\t"), "\\t");
  EXPECT_EQ(printable_label(" the"), "\xE2\x90\xA3the");
  EXPECT_EQ(printable_label(std::string("\0\x1B\x7F", 3)), "\\x00\\x1B\\x7F");
  EXPECT_EQ(printable_label("\\n"), "\\\\n");  // a real backslash cannot pass for an escape
  EXPECT_EQ(printable_label("caf\xC3\xA9\xF0\x9F\x98\x80"), "caf\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(printable_label("\xE2\x82"), "\\xE2\\x82");  // partial sequence
  EXPECT_EQ(printable_label("\xFF"
                            "a"),
            "\\xFF"
            "a");                                                 // invalid byte
  EXPECT_EQ(printable_label("\xC2\x85"), "\\xC2\\x85");           // C1 control NEL
  EXPECT_EQ(printable_label("\xE2\x90\xA3"), "\\xE2\\x90\\xA3");  // a literal U+2423 vs a space
  EXPECT_EQ(printable_label(""), "");
}

TEST(TokenLabel, EveryByteTokenHasADistinctValidLabel) {
  const ByteTokenizer tok;
  std::set<std::string> labels;
  for (int32_t id = 0; id < 256; ++id) {
    const std::string label = tok.token_label(id);
    EXPECT_TRUE(test::is_valid_utf8(label)) << id;
    EXPECT_FALSE(label.empty());
    labels.insert(label);
  }
  EXPECT_EQ(labels.size(), 256u);
  EXPECT_EQ(tok.token_label(' '), "\xE2\x90\xA3");
  EXPECT_EQ(tok.token_label(0xC3), "\\xC3");
  expect_error([&] { tok.token_label(300); }, {"token id 300"});
  const WordTokenizer words({"<unk>", "\n", "don't"});
  EXPECT_EQ(words.token_label(1), "\\n");
  EXPECT_EQ(words.token_label(2), "don't");
}

TEST(TrainTokenizer, BuildsEachKind) {
  for (const char* kind : {"char", "byte", "word", "bpe"}) {
    const auto tok = train_tokenizer(spec(kind, 300), kCorpus);
    EXPECT_EQ(tok->kind(), kind);
  }
  EXPECT_EQ(train_tokenizer(spec("byte"), kCorpus)->vocab_size(), 256);
  EXPECT_EQ(train_tokenizer(spec("char"), "abcabc")->vocab_size(), 3);
  EXPECT_EQ(train_tokenizer(spec("word", 3), "a b b c c c")->vocab_size(), 3);
  EXPECT_EQ(train_tokenizer(spec("word", 0, 2), "a b b c c c")->vocab_size(), 3);
  EXPECT_EQ(train_tokenizer(spec("bpe", 258), "ab ab ab")->vocab_size(), 258);
  EXPECT_EQ(train_tokenizer(spec("bpe", 5000), "ab ab ab")->vocab_size(), 258);  // stops early
  // Fields a kind does not use are ignored.
  EXPECT_EQ(train_tokenizer(spec("char", -4, 0), "ab")->vocab_size(), 2);
}

TEST(TrainTokenizer, RejectsImpossibleSpecs) {
  expect_error([] { train_tokenizer(spec("sentencepiece"), "abc"); },
               {"unknown tokenizer kind", "sentencepiece"});
  expect_error([] { train_tokenizer(spec("bpe", -1), "abc"); }, {"at least 257", "got -1"});
  expect_error([] { train_tokenizer(spec("bpe", 256), "abc"); }, {"at least 257", "got 256"});
  expect_error([] { train_tokenizer(spec("word", 1), "abc"); }, {"vocab_size", "got 1"});
  expect_error([] { train_tokenizer(spec("word", 0, 0), "abc"); }, {"min_frequency"});
  for (const char* kind : {"char", "byte", "word", "bpe"})
    expect_error([&] { train_tokenizer(spec(kind, 300), ""); }, {"empty"});
  expect_error([] { train_tokenizer(spec("char"), "ab\xC3("); }, {"invalid UTF-8", "byte offset 2"});
  expect_error([] { train_tokenizer(spec("word"), "ab \xC3("); }, {"invalid UTF-8", "byte offset 3"});
}

TEST(TrainTokenizer, BpeWithoutAVocabularySizeGetsTheDefault) {
  // `cllm train --tokenizer bpe` without --vocab-size used to fail with "at least 257 ... got 0".
  EXPECT_EQ(default_vocab_size("bpe"), 512);
  for (const char* kind : {"char", "byte", "word"}) EXPECT_EQ(default_vocab_size(kind), 0) << kind;
  const auto tok = train_tokenizer(spec("bpe"), test::generate_text(60000, 3));
  EXPECT_EQ(tok->kind(), "bpe");
  EXPECT_EQ(tok->vocab_size(), default_vocab_size("bpe"));
}

TEST(UnknownTokenRate, ShareOfUnkForWordsAndZeroForLosslessKinds) {
  // Vocabulary 2 keeps "<unk>" and "a": of a a a b c \n, the b, c and newline are unknown.
  const auto words = train_tokenizer(spec("word", 2), "a a a b c\n");
  EXPECT_EQ(words->unknown_id(), WordTokenizer::kUnknownId);
  EXPECT_DOUBLE_EQ(unknown_token_rate(*words, std::string_view("a a a b c\n")), 0.5);
  const Ids ids = words->encode("a b a");
  EXPECT_DOUBLE_EQ(unknown_token_rate(*words, ids), 1.0 / 3.0);
  EXPECT_EQ(unknown_token_rate(*words, Ids{}), 0.0);
  // Keeping every word: nothing of the training text is unknown.
  EXPECT_EQ(unknown_token_rate(*train_tokenizer(spec("word"), kCorpus), std::string_view(kCorpus)), 0.0);
  for (const char* kind : {"char", "byte", "bpe"}) {
    const auto tok = train_tokenizer(spec(kind, 300), kCorpus);
    EXPECT_FALSE(tok->unknown_id().has_value()) << kind;
    EXPECT_EQ(unknown_token_rate(*tok, std::string_view(kCorpus)), 0.0) << kind;
  }
}

TEST(TrainTokenizer, ArbitraryBytesEncodeOrThrowError) {
  Rng rng(5);
  for (const char* kind : {"char", "byte", "word", "bpe"}) {
    SCOPED_TRACE(kind);
    const auto tok = train_tokenizer(spec(kind, 300), kCorpus);
    int encoded = 0;
    for (int i = 0; i < 300; ++i) {
      // Mostly corpus characters, sometimes a random byte: valid and invalid UTF-8 both occur.
      std::string text;
      for (uint64_t n = rng.below(40); n > 0; --n)
        text += rng.below(8) == 0 ? static_cast<char>(rng.below(256)) : kCorpus[rng.below(kCorpus.size())];
      try {
        const Ids ids = tok->encode(text);
        ++encoded;
        for (int32_t id : ids) ASSERT_TRUE(id >= 0 && id < tok->vocab_size());
        if (tok->kind() != "word") {
          EXPECT_EQ(tok->decode(ids), text);
        }
      } catch (const Error&) {
        EXPECT_TRUE(tok->kind() == "char" || tok->kind() == "word");
      }
    }
    EXPECT_GT(encoded, 0);
  }
}

TEST(TokenizerJson, RoundTripsEveryKind) {
  const std::string sample =
      "The queen said: \"Don't!\" \xE2\x82\xAC"
      "5\n";
  for (const char* kind : {"char", "byte", "word", "bpe"}) {
    SCOPED_TRACE(kind);
    const auto original = train_tokenizer(spec(kind, 300), kCorpus);
    const json saved = original->to_json();
    EXPECT_EQ(saved.at("kind"), kind);
    EXPECT_EQ(saved.at("vocab_size"), original->vocab_size());
    // Through text, as in a checkpoint file.
    const auto restored = tokenizer_from_json(json::parse(saved.dump()));
    EXPECT_EQ(restored->kind(), original->kind());
    EXPECT_EQ(restored->vocab_size(), original->vocab_size());
    EXPECT_EQ(restored->to_json(), saved);
    const Ids ids = original->encode(sample);
    EXPECT_EQ(restored->encode(sample), ids);
    EXPECT_EQ(restored->decode(ids), original->decode(ids));
    for (int32_t id = 0; id < original->vocab_size(); ++id)
      ASSERT_EQ(restored->token_bytes(id), original->token_bytes(id)) << id;
  }
}

TEST(TokenizerJson, RejectsCorruptInput) {
  const auto from = [](const std::string& text) { return tokenizer_from_json(json::parse(text)); };
  expect_error([&] { from("[1, 2]"); }, {"expected an object", "array"});
  expect_error([&] { from(R"({"vocab_size": 256})"); }, {"missing field \"kind\""});
  expect_error([&] { from(R"({"kind": 3})"); }, {"\"kind\" is number", "expected string"});
  expect_error([&] { from(R"({"kind": "unigram"})"); }, {"\"kind\" is \"unigram\""});
  // byte
  expect_error([&] { from(R"({"kind": "byte"})"); }, {"missing field \"vocab_size\""});
  expect_error([&] { from(R"({"kind": "byte", "vocab_size": 255})"); },
               {"\"vocab_size\" is 255", "implies 256"});
  expect_error([&] { from(R"({"kind": "byte", "vocab_size": "256"})"); }, {"\"vocab_size\" is string"});
  // char
  expect_error([&] { from(R"({"kind": "char", "vocab_size": 2})"); }, {"missing field \"vocab\""});
  expect_error([&] { from(R"({"kind": "char", "vocab_size": 0, "vocab": []})"); }, {"\"vocab\" is empty"});
  expect_error([&] { from(R"({"kind": "char", "vocab_size": 2, "vocab": ["a", "bc"]})"); },
               {"\"vocab\"[1]", "exactly one UTF-8 character", "bc"});
  expect_error([&] { from(R"({"kind": "char", "vocab_size": 3, "vocab": ["a", "b", "a"]})"); },
               {"\"vocab\"[2]", "duplicates \"vocab\"[0]", "U+0061"});
  expect_error([&] { from(R"({"kind": "char", "vocab_size": 2, "vocab": ["a", 7]})"); },
               {"\"vocab\"[1] is number", "expected a string"});
  expect_error([&] { from(R"({"kind": "char", "vocab_size": 3, "vocab": ["a", "b"]})"); },
               {"\"vocab_size\" is 3", "implies 2"});
  expect_error([&] { from(R"({"kind": "char", "vocab_size": -2, "vocab": ["a", "b"]})"); },
               {"\"vocab_size\" is -2"});
  // word
  expect_error([&] { from(R"({"kind": "word", "vocab_size": 2, "vocab": ["the", "<unk>"]})"); },
               {"\"vocab\"[0] must be \"<unk>\""});
  expect_error([&] { from(R"({"kind": "word", "vocab_size": 3, "vocab": ["<unk>", "the", "the"]})"); },
               {"\"vocab\"[2]", "the", "duplicates \"vocab\"[1]"});
  expect_error([&] { from(R"({"kind": "word", "vocab_size": 2, "vocab": ["<unk>", ""]})"); },
               {"\"vocab\"[1] is an empty string"});
  expect_error([&] { from(R"({"kind": "word", "vocab_size": 2, "vocab": "<unk> the"})"); },
               {"\"vocab\" is string", "expected array"});
  // bpe
  expect_error([&] { from(R"({"kind": "bpe", "vocab_size": 256})"); }, {"missing field \"merges\""});
  expect_error([&] { from(R"({"kind": "bpe", "vocab_size": 257, "merges": [[-1, 97]]})"); },
               {"\"merges\"[0][0] is -1", "[0, 255]"});
  expect_error([&] { from(R"({"kind": "bpe", "vocab_size": 257, "merges": [[97, 256]]})"); },
               {"\"merges\"[0][1] is 256", "[0, 255]"});
  expect_error([&] { from(R"({"kind": "bpe", "vocab_size": 258, "merges": [[97, 98], [257, 97]]})"); },
               {"\"merges\"[1][0] is 257", "[0, 256]"});
  expect_error([&] { from(R"({"kind": "bpe", "vocab_size": 258, "merges": [[97, 98], [97, 98]]})"); },
               {"\"merges\"[1]", "[97, 98] duplicates \"merges\"[0]"});
  expect_error([&] { from(R"({"kind": "bpe", "vocab_size": 257, "merges": [[97, 98, 99]]})"); },
               {"\"merges\"[0] is an array of 3 elements"});
  expect_error([&] { from(R"({"kind": "bpe", "vocab_size": 257, "merges": [{"left": 97}]})"); },
               {"\"merges\"[0] is object"});
  expect_error([&] { from(R"({"kind": "bpe", "vocab_size": 257, "merges": [[97.5, 98]]})"); },
               {"\"merges\"[0][0] is number", "expected an integer"});
  expect_error([&] { from(R"({"kind": "bpe", "vocab_size": 257, "merges": [[18446744073709551615, 98]]})"); },
               {"\"merges\"[0][0] is 18446744073709551615"});
  expect_error([&] { from(R"({"kind": "bpe", "vocab_size": 300, "merges": [[97, 98]]})"); },
               {"\"vocab_size\" is 300", "implies 257"});
}

}  // namespace
}  // namespace cllm
