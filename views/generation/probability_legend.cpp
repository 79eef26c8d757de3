#include "views/generation/probability_legend.h"

#include <QLinearGradient>
#include <QPainter>
#include <algorithm>

#include "views/generation/token_display.h"

namespace cllm::views {

namespace {
constexpr int kBarWidth = 160;
constexpr int kBarHeight = 10;
constexpr int kGap = 6;
}  // namespace

ProbabilityLegend::ProbabilityLegend(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
  setToolTip(
      tr("Background colour of a generated token: the model's probability of that token "
         "(softmax of its logits at temperature 1)."));
}

QString ProbabilityLegend::caption() const {
  return tr("Token probability");
}

QSize ProbabilityLegend::sizeHint() const {
  const QFontMetrics fm = fontMetrics();
  const int labels = fm.horizontalAdvance(caption()) + kGap + fm.horizontalAdvance(formatProbability(0)) +
                     kGap + kBarWidth + kGap + fm.horizontalAdvance(formatProbability(1));
  return {labels, std::max(fm.height(), kBarHeight) + 4};
}

QSize ProbabilityLegend::minimumSizeHint() const {
  return sizeHint();
}

void ProbabilityLegend::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  const QFontMetrics fm = fontMetrics();
  const int mid = height() / 2;
  int x = 0;
  auto text = [&](const QString& s) {
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(x, 0, fm.horizontalAdvance(s), height()), Qt::AlignVCenter | Qt::AlignLeft, s);
    x += fm.horizontalAdvance(s) + kGap;
  };
  text(caption());
  text(formatProbability(0));
  const QRect bar(x, mid - kBarHeight / 2, kBarWidth, kBarHeight);
  QLinearGradient gradient(bar.topLeft(), bar.topRight());
  for (double p : {0.0, 0.25, 0.5, 0.75, 1.0}) gradient.setColorAt(p, probabilityColor(p));
  painter.fillRect(bar, gradient);
  painter.setPen(palette().color(QPalette::Mid));
  painter.drawRect(bar.adjusted(0, 0, -1, -1));
  x += kBarWidth + kGap;
  text(formatProbability(1));
}

}  // namespace cllm::views
