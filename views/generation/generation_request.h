#pragma once
// Everything the app needs to start one generation: the generation panel emits it with its requests.

#include <QMetaType>
#include <QString>
#include <cstdint>
#include <vector>

#include "generate/beam_search.h"
#include "generate/generator.h"

namespace cllm::views {

struct GenerationRequest {
  // Unscoped so that `int mode = request.mode` and `request.mode == GenerationRequest::Beam` both read well.
  enum Mode { Sample = 0, Greedy = 1, Beam = 2 };

  QString prompt;
  // Regenerating from output token k: the output's tokens [0, k) are kept after the prompt (by id, so
  // the continuation is exact for every tokenizer), and `forced` (an alternative the user chose) is
  // drawn next instead of sampled. continueFrom is k, or -1 for a fresh output.
  std::vector<int32_t> kept;
  std::vector<int32_t> forced;
  int continueFrom = -1;
  Mode mode = Sample;
  // Always valid when the panel enables Generate. Settings a mode ignores are sent switched off
  // (Greedy: temperature 0, top-k/top-p/min-p off; Beam: all sampling off), so a value left invalid in a
  // disabled control never blocks a mode that does not use it.
  cllm::GenerationSettings settings;
  cllm::BeamSettings beam;  // max_tokens, stop_strings and top_alternatives mirror `settings`
  bool randomSeed = true;   // the app draws the seed (settings.seed is then the previous one) and reports it
                            // back through GenerationView::beginOutput
};

}  // namespace cllm::views

Q_DECLARE_METATYPE(cllm::views::GenerationRequest)
