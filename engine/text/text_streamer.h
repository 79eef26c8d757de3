#pragma once
// Turns tokens arriving one at a time (e.g. from sampling) into printable text without splitting a
// UTF-8 character.
//
// Works for every tokenizer through decode() alone, relying on the contract in tokenizer.h: decode is
// prefix-stable and the text a token adds depends only on it and the token before it. Each push decodes
// [previous token, new token] and keeps only the bytes of an unfinished character, so a push costs
// O(1) whatever the length of the stream. Output is always valid UTF-8: bytes that can never form a
// character (possible with byte and bpe) become U+FFFD, one per byte. For streams whose full decode is
// valid UTF-8, the concatenated output of push() and finish() equals decode() of all the tokens.
//
// Holds a reference to the tokenizer, which must outlive the streamer. Not thread-safe.

#include <cstdint>
#include <optional>
#include <string>

#include "text/tokenizer.h"

namespace cllm {

class TextStreamer {
 public:
  explicit TextStreamer(const Tokenizer& tokenizer);
  // Newly completed text (possibly empty). Throws cllm::Error on an id outside [0, vocab_size), leaving
  // the streamer as it was.
  std::string push(int32_t id);
  // Whatever is left (an unfinished character becomes one U+FFFD); the streamer then starts afresh.
  std::string finish();

 private:
  const Tokenizer& tokenizer_;
  std::optional<int32_t> previous_;
  std::string pending_;  // decoded bytes not yet returned: at most an unfinished character
};

}  // namespace cllm
