#pragma once
// Distinct colours for overlaid runs: a run keeps its colour in every chart, so users match curves
// across charts by colour alone.

#include <QColor>

namespace cllm::views {

// Tableau 10 first (distinguishable, also in print); beyond it, golden-angle hues.
QColor runColor(int index);

}  // namespace cllm::views
