#include "lattice/integer_parse.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "util/error.h"

namespace cllm {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_separator(char c) {
  return c == '_' || c == ',' || c == ' ' || c == '\t';
}

// Recursive-descent reader of: sign? digits ('^' digits (('+' | '-') digits)?)?
class IntegerReader {
 public:
  explicit IntegerReader(std::string_view text) : text_(text) {}

  BigInt read() {
    skip_space();
    require(pos_ < text_.size(), "cannot read an integer from an empty text");
    bool negative = false;
    if (text_[pos_] == '-' || text_[pos_] == '+') {
      negative = text_[pos_] == '-';
      ++pos_;
      skip_space();
    }
    BigInt value(digits("a digit"));
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '^') {
      ++pos_;
      skip_space();
      const size_t exponent_at = pos_;
      const BigInt exponent(digits("a digit of the exponent"));
      value = power(value, exponent, exponent_at);
      skip_space();
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
        const bool minus = text_[pos_] == '-';
        ++pos_;
        skip_space();
        const BigInt offset(digits("a digit"));
        value = minus ? BigInt(value - offset) : BigInt(value + offset);
        skip_space();
      }
    }
    if (pos_ < text_.size()) {
      const char c = text_[pos_];
      fail(c == '+' || c == '-' ? "only a power may be followed by + or -, as in 2^521-1"
                                : "expected a digit");
    }
    if (negative) value = -value;
    const size_t n = decimal_digits(value);
    require(n <= kMaxIntegerDigits, "cannot read \"" + shown() + "\" as an integer: it has " +
                                        std::to_string(n) + " digits; the limit is " +
                                        std::to_string(kMaxIntegerDigits) +
                                        " (primality tests grow with the "
                                        "cube of the length)");
    return value;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  // A run of digits with separators between them; returns the digits only.
  std::string digits(const char* expected) {
    if (pos_ >= text_.size() || !is_digit(text_[pos_])) fail(std::string("expected ") + expected);
    const size_t start = pos_;
    std::string out;
    while (pos_ < text_.size()) {
      if (is_digit(text_[pos_])) {
        out += text_[pos_++];
        continue;
      }
      size_t next = pos_;
      while (next < text_.size() && is_separator(text_[next])) ++next;
      if (next == pos_ || next >= text_.size() || !is_digit(text_[next])) break;
      pos_ = next;  // separators between two digits
    }
    require(out.size() <= kMaxIntegerDigits,
            "cannot read \"" + shown() + "\" as an integer: the number at position " +
                std::to_string(start + 1) + " has " + std::to_string(out.size()) + " digits; the limit is " +
                std::to_string(kMaxIntegerDigits));
    return out;
  }

  BigInt power(const BigInt& base, const BigInt& exponent, size_t exponent_at) {
    if (base <= 1) return exponent == 0 ? BigInt(1) : base;  // 0^0 = 1 by convention
    // log10 of the base from its leading digits and length; exact enough to judge the limit.
    const std::string s = base.str();
    const size_t lead = std::min<size_t>(s.size(), 15);
    const double log10_base = std::log10(std::stod(s.substr(0, lead))) + static_cast<double>(s.size() - lead);
    const double result_digits = exponent.convert_to<double>() * log10_base;
    if (result_digits > static_cast<double>(kMaxIntegerDigits)) {
      pos_ = exponent_at;
      throw Error("cannot read \"" + shown() + "\" as an integer: the power at position " +
                  std::to_string(exponent_at + 1) + " would have about " +
                  format_number(std::floor(result_digits) + 1) + " digits; the limit is " +
                  std::to_string(kMaxIntegerDigits));
    }
    return pow(base, exponent.convert_to<unsigned>());
  }

  [[noreturn]] void fail(const std::string& expected) const {
    std::string what;
    if (pos_ >= text_.size()) {
      what = "the text ends at position " + std::to_string(pos_ + 1);
    } else {
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      char buf[16];
      if (c >= 0x20 && c < 0x7F)
        std::snprintf(buf, sizeof buf, "'%c'", c);
      else
        std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
      what = std::string("unexpected ") + buf + " at position " + std::to_string(pos_ + 1);
    }
    throw Error("cannot read \"" + shown() + "\" as an integer: " + what + " (" + expected + ")");
  }

  // The input for messages: one line, at most 60 bytes.
  std::string shown() const {
    std::string s;
    for (const char c : text_.substr(0, 60)) s += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    return text_.size() > 60 ? s + "..." : s;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

BigInt parse_integer(std::string_view text) {
  return IntegerReader(text).read();
}

}  // namespace cllm
