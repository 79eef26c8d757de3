#include "views/charts/metric_chart.h"

#include <QBuffer>
#include <QEvent>
#include <QFontMetricsF>
#include <QImage>
#include <QLocale>
#include <QMouseEvent>
#include <QPixmap>
#include <QToolTip>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

#include "views/charts/chart_format.h"
#include "views/charts/log_axis_labels.h"
#include "views/charts/run_colors.h"
#include "views/charts/series_data.h"

namespace cllm::views {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kRawAlpha = 0.25;
// Width a legend entry needs besides its text, after Qt Charts 6.4's LegendMarkerItem and LegendLayout:
// 10 px marker, margins 2 x 3, spacing 4, 1 px rounding, 3 px between entries; plus a few pixels of
// slack so that an estimate just short of the truth never leaves an entry cut.
constexpr double kLegendEntryExtra = 30.0;
constexpr double kLegendSlack = 16.0;
}  // namespace

struct MetricChart::Series {
  QString key;
  QString runLabel;
  QString displayName;
  SeriesKind kind = SeriesKind::Dense;
  QColor color;
  SeriesData data;
  bool visible = true;
  bool dirty = false;
  QLineSeries* raw = nullptr;     // dense: the faint raw line; sparse: the only line
  QLineSeries* smooth = nullptr;  // dense only
  double scale = 1.0;             // shown value = stored value x scale

  // Bounds of the drawable points among the first boundsCount ones, in the current x mode and y scale:
  // fitAxes extends them by the new points instead of rescanning a long run at every flush.
  int boundsCount = 0;
  double xMin = kInf, xMax = -kInf, yMin = kInf, yMax = -kInf;

  void resetBounds() {
    boundsCount = 0;
    xMin = yMin = kInf;
    xMax = yMax = -kInf;
  }
  QString name() const { return displayName.isEmpty() ? runLabel : displayName; }
  QLineSeries* main() const { return smooth ? smooth : raw; }
  bool hasUnit() const { return std::isfinite(scale) && scale > 0; }  // has values in the shown unit
  double factor() const { return hasUnit() ? scale : std::numeric_limits<double>::quiet_NaN(); }
  double shownValue(int i) const { return data.values()[i] * factor(); }
  double shownSmoothed(int i) const { return data.smoothed()[i] * factor(); }
};

namespace {

// True for an empty range and for float noise around one value (a smoothed constant is 1 +- 2e-16):
// neither is a range worth showing, and Qt's tick loop (value += interval) would never advance over it.
bool negligibleSpan(double lo, double hi) {
  return !(hi - lo > 1e-9 * std::max(std::abs(lo), std::abs(hi)));
}

// Dynamic ticks anchored at 0 give round labels without changing the fitted range (applyNiceNumbers
// would widen it). The interval must always match the range it is laid out with: an interval of 0.2
// over a million steps means millions of tick items, so setRangeWithTicks passes through fixed ticks.
void setTicksFor(QValueAxis* axis, double min, double max) {
  if (negligibleSpan(min, max) || !std::isfinite(max - min)) {
    axis->setTickType(QValueAxis::TicksFixed);
    return;
  }
  axis->setTickAnchor(0.0);
  axis->setTickInterval(niceInterval(max - min, 5));
  axis->setTickType(QValueAxis::TicksDynamic);
}

void setRangeWithTicks(QValueAxis* axis, double min, double max) {
  axis->setTickType(QValueAxis::TicksFixed);
  axis->setRange(min, max);
  setTicksFor(axis, min, max);
}

QPair<double, double> axisRange(const QAbstractAxis* axis) {
  if (const auto* v = qobject_cast<const QValueAxis*>(axis)) return {v->min(), v->max()};
  if (const auto* l = qobject_cast<const QLogValueAxis*>(axis)) return {l->min(), l->max()};
  return {0.0, 0.0};
}

}  // namespace

