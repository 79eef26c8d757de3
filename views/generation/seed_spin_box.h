#pragma once
// A spin box for 64-bit seeds: QSpinBox stops at 2^31-1, but the engine's seed (and the random seeds
// the app draws) span the full uint64 range, and a seed shown must be typed back exactly.

#include <QAbstractSpinBox>

namespace cllm::views {

class SeedSpinBox : public QAbstractSpinBox {
  Q_OBJECT

 public:
  explicit SeedSpinBox(QWidget* parent = nullptr);

  quint64 value() const { return value_; }
  void setValue(quint64 value);

  void stepBy(int steps) override;
  QValidator::State validate(QString& input, int& pos) const override;
  void fixup(QString& input) const override;
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  void valueChanged(quint64 value);

 protected:
  StepEnabled stepEnabled() const override;

 private:
  void onTextEdited(const QString& text);
  QSize hintForText(const QString& text) const;

  quint64 value_ = 0;
};

}  // namespace cllm::views
