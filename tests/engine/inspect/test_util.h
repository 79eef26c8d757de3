#pragma once
// Shared by the inspect tests: expect a cllm::Error whose one-line message contains a phrase.

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "util/error.h"

namespace cllm::test {

inline void expect_error(const std::function<void()>& call, const std::string& expected_part) {
  try {
    call();
    ADD_FAILURE() << "no error; expected: " << expected_part;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(expected_part), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

}  // namespace cllm::test
