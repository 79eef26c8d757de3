#pragma once
// Character tokenizer: one id per distinct Unicode code point of the training text, no special tokens
// (tinyshakespeare gives exactly 65 ids, as in nanoGPT). Ids go by DESCENDING frequency in the training
// text, ties broken by first occurrence, so frequent characters get small ids (the project maps id k
// to the k-th prime). Encoding takes valid UTF-8 only and round-trips exactly: decode(encode(t)) == t.
//
// Encoding is a direct 128-entry table for ASCII plus a hash map for the rest (hundreds of MB/s on
// ASCII). Immutable after construction; thread-safe.

#include <array>
#include <memory>
#include <unordered_map>

#include "text/tokenizer.h"

namespace cllm {

class CharTokenizer final : public Tokenizer {
 public:
  // Throws cllm::Error on empty or invalid UTF-8 text.
  static std::unique_ptr<CharTokenizer> train(std::string_view text);
  // Reads {"kind":"char","vocab_size":N,"vocab":["e"," ",...]} (one code point per string, id order).
  static std::unique_ptr<CharTokenizer> from_json(const nlohmann::json& j);
  // `vocab[id]` is the code point of token id. Precondition: distinct scalar values, non-empty.
  explicit CharTokenizer(std::vector<char32_t> vocab);

  std::string kind() const override { return "char"; }
  int vocab_size() const override { return static_cast<int>(vocab_.size()); }
  std::vector<int32_t> encode(std::string_view text) const override;
  std::string decode(std::span<const int32_t> ids) const override;
  std::string token_bytes(int32_t id) const override;
  nlohmann::json to_json() const override;

  const std::vector<char32_t>& vocab() const { return vocab_; }

 private:
  [[noreturn]] void throw_unknown(std::string_view text, size_t offset, char32_t cp) const;
  void check_id(int32_t id) const;

  std::vector<char32_t> vocab_;
  std::vector<std::string> utf8_;         // vocab_[id] encoded, for decode
  std::array<int32_t, 128> ascii_ids_{};  // -1 when the ASCII character is not in the vocabulary
  std::unordered_map<char32_t, int32_t> other_ids_;
};

}  // namespace cllm
