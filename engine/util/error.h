#pragma once
// The engine reports every user-facing failure (bad file, bad option, corrupt checkpoint) as a cllm::Error
// whose message says what went wrong and where, in one line, ready to show as is. `assert` is reserved
// for internal invariants.

#include <stdexcept>
#include <string>

namespace cllm {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws Error(message) when `condition` is false. For checks on user input, not internal invariants.
inline void require(bool condition, const std::string& message) {
  if (!condition) throw Error(message);
}

// A number as a person would write it in a message: "0.1", "1e-05", "2000" (printf %g).
std::string format_number(double value);

// Returns `value` after calling its validate() (which throws cllm::Error): lets a constructor validate
// a config in its member-initialiser list before anything is sized from it.
template <typename T>
const T& validated(const T& value) {
  value.validate();
  return value;
}

}  // namespace cllm
