#pragma once
// The colour key under the output: what a token's background says about its probability.

#include <QWidget>

namespace cllm::views {

class ProbabilityLegend : public QWidget {
  Q_OBJECT

 public:
  explicit ProbabilityLegend(QWidget* parent = nullptr);

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QString caption() const;
};

}  // namespace cllm::views
