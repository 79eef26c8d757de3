#pragma once
// Untrusted text (a name or value read from a file) made safe for a one-line error message.

#include <string>
#include <string_view>

namespace cllm {

// Single-quoted, control bytes escaped as \xNN, text over 80 bytes shortened to "...'" without splitting a
// UTF-8 character.
std::string quote(std::string_view text);

// "0x1F"
std::string hex_byte(unsigned char byte);

}  // namespace cllm
