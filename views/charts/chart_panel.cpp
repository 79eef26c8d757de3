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
#include <cmath>
#include <limits>
#include <numbers>

#include "views/charts/chart_format.h"
#include "views/charts/metric_chart.h"
#include "views/charts/run_colors.h"

namespace cllm::views {

namespace {

constexpr std::array<Metric, 5> kAllMetrics = {Metric::Loss, Metric::ValidationLoss, Metric::LearningRate,
                                               Metric::GradNorm, Metric::Throughput};
constexpr int kDefaultSmoothingPercent = 60;  // TensorBoard's default weight 0.6
constexpr std::array<Metric, 2> kLossMetrics = {Metric::Loss, Metric::ValidationLoss};

bool knownRatio(double bytesPerToken) {
  return bytesPerToken > 0 && std::isfinite(bytesPerToken);
}

// Column suffix of the loss CSV and metric suffix of the all-runs CSV.
QString unitId(LossUnit unit) {
  return unit == LossUnit::BitsPerByte ? QStringLiteral("bits_per_byte") : QStringLiteral("nats_per_token");
}

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
  lossChart_->setYAxisTitle(tr("loss (nats/token)"));
  lossChart_->setCsvValueUnit(unitId(LossUnit::NatsPerToken));
  lossChart_->setNoValueLabel(tr("%1: no bytes/token"));
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
  // The loss, what users watch, gets the whole width (its legend names every run in full); the other
  // three share the row below.
  grid->addWidget(lossChart_, 0, 0, 1, 3);
  grid->addWidget(lrChart_, 1, 0);
  grid->addWidget(gradNormChart_, 1, 1);
  grid->addWidget(throughputChart_, 1, 2);
  grid->setRowStretch(0, 3);
  grid->setRowStretch(1, 2);
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
  auto* layout = new QVBoxLayout(row);
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

  auto* lossUnitLabel = new QLabel(tr("Loss"), row);
  lossUnitCombo_ = new QComboBox(row);
  lossUnitCombo_->setObjectName(QStringLiteral("lossUnitCombo"));
  lossUnitCombo_->addItem(tr("nats per token"), static_cast<int>(LossUnit::NatsPerToken));
  lossUnitCombo_->addItem(tr("bits per byte"), static_cast<int>(LossUnit::BitsPerByte));
  lossUnitCombo_->setToolTip(
      tr("Bits per byte compare runs with different tokenizers: loss / (bytes per token × ln 2)"));
  lossUnitLabel->setBuddy(lossUnitCombo_);
  connect(lossUnitCombo_, &QComboBox::currentIndexChanged, this,
          [this] { setLossUnit(static_cast<LossUnit>(lossUnitCombo_->currentData().toInt())); });

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

  // Two rows, so the panel fits a narrow dock: how the charts read, then what to do with them.
  auto* settings = new QHBoxLayout;
  settings->addWidget(smoothingLabel);
  settings->addWidget(smoothingSlider_);
  settings->addWidget(smoothingValueLabel_);
  settings->addSpacing(12);
  settings->addWidget(logScaleCheck_);
  settings->addStretch(1);
  auto* axes = new QHBoxLayout;
  axes->addWidget(xAxisLabel);
  axes->addWidget(xAxisCombo_);
  axes->addSpacing(12);
  axes->addWidget(lossUnitLabel);
  axes->addWidget(lossUnitCombo_);
  axes->addStretch(1);
  auto* actions = new QHBoxLayout;
  actions->addWidget(resetZoom);
  actions->addStretch(1);
  actions->addWidget(exportPngButton);
  actions->addWidget(exportCsvButton);
  actions->addWidget(exportAllButton);
  layout->addLayout(settings);
  layout->addLayout(axes);
  layout->addLayout(actions);
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

void ChartPanel::addRun(const QString& runId, const QString& label, const QColor& color) {
  if (Run* run = findRun(runId)) {
    run->label = label;
    if (color.isValid()) {
      run->color = color;
      run->colorIndex = -1;
    }
    for (Metric m : kAllMetrics) {
      chartFor(m)->setSeriesLabel(seriesKey(runId, m), label, displayName(*run, m));
      chartFor(m)->setSeriesColor(seriesKey(runId, m), colorOf(*run));
    }
    return;
  }
  Run run;
  run.id = runId;
  run.label = label;
  run.color = color;
  if (!color.isValid()) run.colorIndex = freePaletteIndex();
  runs_.push_back(std::move(run));
}

int ChartPanel::freePaletteIndex() const {
  // Skips colours the app gave other runs too: a stored colour is usually a palette colour.
  auto taken = [this](int index) {
    return std::any_of(runs_.begin(), runs_.end(), [&](const Run& r) {
      return r.colorIndex == index || (r.color.isValid() && r.color == runColor(index));
    });
  };
  int index = 0;
  while (taken(index)) ++index;
  return index;
}

QColor ChartPanel::colorOf(const Run& run) const {
  return run.color.isValid() ? run.color : runColor(run.colorIndex);
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
  chart->setSeries(key, run.label, kind, {}, {}, SeriesOptions{displayName(run, metric), colorOf(run)});
  chart->setSeriesScale(key, lossScale(run, metric));
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
                     data.points, data.walls, SeriesOptions{displayName(run, m), colorOf(run)});
    chart->setSeriesScale(key, lossScale(run, m));
  }
  forEachChart(&MetricChart::endBatch);
}

