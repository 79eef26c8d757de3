#pragma once
// Stop strings as typed in the panel: one per line, because a comma is a perfectly good stop string.
// Escapes make invisible stops typeable: "\n" newline, "\t" tab, "\r" carriage return, "\\" backslash (so
// "\n\n" stops at a blank line, llama.cpp's favourite). Empty lines are ignored; other characters, including
// spaces, are kept exactly.

#include <QString>
#include <string>
#include <vector>

namespace cllm::views {

std::vector<std::string> parseStopStrings(const QString& text);
// The inverse: one escaped stop string per line.
QString formatStopStrings(const std::vector<std::string>& stops);

}  // namespace cllm::views
