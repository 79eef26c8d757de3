#pragma once
// Tokenizers turn text into token ids and back. Four kinds (each in its own file pair):
//   char  one id per distinct Unicode code point of the training text (char_tokenizer.h)
//   byte  one id per byte value, id = byte (byte_tokenizer.h)
//   word  words and punctuation, with <unk>; lossy by design (word_tokenizer.h)
//   bpe   byte-level byte-pair encoding (bpe_tokenizer.h)
//
// A Tokenizer is immutable once built, so every const member is safe to call from several threads at
// once. Ids are dense: every id in [0, vocab_size()) is a token. Failures on user input (text the
// tokenizer cannot represent, ids out of range, corrupt JSON) throw cllm::Error with a one-line message.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cllm {

// What to build: kind is "char", "byte", "word" or "bpe".
struct TokenizerSpec {
  std::string kind = "char";
  int vocab_size = 0;     // bpe: target vocabulary size (>= 256 + 1; 0 = default_vocab_size("bpe"));
                          // word: maximum vocabulary including specials (0 = keep every word); ignored by
                          // char and byte.
  int min_frequency = 1;  // word: words seen fewer times map to <unk>
};

// The vocabulary size a spec of `kind` gets when vocab_size is 0: 512 for bpe, 0 (decided by the text)
// for every other kind. 512 = the 256 bytes + 256 merges, as minbpe trains its examples: enough merges to
// cover the common letter pairs and short words of a corpus of a few hundred KB, few enough that each
// merged token is seen often in such a corpus, and an embedding table (512 x width) that stays small next
// to the tiny and small presets. The one place this default lives: the CLI and the workbench both ask here.
int default_vocab_size(std::string_view kind);

// Above this share of <unk> tokens a word run mostly learns to predict <unk>; `cllm train` warns.
inline constexpr double kHighUnknownTokenRate = 0.05;

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  virtual std::string kind() const = 0;  // "char", "byte", "word", "bpe"
  virtual int vocab_size() const = 0;
  // Throws cllm::Error for text it cannot represent (char tokenizer: a character not in its vocabulary;
  // the message names the character as U+XXXX, shows it, and gives the byte offset). Valid UTF-8 is NOT
  // assumed for byte and bpe (they take any bytes); char and word throw on invalid UTF-8 with offset.
  virtual std::vector<int32_t> encode(std::string_view text) const = 0;
  // Exact inverse of encode for char, byte and bpe. Throws cllm::Error on an id outside [0, vocab_size).
  // Prefix-stable: decode(ids[0..n)) is a prefix of decode(ids[0..n+1)). Moreover the text added by
  // ids[n] depends only on ids[n-1] and ids[n] (TextStreamer relies on both).
  virtual std::string decode(std::span<const int32_t> ids) const = 0;
  // The bytes one token stands for (byte/bpe: may be a partial UTF-8 sequence; word: the word itself).
  // Throws cllm::Error on an id outside [0, vocab_size).
  virtual std::string token_bytes(int32_t id) const = 0;
  // Printable, unambiguous label for one token (see printable_label).
  std::string token_label(int32_t id) const;
  // The id text maps to when the tokenizer does not know it: word's <unk>; none for char, byte and bpe,
  // which represent every text they accept.
  virtual std::optional<int32_t> unknown_id() const { return std::nullopt; }
  // Everything needed to rebuild the tokenizer exactly (stored inside checkpoints). Always has "kind"
  // and "vocab_size"; the rest is per kind.
  virtual nlohmann::json to_json() const = 0;
};

// Display form of arbitrary bytes, valid UTF-8 always: newline as "\n", tab as "\t", space as "␣"
// (U+2423), backslash as "\\"; other control characters (C0, DEL, C1), ill-formed or partial sequences
// and a literal U+2423 as "\xNN" per byte (uppercase hex); every other character as itself.
std::string printable_label(std::string_view bytes);

// Builds a tokenizer of spec.kind from a training text (bpe vocab_size 0: default_vocab_size("bpe")).
// Throws cllm::Error on an impossible spec: unknown kind, bpe vocab_size negative or 1 to 256, word
// vocab_size < 0 or 1, word min_frequency < 1, empty text, or (char, word) invalid UTF-8. A bpe vocab_size
// larger than the corpus allows is NOT an error: merging stops early and vocab_size() reports the
// achieved size.
std::unique_ptr<Tokenizer> train_tokenizer(const TokenizerSpec& spec, std::string_view text);
// The share of `tokens` that are the unknown token, in [0, 1]; 0 for a tokenizer without one (char, byte,
// bpe) and for no tokens. The overload taking text encodes it first (as cheap as one encode; the
// workbench's corpus summary already holds the ids and should pass them).
double unknown_token_rate(const Tokenizer& tokenizer, std::span<const int32_t> tokens);
double unknown_token_rate(const Tokenizer& tokenizer, std::string_view text);

// Rebuilds from to_json() output; validates every field (kind, types, sizes, duplicates, merge ids in
// range) and throws cllm::Error naming the bad field, since this reads checkpoint files.
std::unique_ptr<Tokenizer> tokenizer_from_json(const nlohmann::json& j);

}  // namespace cllm
