#pragma once
// Reading an integer as a person types it into the number analyser or `cllm number`:
//   decimal digits of any length with an optional leading '-' or '+'   "-1234567890123456789012"
//   a power, optionally plus or minus a decimal                         "2^521-1", "10^30 + 57", "-3^5"
// Whitespace between the parts, and '_', ',' or spaces between digits ("1,000,000", "1_000 000") are
// tolerated. A leading sign applies to the whole number ("-2^3" is -8). Anything else is a cllm::Error
// naming the offending character and its 1-based byte position.
//
// Numbers longer than kMaxIntegerDigits digits are refused (also a power before it is computed): the
// primality test the analyser runs next grows with the cube of the length, and a 1,000-digit prime
// already takes about 3.5 s on the CI machine (2^3217-1, 969 digits: 3.2 s measured).

#include <cstddef>
#include <string_view>

#include "lattice/big_int.h"

namespace cllm {

inline constexpr size_t kMaxIntegerDigits = 1000;

BigInt parse_integer(std::string_view text);

}  // namespace cllm
