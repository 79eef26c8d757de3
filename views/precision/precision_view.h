#pragma once
// The precision lab's panel: does float32 hurt the current model? "Measure" runs one batch through the
// float32 model, the double reference and the 50-digit reference (engine/inspect/precision_lab.h) and
// shows the one-line verdict ("float32 loses at most 1.3 significant digits in this model"), a chart of
// the relative error of every activation (layer by layer, in the model's order) or every parameter
// gradient for float32, double and bf16 rounding on a log scale with float32's own rounding unit as a
// reference line, and the same numbers as a table.
//
// It only displays: measureRequested(tokens) goes to the app, which answers with setProgress(),
// showReport() or showError() (the measurement runs off the GUI thread and can be cancelled).

#include <QWidget>
#include <optional>

#include "inspect/precision_lab.h"

class QChartView;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace cllm::views {

class PrecisionView : public QWidget {
  Q_OBJECT

 public:
  enum class Tensors { Activations, Gradients };

  explicit PrecisionView(QWidget* parent = nullptr);

  // The model a measurement would use (empty: none, Measure is disabled); its context length bounds the
  // tokens per sequence.
  void setModel(const QString& label, int blockSize);
  void setBusy(bool busy);
  void setProgress(const QString& stage, double fraction);
  void showReport(const PrecisionReport& report, const QString& modelLabel);
  void showError(const QString& message);
  void showCancelled();

  void setTokens(int tokens);
  int tokens() const;
  void setTensors(Tensors tensors);
  Tensors tensors() const;
  QString verdict() const;
  const std::optional<PrecisionReport>& report() const { return report_; }
  // Points drawn per series (float32, double, bf16), for tests.
  QList<int> seriesPointCounts() const;

 signals:
  void measureRequested(int tokensPerSequence);
  void cancelRequested();

 private:
  void redraw();

  QLabel *modelLabel_, *verdict_, *status_;
  QSpinBox* tokens_;
  QComboBox* tensors_;
  QPushButton *measure_, *cancel_;
  QProgressBar* progress_;
  QChartView* chart_;
  QTableWidget* table_;
  std::optional<PrecisionReport> report_;
  bool hasModel_ = false, busy_ = false;
};

}  // namespace cllm::views
