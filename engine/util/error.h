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

}  // namespace cllm
