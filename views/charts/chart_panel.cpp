#include "views/charts/chart_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <array>

#include "views/charts/chart_format.h"
#include "views/charts/metric_chart.h"
#include "views/charts/run_colors.h"

namespace cllm::views {

namespace {

constexpr std::array<Metric, 5> kAllMetrics = {Metric::Loss, Metric::ValidationLoss, Metric::LearningRate,
                                               Metric::GradNorm, Metric::Throughput};
constexpr int kDefaultSmoothingPercent = 60;  // TensorBoard's default weight 0.6

double stepValue(const StepRecord& r, Metric metric) {
  switch (metric) {
    case Metric::Loss:
      return r.loss;
    case Metric::LearningRate:
      return r.lr;
    case Metric::GradNorm:
      return r.grad_norm;
    case Metric::Throughput:
      return r.tokens_per_second;
    case Metric::ValidationLoss:
      break;
  }
  return 0.0;
}

struct PointList {
  QList<QPointF> points;
  QList<double> walls;
};

PointList fromSteps(const QList<StepRecord>& records, Metric metric) {
  PointList out;
  out.points.reserve(records.size());
  out.walls.reserve(records.size());
  for (const StepRecord& r : records) {
    out.points.append({static_cast<double>(r.step), stepValue(r, metric)});
    out.walls.append(r.wall_seconds);
  }
  return out;
}

PointList fromEvals(const QList<EvalRecord>& records) {
  PointList out;
  out.points.reserve(records.size());
  out.walls.reserve(records.size());
  for (const EvalRecord& r : records) {
    out.points.append({static_cast<double>(r.step), r.loss});
    out.walls.append(r.wall_seconds);
  }
  return out;
}

}  // namespace

ChartPanel::ChartPanel(QWidget* parent) : QWidget(parent) {
  lossChart_ = new MetricChart(tr("Loss"), this);
  lossChart_->setObjectName(QStringLiteral("lossChart"));
  lrChart_ = new MetricChart(tr("Learning rate"), this);
  lrChart_->setObjectName(QStringLiteral("lrChart"));
  // A smoothed schedule would show a learning rate that was never used (warm-up would look delayed).
  lrChart_->setSmoothingEnabled(false);
  gradNormChart_ = new MetricChart(tr("Gradient norm"), this);
  gradNormChart_->setObjectName(QStringLiteral("gradNormChart"));
  throughputChart_ = new MetricChart(tr("Throughput (tokens/s)"), this);
  throughputChart_->setObjectName(QStringLiteral("throughputChart"));
  activeChart_ = lossChart_;

  auto* grid = new QGridLayout;
  grid->setContentsMargins(0, 0, 0, 0);
  grid->addWidget(lossChart_, 0, 0);
  grid->addWidget(lrChart_, 0, 1);
  grid->addWidget(gradNormChart_, 1, 0);
  grid->addWidget(throughputChart_, 1, 1);
  for (MetricChart* chart : {lossChart_, lrChart_, gradNormChart_, throughputChart_}) {
    chart->setSmoothing(kDefaultSmoothingPercent / 100.0);
    connect(chart, &MetricChart::activated, this, [this, chart] { activeChart_ = chart; });
  }

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(buildToolRow());
  layout->addLayout(grid, 1);

  flushTimer_.setSingleShot(true);
  flushTimer_.setInterval(kFlushIntervalMs);
  connect(&flushTimer_, &QTimer::timeout, this, &ChartPanel::flushPending);
}

ChartPanel::~ChartPanel() = default;

QWidget* ChartPanel::buildToolRow() {
  auto* row = new QWidget(this);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);

  auto* smoothingLabel = new QLabel(tr("Smoothing"), row);
  smoothingSlider_ = new QSlider(Qt::Horizontal, row);
  smoothingSlider_->setObjectName(QStringLiteral("smoothingSlider"));
  smoothingSlider_->setRange(0, 99);
  smoothingSlider_->setSingleStep(1);
  smoothingSlider_->setPageStep(10);
  smoothingSlider_->setValue(kDefaultSmoothingPercent);
  smoothingSlider_->setMinimumWidth(120);
  smoothingSlider_->setToolTip(tr("Weight of the debiased moving average drawn over the raw values"));
  smoothingLabel->setBuddy(smoothingSlider_);
  smoothingValueLabel_ = new QLabel(row);
  smoothingValueLabel_->setObjectName(QStringLiteral("smoothingValueLabel"));
  smoothingValueLabel_->setMinimumWidth(
      smoothingValueLabel_->fontMetrics().horizontalAdvance(QStringLiteral("0.00")));
  connect(smoothingSlider_, &QSlider::valueChanged, this, &ChartPanel::onSmoothingSliderMoved);
  onSmoothingSliderMoved(smoothingSlider_->value());

