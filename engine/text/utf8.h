#pragma once
// UTF-8 helpers shared by the tokenizers, the corpus loader and streaming output.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cllm::utf8 {

// Where the first invalid sequence starts: byte offset plus 1-based line and column (in code points).
struct Position {
  size_t byte_offset = 0;
  size_t line = 1;
  size_t column = 1;
};

// Position of the first byte that is not part of a well-formed UTF-8 sequence (overlong forms,
// surrogates and values above U+10FFFF are ill-formed), or nothing when `text` is valid.
std::optional<Position> find_invalid(std::string_view text);

// Length of the longest prefix of `bytes` that does not end inside a multi-byte sequence, so a stream
// of token bytes can be printed without splitting a character. Ill-formed bytes count as complete.
size_t complete_prefix_length(std::string_view bytes);

// The well-formed sequence starting at text[offset]: its code point and byte length (1..4), or length 0
// when the bytes there are ill-formed or truncated. Lets scanners validate and decode in one pass.
struct Decoded {
  char32_t code_point = 0;
  size_t length = 0;
};
Decoded decode_at(std::string_view text, size_t offset);

// Decodes valid UTF-8 into code points. Precondition: find_invalid(text) is empty.
std::vector<char32_t> decode(std::string_view text);

// Encodes one code point (<= U+10FFFF, not a surrogate).
std::string encode(char32_t code_point);

// "U+00E9" style name for messages.
std::string code_point_name(char32_t code_point);

}  // namespace cllm::utf8
