#pragma once
// One live chart of one quantity (loss, learning rate, ...) with several series overlaid, one or more
// per run. TensorBoard's scalar chart is the reference: smoothed line over the faint raw one, true log
// scale, step or relative wall time on x, rubber-band zoom, hover read-out, PNG and CSV export.
//
// The chart keeps every point it receives (export and hover use all of them) but displays at most about
// kMaxShownPoints per dense line, so drawing cost stays flat however long training runs.
//
// Units: a series stores values as received and shows them times its scale (setSeriesScale), so one
// stored loss can be drawn in nats per token or in bits per byte; drawing, axis fit, hover and CSV use
// the shown values. Axis labels follow the chart's locale (the widget's, QLocale() unless set): 0,5 in
// German. The legend sits below the plot while its entries fit on one line, else right of it, so entries
// keep their full names; one still too long for the chart shows its full name as a tooltip.

#include <QColor>
#include <QList>
#include <QPair>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QtCharts/QChartView>

#include <memory>
#include <vector>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QCategoryAxis;
class QLogValueAxis;
class QValueAxis;
class QLineSeries;
class QLegendMarker;
QT_END_NAMESPACE

namespace cllm::views {

class SeriesData;

enum class SeriesKind {
  Dense,   // a value every step (training loss): faint raw line, smoothed line on top
  Sparse,  // a value now and then (validation loss): line with point markers, never smoothed
};

enum class XAxisMode {
  Step,
  WallTime,  // seconds since the run started
};

struct SeriesOptions {
  QString displayName;  // legend and hover; empty = the run label
  QColor color;         // invalid = a palette colour chosen by the chart
};

class MetricChart : public QChartView {
  Q_OBJECT

 public:
  enum class Line { Raw, Smoothed };
  // Measured with Qt 6.4's raster engine under Xvfb: a noisy 3125-point line took ~30 ms to draw, a
  // 1562-point one ~1 ms; and more points than pixels add nothing visible.
  static constexpr int kMaxShownPoints = 2000;

  explicit MetricChart(const QString& title, QWidget* parent = nullptr);
  ~MetricChart() override;

  // points: x = step, y = value; wallSeconds[i] is the wall time of points[i] (may be shorter or empty:
  // unknown wall times are NaN, and such points are not drawn in wall-time mode). Replaces any series
  // with the same key.
  void setSeries(const QString& key, const QString& runLabel, SeriesKind kind, const QList<QPointF>& points,
                 const QList<double>& wallSeconds = {}, const SeriesOptions& options = {});
  // Points with a step <= the last stored step replace the stored tail from that step on (a resumed
  // run re-writes its steps). An unknown key is ignored: call setSeries first.
  void appendPoints(const QString& key, const QList<QPointF>& points, const QList<double>& wallSeconds = {});
  void removeSeries(const QString& key);
  void clear();
  bool hasSeries(const QString& key) const;
  QStringList seriesKeys() const;  // in the order they were added
  void setSeriesLabel(const QString& key, const QString& runLabel, const QString& displayName = {});
  void setSeriesColor(const QString& key, const QColor& color);  // an invalid colour is ignored
  // Shown value = stored value x factor (1 by default). A factor that is not finite and positive means
  // the series has no value in the shown unit: it is not drawn, is left out of the axis fit and the
  // hover read-out, its CSV values are empty, and its legend entry stays, dimmed, with the
  // setNoValueLabel text, so that users see why a curve is missing.
  void setSeriesScale(const QString& key, double factor);
  double seriesScale(const QString& key) const;  // 1 for an unknown key
  // Legend text of such a series; %1 = its name. Default "%1: not in this unit".
  void setNoValueLabel(const QString& format);
  void setSeriesVisible(const QString& key, bool visible);  // clicking a legend entry toggles it too
  bool isSeriesVisible(const QString& key) const;

  // Between beginBatch() and endBatch() appends only mark series dirty; endBatch() redraws them and
  // rescales the axes once. Nestable.
  void beginBatch();
  void endBatch();

