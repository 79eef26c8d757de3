#pragma once
// One generated token as the workbench streams it to its views: the id the model drew, the printable
// text it released (TextStreamer), and what the model thought of it. Ids, not labels, identify tokens, so
// "continue with this alternative" is exact for every tokenizer.

#include <cstdint>
#include <string>
#include <vector>

namespace cllm {

struct StreamedToken {
  struct Alternative {
    int32_t id = 0;
    std::string label;  // Tokenizer::token_label: printable and unambiguous
    double probability = 0;
  };

  int32_t id = -1;
  std::string text;        // UTF-8 text this token completed (may be empty inside a character)
  double probability = 0;  // the model's probability of this token (softmax of the logits, temperature 1)
  std::vector<Alternative> alternatives;  // the model's most likely tokens here, best first
};

}  // namespace cllm
