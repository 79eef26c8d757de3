#pragma once
// The engine's configs validate themselves (throwing cllm::Error with a message naming the bad value);
// editors show that same message inline rather than re-implementing the rules.

#include <QString>

#include "util/error.h"

namespace cllm::views {

// Empty when every config is valid, else the first one's message.
template <typename... Configs>
QString validationMessage(const Configs&... configs) {
  try {
    (configs.validate(), ...);
    return {};
  } catch (const Error& e) {
    return QString::fromStdString(e.what());
  }
}

}  // namespace cllm::views