MetricChart::MetricChart(const QString& title, QWidget* parent) : QChartView(new QChart, parent) {
  chart()->setTitle(title);
  chart()->setAnimationOptions(QChart::NoAnimation);
  chart()->setMargins(QMargins(4, 4, 4, 4));
  // Value axis labels are printf-formatted ("%.4g", always a decimal point) unless numbers are localized:
  // then Qt Charts formats them with the chart's own locale, which does not follow the widget's
  // (changeEvent passes it on).
  chart()->setLocalizeNumbers(true);
  chart()->setLocale(locale());
  chart()->legend()->setAlignment(Qt::AlignBottom);
  chart()->legend()->setShowToolTips(true);  // the full name on an entry Qt had to cut short
  noValueLabel_ = tr("%1: not in this unit");
  // No QXYSeries::setUseOpenGL: its GL overlay is unreliable under Xvfb and software GL, and
  // decimation (refreshSeries) keeps raster drawing cheap.
  setRenderHint(QPainter::Antialiasing);
  setRubberBand(QChartView::RectangleRubberBand);
  setMouseTracking(true);
  viewport()->setMouseTracking(true);
  setFocusPolicy(Qt::ClickFocus);
  setMinimumSize(160, 140);  // three side by side fit a laptop-sized dock

  auto* x = new QValueAxis;
  x->setTitleText(tr("Step"));
  x->setLabelFormat(QStringLiteral("%.7g"));  // step 1000000, not 1e+06
  chart()->addAxis(x, Qt::AlignBottom);
  connect(x, &QValueAxis::rangeChanged, this, [this, x](double min, double max) {
    if (!applyingRange_) userZoomed_ = true;
    setTicksFor(x, min, max);
  });
  xAxis_ = x;

  // Both y axes live for the chart's lifetime and the unused one is hidden: Qt Charts 6.4 leaves the
  // labels of a removed axis painted on the chart.
  linearY_ = new QValueAxis;
  linearY_->setLabelFormat(QStringLiteral("%.4g"));
  chart()->addAxis(linearY_, Qt::AlignLeft);
  connect(linearY_, &QValueAxis::rangeChanged, this, [this](double min, double max) {
    if (!applyingRange_) userZoomed_ = true;
    setTicksFor(linearY_, min, max);
  });
  logY_ = new QLogValueAxis;
  logY_->setBase(10.0);
  logY_->setMinorTickCount(8);  // 2..9 x each decade
  // It labels powers of ten only (a loss from 4.5 to 0.4 would get "1" alone): logLabels_ labels it.
  // Without labels or title it is 2 px wide, so logLabels_, laid out next to it, sits at the plot.
  logY_->setLabelsVisible(false);
  logY_->setRange(1.0, 10.0);  // a degenerate range would be replaced by a series' domain, zeros included
  logY_->setVisible(false);
  chart()->addAxis(logY_, Qt::AlignLeft);
  // Linear in log10(value) and attached to no series: only its labels, at the log axis' positions.
  logLabels_ = new QCategoryAxis;
  logLabels_->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  logLabels_->setLineVisible(false);      // the log axis draws the line and ticks
  logLabels_->setGridLineVisible(false);  // and the grid
  logLabels_->setVisible(false);
  chart()->addAxis(logLabels_, Qt::AlignLeft);
  connect(logY_, &QLogValueAxis::rangeChanged, this, [this] {
    if (!applyingRange_) userZoomed_ = true;
    updateLogLabels();  // zoomed by the rubber band too: labels follow every range
  });
  // How many labels fit depends on the plot's height.
  connect(chart(), &QChart::plotAreaChanged, this, [this] { updateLogLabels(); });
  updateLogLabels();
  yAxis_ = linearY_;
  fitAxes();
}

MetricChart::~MetricChart() = default;

