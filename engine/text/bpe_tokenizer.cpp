#include "text/bpe_tokenizer.h"

#include <algorithm>
#include <cassert>
#include <mutex>
#include <optional>
#include <queue>

#include "text/tokenizer_support.h"
#include "util/error.h"

namespace cllm {
namespace ts = tokenizer_support;
namespace {

enum class ByteClass { kSpace, kLetter, kDigit, kOther };

ByteClass byte_class(char c) {
  const auto b = static_cast<unsigned char>(c);
  if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f') return ByteClass::kSpace;
  if (b >= 0x80 || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) return ByteClass::kLetter;
  if (b >= '0' && b <= '9') return ByteClass::kDigit;
  return ByteClass::kOther;
}

// The longest token a vocabulary may have: merges never cross chunks, and a chunk ends after this many
// bytes, so a trained vocabulary always loads again (from_json refuses longer tokens: a crafted file).
constexpr uint64_t kMaxTokenBytes = 64 * 1024;

// End of the chunk that starts at text[begin] (begin < text.size()).
size_t chunk_end(std::string_view text, size_t begin) {
  const size_t n = text.size();
  size_t i = begin;
  if (text[i] == ' ' && i + 1 < n && byte_class(text[i + 1]) != ByteClass::kSpace) ++i;  // leading space
  const ByteClass cls = byte_class(text[i]);
  size_t j = i + 1;
  const size_t limit = std::min<size_t>(n, begin + kMaxTokenBytes);
  while (j < limit && byte_class(text[j]) == cls) ++j;
  // A whitespace run leaves its last space to the word after it.
  if (cls == ByteClass::kSpace && j < n && j - i >= 2 && text[j - 1] == ' ') --j;
  return j;
}

uint64_t pair_key(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}
int32_t key_left(uint64_t key) {
  return static_cast<int32_t>(key >> 32);
}
int32_t key_right(uint64_t key) {
  return static_cast<int32_t>(key & 0xFFFFFFFFu);
}

// Incremental BPE training state: the distinct chunks as symbol sequences, the global pair counts, for
// each pair the chunks that (may) contain it, and a max-heap of (count, pair) with lazy deletion.
class Trainer {
 public:
  explicit Trainer(std::string_view text) {
    std::unordered_map<std::string_view, int64_t> chunk_counts;
    for (size_t i = 0; i < text.size();) {
      const size_t j = chunk_end(text, i);
      if (j - i >= 2) ++chunk_counts[text.substr(i, j - i)];  // a single byte has no pairs to merge
      i = j;
    }
    for (const auto& [chunk, count] : chunk_counts) {
      const auto c = static_cast<int32_t>(seqs_.size());
      seqs_.emplace_back(chunk.begin(), chunk.end());
      for (int32_t& s : seqs_.back()) s = static_cast<unsigned char>(s);
      freqs_.push_back(count);
      const auto& seq = seqs_.back();
      for (size_t k = 0; k + 1 < seq.size(); ++k) {
        const uint64_t key = pair_key(seq[k], seq[k + 1]);
        counts_[key] += count;
        auto& chunks = where_[key];
        if (chunks.empty() || chunks.back() != c) chunks.push_back(c);
      }
    }
    for (const auto& [key, count] : counts_) heap_.push({count, key});
  }

  // Performs the next merge and returns it, or nothing when no pair is left.
  std::optional<BpeTokenizer::Merge> merge_next(int32_t new_id) {
    const std::optional<uint64_t> best = pop_best();
    if (!best) return std::nullopt;
    const int32_t a = key_left(*best), b = key_right(*best);
    std::vector<int32_t> chunks = std::move(where_[*best]);
    where_.erase(*best);
    std::sort(chunks.begin(), chunks.end());
    chunks.erase(std::unique(chunks.begin(), chunks.end()), chunks.end());
    touched_.clear();
    for (const int32_t c : chunks) merge_in_chunk(c, a, b, new_id);
    std::sort(touched_.begin(), touched_.end());
    touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
    for (const uint64_t key : touched_) {
      const auto it = counts_.find(key);
      assert(it != counts_.end() && it->second >= 0);
      if (it->second == 0) {
        counts_.erase(it);
        where_.erase(key);
      } else {
        heap_.push({it->second, key});
      }
    }
    assert(!counts_.contains(*best));
    return BpeTokenizer::Merge{a, b};
  }

