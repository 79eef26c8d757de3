#pragma once
// Shared by the engine tests: the engine reports bad input as a cllm::Error with a one-line message that
// says what and where; these check that a call throws one and that it names what it should.

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "util/error.h"

namespace cllm::test {

// The message of the cllm::Error that f() throws; a test failure when it throws nothing or something else.
template <class F>
std::string error_message(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  } catch (...) {
    ADD_FAILURE() << "threw something other than cllm::Error";
    return {};
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

// Expects f() to throw a cllm::Error whose one-line message contains every one of `parts`.
template <class F>
void expect_error(F&& f, std::initializer_list<std::string_view> parts) {
  const std::string message = error_message(f);
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  for (std::string_view part : parts)
    EXPECT_NE(message.find(part), std::string::npos)
        << "message \"" << message << "\" lacks \"" << part << "\"";
}

template <class F>
void expect_error(F&& f, std::string_view part) {
  expect_error(f, {part});
}

}  // namespace cllm::test