void MetricChart::attach(QLineSeries* line, QAbstractAxis* axis) {
  // Qt replaces a degenerate axis range (min == max) by the new series' domain when attaching. That is
  // not a user zoom, and it must not be laid out with a tick interval meant for another range.
  applyingRange_ = true;
  auto* valueAxis = qobject_cast<QValueAxis*>(axis);
  if (valueAxis) valueAxis->setTickType(QValueAxis::TicksFixed);
  line->attachAxis(axis);
  if (valueAxis) setTicksFor(valueAxis, valueAxis->min(), valueAxis->max());
  applyingRange_ = false;
}

MetricChart::Series* MetricChart::find(const QString& key) {
  for (auto& s : series_) {
    if (s->key == key) return s.get();
  }
  return nullptr;
}

const MetricChart::Series* MetricChart::find(const QString& key) const {
  return const_cast<MetricChart*>(this)->find(key);
}

void MetricChart::setSeries(const QString& key, const QString& runLabel, SeriesKind kind,
                            const QList<QPointF>& points, const QList<double>& wallSeconds,
                            const SeriesOptions& options) {
  Series* s = find(key);
  if (s && s->kind != kind) {
    removeSeries(key);
    s = nullptr;
  }
  if (!s) {
    auto created = std::make_unique<Series>();
    s = created.get();
    s->key = key;
    s->kind = kind;
    s->color = options.color.isValid() ? options.color : runColor(nextPaletteIndex_++);
    s->raw = new QLineSeries;
    chart()->addSeries(s->raw);
    if (kind == SeriesKind::Dense) {
      // Added after the raw line so that it is drawn on top of it.
      s->smooth = new QLineSeries;
      chart()->addSeries(s->smooth);
    }
    for (QLineSeries* line : {s->raw, s->smooth}) {
      if (!line) continue;
      attach(line, xAxis_);
      attach(line, yAxis_);
    }
    QLineSeries* main = s->main();
    for (QLegendMarker* marker : chart()->legend()->markers(main)) {
      connect(marker, &QLegendMarker::clicked, this, [this, marker] { onLegendMarkerClicked(marker); });
    }
    series_.push_back(std::move(created));
  } else if (options.color.isValid()) {
    s->color = options.color;
  }
  s->runLabel = runLabel;
  s->displayName = options.displayName;
  s->data.clear();
  s->data.setSmoothing(kind == SeriesKind::Dense && smoothingEnabled_ ? smoothing_ : 0.0);
  s->data.append(points, wallSeconds);
  s->resetBounds();
  styleSeries(*s);
  afterDataChange(*s);
  placeLegend();
}

void MetricChart::appendPoints(const QString& key, const QList<QPointF>& points,
                               const QList<double>& wallSeconds) {
  Series* s = find(key);
  if (!s || points.isEmpty()) return;
  if (s->data.append(points, wallSeconds)) s->resetBounds();
  afterDataChange(*s);
}

void MetricChart::removeSeries(const QString& key) {
  const auto it = std::find_if(series_.begin(), series_.end(), [&](const auto& s) { return s->key == key; });
  if (it == series_.end()) return;
  for (QLineSeries* line : {(*it)->raw, (*it)->smooth}) {
    if (!line) continue;
    chart()->removeSeries(line);
    delete line;
  }
  series_.erase(it);
  placeLegend();
  if (batchDepth_ > 0) {
    fitPending_ = true;
  } else if (!userZoomed_) {
    fitAxes();
  }
}

void MetricChart::clear() {
  while (!series_.empty()) removeSeries(series_.front()->key);
  userZoomed_ = false;
  fitAxes();
}

bool MetricChart::hasSeries(const QString& key) const {
  return find(key) != nullptr;
}

QStringList MetricChart::seriesKeys() const {
  QStringList keys;
  for (const auto& s : series_) keys << s->key;
  return keys;
}

void MetricChart::setSeriesLabel(const QString& key, const QString& runLabel, const QString& displayName) {
  Series* s = find(key);
  if (!s) return;
  s->runLabel = runLabel;
  s->displayName = displayName;
  styleSeries(*s);
  placeLegend();
}

