#include "views/generation/seed_spin_box.h"

#include <QLineEdit>
#include <QStyleOptionSpinBox>
#include <limits>

namespace cllm::views {

namespace {
constexpr quint64 kMax = std::numeric_limits<quint64>::max();
}

SeedSpinBox::SeedSpinBox(QWidget* parent) : QAbstractSpinBox(parent) {
  lineEdit()->setText(QStringLiteral("0"));
  connect(lineEdit(), &QLineEdit::textEdited, this, &SeedSpinBox::onTextEdited);
  // Leaving the field half-typed (empty) shows the value that is in effect again.
  connect(this, &QAbstractSpinBox::editingFinished, this,
          [this] { lineEdit()->setText(QString::number(value_)); });
}

void SeedSpinBox::setValue(quint64 value) {
  if (lineEdit()->text() != QString::number(value)) lineEdit()->setText(QString::number(value));
  if (value == value_) return;
  value_ = value;
  emit valueChanged(value_);
}

void SeedSpinBox::onTextEdited(const QString& text) {
  bool ok = false;
  const quint64 value = text.toULongLong(&ok);
  if (!ok || value == value_) return;
  value_ = value;
  emit valueChanged(value_);
}

void SeedSpinBox::stepBy(int steps) {
  quint64 value = value_;
  if (steps > 0) {
    value = kMax - value < quint64(steps) ? kMax : value + quint64(steps);
  } else if (steps < 0) {
    const quint64 down = quint64(-qint64(steps));
    value = value < down ? 0 : value - down;
  }
  setValue(value);
  selectAll();
}

QValidator::State SeedSpinBox::validate(QString& input, int&) const {
  if (input.isEmpty()) return QValidator::Intermediate;
  for (const QChar c : input)
    if (!c.isDigit() || c.unicode() > 127) return QValidator::Invalid;
  bool ok = false;
  input.toULongLong(&ok);
  return ok ? QValidator::Acceptable : QValidator::Invalid;  // not ok = beyond 2^64-1
}

void SeedSpinBox::fixup(QString& input) const {
  if (input.isEmpty()) input = QString::number(value_);
}

QAbstractSpinBox::StepEnabled SeedSpinBox::stepEnabled() const {
  if (isReadOnly()) return StepNone;
  StepEnabled enabled = StepNone;
  if (value_ > 0) enabled |= StepDownEnabled;
  if (value_ < kMax) enabled |= StepUpEnabled;
  return enabled;
}

QSize SeedSpinBox::hintForText(const QString& text) const {
  ensurePolished();
  const QFontMetrics fm = fontMetrics();
  const QSize content(fm.horizontalAdvance(text) + 4, lineEdit()->sizeHint().height());
  QStyleOptionSpinBox option;
  initStyleOption(&option);
  return style()->sizeFromContents(QStyle::CT_SpinBox, &option, content, this);
}

QSize SeedSpinBox::sizeHint() const {
  return hintForText(QString::number(kMax) + QLatin1Char(' '));
}

QSize SeedSpinBox::minimumSizeHint() const {
  return hintForText(QStringLiteral("0000000000"));
}

}  // namespace cllm::views
