#pragma once
// The charts dock: loss (training and validation), learning rate, gradient norm and throughput of every
// run overlaid, with one tool row (smoothing, log scale, x axis, loss unit, zoom reset, export) for all
// four.
//
// Loss unit: losses of char, BPE and word runs are per different tokens and not comparable; in bits per
// byte they are. bits per byte = loss / (bytes_per_token x ln 2), with the bytes per token of the split
// the loss was measured on (setRunBytesPerToken). In bits per byte a loss series whose ratio is unknown
// is not drawn; its legend entry stays, dimmed, with "no bytes/token" after the name.
//
// The app may report every training step (hundreds per second); the panel queues them and draws at most
// every kFlushIntervalMs, so training never waits for the GUI to repaint.

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <vector>

#include "session/run_records.h"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
QT_END_NAMESPACE

namespace cllm::views {

class MetricChart;

enum class Metric { Loss, ValidationLoss, LearningRate, GradNorm, Throughput };
enum class LossUnit { NatsPerToken, BitsPerByte };

class ChartPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kFlushIntervalMs = 500;

  explicit ChartPanel(QWidget* parent = nullptr);
  ~ChartPanel() override;

  // A valid colour is the run's in every chart (the app stores one with each run); an invalid one gives
  // the first palette colour (runColor) no other run shows. A known runId changes its label, and its
  // colour when a valid one is given.
  void addRun(const QString& runId, const QString& label, const QColor& color = {});
  void removeRun(const QString& runId);
  // Replaces everything shown for the run (a finished run loaded from disk); drops its queued records.
  // The data methods add an unknown runId with its id as label.
  void setRunData(const QString& runId, const QList<StepRecord>& steps, const QList<EvalRecord>& evals);
  // Queued; drawn at the next flush. A step <= an already drawn step replaces that part of the curve
  // (a resumed run).
  void appendSteps(const QString& runId, const QList<StepRecord>& steps);
  void appendEvals(const QString& runId, const QList<EvalRecord>& evals);
  void flushPending();
  int pendingRecordCount() const;
  // Bytes of text per token of the run's training and validation splits, for bits per byte; NaN or
  // <= 0 = unknown. May come before or after the run's data; an unknown runId is added like the data
  // methods do.
  void setRunBytesPerToken(const QString& runId, double trainBytesPerToken, double validationBytesPerToken);
  // Redraws every loss series (training and validation, every run), relabels the loss axis, and
  // switches the hover read-out and the CSV exports to the unit. The unit box calls it.
  void setLossUnit(LossUnit unit);
  LossUnit lossUnit() const { return lossUnit_; }

  QStringList runIds() const;  // in the order they were added
  QString runLabel(const QString& runId) const;
  QColor colorOfRun(const QString& runId) const;  // invalid for an unknown run

  MetricChart* lossChart() const { return lossChart_; }
  MetricChart* lrChart() const { return lrChart_; }
  MetricChart* gradNormChart() const { return gradNormChart_; }
  MetricChart* throughputChart() const { return throughputChart_; }
  MetricChart* chartFor(Metric metric) const;
  // The chart the export buttons use: the one clicked last, else the loss chart.
  MetricChart* activeChart() const { return activeChart_; }

  static QString seriesKey(const QString& runId, Metric metric);  // key of the run's series in chartFor()
  static QString metricName(Metric metric);                       // "loss", "val_loss", "lr", ...

 public slots:
  // The buttons only ask for the path and call these, so they are testable without a file dialog.
  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportCsv(const QString& path, QString* error = nullptr);
  // Every metric of every run in one long table: "run,step,wall_seconds,metric,value" (run = label).
  // Losses are in nats per token ("loss", "val_loss", as in the metrics file); in bits per byte the
  // shown values follow as "loss_bits_per_byte" and "val_loss_bits_per_byte" for runs that have them.
  bool exportAllCsv(const QString& path, QString* error = nullptr);

 public:
  QString allCsvText();

 signals:
  void lossUnitChanged(cllm::views::LossUnit unit);  // so the app can keep the choice in its settings

 private:
  struct Run {
    QString id;
    QString label;
    QColor color;                     // given by the app; invalid = palette colour colorIndex
    int colorIndex = -1;              // -1 while color is valid
    double trainBytesPerToken = 0.0;  // <= 0 or NaN: unknown
    double validationBytesPerToken = 0.0;
    QList<StepRecord> pendingSteps;
    QList<EvalRecord> pendingEvals;
  };

  QWidget* buildToolRow();
  Run& ensureRun(const QString& runId);
  Run* findRun(const QString& runId);
  const Run* findRun(const QString& runId) const;
  void ensureSeries(const Run& run, Metric metric);
  QString displayName(const Run& run, Metric metric) const;
  QColor colorOf(const Run& run) const;
  int freePaletteIndex() const;
  double lossScale(const Run& run, Metric metric) const;  // stored loss -> shown unit; 1 for other metrics
  void applyLossScales(const Run& run);
  void scheduleFlush();
  void forEachChart(void (MetricChart::*method)());
  void onSmoothingSliderMoved(int value);
  void askExportPng();
  void askExportCsv();
  void askExportAllCsv();
  QString askSavePath(const QString& title, const QString& fileName, const QString& filter);

  std::vector<Run> runs_;
  QTimer flushTimer_;
  MetricChart* lossChart_ = nullptr;
  MetricChart* lrChart_ = nullptr;
  MetricChart* gradNormChart_ = nullptr;
  MetricChart* throughputChart_ = nullptr;
  MetricChart* activeChart_ = nullptr;
  QSlider* smoothingSlider_ = nullptr;
  QLabel* smoothingValueLabel_ = nullptr;
  QCheckBox* logScaleCheck_ = nullptr;
  QComboBox* xAxisCombo_ = nullptr;
  QComboBox* lossUnitCombo_ = nullptr;
  LossUnit lossUnit_ = LossUnit::NatsPerToken;
  QString lastExportDir_;
};

}  // namespace cllm::views