void MetricChart::setSeriesColor(const QString& key, const QColor& color) {
  Series* s = find(key);
  if (!s || !color.isValid() || s->color == color) return;
  s->color = color;
  styleSeries(*s);
}

void MetricChart::setSeriesScale(const QString& key, double factor) {
  Series* s = find(key);
  if (!s || s->scale == factor || (std::isnan(s->scale) && std::isnan(factor))) return;
  s->scale = factor;
  s->resetBounds();
  styleSeries(*s);
  placeLegend();
  afterDataChange(*s);
}

double MetricChart::seriesScale(const QString& key) const {
  const Series* s = find(key);
  return s ? s->scale : 1.0;
}

void MetricChart::setNoValueLabel(const QString& format) {
  noValueLabel_ = format;
  for (auto& s : series_) {
    if (!s->hasUnit()) styleSeries(*s);
  }
  placeLegend();
}

QString MetricChart::legendLabel(const Series& s) const {
  return s.hasUnit() ? s.name() : noValueLabel_.arg(s.name());
}

void MetricChart::setYAxisTitle(const QString& title) {
  yTitle_ = title;
  // The log axis stays untitled: its title would sit between the plot and logLabels_' labels.
  linearY_->setTitleText(title);
  logLabels_->setTitleText(title);
}

void MetricChart::setCsvValueUnit(const QString& unit) {
  csvValueUnit_ = unit;
}

void MetricChart::setSeriesVisible(const QString& key, bool visible) {
  Series* s = find(key);
  if (!s || s->visible == visible) return;
  s->visible = visible;
  styleSeries(*s);
  if (!userZoomed_) fitAxes();
}

bool MetricChart::isSeriesVisible(const QString& key) const {
  const Series* s = find(key);
  return s && s->visible;
}

void MetricChart::onLegendMarkerClicked(QLegendMarker* marker) {
  for (const auto& s : series_) {
    if (s->main() == marker->series()) {
      setSeriesVisible(s->key, !s->visible);
      return;
    }
  }
}

void MetricChart::styleSeries(Series& s) {
  const bool dense = s.kind == SeriesKind::Dense;
  const bool shown = s.visible && s.hasUnit();
  QPen pen(s.color);
  pen.setWidthF(dense ? 2.0 : 1.5);
  s.main()->setPen(pen);
  s.main()->setColor(s.color);
  s.main()->setName(legendLabel(s));
  if (dense) {
    QColor faint = s.color;
    faint.setAlphaF(kRawAlpha);
    QPen rawPen(faint);
    rawPen.setWidthF(1.0);
    s.raw->setPen(rawPen);
    s.raw->setName(s.name());
    // Without smoothing the smoothed line equals the raw one; drawing both would only darken it.
    s.raw->setVisible(shown && smoothingEnabled_);
    s.smooth->setVisible(shown);
  } else {
    s.raw->setBrush(s.color);
    s.raw->setPointsVisible(true);
    s.raw->setMarkerSize(7.0);
    s.raw->setVisible(shown);
  }
  // QLegend re-shows a series' marker whenever the series' visibility changes: the raw line never has
  // one, and a hidden series keeps a dimmed one so that it can be clicked back on (one without values
  // in the shown unit too, saying so).
  if (dense) {
    for (QLegendMarker* marker : chart()->legend()->markers(s.raw)) marker->setVisible(false);
  }
  for (QLegendMarker* marker : chart()->legend()->markers(s.main())) {
    marker->setVisible(true);
    QColor label = chart()->legend()->labelColor();
    label.setAlphaF(shown ? 1.0 : 0.4);
    marker->setLabelBrush(label);
    QColor swatch = s.color;
    swatch.setAlphaF(shown ? 1.0 : 0.3);
    marker->setBrush(swatch);
  }
}

double MetricChart::xOf(const SeriesData& data, int i) const {
  return xMode_ == XAxisMode::Step ? data.steps()[i] : data.wallSeconds()[i];
}

