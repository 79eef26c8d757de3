#pragma once
// Small helpers shared by the text tests.

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <string_view>

#include "../expect_error.h"
#include "text/utf8.h"
#include "util/rng.h"

namespace cllm::test {

inline bool is_valid_utf8(std::string_view s) {
  return !utf8::find_invalid(s).has_value();
}

inline std::string random_bytes(Rng& rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng.below(256));
  return s;
}

// Deterministic English-like text of about `bytes` bytes: sentences of words drawn with a skewed
// (roughly Zipfian) distribution, punctuation, and paragraphs.
inline std::string generate_text(size_t bytes, uint64_t seed) {
  static const char* const kWords[] = {
      "the",   "of",    "and",     "to",      "a",      "in",    "that",   "is",      "was",   "he",
      "for",   "it",    "with",    "as",      "his",    "on",    "be",     "at",      "by",    "I",
      "this",  "had",   "not",     "are",     "but",    "from",  "or",     "have",    "an",    "they",
      "which", "one",   "you",     "were",    "her",    "all",   "she",    "there",   "would", "their",
      "we",    "him",   "been",    "has",     "when",   "who",   "will",   "more",    "no",    "if",
      "out",   "so",    "said",    "what",    "up",     "its",   "about",  "into",    "than",  "them",
      "can",   "only",  "other",   "new",     "some",   "could", "time",   "these",   "two",   "may",
      "king",  "queen", "castle",  "river",   "forest", "sword", "bread",  "winter",  "stone", "lantern",
      "north", "south", "morning", "evening", "silver", "crown", "market", "harbour", "ship",  "garden"};
  constexpr size_t kCount = sizeof kWords / sizeof kWords[0];
  Rng rng(seed);
  std::string text;
  bool sentence_start = true;
  while (text.size() < bytes) {
    // Squaring a uniform number skews the draw towards the first (most common) words.
    const double u = rng.uniform();
    std::string word = kWords[static_cast<size_t>(u * u * kCount)];
    if (sentence_start) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    text += word;
    sentence_start = false;
    const uint64_t r = rng.below(100);
    if (r < 8) {
      text += ". ";
      sentence_start = true;
    } else if (r < 12) {
      text += ", ";
    } else if (r < 13) {
      text += ".\n\n";
      sentence_start = true;
    } else {
      text += ' ';
    }
  }
  return text;
}

}  // namespace cllm::test
