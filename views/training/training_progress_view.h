#pragma once
// How a run is going: progress bar with ETA, steps/s and tokens/s, the current training loss and the
// current and best validation loss, and the run's state.

#include <QWidget>

class QLabel;
class QProgressBar;

namespace cllm::views {

class TrainingProgressView : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingProgressView(QWidget* parent = nullptr);

  // eta_seconds < 0: unknown.
  void setProgress(int step, int totalSteps, double etaSeconds);
  // The run ended: the bar keeps where it got to, without an ETA.
  void setFinished(int step, int totalSteps);
  void setRates(double stepsPerSecond, double tokensPerSecond);
  void setTrainingLoss(double loss);
  void setValidationLoss(double current, double best);  // NaN: none yet
  void setState(const QString& state);
  void reset();

  static QString formatDuration(double seconds);

 private:
  QProgressBar* bar_;
  QLabel *stateLabel_, *ratesLabel_, *lossLabel_, *validationLabel_;
};

}  // namespace cllm::views
