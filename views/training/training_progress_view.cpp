#include "views/training/training_progress_view.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <cmath>

namespace cllm::views {

TrainingProgressView::TrainingProgressView(QWidget* parent) : QWidget(parent) {
  bar_ = new QProgressBar;
  bar_->setObjectName("trainingProgressBar");
  stateLabel_ = new QLabel;
  stateLabel_->setObjectName("trainingStateLabel");
  ratesLabel_ = new QLabel;
  ratesLabel_->setObjectName("trainingRatesLabel");
  lossLabel_ = new QLabel;
  lossLabel_->setObjectName("trainingLossLabel");
  validationLabel_ = new QLabel;
  validationLabel_->setObjectName("validationLossLabel");
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->addWidget(bar_, 0, 0, 1, 2);
  grid->addWidget(stateLabel_, 1, 0);
  grid->addWidget(ratesLabel_, 1, 1);
  grid->addWidget(lossLabel_, 2, 0);
  grid->addWidget(validationLabel_, 2, 1);
  reset();
}

QString TrainingProgressView::formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("–");
  const long s = std::lround(seconds);
  if (s >= 3600)
    return QString("%1:%2:%3")
        .arg(s / 3600)
        .arg(s / 60 % 60, 2, 10, QChar('0'))
        .arg(s % 60, 2, 10, QChar('0'));
  return QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

void TrainingProgressView::setProgress(int step, int totalSteps, double etaSeconds) {
  bar_->setRange(0, std::max(1, totalSteps));
  bar_->setValue(std::min(step, totalSteps));
  bar_->setFormat(tr("step %1 of %2 · ETA %3").arg(step).arg(totalSteps).arg(formatDuration(etaSeconds)));
}

void TrainingProgressView::setFinished(int step, int totalSteps) {
  bar_->setRange(0, std::max(1, totalSteps));
  bar_->setValue(std::min(step, totalSteps));
  bar_->setFormat(tr("step %1 of %2").arg(step).arg(totalSteps));
}

void TrainingProgressView::setRates(double stepsPerSecond, double tokensPerSecond) {
  ratesLabel_->setText(
      tr("%1 steps/s · %2 tokens/s")
          .arg(QLocale().toString(stepsPerSecond, 'f', 1), QLocale().toString(tokensPerSecond, 'f', 0)));
}

void TrainingProgressView::setTrainingLoss(double loss) {
  lossLabel_->setText(tr("training loss %1").arg(QLocale().toString(loss, 'f', 4)));
}

void TrainingProgressView::setValidationLoss(double current, double best) {
  if (std::isnan(current)) {
    validationLabel_->setText(tr("validation loss –"));
    return;
  }
  validationLabel_->setText(tr("validation loss %1 (best %2)")
                                .arg(QLocale().toString(current, 'f', 4), QLocale().toString(best, 'f', 4)));
}

void TrainingProgressView::setState(const QString& state) {
  stateLabel_->setText(state);
}

void TrainingProgressView::reset() {
  bar_->setRange(0, 1);
  bar_->setValue(0);
  bar_->setFormat(tr("not started"));
  stateLabel_->setText(tr("Idle"));
  ratesLabel_->clear();
  lossLabel_->clear();
  validationLabel_->setText(tr("validation loss –"));
}

}  // namespace cllm::views
