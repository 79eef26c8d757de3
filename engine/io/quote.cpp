#include "io/quote.h"

#include <cstdio>

#include "text/utf8.h"

namespace cllm {

std::string hex_byte(unsigned char byte) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", byte);
  return buf;
}

std::string quote(std::string_view text) {
  constexpr size_t kMax = 80;
  const bool cut = text.size() > kMax;
  if (cut) text = text.substr(0, utf8::complete_prefix_length(text.substr(0, kMax)));
  std::string out = "'";
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) {
      out += "\\x" + hex_byte(b).substr(2);
    } else {
      out += c;
    }
  }
  return out + (cut ? "...'" : "'");
}

}  // namespace cllm