  logScaleCheck_ = new QCheckBox(tr("Log scale"), row);
  logScaleCheck_->setObjectName(QStringLiteral("logScaleCheck"));
  logScaleCheck_->setToolTip(tr("Logarithmic y axis; values <= 0 are not drawn"));
  connect(logScaleCheck_, &QCheckBox::toggled, this, [this](bool on) {
    for (Metric m : {Metric::Loss, Metric::LearningRate, Metric::GradNorm, Metric::Throughput}) {
      chartFor(m)->setLogScale(on);
    }
  });

  auto* xAxisLabel = new QLabel(tr("X axis"), row);
  xAxisCombo_ = new QComboBox(row);
  xAxisCombo_->setObjectName(QStringLiteral("xAxisCombo"));
  xAxisCombo_->addItem(tr("Step"), static_cast<int>(XAxisMode::Step));
  xAxisCombo_->addItem(tr("Wall time"), static_cast<int>(XAxisMode::WallTime));
  xAxisCombo_->setToolTip(tr("Wall time is counted in seconds from the start of each run"));
  xAxisLabel->setBuddy(xAxisCombo_);
  connect(xAxisCombo_, &QComboBox::currentIndexChanged, this, [this] {
    const auto mode = static_cast<XAxisMode>(xAxisCombo_->currentData().toInt());
    for (Metric m : {Metric::Loss, Metric::LearningRate, Metric::GradNorm, Metric::Throughput}) {
      chartFor(m)->setXAxisMode(mode);
    }
  });

  auto* resetZoom = new QPushButton(tr("Reset zoom"), row);
  resetZoom->setObjectName(QStringLiteral("resetZoomButton"));
  resetZoom->setToolTip(tr("Fit every chart to its data (drag a rectangle to zoom, right-click to reset)"));
  connect(resetZoom, &QPushButton::clicked, this, [this] { forEachChart(&MetricChart::resetZoom); });

  auto* exportPngButton = new QPushButton(tr("Export PNG…"), row);
  exportPngButton->setObjectName(QStringLiteral("exportPngButton"));
  exportPngButton->setToolTip(tr("Save the chart clicked last (else the loss chart) as an image"));
  connect(exportPngButton, &QPushButton::clicked, this, &ChartPanel::askExportPng);
  auto* exportCsvButton = new QPushButton(tr("Export CSV…"), row);
  exportCsvButton->setObjectName(QStringLiteral("exportCsvButton"));
  exportCsvButton->setToolTip(tr("Save the data of the chart clicked last (else the loss chart)"));
  connect(exportCsvButton, &QPushButton::clicked, this, &ChartPanel::askExportCsv);
  auto* exportAllButton = new QPushButton(tr("Export all CSV…"), row);
  exportAllButton->setObjectName(QStringLiteral("exportAllCsvButton"));
  exportAllButton->setToolTip(tr("Save every metric of every run in one table"));
  connect(exportAllButton, &QPushButton::clicked, this, &ChartPanel::askExportAllCsv);

  layout->addWidget(smoothingLabel);
  layout->addWidget(smoothingSlider_);
  layout->addWidget(smoothingValueLabel_);
  layout->addSpacing(12);
  layout->addWidget(logScaleCheck_);
  layout->addSpacing(12);
  layout->addWidget(xAxisLabel);
  layout->addWidget(xAxisCombo_);
  layout->addWidget(resetZoom);
  layout->addStretch(1);
  layout->addWidget(exportPngButton);
  layout->addWidget(exportCsvButton);
  layout->addWidget(exportAllButton);
  return row;
}

void ChartPanel::onSmoothingSliderMoved(int value) {
  const double weight = value / 100.0;
  smoothingValueLabel_->setText(QString::number(weight, 'f', 2));
  for (MetricChart* chart : {lossChart_, lrChart_, gradNormChart_, throughputChart_})
    chart->setSmoothing(weight);
}

void ChartPanel::forEachChart(void (MetricChart::*method)()) {
  for (MetricChart* chart : {lossChart_, lrChart_, gradNormChart_, throughputChart_}) (chart->*method)();
}

