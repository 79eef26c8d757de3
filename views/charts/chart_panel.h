#pragma once
// The charts dock: loss (training and validation), learning rate, gradient norm and throughput of every
// run overlaid, with one tool row (smoothing, log scale, x axis, zoom reset, export) for all four.
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

#include "views/charts/run_metrics.h"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
QT_END_NAMESPACE

namespace cllm::views {

class MetricChart;

enum class Metric { Loss, ValidationLoss, LearningRate, GradNorm, Throughput };

class ChartPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kFlushIntervalMs = 500;

  explicit ChartPanel(QWidget* parent = nullptr);
  ~ChartPanel() override;

  // A known runId only changes its label. Each run gets the first palette colour no other run uses and
  // keeps it in every chart.
  void addRun(const QString& runId, const QString& label);
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
  bool exportAllCsv(const QString& path, QString* error = nullptr);

 public:
  QString allCsvText();

 private:
  struct Run {
    QString id;
    QString label;
    int colorIndex = 0;
    QList<StepRecord> pendingSteps;
    QList<EvalRecord> pendingEvals;
  };

  QWidget* buildToolRow();
  Run& ensureRun(const QString& runId);
  Run* findRun(const QString& runId);
  const Run* findRun(const QString& runId) const;
  void ensureSeries(const Run& run, Metric metric);
  QString displayName(const Run& run, Metric metric) const;
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
  QString lastExportDir_;
};

}  // namespace cllm::views