void ChartPanel::setRunBytesPerToken(const QString& runId, double trainBytesPerToken,
                                     double validationBytesPerToken) {
  Run& run = ensureRun(runId);
  run.trainBytesPerToken = trainBytesPerToken;
  run.validationBytesPerToken = validationBytesPerToken;
  applyLossScales(run);
}

double ChartPanel::lossScale(const Run& run, Metric metric) const {
  if (lossUnit_ == LossUnit::NatsPerToken || (metric != Metric::Loss && metric != Metric::ValidationLoss))
    return 1.0;
  const double bytesPerToken = metric == Metric::Loss ? run.trainBytesPerToken : run.validationBytesPerToken;
  // As cllm::bits_per_byte (engine/train/trainer.h): loss / ln 2 / bytes_per_token.
  return knownRatio(bytesPerToken) ? 1.0 / (bytesPerToken * std::numbers::ln2)
                                   : std::numeric_limits<double>::quiet_NaN();
}

void ChartPanel::applyLossScales(const Run& run) {
  for (Metric m : kLossMetrics) lossChart_->setSeriesScale(seriesKey(run.id, m), lossScale(run, m));
}

void ChartPanel::setLossUnit(LossUnit unit) {
  if (unit == lossUnit_) return;
  lossUnit_ = unit;
  lossChart_->beginBatch();
  for (const Run& run : runs_) applyLossScales(run);
  lossChart_->endBatch();
  const bool bits = unit == LossUnit::BitsPerByte;
  lossChart_->setYAxisTitle(bits ? tr("bits per byte") : tr("loss (nats/token)"));
  lossChart_->setCsvValueUnit(unitId(unit));
  lossChart_->resetZoom();  // a zoomed range in the other unit would show an arbitrary part of the curves
  const int index = lossUnitCombo_->findData(static_cast<int>(unit));
  if (lossUnitCombo_->currentIndex() != index) lossUnitCombo_->setCurrentIndex(index);  // re-enters: no-op
  emit lossUnitChanged(unit);
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
  return run ? colorOf(*run) : QColor();
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
      const double scale = lossScale(run, m);
      const bool loss = m == Metric::Loss || m == Metric::ValidationLoss;
      if (lossUnit_ != LossUnit::BitsPerByte || !loss || std::isnan(scale)) continue;
      const QString shownField =
          QLatin1Char(',') + metricName(m) + QLatin1Char('_') + unitId(lossUnit_) + QLatin1Char(',');
      for (qsizetype i = 0; i < points.size(); ++i) {
        out += runField + csvNumber(points[i].x()) + QLatin1Char(',') + csvNumber(walls[i]) + shownField +
               csvNumber(points[i].y() * scale) + QLatin1Char('\n');
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