 private:
  struct Entry {
    int64_t count;
    uint64_t key;
    // Max-heap order: higher count first, then the smaller (left, right), i.e. the smaller key.
    bool operator<(const Entry& o) const { return count != o.count ? count < o.count : key > o.key; }
  };

  std::optional<uint64_t> pop_best() {
    while (!heap_.empty()) {
      const Entry top = heap_.top();
      heap_.pop();
      const auto it = counts_.find(top.key);
      if (it != counts_.end() && it->second == top.count) return top.key;  // else a stale entry
    }
    return std::nullopt;
  }

  void add(int32_t left, int32_t right, int64_t delta) {
    const uint64_t key = pair_key(left, right);
    counts_[key] += delta;
    touched_.push_back(key);
  }

  // Replaces every non-overlapping (a, b), left to right, in chunk c by x and updates the pair counts of
  // the pairs at and next to each site only.
  void merge_in_chunk(int32_t c, int32_t a, int32_t b, int32_t x) {
    const std::vector<int32_t>& s = seqs_[c];
    const int64_t f = freqs_[c];
    const size_t n = s.size();
    merged_.clear();
    sites_.clear();
    size_t previous_site = SIZE_MAX;  // old position of the previous site
    for (size_t k = 0; k < n;) {
      if (k + 1 < n && s[k] == a && s[k + 1] == b) {
        add(a, b, -f);
        // The pair on the left was already removed as the right neighbour of an adjacent previous site.
        if (k > 0 && !(k >= 2 && previous_site == k - 2)) add(s[k - 1], s[k], -f);
        if (k + 2 < n) add(s[k + 1], s[k + 2], -f);
        previous_site = k;
        sites_.push_back(merged_.size());
        merged_.push_back(x);
        k += 2;
      } else {
        merged_.push_back(s[k]);
        ++k;
      }
    }
    if (sites_.empty()) return;  // a stale entry of where_
    for (size_t i = 0; i < sites_.size(); ++i) {
      const size_t j = sites_[i];
      if (j > 0 && !(i > 0 && sites_[i - 1] + 1 == j)) {  // (x, x) is counted once, from the left site
        add(merged_[j - 1], x, f);
        where_[pair_key(merged_[j - 1], x)].push_back(c);
      }
      if (j + 1 < merged_.size()) {
        add(x, merged_[j + 1], f);
        where_[pair_key(x, merged_[j + 1])].push_back(c);
      }
    }
    seqs_[c].swap(merged_);
  }

