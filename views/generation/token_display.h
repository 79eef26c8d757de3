#pragma once
// How tokens and their probabilities look everywhere in the generation panel (output, tooltip,
// alternatives list, legend), so the same probability always has the same colour and wording.

#include <QColor>
#include <QString>

namespace cllm::views {

// Background for a token of probability p (clamped to [0, 1]): red at 0, yellow at 0.5, green at 1,
// linear in p. Pale enough that black text stays readable on every shade.
QColor probabilityColor(double p);
// Text colour to draw on probabilityColor() backgrounds, whatever the palette (dark themes included).
QColor probabilityTextColor();

// "43.1 %"; two significant digits below 0.1 % ("0.0042 %") so rare alternatives do not all read 0.0 %.
QString formatProbability(double p);

// A token made readable in lists and tooltips: space ␣, newline ↵, tab →, other control characters as
// U+XXXX, and the empty token as ∅. The output itself shows the raw text.
QString visibleTokenText(const QString& text);

}  // namespace cllm::views