void MetricChart::refreshSeries(Series& s) {
  s.dirty = false;
  const SeriesData& d = s.data;
  const int n = d.size();
  // A power-of-two stride changes rarely as a run grows, so the drawn subset does not flicker between
  // flushes.
  int stride = 1;
  if (s.kind == SeriesKind::Dense) {
    while (n / stride > kMaxShownPoints) stride *= 2;
  }
  QList<QPointF> raw;
  QList<QPointF> smooth;
  raw.reserve(n / stride + 2);
  if (s.smooth) smooth.reserve(n / stride + 2);
  auto drawable = [this](double x, double y) {
    return std::isfinite(x) && std::isfinite(y) && (!logScale_ || y > 0);
  };
  auto take = [&](int i) {
    const double x = xOf(d, i);
    const double y = s.shownValue(i);
    if (drawable(x, y)) raw.append({x, y});
    if (s.smooth) {
      const double ys = s.shownSmoothed(i);
      if (drawable(x, ys)) smooth.append({x, ys});
    }
  };
  for (int i = 0; i < n; i += stride) take(i);
  if (n > 0 && (n - 1) % stride != 0) take(n - 1);  // the newest point is always shown
  s.raw->replace(raw);
  if (s.smooth) s.smooth->replace(smooth);
}

void MetricChart::refreshAll() {
  for (auto& s : series_) refreshSeries(*s);
}

void MetricChart::afterDataChange(Series& s) {
  if (batchDepth_ > 0) {
    s.dirty = true;
    return;
  }
  refreshSeries(s);
  if (!userZoomed_) fitAxes();
}

void MetricChart::beginBatch() {
  ++batchDepth_;
}

void MetricChart::endBatch() {
  if (batchDepth_ == 0 || --batchDepth_ > 0) return;
  bool any = false;
  for (auto& s : series_) {
    if (!s->dirty) continue;
    refreshSeries(*s);
    any = true;
  }
  if ((any || fitPending_) && !userZoomed_) fitAxes();
  fitPending_ = false;
}

void MetricChart::setSmoothing(double weight) {
  smoothing_ = DebiasedEma(weight).weight();
  if (!smoothingEnabled_) return;
  for (auto& s : series_) {
    if (s->kind != SeriesKind::Dense) continue;
    s->data.setSmoothing(smoothing_);
    s->resetBounds();
    refreshSeries(*s);
  }
  if (!userZoomed_) fitAxes();
}

void MetricChart::setSmoothingEnabled(bool enabled) {
  if (smoothingEnabled_ == enabled) return;
  smoothingEnabled_ = enabled;
  for (auto& s : series_) {
    if (s->kind != SeriesKind::Dense) continue;
    s->data.setSmoothing(enabled ? smoothing_ : 0.0);
    s->resetBounds();
    styleSeries(*s);
    refreshSeries(*s);
  }
  if (!userZoomed_) fitAxes();
}

void MetricChart::setLogScale(bool on) {
  if (logScale_ == on) return;
  logScale_ = on;
  for (auto& s : series_) s->resetBounds();
  refreshAll();  // drop non-positive points before the log axis maps them
  switchYAxis();
  resetZoom();
}

void MetricChart::setXAxisMode(XAxisMode mode) {
  if (xMode_ == mode) return;
  xMode_ = mode;
  for (auto& s : series_) s->resetBounds();
  xAxis_->setTitleText(mode == XAxisMode::Step ? tr("Step") : tr("Relative time (s)"));
  refreshAll();
  resetZoom();
}

void MetricChart::resetZoom() {
  userZoomed_ = false;
  fitAxes();
}

