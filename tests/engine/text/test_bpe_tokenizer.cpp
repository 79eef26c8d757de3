#include "text/bpe_tokenizer.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "test_util.h"

namespace cllm {
namespace {

using test::expect_error;
using Ids = std::vector<int32_t>;
using Merge = BpeTokenizer::Merge;
using Chunks = std::vector<std::string_view>;

// The textbook algorithm, for cross-checking: within each chunk, repeatedly merge every occurrence (left
// to right) of the adjacent pair with the lowest rank.
Ids reference_encode(const BpeTokenizer& tok, std::string_view text) {
  std::map<std::pair<int32_t, int32_t>, int32_t> rank;
  for (size_t i = 0; i < tok.merges().size(); ++i)
    rank[{tok.merges()[i].left, tok.merges()[i].right}] = static_cast<int32_t>(256 + i);
  Ids out;
  for (std::string_view chunk : BpeTokenizer::split(text)) {
    Ids seq;
    for (char c : chunk) seq.push_back(static_cast<unsigned char>(c));
    while (true) {
      int32_t best = INT32_MAX;
      for (size_t k = 0; k + 1 < seq.size(); ++k) {
        const auto it = rank.find({seq[k], seq[k + 1]});
        if (it != rank.end()) best = std::min(best, it->second);
      }
      if (best == INT32_MAX) break;
      const Merge m = tok.merges()[best - 256];
      Ids next;
      for (size_t k = 0; k < seq.size();) {
        if (k + 1 < seq.size() && seq[k] == m.left && seq[k + 1] == m.right) {
          next.push_back(best);
          k += 2;
        } else {
          next.push_back(seq[k++]);
        }
      }
      seq = next;
    }
    out.insert(out.end(), seq.begin(), seq.end());
  }
  return out;
}

// The textbook trainer, for cross-checking the incremental one: recount every pair before each merge.
std::vector<Merge> reference_train(std::string_view text, int vocab_size) {
  std::map<std::string_view, int64_t> chunk_counts;
  for (std::string_view chunk : BpeTokenizer::split(text)) ++chunk_counts[chunk];
  std::vector<std::pair<Ids, int64_t>> seqs;
  for (const auto& [chunk, count] : chunk_counts) {
    Ids seq;
    for (char c : chunk) seq.push_back(static_cast<unsigned char>(c));
    seqs.emplace_back(seq, count);
  }
  std::vector<Merge> merges;
  while (256 + static_cast<int>(merges.size()) < vocab_size) {
    std::map<std::pair<int32_t, int32_t>, int64_t> counts;
    for (const auto& [seq, count] : seqs)
      for (size_t k = 0; k + 1 < seq.size(); ++k) counts[{seq[k], seq[k + 1]}] += count;
    if (counts.empty()) break;
    auto best = counts.begin();  // std::map order: the first of equal counts is the smallest pair
    for (auto it = counts.begin(); it != counts.end(); ++it)
      if (it->second > best->second) best = it;
    const int32_t id = 256 + static_cast<int32_t>(merges.size());
    merges.push_back({best->first.first, best->first.second});
    for (auto& [seq, count] : seqs) {
      Ids next;
      for (size_t k = 0; k < seq.size();) {
        if (k + 1 < seq.size() && seq[k] == best->first.first && seq[k + 1] == best->first.second) {
          next.push_back(id);
          k += 2;
        } else {
          next.push_back(seq[k++]);
        }
      }
      seq = next;
    }
  }
  return merges;
}

TEST(BpeTokenizer, SplitsIntoChunks) {
  EXPECT_EQ(BpeTokenizer::split("Hello world  42x\n\n  foo!!"),
            (Chunks{"Hello", " world", " ", " 42", "x", "\n\n ", " foo", "!!"}));
  EXPECT_EQ(BpeTokenizer::split("caf\xC3\xA9 $%a\xFF\xFE 7\t"),
            (Chunks{"caf\xC3\xA9", " $%", "a\xFF\xFE", " 7", "\t"}));
  EXPECT_EQ(BpeTokenizer::split("a  "), (Chunks{"a", "  "}));
  EXPECT_EQ(BpeTokenizer::split(" "), (Chunks{" "}));
  EXPECT_EQ(BpeTokenizer::split(" \n"), (Chunks{" \n"}));
  EXPECT_TRUE(BpeTokenizer::split("").empty());
}

TEST(BpeTokenizer, HandCheckedMergesAndEarlyStop) {
  // "aaabdaaabac" is one chunk. Counts: aa 4, ab 2, others 1 -> merge (a,a)=256, leaving
  // [256 a b d 256 a b a c]. Then (256,a) and (a,b) tie at 2; the smaller pair (97,98) wins -> 257.
  // [256 257 d 256 257 a c]: (256,257) 2 -> 258. [258 d 258 a c]: all 1, smallest (97,99) -> 259.
  // [258 d 258 259]: smallest (100,258) -> 260. [258 260 259] -> (258,260) = 261, then (261,259) = 262.
  const auto tok = BpeTokenizer::train("aaabdaaabac", 1000);
  const std::vector<Merge> expected = {{97, 97},   {97, 98},   {256, 257}, {97, 99},
                                       {100, 258}, {258, 260}, {261, 259}};
  EXPECT_EQ(tok->merges(), expected);
  EXPECT_EQ(tok->vocab_size(), 263);  // stopped early: the whole text is one token
  EXPECT_EQ(tok->encode("aaabdaaabac"), (Ids{262}));
  EXPECT_EQ(tok->token_bytes(258), "aaab");
  EXPECT_EQ(tok->token_bytes(262), "aaabdaaabac");

  const auto two = BpeTokenizer::train("aaabdaaabac", 258);  // the vocabulary size is honoured
  EXPECT_EQ(two->vocab_size(), 258);
  EXPECT_EQ(two->merges(), (std::vector<Merge>{{97, 97}, {97, 98}}));
  EXPECT_EQ(two->encode("aaabdaaabac"), (Ids{256, 257, 100, 256, 257, 97, 99}));
  EXPECT_EQ(two->encode("aaaa"), (Ids{256, 256}));
  EXPECT_EQ(two->encode("aaaaa"), (Ids{256, 256, 97}));
}

TEST(BpeTokenizer, MergesNeverCrossChunks) {
  // Chunks "ab", " ab", " ab": (a,b) 3 -> 256, then (" ",256) 2 -> 257; nothing is left to merge.
  const auto tok = BpeTokenizer::train("ab ab ab", 300);
  EXPECT_EQ(tok->merges(), (std::vector<Merge>{{97, 98}, {32, 256}}));
  EXPECT_EQ(tok->vocab_size(), 258);
  EXPECT_EQ(tok->encode("ab ab"), (Ids{256, 257}));
  // A text of single-byte chunks has no pair at all.
  EXPECT_EQ(BpeTokenizer::train("a.b,c", 300)->vocab_size(), 256);
}

TEST(BpeTokenizer, IncrementalTrainingMatchesFullRecounts) {
  // Varied text so that many merges overlap, tie and run out: generated prose, repeated letters, digits,
  // whitespace runs, non-ASCII bytes.
  Rng rng(17);
  std::string text = test::generate_text(6000, 31);
  for (int i = 0; i < 300; ++i) {
    const char* pieces[] = {"aaaa", "aaa",  "ab", "ba", " ",        "  ",
                            "\n\n", "1234", "99", "!!", "\xC3\xA9", "\xFF"};
    text += pieces[rng.below(12)];
  }
  for (int vocab : {257, 300, 600, 2000}) {
    SCOPED_TRACE(vocab);
    EXPECT_EQ(BpeTokenizer::train(text, vocab)->merges(), reference_train(text, vocab));
  }
  const std::string noise = test::random_bytes(rng, 3000);
  EXPECT_EQ(BpeTokenizer::train(noise, 500)->merges(), reference_train(noise, 500));
}

TEST(BpeTokenizer, RoundTripsAnyBytes) {
  const std::string english = test::generate_text(20000, 5);
  const auto tok = BpeTokenizer::train(english, 400);
  ASSERT_EQ(tok->vocab_size(), 400);
  const std::string multilingual =
      "Caf\xC3\xA9 \xE2\x82\xAC"
      "12 \xF0\x9F\x98\x80\xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\n\n"
      "  \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82!";
  for (const std::string& text :
       {english, multilingual, std::string(), std::string("\xFF\xC3(\xE2\x82 \x80")})
    EXPECT_EQ(tok->decode(tok->encode(text)), text);
  Rng rng(9);
  for (int i = 0; i < 100; ++i) {
    const std::string bytes = test::random_bytes(rng, rng.below(200));
    EXPECT_EQ(tok->decode(tok->encode(bytes)), bytes);
  }
  // A tokenizer trained on random bytes round-trips too (merges between arbitrary bytes).
  const std::string noise = test::random_bytes(rng, 5000);
  const auto noisy = BpeTokenizer::train(noise, 600);
  EXPECT_EQ(noisy->decode(noisy->encode(noise)), noise);
}

TEST(BpeTokenizer, EncodingMatchesTheReferenceAlgorithm) {
  const std::string english = test::generate_text(30000, 8);
  const auto tok = BpeTokenizer::train(english, 500);
  const std::string sample = test::generate_text(3000, 99);
  EXPECT_EQ(tok->encode(sample), reference_encode(*tok, sample));
  // Long chunks bypass the cache; repeated letters exercise overlapping pairs.
  const std::string long_chunks =
      std::string(1000, 'e') + " " + std::string(333, ' ') + "x" + std::string(257, '!');
  EXPECT_EQ(tok->encode(long_chunks), reference_encode(*tok, long_chunks));
  // The whole training text, mostly from the warm cache.
  EXPECT_EQ(tok->encode(english), reference_encode(*tok, english));
}

TEST(BpeTokenizer, ConcurrentEncodesAgree) {
  const std::string english = test::generate_text(20000, 12);
  const auto tok = BpeTokenizer::train(english, 400);
  std::vector<std::string> texts;
  std::vector<Ids> expected;
  for (int t = 0; t < 4; ++t) {
    texts.push_back(test::generate_text(20000, 100 + t));
    expected.push_back(reference_encode(*tok, texts.back()));
  }
  std::vector<Ids> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&, t] { results[t] = tok->encode(texts[t]); });
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(results[t], expected[t]) << "thread " << t;
}

