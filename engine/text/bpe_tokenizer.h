#pragma once
// Byte-level byte-pair encoding, like GPT-2 without its regex. Ids 0..255 are the bytes; id 256 + i is
// merge i, standing for the bytes of its left token followed by those of its right token. Takes any
// bytes (valid UTF-8 or not) and round-trips them exactly; a token may be a partial UTF-8 sequence.
//
// Text is first split into chunks and merges never cross a chunk boundary. Scanning left to right, a
// chunk is one of:
//   - an optional single leading space followed by a run of letters (ASCII letters or any byte >= 0x80),
//   - an optional single leading space followed by a run of digits 0-9,
//   - an optional single leading space followed by a run of other bytes (not whitespace, letter, digit),
//   - a run of whitespace (space, \t, \n, \r, \v, \f); when such a run ends with a space that is followed
//     by a non-whitespace byte, that space is left to lead the next chunk (so "a  b" is "a", " ", " b").
//
// Training counts the distinct chunks, then repeatedly merges the most frequent adjacent pair (ties: the
// smallest (left id, right id)), merging left to right without overlap ("aaa" -> "aa" "a"), and updates
// the pair counts only around the merge sites. It stops early when no pair is left. Encoding applies the
// merges by rank within each chunk, which reproduces the training segmentation.
//
// Immutable after construction except for an internal chunk -> ids cache behind a shared_mutex, so
// const members are thread-safe.

#include <memory>
#include <shared_mutex>
#include <unordered_map>

#include "text/tokenizer.h"

namespace cllm {

class BpeTokenizer final : public Tokenizer {
 public:
  struct Merge {
    int32_t left = 0;
    int32_t right = 0;
    bool operator==(const Merge&) const = default;
  };

  // vocab_size >= 257 (throws cllm::Error otherwise, or on empty text); the result may be smaller when
  // the text runs out of pairs.
  static std::unique_ptr<BpeTokenizer> train(std::string_view text, int vocab_size);
  // Reads {"kind":"bpe","vocab_size":256+M,"merges":[[left,right],...]} (M merges, in order).
  static std::unique_ptr<BpeTokenizer> from_json(const nlohmann::json& j);
  // Precondition: merge i has both ids in [0, 256 + i) and no pair appears twice.
  explicit BpeTokenizer(std::vector<Merge> merges);

  // The chunking above, as views into `text`.
  static std::vector<std::string_view> split(std::string_view text);

  std::string kind() const override { return "bpe"; }
  int vocab_size() const override { return 256 + static_cast<int>(merges_.size()); }
  std::vector<int32_t> encode(std::string_view text) const override;
  std::string decode(std::span<const int32_t> ids) const override;
  std::string token_bytes(int32_t id) const override;
  nlohmann::json to_json() const override;

  const std::vector<Merge>& merges() const { return merges_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Chunks up to this many bytes are cached; the cache is emptied when it reaches kCacheEntries.
  static constexpr size_t kMaxCachedChunk = 64;
  static constexpr size_t kCacheEntries = 1 << 16;

  void encode_chunk(std::string_view chunk, std::vector<int32_t>& out) const;
  void check_id(int32_t id) const;

  std::vector<Merge> merges_;
  std::vector<std::string> bytes_;                   // token id -> the bytes it stands for
  std::unordered_map<uint64_t, int32_t> merge_ids_;  // (left << 32 | right) -> merged id
  mutable std::shared_mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<int32_t>, Hash, std::equal_to<>> cache_;
};

}  // namespace cllm
