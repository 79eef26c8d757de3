#pragma once
// Root-word modelling ("primes are roots, composites are their variations"): every word of a word
// vocabulary splits into a root and at most one affix from a small English list, so that "walked",
// "walking" and "walks" share the root "walk". The model then embeds a word as E_root + E_affix, and the
// number analyser shows a word's number p_root x p_affix.
//
// The affixes (affix id 0 means none):
//   suffixes  's  s  es  ed  ing  er  est  ly  ness  ment  ful  less
//   prefixes  un  re
// A word splits only when what is left is itself a word of the vocabulary, at least 3 characters long:
// tried for the suffixes longest first, then the prefixes; for a suffix the root may also be the rest
// plus "e" when the rest has 3 characters or more ("hoped" -> "hope", not "thing" -> "the") or the rest
// minus a doubled final consonant ("running" -> "run"). Matching
// is case-sensitive, like the word tokenizer. Words that do not split are their own root; so are <unk>,
// punctuation and "\n".
//
// Root ids follow the first word (in vocabulary order, i.e. by descending frequency) that has the root,
// so frequent roots get small ids (and small primes).

#include <cstdint>
#include <string>
#include <vector>

namespace cllm {

class Tokenizer;

struct WordRoots {
  std::vector<int32_t> root_of;      // [V] root id of each word
  std::vector<int32_t> affix_of;     // [V] affix id of each word (0 = none)
  std::vector<std::string> roots;    // [R] the root strings
  std::vector<std::string> affixes;  // [A] "" then the affix list, as written above ("-ing", "un-")
};

// The affix list: [0] = "" (none), then "-'s", "-s", ..., "un-", "re-".
const std::vector<std::string>& affix_names();
// `vocab[id]` is word id's text (WordTokenizer's vocabulary).
WordRoots split_word_roots(const std::vector<std::string>& vocab);
// The same for a tokenizer's vocabulary (each token's text, token_bytes).
WordRoots split_word_roots(const Tokenizer& tokenizer);

}  // namespace cllm