MetricChart* ChartPanel::chartFor(Metric metric) const {
  switch (metric) {
    case Metric::Loss:
    case Metric::ValidationLoss:
      return lossChart_;
    case Metric::LearningRate:
      return lrChart_;
    case Metric::GradNorm:
      return gradNormChart_;
    case Metric::Throughput:
      return throughputChart_;
  }
  return lossChart_;
}

QString ChartPanel::metricName(Metric metric) {
  switch (metric) {
    case Metric::Loss:
      return QStringLiteral("loss");
    case Metric::ValidationLoss:
      return QStringLiteral("val_loss");
    case Metric::LearningRate:
      return QStringLiteral("lr");
    case Metric::GradNorm:
      return QStringLiteral("grad_norm");
    case Metric::Throughput:
      return QStringLiteral("tokens_per_second");
  }
  return {};
}

QString ChartPanel::seriesKey(const QString& runId, Metric metric) {
  return runId + QLatin1Char('/') + metricName(metric);
}

ChartPanel::Run* ChartPanel::findRun(const QString& runId) {
  for (Run& run : runs_) {
    if (run.id == runId) return &run;
  }
  return nullptr;
}

const ChartPanel::Run* ChartPanel::findRun(const QString& runId) const {
  return const_cast<ChartPanel*>(this)->findRun(runId);
}

ChartPanel::Run& ChartPanel::ensureRun(const QString& runId) {
  if (Run* run = findRun(runId)) return *run;
  addRun(runId, runId);
  return runs_.back();
}

void ChartPanel::addRun(const QString& runId, const QString& label) {
  if (Run* run = findRun(runId)) {
    run->label = label;
    for (Metric m : kAllMetrics)
      chartFor(m)->setSeriesLabel(seriesKey(runId, m), label, displayName(*run, m));
    return;
  }
  int colorIndex = 0;
  while (std::any_of(runs_.begin(), runs_.end(), [&](const Run& r) { return r.colorIndex == colorIndex; })) {
    ++colorIndex;
  }
  runs_.push_back(Run{runId, label, colorIndex, {}, {}});
}

void ChartPanel::removeRun(const QString& runId) {
  const auto it = std::find_if(runs_.begin(), runs_.end(), [&](const Run& r) { return r.id == runId; });
  if (it == runs_.end()) return;
  for (Metric m : kAllMetrics) chartFor(m)->removeSeries(seriesKey(runId, m));
  runs_.erase(it);
}

QString ChartPanel::displayName(const Run& run, Metric metric) const {
  if (metric == Metric::Loss) return tr("%1 (train)").arg(run.label);
  if (metric == Metric::ValidationLoss) return tr("%1 (validation)").arg(run.label);
  return run.label;
}

void ChartPanel::ensureSeries(const Run& run, Metric metric) {
  MetricChart* chart = chartFor(metric);
  const QString key = seriesKey(run.id, metric);
  if (chart->hasSeries(key)) return;
  const SeriesKind kind = metric == Metric::ValidationLoss ? SeriesKind::Sparse : SeriesKind::Dense;
  chart->setSeries(key, run.label, kind, {}, {},
                   SeriesOptions{displayName(run, metric), runColor(run.colorIndex)});
}

void ChartPanel::setRunData(const QString& runId, const QList<StepRecord>& steps,
                            const QList<EvalRecord>& evals) {
  Run& run = ensureRun(runId);
  run.pendingSteps.clear();
  run.pendingEvals.clear();
  forEachChart(&MetricChart::beginBatch);
  for (Metric m : kAllMetrics) {
    MetricChart* chart = chartFor(m);
    const QString key = seriesKey(runId, m);
    const PointList data = m == Metric::ValidationLoss ? fromEvals(evals) : fromSteps(steps, m);
    if (data.points.isEmpty()) {
      chart->removeSeries(key);
      continue;
    }
    chart->setSeries(key, run.label, m == Metric::ValidationLoss ? SeriesKind::Sparse : SeriesKind::Dense,
                     data.points, data.walls, SeriesOptions{displayName(run, m), runColor(run.colorIndex)});
  }
  forEachChart(&MetricChart::endBatch);
}

void ChartPanel::appendSteps(const QString& runId, const QList<StepRecord>& steps) {
  if (steps.isEmpty()) return;
  ensureRun(runId).pendingSteps.append(steps);
  scheduleFlush();
}

void ChartPanel::appendEvals(const QString& runId, const QList<EvalRecord>& evals) {
  if (evals.isEmpty()) return;
  ensureRun(runId).pendingEvals.append(evals);
  scheduleFlush();
}

