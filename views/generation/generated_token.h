#pragma once
// One streamed token as the generation panel shows it. The app converts the engine's SampledToken (ids)
// into text here, so the view needs no tokenizer.

#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace cllm::views {

struct GeneratedToken {
  QString text;            // printable text of the token (the decoded piece)
  double probability = 0;  // the model's probability of this token (softmax, temperature 1)
  QList<QPair<QString, double>> alternatives;  // top alternatives, best first (label, probability)
};

}  // namespace cllm::views

// Tokens cross from the generator's worker thread in queued signals.
Q_DECLARE_METATYPE(cllm::views::GeneratedToken)