  std::vector<std::vector<int32_t>> seqs_;
  std::vector<int64_t> freqs_;
  std::unordered_map<uint64_t, int64_t> counts_;
  std::unordered_map<uint64_t, std::vector<int32_t>> where_;
  std::priority_queue<Entry> heap_;
  std::vector<uint64_t> touched_;  // pairs whose count changed during the current merge
  std::vector<int32_t> merged_;    // scratch: the chunk being rewritten
  std::vector<size_t> sites_;      // scratch: positions of the new symbol in merged_
};

}  // namespace

std::unique_ptr<BpeTokenizer> BpeTokenizer::train(std::string_view text, int vocab_size) {
  require(vocab_size >= 257, "bpe tokenizer: vocab_size must be at least 257 (256 bytes + 1 merge), got " +
                                 std::to_string(vocab_size));
  require(!text.empty(), "bpe tokenizer: cannot train on empty text");
  Trainer trainer(text);
  std::vector<Merge> merges;
  while (256 + static_cast<int64_t>(merges.size()) < vocab_size) {
    const auto merge = trainer.merge_next(256 + static_cast<int32_t>(merges.size()));
    if (!merge) break;
    merges.push_back(*merge);
  }
  return std::make_unique<BpeTokenizer>(std::move(merges));
}

std::unique_ptr<BpeTokenizer> BpeTokenizer::from_json(const nlohmann::json& j) {
  // Each merge can double the longest token: 40 crafted merges spelled a token of 2^41 bytes, and the
  // constructor set out to build it (6 GiB before it failed; issue 13, defect 2). Trained tokens stay
  // within a chunk of text (at most kMaxTokenBytes), so these bounds hold for every real vocabulary.
  constexpr uint64_t kMaxTotalBytes = 64 * 1024 * 1024;
  const auto& merges_json = ts::field(j, "merges", nlohmann::json::value_t::array);
  std::vector<Merge> merges;
  std::vector<uint64_t> token_bytes(256, 1);
  uint64_t total_bytes = 256;
  std::unordered_map<uint64_t, size_t> seen;
  for (size_t i = 0; i < merges_json.size(); ++i) {
    const std::string where = "\"merges\"[" + std::to_string(i) + "]";
    const auto& m = merges_json[i];
    require(m.is_array() && m.size() == 2,
            "tokenizer JSON: " + where + " is " +
                (m.is_array() ? "an array of " + std::to_string(m.size()) + " elements" : m.type_name()) +
                ", expected a pair [left id, right id]");
    // A merge may only use the bytes and the tokens of earlier merges.
    const int64_t max_id = 255 + static_cast<int64_t>(i);
    const auto left = static_cast<int32_t>(ts::integer_in_range(m[0], where + "[0]", 0, max_id));
    const auto right = static_cast<int32_t>(ts::integer_in_range(m[1], where + "[1]", 0, max_id));
    const auto [it, inserted] = seen.emplace(pair_key(left, right), i);
    require(inserted, "tokenizer JSON: " + where + " [" + std::to_string(left) + ", " +
                          std::to_string(right) + "] duplicates \"merges\"[" + std::to_string(it->second) +
                          "]");
    const uint64_t bytes = token_bytes[left] + token_bytes[right];
    total_bytes += bytes;
    require(bytes <= kMaxTokenBytes && total_bytes <= kMaxTotalBytes,
            "tokenizer JSON: " + where + " makes " +
                (bytes > kMaxTokenBytes
                     ? "a token of " + std::to_string(bytes) + " bytes, more than the limit of " +
                           std::to_string(kMaxTokenBytes)
                     : "the tokens " + std::to_string(total_bytes) +
                           " bytes long together, more than the limit of " + std::to_string(kMaxTotalBytes)) +
                " (not a vocabulary trained on text)");
    token_bytes.push_back(bytes);
    merges.push_back({left, right});
  }
  ts::check_vocab_size(j, 256 + static_cast<int64_t>(merges.size()), "256 bytes + \"merges\"");
  return std::make_unique<BpeTokenizer>(std::move(merges));
}

BpeTokenizer::BpeTokenizer(std::vector<Merge> merges) : merges_(std::move(merges)) {
  bytes_.reserve(256 + merges_.size());
  for (int b = 0; b < 256; ++b) bytes_.emplace_back(1, static_cast<char>(b));
  for (size_t i = 0; i < merges_.size(); ++i) {
    const Merge& m = merges_[i];
    const auto id = static_cast<int32_t>(256 + i);
    assert(m.left >= 0 && m.left < id && m.right >= 0 && m.right < id);
    bytes_.push_back(bytes_[m.left] + bytes_[m.right]);
    [[maybe_unused]] const bool inserted = merge_ids_.emplace(pair_key(m.left, m.right), id).second;
    assert(inserted);
  }
}

std::vector<std::string_view> BpeTokenizer::split(std::string_view text) {
  std::vector<std::string_view> chunks;
  for (size_t i = 0; i < text.size();) {
    const size_t j = chunk_end(text, i);
    chunks.push_back(text.substr(i, j - i));
    i = j;
  }
  return chunks;
}

void BpeTokenizer::encode_chunk(std::string_view chunk, std::vector<int32_t>& out) const {
  // Linked list over the chunk's bytes plus a min-heap of candidate merges by (rank, position): the
  // lowest-ranked pair goes first and equal pairs merge left to right, as in training. A new pair always
  // contains the token just made, so its rank is higher and it never jumps ahead. O(n log n).
  struct Candidate {
    int32_t id;   // merged id; its order is the merge rank
    int64_t pos;  // 64-bit so that no input size can overflow
    int32_t left, right;
    bool operator>(const Candidate& o) const { return id != o.id ? id > o.id : pos > o.pos; }
  };
  const auto n = static_cast<int64_t>(chunk.size());
  std::vector<int32_t> sym(n);
  std::vector<int64_t> next(n), prev(n);
  for (int64_t i = 0; i < n; ++i) {
    sym[i] = static_cast<unsigned char>(chunk[i]);
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  const auto consider = [&](int64_t pos) {
    const int64_t nx = next[pos];
    if (nx < 0) return;
    const auto it = merge_ids_.find(pair_key(sym[pos], sym[nx]));
    if (it != merge_ids_.end()) heap.push({it->second, pos, sym[pos], sym[nx]});
  };
  for (int64_t i = 0; i + 1 < n; ++i) consider(i);
  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    const int64_t nx = next[c.pos];
    if (sym[c.pos] != c.left || nx < 0 || sym[nx] != c.right) continue;  // stale
    sym[c.pos] = c.id;
    sym[nx] = -1;
    next[c.pos] = next[nx];
    if (next[nx] >= 0) prev[next[nx]] = c.pos;
    if (prev[c.pos] >= 0) consider(prev[c.pos]);
    consider(c.pos);
  }
  for (int64_t i = 0; i >= 0 && i < n; i = next[i]) out.push_back(sym[i]);
}

std::vector<int32_t> BpeTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> ids;
  ids.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size();) {
    const size_t j = chunk_end(text, i);
    const std::string_view chunk = text.substr(i, j - i);
    i = j;
    if (chunk.size() == 1) {
      ids.push_back(static_cast<unsigned char>(chunk[0]));
      continue;
    }
    if (chunk.size() > kMaxCachedChunk) {
      encode_chunk(chunk, ids);
      continue;
    }
    {
      std::shared_lock lock(cache_mutex_);
      const auto it = cache_.find(chunk);
      if (it != cache_.end()) {
        ids.insert(ids.end(), it->second.begin(), it->second.end());
        continue;
      }
    }
    const size_t start = ids.size();
    encode_chunk(chunk, ids);
    std::unique_lock lock(cache_mutex_);
    if (cache_.size() >= kCacheEntries) cache_.clear();
    cache_.try_emplace(std::string(chunk), ids.begin() + start, ids.end());
  }
  return ids;
}

void BpeTokenizer::check_id(int32_t id) const {
  require(id >= 0 && static_cast<size_t>(id) < bytes_.size(), "bpe tokenizer: token id " +
                                                                  std::to_string(id) + " is outside [0, " +
                                                                  std::to_string(bytes_.size()) + ")");
}

std::string BpeTokenizer::decode(std::span<const int32_t> ids) const {
  std::string text;
  for (const int32_t id : ids) {
    check_id(id);
    text += bytes_[id];
  }
  return text;
}

std::string BpeTokenizer::token_bytes(int32_t id) const {
  check_id(id);
  return bytes_[id];
}

nlohmann::json BpeTokenizer::to_json() const {
  nlohmann::json merges = nlohmann::json::array();
  for (const Merge& m : merges_) merges.push_back({m.left, m.right});
  return {{"kind", "bpe"}, {"vocab_size", vocab_size()}, {"merges", std::move(merges)}};
}

}  // namespace cllm
