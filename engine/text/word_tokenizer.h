#pragma once
// Word tokenizer. Ids: 0 = "<unk>" (the only special token), then the kept words by DESCENDING
// frequency in the training text, ties broken by first occurrence. Case is kept.
//
// Pre-tokenisation (valid UTF-8 only; invalid input throws with the byte offset):
//   - a word is a maximal run of letters, digits and apostrophes that sit inside the word, i.e. between
//     two letters/digits ("don't", "o'er"; in "'tis" and "dogs'" the apostrophe is punctuation).
//     Letters are ASCII letters and EVERY non-ASCII code point; digits are 0-9;
//   - "\n" is a token, one per newline;
//   - space, tab, carriage return, vertical tab and form feed are dropped;
//   - every other character (ASCII punctuation, other control characters) is a token by itself.
// Training keeps words seen at least min_frequency times and, when vocab_size > 0, only the
// vocab_size - 1 most frequent of those; every other word encodes as <unk>.
//
// decode joins tokens with single spaces, except: nothing at the start; no space after "\n", "(", "["
// or "{"; no space before "\n", ",", ".", ";", ":", "!", "?", ")", "]", "}" or "'". <unk> decodes as
// "<unk>". So it does NOT round-trip exactly (spacing is normalised, rare words are lost), by design.
// The separator before a token depends only on it and the previous token, so decode is prefix-stable.
// Immutable after construction; thread-safe.

#include <memory>
#include <unordered_map>

#include "text/tokenizer.h"

namespace cllm {

class WordTokenizer final : public Tokenizer {
 public:
  static constexpr int32_t kUnknownId = 0;
  static constexpr const char* kUnknownToken = "<unk>";

  // Throws cllm::Error on empty or invalid UTF-8 text, vocab_size < 0 or == 1, min_frequency < 1.
  static std::unique_ptr<WordTokenizer> train(std::string_view text, int vocab_size, int min_frequency);
  // Reads {"kind":"word","vocab_size":N,"vocab":["<unk>","the",...]} (id order).
  static std::unique_ptr<WordTokenizer> from_json(const nlohmann::json& j);
  // `vocab[id]` is the word of token id. Precondition: vocab[0] == "<unk>", all distinct and non-empty.
  explicit WordTokenizer(std::vector<std::string> vocab);

  // The pre-tokenisation above, as views into `text`. Throws cllm::Error on invalid UTF-8.
  static std::vector<std::string_view> split(std::string_view text);

  std::string kind() const override { return "word"; }
  int vocab_size() const override { return static_cast<int>(vocab_.size()); }
  std::vector<int32_t> encode(std::string_view text) const override;
  std::string decode(std::span<const int32_t> ids) const override;
  std::string token_bytes(int32_t id) const override;
  std::optional<int32_t> unknown_id() const override { return kUnknownId; }
  nlohmann::json to_json() const override;

 private:
  // Heterogeneous lookup, so encode can look words up by string_view without copying.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  void check_id(int32_t id) const;

  std::vector<std::string> vocab_;
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> ids_;
};

}  // namespace cllm
