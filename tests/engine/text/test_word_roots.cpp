#include "text/word_roots.h"

#include <gtest/gtest.h>

namespace cllm {
namespace {

// root and affix of `word` in the split of `vocab`.
std::pair<std::string, std::string> split_of(const WordRoots& r, const std::vector<std::string>& vocab,
                                             const std::string& word) {
  const auto v = std::find(vocab.begin(), vocab.end(), word) - vocab.begin();
  return {r.roots[r.root_of[v]], r.affixes[r.affix_of[v]]};
}

TEST(WordRoots, SplitsIntoARootOfTheVocabularyAndOneAffix) {
  const std::vector<std::string> vocab = {
      "<unk>",   "the",   "walk",   "walked",  "walking", "walks", "hope", "hoped", "run",
      "running", "kind",  "unkind", "kindly",  "do",      "does",  "is",   ",",     "sing",
      "thing",   "cat's", "cat",    "lessons", "lesson",  "re",    "redo"};
  const WordRoots r = split_word_roots(vocab);
  ASSERT_EQ(r.root_of.size(), vocab.size());
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(split_of(r, vocab, "walked"), P("walk", "-ed"));
  EXPECT_EQ(split_of(r, vocab, "walking"), P("walk", "-ing"));
  EXPECT_EQ(split_of(r, vocab, "walks"), P("walk", "-s"));
  EXPECT_EQ(split_of(r, vocab, "walk"), P("walk", ""));
  EXPECT_EQ(split_of(r, vocab, "hoped"), P("hope", "-ed"));    // rest + "e"
  EXPECT_EQ(split_of(r, vocab, "running"), P("run", "-ing"));  // doubled consonant
  EXPECT_EQ(split_of(r, vocab, "unkind"), P("kind", "un-"));
  EXPECT_EQ(split_of(r, vocab, "kindly"), P("kind", "-ly"));
  EXPECT_EQ(split_of(r, vocab, "cat's"), P("cat", "-'s"));
  EXPECT_EQ(split_of(r, vocab, "lessons"), P("lesson", "-s"));  // not "less" + ...
  EXPECT_EQ(split_of(r, vocab, "does"), P("does", ""));         // "do" is shorter than 3 characters
  EXPECT_EQ(split_of(r, vocab, "thing"), P("thing", ""));       // "th" is no word
  EXPECT_EQ(split_of(r, vocab, "redo"), P("redo", ""));         // "do" is too short to be a root
  EXPECT_EQ(split_of(r, vocab, ","), P(",", ""));
  // Shared roots get one id, in order of the first word that has them (vocabulary = frequency order).
  EXPECT_EQ(r.root_of[2], r.root_of[3]);
  EXPECT_EQ(r.roots[r.root_of[3]], "walk");
  EXPECT_EQ(r.root_of[0], 0);
  EXPECT_EQ(r.roots.size(), vocab.size() - 9);  // 9 words split onto another word's root
  EXPECT_EQ(r.affixes.size(), affix_names().size());
  EXPECT_EQ(r.affixes[0], "");
}

}  // namespace
}  // namespace cllm
