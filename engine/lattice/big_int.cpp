#include "lattice/big_int.h"

namespace cllm {

size_t decimal_digits(const BigInt& n) {
  const std::string s = n.str();
  return n < 0 ? s.size() - 1 : s.size();
}

std::string abbreviated_decimal(const BigInt& n, size_t max_digits) {
  std::string s = n.str();
  const size_t sign = n < 0 ? 1 : 0;
  const size_t digits = s.size() - sign;
  if (digits <= max_digits || digits <= 8) return s;
  return s.substr(0, sign + 4) + "..." + s.substr(s.size() - 4);
}

}  // namespace cllm