void MetricChart::switchYAxis() {
  QAbstractAxis* next = logScale_ ? static_cast<QAbstractAxis*>(logY_) : linearY_;
  if (next == yAxis_) return;
  for (const auto& s : series_) {
    for (QLineSeries* line : {s->raw, s->smooth}) {
      if (line) line->detachAxis(yAxis_);
    }
  }
  yAxis_->setVisible(false);
  next->setVisible(true);
  logLabels_->setVisible(logScale_);
  yAxis_ = next;
  for (const auto& s : series_) {
    for (QLineSeries* line : {s->raw, s->smooth}) {
      if (line) attach(line, yAxis_);
    }
  }
}

void MetricChart::extendBounds(Series& s) {
  const SeriesData& d = s.data;
  if (s.boundsCount > d.size()) s.resetBounds();
  const bool smoothed = s.kind == SeriesKind::Dense;
  for (int i = s.boundsCount; i < d.size(); ++i) {
    const double x = xOf(d, i);
    if (!std::isfinite(x)) continue;
    for (double y : {s.shownValue(i), smoothed ? s.shownSmoothed(i) : s.shownValue(i)}) {
      if (!std::isfinite(y) || (logScale_ && y <= 0)) continue;
      s.xMin = std::min(s.xMin, x);
      s.xMax = std::max(s.xMax, x);
      s.yMin = std::min(s.yMin, y);
      s.yMax = std::max(s.yMax, y);
    }
  }
  s.boundsCount = d.size();
}

void MetricChart::fitAxes() {
  double xMin = kInf, xMax = -kInf, yMin = kInf, yMax = -kInf;
  for (const auto& s : series_) {
    if (!s->visible) continue;
    extendBounds(*s);
    xMin = std::min(xMin, s->xMin);
    xMax = std::max(xMax, s->xMax);
    yMin = std::min(yMin, s->yMin);
    yMax = std::max(yMax, s->yMax);
  }
  if (xMin > xMax) {
    xMin = 0.0;
    xMax = 1.0;
    yMin = logScale_ ? 1.0 : 0.0;
    yMax = logScale_ ? 10.0 : 1.0;
  }
  if (negligibleSpan(xMin, xMax)) {
    const double mid = 0.5 * (xMin + xMax);
    xMin = mid - 0.5;
    xMax = mid + 0.5;
  }
  if (logScale_) {
    // No widening to whole decades: logAxisLabelValues labels any range with at least a few values.
    const double lo = std::log10(yMin), hi = std::log10(yMax);
    const double pad = std::max(0.05 * (hi - lo), 0.02);
    yMin = std::pow(10.0, lo - pad);
    yMax = std::pow(10.0, hi + pad);
  } else {
    if (negligibleSpan(yMin, yMax)) {
      // A constant (a fixed learning rate): centre it, at a scale that keeps its digits readable.
      const double mid = 0.5 * (yMin + yMax);
      const double pad = mid != 0 ? 0.1 * std::abs(mid) : 0.5;
      yMin = mid - pad;
      yMax = mid + pad;
    } else {
      const double pad = 0.05 * (yMax - yMin);
      yMin -= pad;
      yMax += pad;
    }
  }
  applyRange(xMin, xMax, yMin, yMax);
}

void MetricChart::applyRange(double xMin, double xMax, double yMin, double yMax) {
  applyingRange_ = true;
  setRangeWithTicks(static_cast<QValueAxis*>(xAxis_), xMin, xMax);
  if (logScale_) {
    logY_->setRange(yMin, yMax);
  } else {
    setRangeWithTicks(linearY_, yMin, yMax);
  }
  applyingRange_ = false;
}

QPair<double, double> MetricChart::xRange() const {
  return axisRange(xAxis_);
}
QPair<double, double> MetricChart::yRange() const {
  return axisRange(yAxis_);
}

QString MetricChart::hoverLine(const Series& s, int i) const {
  const SeriesData& d = s.data;
  const QString step = QString::number(d.steps()[i], 'g', 12);
  if (s.kind == SeriesKind::Dense) {
    return tr("%1 — step %2: value %3, smoothed %4, time %5")
        .arg(s.name(), step, formatValue(s.shownValue(i)), formatValue(s.shownSmoothed(i)),
             formatDuration(d.wallSeconds()[i]));
  }
  return tr("%1 — step %2: value %3, time %4")
      .arg(s.name(), step, formatValue(s.shownValue(i)), formatDuration(d.wallSeconds()[i]));
}

