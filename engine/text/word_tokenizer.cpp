#include "text/word_tokenizer.h"

#include <algorithm>
#include <cassert>

#include "text/tokenizer_support.h"
#include "text/utf8.h"
#include "util/error.h"

namespace cllm {
namespace ts = tokenizer_support;
namespace {

bool is_word_byte(unsigned char b) {
  // Non-ASCII code points count as letters; all their bytes are >= 0x80 (input is valid UTF-8).
  return b >= 0x80 || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

bool is_dropped_space(unsigned char b) {
  return b == ' ' || b == '\t' || b == '\r' || b == '\v' || b == '\f';
}

bool no_space_before(std::string_view token) {
  return token.size() == 1 && std::string_view("\n,.;:!?)]}'").find(token[0]) != std::string_view::npos;
}

bool no_space_after(std::string_view token) {
  return token.size() == 1 && std::string_view("\n([{").find(token[0]) != std::string_view::npos;
}

}  // namespace

std::vector<std::string_view> WordTokenizer::split(std::string_view text) {
  ts::require_valid_utf8(text, "word tokenizer");
  std::vector<std::string_view> tokens;
  const auto at = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  for (size_t i = 0; i < text.size();) {
    const unsigned char b = at(i);
    if (is_dropped_space(b)) {
      ++i;
    } else if (is_word_byte(b)) {
      size_t j = i + 1;
      while (j < text.size()) {
        if (is_word_byte(at(j))) {
          ++j;
        } else if (text[j] == '\'' && j + 1 < text.size() && is_word_byte(at(j + 1))) {
          j += 2;
        } else {
          break;
        }
      }
      tokens.push_back(text.substr(i, j - i));
      i = j;
    } else {
      tokens.push_back(text.substr(i, 1));  // ASCII punctuation, "\n" or another control character
      ++i;
    }
  }
  return tokens;
}

std::unique_ptr<WordTokenizer> WordTokenizer::train(std::string_view text, int vocab_size,
                                                    int min_frequency) {
  require(vocab_size == 0 || vocab_size >= 2,
          "word tokenizer: vocab_size must be 0 (no limit) or at least 2 (<unk> + one word), got " +
              std::to_string(vocab_size));
  require(min_frequency >= 1,
          "word tokenizer: min_frequency must be at least 1, got " + std::to_string(min_frequency));
  require(!text.empty(), "word tokenizer: cannot train on empty text");
  struct Stat {
    int64_t count = 0;
    size_t first = 0;
  };
  std::unordered_map<std::string_view, Stat> stats;
  const std::vector<std::string_view> tokens = split(text);
  for (size_t i = 0; i < tokens.size(); ++i) {
    auto [it, inserted] = stats.try_emplace(tokens[i], Stat{0, i});
    ++it->second.count;
  }
  std::vector<std::pair<std::string_view, Stat>> kept;
  for (const auto& entry : stats)
    if (entry.second.count >= min_frequency) kept.push_back(entry);
  std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    if (a.second.count != b.second.count) return a.second.count > b.second.count;
    return a.second.first < b.second.first;
  });
  if (vocab_size > 0 && kept.size() > static_cast<size_t>(vocab_size - 1)) kept.resize(vocab_size - 1);
  std::vector<std::string> vocab{kUnknownToken};
  for (const auto& entry : kept) vocab.emplace_back(entry.first);
  return std::make_unique<WordTokenizer>(std::move(vocab));
}

std::unique_ptr<WordTokenizer> WordTokenizer::from_json(const nlohmann::json& j) {
  const auto& vocab_json = ts::field(j, "vocab", nlohmann::json::value_t::array);
  std::vector<std::string> vocab;
  std::unordered_map<std::string, size_t> seen;
  for (size_t i = 0; i < vocab_json.size(); ++i) {
    const std::string where = "\"vocab\"[" + std::to_string(i) + "]";
    const std::string& word = ts::string_value(vocab_json[i], where);
    require(!word.empty(), "tokenizer JSON: " + where + " is an empty string");
    ts::require_valid_utf8(word, "tokenizer JSON: " + where);
    const auto [it, inserted] = seen.emplace(word, i);
    require(inserted, "tokenizer JSON: " + where + " \"" + printable_label(word) +
                          "\" duplicates \"vocab\"[" + std::to_string(it->second) + "]");
    vocab.push_back(word);
  }
  require(!vocab.empty() && vocab[0] == kUnknownToken,
          std::string("tokenizer JSON: word \"vocab\"[0] must be \"") + kUnknownToken + "\"");
  ts::check_vocab_size(j, static_cast<int64_t>(vocab.size()), "\"vocab\"");
  return std::make_unique<WordTokenizer>(std::move(vocab));
}

WordTokenizer::WordTokenizer(std::vector<std::string> vocab) : vocab_(std::move(vocab)) {
  assert(!vocab_.empty() && vocab_[0] == kUnknownToken);
  for (size_t id = 0; id < vocab_.size(); ++id) {
    [[maybe_unused]] const bool inserted = ids_.emplace(vocab_[id], static_cast<int32_t>(id)).second;
    assert(inserted);
  }
}

std::vector<int32_t> WordTokenizer::encode(std::string_view text) const {
  const std::vector<std::string_view> tokens = split(text);
  std::vector<int32_t> ids;
  ids.reserve(tokens.size());
  for (const std::string_view token : tokens) {
    const auto it = ids_.find(token);
    // "<unk>" in the text splits into "<", "unk", ">", so only unknown words map to kUnknownId.
    ids.push_back(it == ids_.end() ? kUnknownId : it->second);
  }
  return ids;
}

void WordTokenizer::check_id(int32_t id) const {
  require(id >= 0 && static_cast<size_t>(id) < vocab_.size(), "word tokenizer: token id " +
                                                                  std::to_string(id) + " is outside [0, " +
                                                                  std::to_string(vocab_.size()) + ")");
}

std::string WordTokenizer::decode(std::span<const int32_t> ids) const {
  std::string text;
  for (size_t i = 0; i < ids.size(); ++i) {
    check_id(ids[i]);
    const std::string& token = vocab_[ids[i]];
    if (i > 0 && !no_space_after(vocab_[ids[i - 1]]) && !no_space_before(token)) text += ' ';
    text += token;
  }
  return text;
}

std::string WordTokenizer::token_bytes(int32_t id) const {
  check_id(id);
  return vocab_[id];
}

nlohmann::json WordTokenizer::to_json() const {
  return {{"kind", "word"}, {"vocab_size", vocab_.size()}, {"vocab", vocab_}};
}

}  // namespace cllm