TEST(BpeTokenizer, LargerCorpusRoundTripsAndCompresses) {
  const std::string text = test::generate_text(300000, 2024);
  const auto tok = BpeTokenizer::train(text, 512);
  EXPECT_EQ(tok->vocab_size(), 512);
  const Ids ids = tok->encode(text);
  EXPECT_EQ(tok->decode(ids), text);
  EXPECT_LT(ids.size(), text.size() / 2);
  for (int32_t id : ids) ASSERT_TRUE(id >= 0 && id < 512);
}

TEST(BpeTokenizer, Errors) {
  expect_error([] { BpeTokenizer::train("some text", 256); }, {"vocab_size", "at least 257", "got 256"});
  expect_error([] { BpeTokenizer::train("", 300); }, {"empty"});
  const auto tok = BpeTokenizer::train("ab ab ab", 300);
  expect_error([&] { tok->decode(Ids{97, 258}); }, {"token id 258", "[0, 258)"});
  expect_error([&] { tok->token_bytes(-1); }, {"token id -1"});
}

// Issue 13, defect 2 (tokenizer): 40 merges, each of the previous token with itself, spell a token of
// 2^41 bytes; building the vocabulary took 6 GiB before it failed. Refused while reading the merges.
TEST(BpeTokenizer, DoublingMergesAreRefusedBeforeTheyAllocate) {
  nlohmann::json merges = nlohmann::json::array({{97, 97}});
  for (int i = 0; i < 39; ++i) merges.push_back({256 + i, 256 + i});
  const nlohmann::json j = {{"kind", "bpe"}, {"vocab_size", 256 + 40}, {"merges", merges}};
  expect_error([&] { BpeTokenizer::from_json(j); },
               {"\"merges\"[16] makes a token of 131072 bytes, more than the limit of 65536"});
  // Training never makes such a token: a run of one character class ends its chunk at 65,536 bytes.
  const std::string run(70000, 'a');
  const auto chunks = BpeTokenizer::split(run);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].size(), 65536u);
  EXPECT_EQ(chunks[1].size(), 70000u - 65536u);
}

}  // namespace
}  // namespace cllm
