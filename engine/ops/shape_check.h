#pragma once
// Shape checks at the top of every op (CTranslate2's validate -> size -> dispatch): a wrong size from a
// layer is an internal error caught at the op it reaches, with the op and the failed condition named,
// instead of a silent out-of-bounds read. The checks are O(1) integer comparisons.

#include <string>

#include "util/error.h"

namespace cllm::ops {

[[noreturn]] inline void shape_error(const char* op, const char* condition) {
  throw Error(std::string("internal error: ") + op + ": shape check failed: " + condition);
}

}  // namespace cllm::ops

#define CLLM_CHECK_SHAPE(op, condition)                         \
  do {                                                          \
    if (!(condition)) ::cllm::ops::shape_error(op, #condition); \
  } while (false)
