#pragma once
// Which values a logarithmic y axis labels. Qt's QLogValueAxis labels only the powers of its base: a
// loss falling from 4.5 to 0.4 got the single label "1". MetricChart keeps the QLogValueAxis for the
// mapping, its decade grid and the minor ticks at 2..9 x each decade, and draws these values as labels.
//
// The rule: every decade (..., 0.1, 1, 10, ...) when that is all the room allows, and otherwise the
// densest of these sets whose neighbouring labels stay at least minGapPx apart, with at most 10 labels:
//   1..9 x each decade    2, 3, 4, 5, 6                 (a loss from 6.5 to 2 on a tall chart)
//   1, 2, 3, 5 x decade   0.5, 1, 2, 3                  (a loss from 4.5 to 0.4)
//   1, 2, 5 x decade      0.5, 1, 2, 5, 10, 20          (a gradient norm from 30 to 0.3)
//   1 x decade            0.01, 0.1, 1, 10              (every 2nd, 3rd, ... decade when even those
//                                                        would crowd)
// All of them lie on a decade line or a minor tick. When the range is too narrow for three of them
// (a loss from 4.5 to 3), round values at an even step label it instead (3, 3.5, 4, 4.5).

#include <vector>

namespace cllm::views {

// min, max: the axis range; lengthPx: the axis' length on screen; minGapPx: the least distance between
// two labels' centres (about one and a half text lines). Ascending values within [min, max]; empty
// unless 0 < min < max and both are finite.
std::vector<double> logAxisLabelValues(double min, double max, double lengthPx, double minGapPx);

// 1, 2 or 5 times a power of ten, giving about `targetTicks` steps over `span` (> 0), so tick labels stay
// short whatever the zoom. The linear axes use it for their tick interval too.
double niceInterval(double span, int targetTicks);

}  // namespace cllm::views