  void setSmoothing(double weight);  // 0 .. kMaxSmoothingWeight; re-smooths every dense series
  double smoothing() const { return smoothing_; }
  // Off for quantities whose exact shape matters (a learning-rate schedule): dense series then show
  // one solid raw line, and their smoothed value equals the raw one.
  void setSmoothingEnabled(bool enabled);
  bool isSmoothingEnabled() const { return smoothingEnabled_; }
  // A true QLogValueAxis (base 10, minor ticks at 2..9 x each decade); values <= 0 are not drawn while
  // it is on. Its labels are drawn by logLabelAxis() at the values of logAxisLabelValues() for the
  // range and the plot's height.
  void setLogScale(bool on);
  bool isLogScale() const { return logScale_; }
  // The y axis title ("loss (nats/token)"), beside the shown y axis (in log scale logLabelAxis() draws
  // it); empty by default.
  void setYAxisTitle(const QString& title);
  QString yAxisTitle() const { return yTitle_; }
  // Names the unit in the CSV header: "value_<unit>,smoothed_<unit>"; empty = "value,smoothed".
  void setCsvValueUnit(const QString& unit);
  void setXAxisMode(XAxisMode mode);
  XAxisMode xAxisMode() const { return xMode_; }
  void resetZoom();  // fit every drawable point, outliers included
  bool isZoomed() const { return userZoomed_; }

  // The read-out shown while hovering at a position given in chart values (x in the current x mode):
  // one line per visible series for its point nearest in x. Empty when no series has points.
  QString hoverTextAt(QPointF chartValuePosition) const;

  bool exportPng(const QString& path, QString* error = nullptr) const;
  // Header "series,run,step,wall_seconds,value,smoothed" (see setCsvValueUnit), one row per stored point
  // of every series, values in the shown unit; sparse series leave "smoothed" empty, as do unknown wall
  // times.
  bool exportCsv(const QString& path, QString* error = nullptr) const;
  QString csvText() const;

  int pointCount(const QString& key) const;         // stored, not displayed, points
  QList<QPointF> points(const QString& key) const;  // as stored, before the series' scale
  QList<double> wallSeconds(const QString& key) const;
  QList<double> smoothedValues(const QString& key) const;  // as stored, before the series' scale
  // What is drawn: current x mode, shown unit, decimated.
  QList<QPointF> shownPoints(const QString& key, Line line) const;
  QColor seriesColor(const QString& key) const;
  QString seriesRunLabel(const QString& key) const;
  QAbstractAxis* xAxis() const { return xAxis_; }
  QAbstractAxis* yAxis() const { return yAxis_; }  // the shown one: a QValueAxis or a QLogValueAxis
  // Shown beside the log axis while it is on: its categories are the labels, placed at log10(value).
  QCategoryAxis* logLabelAxis() const { return logLabels_; }
  QPair<double, double> xRange() const;
  QPair<double, double> yRange() const;

 signals:
  void hoverTextChanged(const QString& text);  // empty when the mouse leaves the plot
  void activated();  // clicked or focused: the panel's export buttons then use this chart

 protected:
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void focusInEvent(QFocusEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  struct Series;

  Series* find(const QString& key);
  const Series* find(const QString& key) const;
  void attach(QLineSeries* line, QAbstractAxis* axis);
  void styleSeries(Series& s);
  void refreshSeries(Series& s);
  void refreshAll();
  void afterDataChange(Series& s);
  void extendBounds(Series& s);
  void fitAxes();
  void applyRange(double xMin, double xMax, double yMin, double yMax);
  void switchYAxis();
  void updateLogLabels();
  void placeLegend();
  QString legendLabel(const Series& s) const;
  void onLegendMarkerClicked(QLegendMarker* marker);
  double xOf(const SeriesData& data, int i) const;
  QString hoverLine(const Series& s, int i) const;

  std::vector<std::unique_ptr<Series>> series_;
  QAbstractAxis* xAxis_ = nullptr;
  QAbstractAxis* yAxis_ = nullptr;  // linearY_ or logY_, whichever is shown
  QValueAxis* linearY_ = nullptr;
  QLogValueAxis* logY_ = nullptr;
  QCategoryAxis* logLabels_ = nullptr;
  std::vector<double> logLabelValues_;  // what logLabels_ shows
  QString yTitle_;
  QString csvValueUnit_;
  QString noValueLabel_;
  double smoothing_ = 0.6;
  bool smoothingEnabled_ = true;
  bool logScale_ = false;
  XAxisMode xMode_ = XAxisMode::Step;
  bool userZoomed_ = false;
  bool applyingRange_ = false;
  int batchDepth_ = 0;
  bool fitPending_ = false;  // a series was removed inside a batch
  int nextPaletteIndex_ = 0;
  QString hoverText_;
};

}  // namespace cllm::views
