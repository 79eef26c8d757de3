#include "views/charts/run_colors.h"

#include <array>
#include <cmath>

namespace cllm::views {

QColor runColor(int index) {
  static constexpr std::array<QRgb, 10> kTableau10 = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                                      0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
  if (index >= 0 && index < static_cast<int>(kTableau10.size())) return QColor::fromRgb(kTableau10[index]);
  const double hue = std::fmod(0.11 + 0.618033988749895 * index, 1.0);
  return QColor::fromHsvF(static_cast<float>(hue), 0.65f, 0.8f);
}

}  // namespace cllm::views