void ChartPanel::scheduleFlush() {
  // Started once per burst, not restarted per record: a steady stream still gets drawn every interval.
  if (!flushTimer_.isActive()) flushTimer_.start();
}

int ChartPanel::pendingRecordCount() const {
  int count = 0;
  for (const Run& run : runs_) count += static_cast<int>(run.pendingSteps.size() + run.pendingEvals.size());
  return count;
}

void ChartPanel::flushPending() {
  flushTimer_.stop();
  forEachChart(&MetricChart::beginBatch);
  for (Run& run : runs_) {
    if (!run.pendingSteps.isEmpty()) {
      for (Metric m : {Metric::Loss, Metric::LearningRate, Metric::GradNorm, Metric::Throughput}) {
        ensureSeries(run, m);
        const PointList data = fromSteps(run.pendingSteps, m);
        chartFor(m)->appendPoints(seriesKey(run.id, m), data.points, data.walls);
      }
      run.pendingSteps.clear();
    }
    if (!run.pendingEvals.isEmpty()) {
      ensureSeries(run, Metric::ValidationLoss);
      const PointList data = fromEvals(run.pendingEvals);
      lossChart_->appendPoints(seriesKey(run.id, Metric::ValidationLoss), data.points, data.walls);
      run.pendingEvals.clear();
    }
  }
  forEachChart(&MetricChart::endBatch);
}

QStringList ChartPanel::runIds() const {
  QStringList ids;
  for (const Run& run : runs_) ids << run.id;
  return ids;
}

QString ChartPanel::runLabel(const QString& runId) const {
  const Run* run = findRun(runId);
  return run ? run->label : QString();
}

QColor ChartPanel::colorOfRun(const QString& runId) const {
  const Run* run = findRun(runId);
  return run ? runColor(run->colorIndex) : QColor();
}

bool ChartPanel::exportPng(const QString& path, QString* error) {
  flushPending();
  return activeChart_->exportPng(path, error);
}

bool ChartPanel::exportCsv(const QString& path, QString* error) {
  flushPending();
  return activeChart_->exportCsv(path, error);
}

QString ChartPanel::allCsvText() {
  flushPending();
  QString out = QStringLiteral("run,step,wall_seconds,metric,value\n");
  for (const Run& run : runs_) {
    const QString runField = csvField(run.label) + QLatin1Char(',');
    for (Metric m : kAllMetrics) {
      const MetricChart* chart = chartFor(m);
      const QString key = seriesKey(run.id, m);
      const QList<QPointF> points = chart->points(key);
      const QList<double> walls = chart->wallSeconds(key);
      const QString metricField = QLatin1Char(',') + metricName(m) + QLatin1Char(',');
      for (qsizetype i = 0; i < points.size(); ++i) {
        out += runField + csvNumber(points[i].x()) + QLatin1Char(',') + csvNumber(walls[i]) + metricField +
               csvNumber(points[i].y()) + QLatin1Char('\n');
      }
    }
  }
  return out;
}

bool ChartPanel::exportAllCsv(const QString& path, QString* error) {
  return saveFileAtomically(path, allCsvText().toUtf8(), error);
}

QString ChartPanel::askSavePath(const QString& title, const QString& fileName, const QString& filter) {
  const QString dir = lastExportDir_.isEmpty() ? QDir::homePath() : lastExportDir_;
  const QString path = QFileDialog::getSaveFileName(this, title, QDir(dir).filePath(fileName), filter);
  if (!path.isEmpty()) lastExportDir_ = QFileInfo(path).absolutePath();
  return path;
}

void ChartPanel::askExportPng() {
  const QString base = activeChart_->objectName().remove(QStringLiteral("Chart"));
  const QString path =
      askSavePath(tr("Export chart as PNG"), base + QStringLiteral(".png"), tr("PNG images (*.png)"));
  QString error;
  if (!path.isEmpty() && !exportPng(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

void ChartPanel::askExportCsv() {
  const QString base = activeChart_->objectName().remove(QStringLiteral("Chart"));
  const QString path =
      askSavePath(tr("Export chart data as CSV"), base + QStringLiteral(".csv"), tr("CSV files (*.csv)"));
  QString error;
  if (!path.isEmpty() && !exportCsv(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

void ChartPanel::askExportAllCsv() {
  const QString path = askSavePath(tr("Export all runs and metrics as CSV"), QStringLiteral("metrics.csv"),
                                   tr("CSV files (*.csv)"));
  QString error;
  if (!path.isEmpty() && !exportAllCsv(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

}  // namespace cllm::views
