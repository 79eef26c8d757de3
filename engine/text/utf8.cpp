#include "text/utf8.h"

#include <cstdio>

namespace cllm::utf8 {
namespace {

// Length of the sequence that lead byte b0 starts and the range [lo, hi] its second byte must be in
// (RFC 3629 table); 0 when b0 cannot start a sequence.
size_t lead_length(unsigned char b0, unsigned char& lo, unsigned char& hi) {
  lo = 0x80, hi = 0xBF;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return 2;
  if (b0 == 0xE0) return lo = 0xA0, 3;
  if (b0 >= 0xE1 && b0 <= 0xEC) return 3;
  if (b0 == 0xED) return hi = 0x9F, 3;  // no surrogates
  if (b0 >= 0xEE && b0 <= 0xEF) return 3;
  if (b0 == 0xF0) return lo = 0x90, 4;
  if (b0 >= 0xF1 && b0 <= 0xF3) return 4;
  if (b0 == 0xF4) return hi = 0x8F, 4;  // <= U+10FFFF
  return 0;
}

// Length of the well-formed sequence starting at text[i], or 0 if ill-formed.
size_t sequence_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lo, hi;
  const size_t need = lead_length(byte(i), lo, hi);
  if (need <= 1) return need;
  if (i + need > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < need; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return need;
}

}  // namespace

std::optional<Position> find_invalid(std::string_view text) {
  Position pos;
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = sequence_length(text, i);
    if (n == 0) {
      pos.byte_offset = i;
      return pos;
    }
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
    i += n;
  }
  return std::nullopt;
}

size_t complete_prefix_length(std::string_view bytes) {
  // Only the last up-to-3 bytes can be an unfinished sequence: a lead byte followed by fewer
  // continuation bytes than it needs, all of which are still allowed after it.
  const size_t n = bytes.size();
  for (size_t back = 1; back <= 3 && back <= n; ++back) {
    const unsigned char b = static_cast<unsigned char>(bytes[n - back]);
    if ((b & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead byte
    unsigned char lo, hi;
    const size_t need = lead_length(b, lo, hi);
    if (need <= back) return n;  // finished, or not a lead byte at all (ill-formed counts as complete)
    if (back >= 2) {
      const unsigned char second = static_cast<unsigned char>(bytes[n - back + 1]);
      if (second < lo || second > hi) return n;  // can never become well-formed
    }
    return n - back;
  }
  return n;
}

Decoded decode_at(std::string_view text, size_t offset) {
  if (offset >= text.size()) return {};
  const size_t n = sequence_length(text, offset);
  if (n == 0) return {};
  const unsigned char b0 = static_cast<unsigned char>(text[offset]);
  char32_t cp = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[offset + k]) & 0x3F);
  return {cp, n};
}

std::vector<char32_t> decode(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char b0 = static_cast<unsigned char>(text[i]);
    size_t n = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    for (size_t k = 1; k < n && i + k < text.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string encode(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

std::string code_point_name(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

}  // namespace cllm::utf8