QString MetricChart::hoverTextAt(QPointF chartValuePosition) const {
  QStringList lines;
  for (const auto& s : series_) {
    if (!s->visible || !s->hasUnit()) continue;
    const int i = xMode_ == XAxisMode::Step ? s->data.nearestByStep(chartValuePosition.x())
                                            : s->data.nearestByWallTime(chartValuePosition.x());
    if (i >= 0) lines << hoverLine(*s, i);
  }
  return lines.join(QLatin1Char('\n'));
}

void MetricChart::mousePressEvent(QMouseEvent* event) {
  QChartView::mousePressEvent(event);
  // Focus alone is not enough: an inactive window gets no focus-in event for a click.
  emit activated();
}

void MetricChart::mouseMoveEvent(QMouseEvent* event) {
  QChartView::mouseMoveEvent(event);
  QString text;
  const QPointF inChart = chart()->mapFromScene(mapToScene(event->position().toPoint()));
  if (!series_.empty() && chart()->plotArea().contains(inChart)) {
    text = hoverTextAt(chart()->mapToValue(inChart, series_.front()->main()));
  }
  if (text.isEmpty()) {
    QToolTip::hideText();
  } else {
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
  }
  if (text != hoverText_) {
    hoverText_ = text;
    emit hoverTextChanged(text);
  }
}

void MetricChart::mouseReleaseEvent(QMouseEvent* event) {
  // QChartView zooms out one step on a right click; users expect the whole data back instead.
  if (event->button() == Qt::RightButton) {
    resetZoom();
    event->accept();
    return;
  }
  QChartView::mouseReleaseEvent(event);
}

void MetricChart::leaveEvent(QEvent* event) {
  QChartView::leaveEvent(event);
  QToolTip::hideText();
  if (!hoverText_.isEmpty()) {
    hoverText_.clear();
    emit hoverTextChanged(hoverText_);
  }
}

void MetricChart::focusInEvent(QFocusEvent* event) {
  QChartView::focusInEvent(event);
  emit activated();
}

void MetricChart::resizeEvent(QResizeEvent* event) {
  QChartView::resizeEvent(event);
  placeLegend();
}

void MetricChart::changeEvent(QEvent* event) {
  QChartView::changeEvent(event);
  if (event->type() != QEvent::LocaleChange) return;
  chart()->setLocale(locale());
  logLabelValues_.clear();  // same values, new text
  updateLogLabels();
}

void MetricChart::updateLogLabels() {
  const double min = logY_->min(), max = logY_->max();
  // Before the first layout the plot area is empty: assume a small chart's, it is relabelled on layout.
  const double length = chart()->plotArea().height() > 0 ? chart()->plotArea().height() : 150.0;
  const double minGap = 1.5 * QFontMetricsF(logLabels_->labelsFont()).height();
  const std::vector<double> values = logAxisLabelValues(min, max, length, minGap);
  if (values.empty()) return;  // a range the log axis cannot show either
  const double lo = std::log10(min), hi = std::log10(max);
  logLabels_->setRange(lo, hi);
  logLabels_->setStartValue(lo);
  // Unchanged labels are kept: new ones can change the axis' width, hence the plot area, and so call
  // this again.
  if (values == logLabelValues_) return;
  logLabelValues_ = values;
  for (const QString& label : logLabels_->categoriesLabels()) logLabels_->remove(label);
  logLabels_->setStartValue(lo);  // of the first category to come
  const QLocale numbers = chart()->locale();
  for (double v : values) {
    // Six significant digits tell apart the even-step labels of a range as narrow as logAxisLabelValues
    // makes them (append drops a label equal to an earlier one).
    logLabels_->append(numbers.toString(v, 'g', 6), std::log10(v));
  }
}

