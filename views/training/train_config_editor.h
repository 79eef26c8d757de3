#pragma once
// Every training hyperparameter, edited as a cllm::TrainConfig with the engine's defaults, and the
// worker thread count. Invalid values show the engine's own message inline; so does bfloat16 on a CPU
// without native bfloat16 products (its entry is disabled there and says why).

#include <QWidget>

#include "train/train_config.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace cllm::views {

class TrainConfigEditor : public QWidget {
  Q_OBJECT

 public:
  explicit TrainConfigEditor(QWidget* parent = nullptr);

  TrainConfig config() const;
  void setConfig(const TrainConfig& config);
  int threads() const;
  void setThreads(int threads, int maximum);
  QString validationError() const;  // empty when valid

 signals:
  void configChanged();

 private:
  void refresh();

  QSpinBox *stepsSpin_, *batchSpin_, *warmupSpin_, *accumSpin_, *evalIntervalSpin_, *evalBatchesSpin_,
      *threadsSpin_;
  QDoubleSpinBox *lrSpin_, *minLrSpin_, *decaySpin_, *beta1Spin_, *beta2Spin_, *clipSpin_, *valFractionSpin_;
  QComboBox *scheduleCombo_, *precisionCombo_;
  QCheckBox* clipCheck_;
  QSpinBox* seedSpin_;
  QLabel* errorLabel_;
};

}  // namespace cllm::views
