#include "util/error.h"

#include <cstdio>

namespace cllm {

std::string format_number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

}  // namespace cllm
