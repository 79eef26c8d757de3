#include "text/word_roots.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "text/tokenizer.h"

namespace cllm {
namespace {

// Longest first, so "es" is tried before "s" and "ness" before "s".
const std::vector<std::string> kSuffixes = {"ness", "ment", "less", "ing", "est", "ful",
                                            "'s",   "es",   "ed",   "er",  "ly",  "s"};
const std::vector<std::string> kPrefixes = {"un", "re"};

bool is_consonant(char c) {
  return std::string_view("bcdfghjklmnpqrstvwxz").find(c) != std::string_view::npos;
}

}  // namespace

const std::vector<std::string>& affix_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n = {""};
    for (const char* s : {"'s", "s", "es", "ed", "ing", "er", "est", "ly", "ness", "ment", "ful", "less"})
      n.push_back(std::string("-") + s);
    for (const char* p : {"un", "re"}) n.push_back(std::string(p) + "-");
    return n;
  }();
  return names;
}

WordRoots split_word_roots(const std::vector<std::string>& vocab) {
  const std::unordered_set<std::string> words(vocab.begin(), vocab.end());
  auto is_word = [&](const std::string& w) { return w.size() >= 3 && words.count(w) > 0; };
  auto affix_id = [](const std::string& name) {
    const auto& names = affix_names();
    return static_cast<int32_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };

  WordRoots r;
  r.affixes = affix_names();
  std::unordered_map<std::string, int32_t> root_ids;
  for (const std::string& word : vocab) {
    std::string root = word;
    int32_t affix = 0;
    for (const std::string& suffix : kSuffixes) {
      if (word.size() <= suffix.size() || !word.ends_with(suffix)) continue;
      const std::string rest = word.substr(0, word.size() - suffix.size());
      const bool doubled =
          rest.size() >= 2 && rest.back() == rest[rest.size() - 2] && is_consonant(rest.back());
      // "+e" only when the rest is itself root-sized: "hoped" -> "hope", but not "thing" -> "the".
      for (const std::string& candidate : {rest, rest.size() >= 3 ? rest + "e" : std::string(),
                                           doubled ? rest.substr(0, rest.size() - 1) : std::string()})
        if (candidate != word && is_word(candidate)) {
          root = candidate;
          affix = affix_id("-" + suffix);
          break;
        }
      if (affix) break;
    }
    for (size_t i = 0; !affix && i < kPrefixes.size(); ++i) {
      const std::string& prefix = kPrefixes[i];
      if (word.size() > prefix.size() && word.starts_with(prefix) && is_word(word.substr(prefix.size()))) {
        root = word.substr(prefix.size());
        affix = affix_id(prefix + "-");
      }
    }
    const auto [it, added] = root_ids.try_emplace(root, static_cast<int32_t>(r.roots.size()));
    if (added) r.roots.push_back(root);
    r.root_of.push_back(it->second);
    r.affix_of.push_back(affix);
  }
  return r;
}

WordRoots split_word_roots(const Tokenizer& tokenizer) {
  std::vector<std::string> vocab;
  vocab.reserve(static_cast<size_t>(tokenizer.vocab_size()));
  for (int32_t id = 0; id < tokenizer.vocab_size(); ++id) vocab.push_back(tokenizer.token_bytes(id));
  return split_word_roots(vocab);
}

}  // namespace cllm