void MetricChart::placeLegend() {
  QLegend* legend = chart()->legend();
  const QFontMetricsF metrics(legend->font());
  double needed = kLegendSlack;
  for (const auto& s : series_) needed += metrics.horizontalAdvance(legendLabel(*s)) + kLegendEntryExtra;
  // Qt lays an attached bottom legend out on one line and cuts every entry short when they do not fit;
  // on the right each entry has a line of its own, up to 40 % of the chart's width.
  const double available = viewport()->width() - chart()->margins().left() - chart()->margins().right();
  const Qt::Alignment alignment = needed <= available ? Qt::AlignBottom : Qt::AlignRight;
  if (legend->alignment() != alignment) legend->setAlignment(alignment);
}

bool MetricChart::exportPng(const QString& path, QString* error) const {
  // QWidget::grab() is not const, but only renders the widget.
  const QImage image = const_cast<MetricChart*>(this)->grab().toImage();
  QByteArray png;
  QBuffer buffer(&png);
  buffer.open(QIODevice::WriteOnly);
  if (image.isNull() || !image.save(&buffer, "PNG")) {
    if (error) *error = tr("Could not render the chart as PNG.");
    return false;
  }
  return saveFileAtomically(path, png, error);
}

QString MetricChart::csvText() const {
  const QString unit = csvValueUnit_.isEmpty() ? QString() : QLatin1Char('_') + csvValueUnit_;
  QString out = QStringLiteral("series,run,step,wall_seconds,value%1,smoothed%1\n").arg(unit);
  for (const auto& s : series_) {
    const SeriesData& d = s->data;
    const QString prefix = csvField(s->key) + QLatin1Char(',') + csvField(s->runLabel) + QLatin1Char(',');
    const double scale = s->factor();
    for (int i = 0; i < d.size(); ++i) {
      out += prefix + csvNumber(d.steps()[i]) + QLatin1Char(',') + csvNumber(d.wallSeconds()[i]) +
             QLatin1Char(',') + csvNumber(d.values()[i] * scale) + QLatin1Char(',') +
             (s->kind == SeriesKind::Dense ? csvNumber(d.smoothed()[i] * scale) : QString()) +
             QLatin1Char('\n');
    }
  }
  return out;
}

bool MetricChart::exportCsv(const QString& path, QString* error) const {
  return saveFileAtomically(path, csvText().toUtf8(), error);
}

int MetricChart::pointCount(const QString& key) const {
  const Series* s = find(key);
  return s ? s->data.size() : 0;
}

QList<QPointF> MetricChart::points(const QString& key) const {
  QList<QPointF> out;
  if (const Series* s = find(key)) {
    out.reserve(s->data.size());
    for (int i = 0; i < s->data.size(); ++i) out.append({s->data.steps()[i], s->data.values()[i]});
  }
  return out;
}

QList<double> MetricChart::wallSeconds(const QString& key) const {
  const Series* s = find(key);
  return s ? QList<double>(s->data.wallSeconds().begin(), s->data.wallSeconds().end()) : QList<double>();
}

QList<double> MetricChart::smoothedValues(const QString& key) const {
  const Series* s = find(key);
  return s ? QList<double>(s->data.smoothed().begin(), s->data.smoothed().end()) : QList<double>();
}

QList<QPointF> MetricChart::shownPoints(const QString& key, Line line) const {
  const Series* s = find(key);
  if (!s) return {};
  const QLineSeries* series = line == Line::Smoothed && s->smooth ? s->smooth : s->raw;
  return series->points();
}

QColor MetricChart::seriesColor(const QString& key) const {
  const Series* s = find(key);
  return s ? s->color : QColor();
}

QString MetricChart::seriesRunLabel(const QString& key) const {
  const Series* s = find(key);
  return s ? s->runLabel : QString();
}

}  // namespace cllm::views
