#include "views/generation/token_output_view.h"

#include <QAbstractTextDocumentLayout>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTextBlock>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "views/generation/token_display.h"

namespace cllm::views {

namespace {

// One colour per percent: bounds the number of distinct char formats the document has to store during
// a long generation, at a resolution no eye can tell apart.
QTextCharFormat tokenFormat(double probability) {
  QTextCharFormat format;
  const double p =
      std::isfinite(probability) ? std::round(std::clamp(probability, 0.0, 1.0) * 100.0) / 100.0 : 0.0;
  format.setBackground(probabilityColor(p));
  format.setForeground(probabilityTextColor());
  return format;
}

}  // namespace

TokenOutputView::TokenOutputView(QWidget* parent) : QTextEdit(parent) {
  setObjectName(QStringLiteral("outputView"));
  setReadOnly(true);
  setUndoRedoEnabled(false);
  setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  setPlaceholderText(tr("Generated text appears here, each token coloured by its probability."));
  QScrollBar* bar = verticalScrollBar();
  connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int max) {
    if (followEnd_) bar->setValue(max);
  });
  connect(bar, &QScrollBar::valueChanged, this,
          [this, bar](int value) { followEnd_ = value >= bar->maximum(); });
}

void TokenOutputView::begin(const QString& prompt) {
  setSelectedToken(-1);
  prompt_ = prompt;
  tokens_.clear();
  starts_.clear();
  clear();
  followEnd_ = true;
  QTextCursor cursor(document());
  QTextCharFormat neutral;
  neutral.setForeground(palette().color(QPalette::Text));
  cursor.insertText(prompt, neutral);
  end_ = cursor.position();
}

void TokenOutputView::truncate(int count) {
  count = std::clamp(count, 0, static_cast<int>(tokens_.size()));
  if (count == tokens_.size()) return;
  if (selected_ >= count) setSelectedToken(-1);
  QTextCursor cursor(document());
  cursor.setPosition(starts_[count]);
  cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
  cursor.removeSelectedText();
  tokens_.resize(count);
  starts_.resize(count);
  end_ = cursor.position();
  highlightSelection();
}

void TokenOutputView::appendTokens(const QList<StreamedToken>& tokens) {
  if (tokens.isEmpty()) return;
  QTextCursor cursor(document());
  cursor.movePosition(QTextCursor::End);
  cursor.beginEditBlock();
  for (const StreamedToken& token : tokens) {
    starts_.append(cursor.position());
    cursor.insertText(QString::fromStdString(token.text), tokenFormat(token.probability));
  }
  cursor.endEditBlock();
  tokens_.append(tokens);
  end_ = cursor.position();
}

QString TokenOutputView::generatedText() const {
  QString text;
  for (const StreamedToken& token : tokens_) text += QString::fromStdString(token.text);
  return text;
}

QString TokenOutputView::textBefore(int tokenIndex) const {
  QString text = prompt_;
  const int n = std::clamp(tokenIndex, 0, static_cast<int>(tokens_.size()));
  for (int i = 0; i < n; ++i) text += QString::fromStdString(tokens_[i].text);
  return text;
}

int TokenOutputView::tokenEnd(int index) const {
  return index + 1 < starts_.size() ? starts_.at(index + 1) : end_;
}

int TokenOutputView::tokenAt(QPoint viewportPos) const {
  if (starts_.isEmpty()) return -1;
  const QPointF documentPos =
      QPointF(viewportPos) + QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
  // ExactHit gives the character under the point (not the nearest caret position) and -1 off the text.
  const int position = document()->documentLayout()->hitTest(documentPos, Qt::ExactHit);
  if (position < starts_.first() || position >= end_) return -1;
  // The last token starting at or before the position: empty tokens share a start with the next
  // token, which is the one whose text is there.
  const auto next = std::upper_bound(starts_.begin(), starts_.end(), position);
  return static_cast<int>(next - starts_.begin()) - 1;
}

void TokenOutputView::setSelectedToken(int index) {
  if (index < 0 || index >= tokens_.size()) index = -1;
  if (index == selected_) return;
  selected_ = index;
  highlightSelection();
  emit tokenSelected(index);
}

void TokenOutputView::highlightSelection() {
  QList<ExtraSelection> selections;
  if (selected_ >= 0) {
    ExtraSelection selection;
    selection.cursor = QTextCursor(document());
    selection.cursor.setPosition(tokenBegin(selected_));
    selection.cursor.setPosition(tokenEnd(selected_), QTextCursor::KeepAnchor);
    selection.format.setBackground(palette().color(QPalette::Highlight));
    selection.format.setForeground(palette().color(QPalette::HighlightedText));
    selections.append(selection);
  }
  setExtraSelections(selections);
}

QString TokenOutputView::tooltipTextFor(int index) const {
  if (index < 0 || index >= tokens_.size()) return {};
  const StreamedToken& token = tokens_[index];
  QString html = QStringLiteral("<p style='white-space:pre'>") +
                 tr("Token %1: <b>%2</b>, probability %3")
                     .arg(index + 1)
                     .arg(visibleTokenText(QString::fromStdString(token.text)).toHtmlEscaped(),
                          formatProbability(token.probability)) +
                 QStringLiteral("</p>");
  if (token.alternatives.empty()) return html;
  html += QStringLiteral(
              "<table cellspacing='0' cellpadding='2'><tr><th align='left'>%1</th>"
              "<th align='right'>%2</th></tr>")
              .arg(tr("Alternative"), tr("Probability"));
  for (const StreamedToken::Alternative& alternative : token.alternatives) {
    QString cell = visibleTokenText(QString::fromStdString(alternative.label)).toHtmlEscaped();
    if (alternative.id == token.id) cell = QStringLiteral("<b>%1</b>").arg(cell);  // the token that was drawn
    html += QStringLiteral("<tr><td style='white-space:pre'>%1</td><td align='right'>%2</td></tr>")
                .arg(cell, formatProbability(alternative.probability));
  }
  return html + QStringLiteral("</table>");
}

bool TokenOutputView::viewportEvent(QEvent* event) {
  if (event->type() != QEvent::ToolTip) return QTextEdit::viewportEvent(event);
  auto* help = static_cast<QHelpEvent*>(event);
  const int index = tokenAt(help->pos());
  if (index < 0) {
    QToolTip::hideText();
    event->ignore();
    return true;
  }
  // The tooltip follows the mouse from token to token instead of lingering over the neighbours.
  QTextCursor begin(document());
  begin.setPosition(tokenBegin(index));
  QTextCursor end(document());
  end.setPosition(tokenEnd(index));
  const QRect first = cursorRect(begin);
  const QRect last = cursorRect(end);
  const QRect area = first.top() == last.top() ? first.united(last) : QRect();
  QToolTip::showText(help->globalPos(), tooltipTextFor(index), viewport(), area);
  return true;
}

void TokenOutputView::mousePressEvent(QMouseEvent* event) {
  QTextEdit::mousePressEvent(event);
  if (event->button() == Qt::LeftButton) setSelectedToken(tokenAt(event->position().toPoint()));
}

}  // namespace cllm::views
