#include "views/generation/token_display.h"

#include <QLocale>
#include <algorithm>
#include <cmath>

namespace cllm::views {

QColor probabilityColor(double p) {
  if (!std::isfinite(p)) p = 0;
  p = std::clamp(p, 0.0, 1.0);
  // Hue 0° (red) → 60° (yellow) → 120° (green); HSV keeps the perceived brightness nearly even.
  return QColor::fromHsvF(static_cast<float>(p / 3.0), 0.45f, 1.0f);
}

QColor probabilityTextColor() {
  return QColor(Qt::black);
}

QString formatProbability(double p) {
  const double percent = 100.0 * p;
  const QLocale locale;
  if (percent > 0 && percent < 0.1) return locale.toString(percent, 'g', 2) + QStringLiteral(" %");
  return locale.toString(percent, 'f', 1) + QStringLiteral(" %");
}

QString visibleTokenText(const QString& text) {
  if (text.isEmpty()) return QStringLiteral("∅");
  QString out;
  for (const QChar c : text) {
    if (c == u' ') {
      out += QStringLiteral("␣");
    } else if (c == u'\n') {
      out += QStringLiteral("↵");
    } else if (c == u'\t') {
      out += QStringLiteral("→");
    } else if (c.category() == QChar::Other_Control) {
      out += QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toUpper();
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace cllm::views
