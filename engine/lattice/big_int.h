#pragma once
// Exact integers of any size for the prime machinery and the number analyser: Boost.Multiprecision's
// cpp_int (header-only, no GMP), plus the two ways the engine writes one for a person.

#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <string>

namespace cllm {

using BigInt = boost::multiprecision::cpp_int;

// Decimal digits of |n|; 0 has one digit.
size_t decimal_digits(const BigInt& n);

// The decimal form when it has at most `max_digits` digits, else the first and last four digits around
// "..." ("1234...5678"); the sign is kept.
std::string abbreviated_decimal(const BigInt& n, size_t max_digits = 20);

}  // namespace cllm
