#include "text/char_tokenizer.h"

#include <algorithm>
#include <cassert>

#include "text/tokenizer_support.h"
#include "text/utf8.h"
#include "util/error.h"

namespace cllm {
namespace ts = tokenizer_support;

std::unique_ptr<CharTokenizer> CharTokenizer::train(std::string_view text) {
  require(!text.empty(), "char tokenizer: cannot train on empty text");
  ts::require_valid_utf8(text, "char tokenizer");
  struct Stat {
    int64_t count = 0;
    size_t first = 0;
  };
  std::array<Stat, 128> ascii{};
  std::unordered_map<char32_t, Stat> other;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if (ascii[b].count++ == 0) ascii[b].first = i;
      ++i;
      continue;
    }
    const utf8::Decoded d = utf8::decode_at(text, i);
    assert(d.length > 0);  // validated above
    auto [it, inserted] = other.try_emplace(d.code_point, Stat{0, i});
    ++it->second.count;
    i += d.length;
  }
  std::vector<std::pair<char32_t, Stat>> stats;
  for (char32_t c = 0; c < 128; ++c)
    if (ascii[c].count > 0) stats.emplace_back(c, ascii[c]);
  stats.insert(stats.end(), other.begin(), other.end());
  std::sort(stats.begin(), stats.end(), [](const auto& a, const auto& b) {
    if (a.second.count != b.second.count) return a.second.count > b.second.count;
    return a.second.first < b.second.first;
  });
  std::vector<char32_t> vocab;
  vocab.reserve(stats.size());
  for (const auto& s : stats) vocab.push_back(s.first);
  return std::make_unique<CharTokenizer>(std::move(vocab));
}

std::unique_ptr<CharTokenizer> CharTokenizer::from_json(const nlohmann::json& j) {
  const auto& vocab_json = ts::field(j, "vocab", nlohmann::json::value_t::array);
  require(!vocab_json.empty(), "tokenizer JSON: char \"vocab\" is empty");
  std::vector<char32_t> vocab;
  std::unordered_map<char32_t, size_t> seen;
  for (size_t i = 0; i < vocab_json.size(); ++i) {
    const std::string where = "\"vocab\"[" + std::to_string(i) + "]";
    const std::string& s = ts::string_value(vocab_json[i], where);
    const utf8::Decoded d = utf8::decode_at(s, 0);
    require(d.length > 0 && d.length == s.size(),
            "tokenizer JSON: " + where + " must be exactly one UTF-8 character, found " +
                std::to_string(s.size()) + " bytes \"" + printable_label(s) + "\"");
    const auto [it, inserted] = seen.emplace(d.code_point, i);
    require(inserted, "tokenizer JSON: " + where + " duplicates \"vocab\"[" + std::to_string(it->second) +
                          "] (" + utf8::code_point_name(d.code_point) + ")");
    vocab.push_back(d.code_point);
  }
  ts::check_vocab_size(j, static_cast<int64_t>(vocab.size()), "\"vocab\"");
  return std::make_unique<CharTokenizer>(std::move(vocab));
}

CharTokenizer::CharTokenizer(std::vector<char32_t> vocab) : vocab_(std::move(vocab)) {
  ascii_ids_.fill(-1);
  utf8_.reserve(vocab_.size());
  for (size_t id = 0; id < vocab_.size(); ++id) {
    const char32_t cp = vocab_[id];
    utf8_.push_back(utf8::encode(cp));
    if (cp < 128) {
      assert(ascii_ids_[cp] < 0);
      ascii_ids_[cp] = static_cast<int32_t>(id);
    } else {
      [[maybe_unused]] const bool inserted = other_ids_.emplace(cp, static_cast<int32_t>(id)).second;
      assert(inserted);
    }
  }
}

std::vector<int32_t> CharTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> ids;
  ids.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      const int32_t id = ascii_ids_[b];
      if (id < 0) throw_unknown(text, i, b);
      ids.push_back(id);
      ++i;
      continue;
    }
    const utf8::Decoded d = utf8::decode_at(text, i);
    if (d.length == 0) {
      ts::require_valid_utf8(text, "char tokenizer");  // throws with line and column
      throw Error("char tokenizer: invalid UTF-8 at byte offset " + std::to_string(i));  // not reached
    }
    const auto it = other_ids_.find(d.code_point);
    if (it == other_ids_.end()) throw_unknown(text, i, d.code_point);
    ids.push_back(it->second);
    i += d.length;
  }
  return ids;
}

void CharTokenizer::throw_unknown(std::string_view text, size_t offset, char32_t cp) const {
  // Everything before `offset` is valid UTF-8: the column counts code points (non-continuation bytes).
  const std::string_view before = text.substr(0, offset);
  const size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  const size_t line = 1 + std::count(before.begin(), before.end(), '\n');
  const size_t column = 1 + std::count_if(before.begin() + line_start, before.end(), [](char c) {
                          return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
                        });
  throw Error("char tokenizer: character " + utf8::code_point_name(cp) + " '" +
              printable_label(utf8::encode(cp)) + "' at byte offset " + std::to_string(offset) + " (line " +
              std::to_string(line) + ", column " + std::to_string(column) + ") is not in the vocabulary of " +
              std::to_string(vocab_.size()) + " characters");
}

void CharTokenizer::check_id(int32_t id) const {
  require(id >= 0 && static_cast<size_t>(id) < vocab_.size(), "char tokenizer: token id " +
                                                                  std::to_string(id) + " is outside [0, " +
                                                                  std::to_string(vocab_.size()) + ")");
}

std::string CharTokenizer::decode(std::span<const int32_t> ids) const {
  std::string text;
  text.reserve(ids.size());
  for (const int32_t id : ids) {
    check_id(id);
    text += utf8_[id];
  }
  return text;
}

std::string CharTokenizer::token_bytes(int32_t id) const {
  check_id(id);
  return utf8_[id];
}

nlohmann::json CharTokenizer::to_json() const {
  return {{"kind", "char"}, {"vocab_size", vocab_.size()}, {"vocab", utf8_}};
}

}  // namespace cllm
