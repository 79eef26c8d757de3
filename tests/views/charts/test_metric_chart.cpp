// MetricChart: data handling, display (log scale, decimation, smoothing), mouse zoom and hover, export.

#include <QElapsedTimer>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLocale>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtCharts/QAbstractAxis>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QChart>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLogValueAxis>
#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

#include "csv_reader.h"
#include "scene_text.h"
#include "views/charts/log_axis_labels.h"
#include "views/charts/metric_chart.h"

namespace cllm::views::tests {

namespace {

QList<QPointF> noisyLoss(int firstStep, int count) {
  QList<QPointF> points;
  for (int i = 0; i < count; ++i) {
    const int step = firstStep + i;
    points.append({double(step), 4.0 * std::exp(-step / 300.0) + 0.3 * std::sin(step * 1.7) + 0.5});
  }
  return points;
}

QList<double> wallsFor(const QList<QPointF>& points, double secondsPerStep) {
  QList<double> walls;
  for (const QPointF& p : points) walls.append(p.x() * secondsPerStep);
  return walls;
}

bool strictlyIncreasingX(const QList<QPointF>& points) {
  for (qsizetype i = 1; i < points.size(); ++i) {
    if (!(points[i].x() > points[i - 1].x())) return false;
  }
  return true;
}

// QTest::mouseMove without a pressed button only moves the X cursor (asynchronously), so hover is
// driven by delivering the move event itself.
void hoverAt(MetricChart& chart, QPoint pos) {
  QMouseEvent move(QEvent::MouseMove, pos, chart.viewport()->mapToGlobal(pos), Qt::NoButton, Qt::NoButton,
                   Qt::NoModifier);
  QCoreApplication::sendEvent(chart.viewport(), &move);
}

// Restores the default locale however the test ends (a failed QVERIFY returns early).
struct DefaultLocaleGuard {
  QLocale saved;
  ~DefaultLocaleGuard() { QLocale::setDefault(saved); }
};

// Lets the scene lay out and paint what the chart was told last.
void settle(MetricChart& chart) {
  chart.repaint();
  QCoreApplication::processEvents();
}

std::vector<double> rounded(const std::vector<double>& values) {
  std::vector<double> out;
  for (double v : values) out.push_back(std::round(v * 1e9) / 1e9);
  return out;
}

// A viewport position at fractions (fx, fy) of the plot area, fy measured from the top.
QPoint plotPoint(MetricChart& chart, double fx, double fy) {
  const QRectF area = chart.chart()->plotArea();
  const QPointF inChart(area.left() + fx * area.width(), area.top() + fy * area.height());
  return chart.mapFromScene(chart.chart()->mapToScene(inChart));
}

}  // namespace

class TestMetricChart : public QObject {
  Q_OBJECT

 private slots:
  void appendingGrowsPointCount() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense, noisyLoss(0, 3));
    QCOMPARE(chart.pointCount(QStringLiteral("a")), 3);
    chart.appendPoints(QStringLiteral("a"), noisyLoss(3, 2));
    QCOMPARE(chart.pointCount(QStringLiteral("a")), 5);
    QCOMPARE(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Raw).size(), 5);
    QCOMPARE(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Smoothed).size(), 5);
    chart.appendPoints(QStringLiteral("unknown"), noisyLoss(0, 4));  // ignored, no series created
    QVERIFY(!chart.hasSeries(QStringLiteral("unknown")));
    QCOMPARE(chart.seriesKeys(), QStringList{QStringLiteral("a")});
  }

  void resumeOverlapReplacesTail() {
    MetricChart chart(QStringLiteral("Loss"));
    const QList<QPointF> first = noisyLoss(1, 100);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense, first,
                    wallsFor(first, 0.1));
    QList<QPointF> resumed;
    for (int step = 41; step <= 70; ++step) resumed.append({double(step), 100.0 + step});
    chart.appendPoints(QStringLiteral("a"), resumed, wallsFor(resumed, 0.2));

    const QList<QPointF> stored = chart.points(QStringLiteral("a"));
    QCOMPARE(stored.size(), 70);
    QVERIFY(strictlyIncreasingX(stored));
    QCOMPARE(stored[39], first[39]);             // step 40 kept
    QCOMPARE(stored[40], QPointF(41.0, 141.0));  // step 41 onwards replaced
    QCOMPARE(stored.back(), QPointF(70.0, 170.0));
    QCOMPARE(chart.wallSeconds(QStringLiteral("a"))[50], 51 * 0.2);
    QVERIFY(strictlyIncreasingX(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Raw)));
    QVERIFY(strictlyIncreasingX(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Smoothed)));
    QCOMPARE(chart.xRange().second, 70.0);  // the dropped steps 71..100 no longer stretch the axis
  }

  void logScaleSwitchesAxisAndSkipsNonPositive() {
    MetricChart chart(QStringLiteral("Gradient norm"));
    const QList<QPointF> points = {{0, 5.0}, {1, 0.0}, {2, -3.0}, {3, 0.02}, {4, 40.0}, {5, 1.0}};
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Sparse, points);
    QCOMPARE(chart.yAxis()->type(), QAbstractAxis::AxisTypeValue);
    QCOMPARE(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Raw).size(), 6);
    QVERIFY(chart.yRange().first < -3.0);

    chart.setLogScale(true);
    QCOMPARE(chart.yAxis()->type(), QAbstractAxis::AxisTypeLogValue);
    int shownVertical = 0;
    for (QAbstractAxis* axis : chart.chart()->axes(Qt::Vertical)) {
      // The category axis only draws the log axis' labels (logLabelAxis).
      if (axis->type() != QAbstractAxis::AxisTypeCategory) shownVertical += axis->isVisible() ? 1 : 0;
    }
    QCOMPARE(shownVertical, 1);  // the linear axis is not drawn beside the log one
    const QList<QPointF> shown = chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Raw);
    QCOMPARE(shown.size(), 4);
    for (const QPointF& p : shown) QVERIFY(p.y() > 0);
    QCOMPARE(chart.pointCount(QStringLiteral("a")), 6);  // skipped for display only
    const auto [lo, hi] = chart.yRange();
    QVERIFY(lo > 0 && lo <= 0.02);
    QVERIFY(hi >= 40.0);

    // Less than a decade of data: the range is not widened to whole decades, and labels come between.
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Sparse, {{0, 5.5}, {1, 1.6}});
    auto* log = qobject_cast<QLogValueAxis*>(chart.yAxis());
    QVERIFY(log);
    QCOMPARE(log->base(), 10.0);
    QVERIFY(chart.yRange().first <= 1.6 && chart.yRange().first > 1.0);
    QVERIFY(chart.yRange().second >= 5.5 && chart.yRange().second < 8.0);
    QVERIFY(chart.logLabelAxis()->categoriesLabels().size() >= 3);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Sparse, points);

    chart.setLogScale(false);
    QCOMPARE(chart.yAxis()->type(), QAbstractAxis::AxisTypeValue);
    QCOMPARE(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Raw).size(), 6);
  }

  void logAxisLabelRule() {
    // Exact values (rounded to 1e-9 against float noise) for each set of the documented rule, with
    // labels at least 20 px apart on axes of various lengths.
    using V = std::vector<double>;
    auto labels = [](double min, double max, double lengthPx) {
      return rounded(logAxisLabelValues(min, max, lengthPx, 20.0));
    };
    QCOMPARE(labels(1e-6, 2e6, 200), V({1e-6, 1e-4, 1e-2, 1, 1e2, 1e4, 1e6}));  // every 2nd decade
    QCOMPARE(labels(0.09, 1100, 200), V({0.1, 1, 10, 100, 1000}));
    QCOMPARE(labels(0.24, 37.8, 200), V({0.5, 1, 2, 5, 10, 20}));
    QCOMPARE(labels(0.24, 37.8, 400), V({0.3, 0.5, 1, 2, 3, 5, 10, 20, 30}));  // taller: denser
    QCOMPARE(labels(0.35, 5.2, 200), V({0.5, 1, 2, 3, 5}));
    QCOMPARE(labels(1.9, 6.8, 300), V({2, 3, 4, 5, 6}));
    QCOMPARE(labels(1.9, 6.8, 150), V({2, 3, 5}));
    QCOMPARE(labels(0.7, 2.1, 300), V({0.7, 0.8, 0.9, 1, 2}));
    QCOMPARE(labels(3.0, 4.5, 200), V({3, 3.5, 4, 4.5}));  // too narrow for multiples: an even step
    QCOMPARE(labels(2.95, 3.05, 200), V({2.96, 2.98, 3, 3.02, 3.04}));
    QVERIFY(labels(1e-30, 1e30, 2000).size() <= 10);
    QVERIFY(logAxisLabelValues(0.0, 1.0, 200, 20).empty());
    QVERIFY(logAxisLabelValues(2.0, 1.0, 200, 20).empty());
    QVERIFY(logAxisLabelValues(1.0, std::numeric_limits<double>::infinity(), 200, 20).empty());
  }

  void logScaleLabelsEveryDecadeWithMinorTicks() {
    MetricChart chart(QStringLiteral("Gradient norm"));
    chart.setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    chart.resize(600, 400);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Sparse,
                    {{0, 30.0}, {1, 8.0}, {2, 1.5}, {3, 0.3}});
    chart.setLogScale(true);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    settle(chart);

    auto* log = qobject_cast<QLogValueAxis*>(chart.yAxis());
    QVERIFY(log);
    QCOMPARE(log->base(), 10.0);
    QCOMPARE(log->minorTickCount(), 8);  // 2..9 x each decade
    QVERIFY(log->isMinorGridLineVisible());
    QVERIFY(!log->labelsVisible());  // its powers-of-ten-only labels are replaced
    QCategoryAxis* labels = chart.logLabelAxis();
    QVERIFY(labels->isVisible());
    const QStringList texts = labels->categoriesLabels();
    QVERIFY2(texts.contains(QStringLiteral("1")) && texts.contains(QStringLiteral("10")),
             qPrintable(texts.join(' ')));
    // Placed where the log axis maps the values: linear in log10 over the same range.
    QCOMPARE(labels->endValue(QStringLiteral("1")), 0.0);
    QCOMPARE(labels->endValue(QStringLiteral("10")), 1.0);
    QVERIFY(std::abs(labels->min() - std::log10(chart.yRange().first)) < 1e-12);
    QVERIFY(std::abs(labels->max() - std::log10(chart.yRange().second)) < 1e-12);
    // And drawn: the scene shows them.
    const QStringList drawn = visibleTexts(chart.scene());
    QVERIFY2(drawn.contains(QStringLiteral("1")) && drawn.contains(QStringLiteral("10")),
             qPrintable(drawn.join(QLatin1Char('|'))));

    // A loss over one decade gets labels between the powers of ten.
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Sparse, {{0, 4.5}, {1, 0.4}});
    settle(chart);
    for (const char* value : {"0.5", "1", "2", "3"}) {
      QVERIFY2(labels->categoriesLabels().contains(QString::fromLatin1(value)),
               qPrintable(labels->categoriesLabels().join(' ')));
    }

    // A zoom relabels the zoomed range.
    chart.chart()->zoomIn(
        QRectF(chart.chart()->plotArea().topLeft(),
               QSizeF(chart.chart()->plotArea().width(), chart.chart()->plotArea().height() / 3)));
    QVERIFY(chart.isZoomed());
    const auto [lo, hi] = chart.yRange();
    QVERIFY(!labels->categoriesLabels().isEmpty());
    for (const QString& label : labels->categoriesLabels()) {
      const double at = labels->endValue(label);
      QVERIFY2(at >= std::log10(lo) - 1e-9 && at <= std::log10(hi) + 1e-9, qPrintable(label));
    }

    chart.setLogScale(false);
    QVERIFY(!labels->isVisible());
  }

  void axisLabelsFollowTheLocale() {
    DefaultLocaleGuard guard;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    MetricChart chart(QStringLiteral("Loss"));
    chart.resize(600, 400);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Sparse, {{0, 2.0}, {1, 0.0}});
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    settle(chart);
    QStringList drawn = visibleTexts(chart.scene());
    QVERIFY2(drawn.contains(QStringLiteral("0,5")) && drawn.contains(QStringLiteral("1,5")),
             qPrintable(drawn.join(QLatin1Char('|'))));
    QVERIFY2(!drawn.contains(QStringLiteral("0.5")), qPrintable(drawn.join(QLatin1Char('|'))));

    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Sparse, {{0, 4.5}, {1, 0.4}});
    chart.setLogScale(true);
    settle(chart);
    QVERIFY2(chart.logLabelAxis()->categoriesLabels().contains(QStringLiteral("0,5")),
             qPrintable(chart.logLabelAxis()->categoriesLabels().join(' ')));
    drawn = visibleTexts(chart.scene());
    QVERIFY2(drawn.contains(QStringLiteral("0,5")), qPrintable(drawn.join(QLatin1Char('|'))));

    // A locale set on the widget later (or inherited from its window) relabels the chart.
    chart.setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    settle(chart);
    QVERIFY(chart.logLabelAxis()->categoriesLabels().contains(QStringLiteral("0.5")));
    drawn = visibleTexts(chart.scene());
    QVERIFY2(drawn.contains(QStringLiteral("0.2")) && !drawn.contains(QStringLiteral("0,2")),
             qPrintable(drawn.join(QLatin1Char('|'))));  // the step axis, 0 to 1
  }

  void seriesScaleShowsAnotherUnit() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.setSmoothing(0.5);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense,
                    {{0, 1.0}, {10, 2.0}, {20, 3.0}}, {0.0, 30.0, 60.0});
    chart.setSeries(QStringLiteral("v"), QStringLiteral("run b"), SeriesKind::Sparse,
                    {{0, 40.0}, {20, 50.0}});
    QVERIFY(chart.yRange().second > 50.0);
    chart.show();  // legend markers are visible only in a shown chart
    QVERIFY(QTest::qWaitForWindowExposed(&chart));

    chart.setSeriesScale(QStringLiteral("a"), 0.5);
    QCOMPARE(chart.seriesScale(QStringLiteral("a")), 0.5);
    QCOMPARE(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Raw),
             QList<QPointF>({{0, 0.5}, {10, 1.0}, {20, 1.5}}));
    QCOMPARE(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Smoothed)[1].y(), 5.0 / 6.0);
    QCOMPARE(chart.points(QStringLiteral("a"))[1], QPointF(10, 2.0));  // stored values are untouched
    QVERIFY(chart.hoverTextAt({10, 0}).contains(QStringLiteral("value 1, smoothed 0.833333")));

    // No value in the unit: not drawn, out of the fit, the read-out and the CSV values; its legend entry
    // says why.
    chart.setSeriesScale(QStringLiteral("v"), std::numeric_limits<double>::quiet_NaN());
    QVERIFY(chart.shownPoints(QStringLiteral("v"), MetricChart::Line::Raw).isEmpty());
    QVERIFY(chart.yRange().second < 2.0);
    QCOMPARE(chart.hoverTextAt({10, 0}).count(QLatin1Char('\n')), 0);
    QStringList legend;
    for (QLegendMarker* marker : chart.chart()->legend()->markers()) {
      if (marker->isVisible()) legend << marker->label();
    }
    QCOMPARE(legend, QStringList({QStringLiteral("run a"), QStringLiteral("run b: not in this unit")}));
    chart.setNoValueLabel(QStringLiteral("%1 (no bytes per token)"));
    QVERIFY(chart.chart()->legend()->markers(chart.chart()->series().last())[0]->label() ==
            QStringLiteral("run b (no bytes per token)"));
    chart.setCsvValueUnit(QStringLiteral("bits_per_byte"));
    const QList<QStringList> rows = parseCsv(chart.csvText());
    QCOMPARE(rows[0].join(QLatin1Char(',')),
             QStringLiteral("series,run,step,wall_seconds,value_bits_per_byte,smoothed_bits_per_byte"));
    QCOMPARE(rows[2][4].toDouble(), 1.0);
    QCOMPARE(rows[2][5].toDouble(), 5.0 / 6.0);
    QCOMPARE(rows[4], QStringList({QStringLiteral("v"), QStringLiteral("run b"), QStringLiteral("0"),
                                   QString(), QString(), QString()}));

    chart.setSeriesScale(QStringLiteral("v"), 1.0);
    QCOMPARE(chart.shownPoints(QStringLiteral("v"), MetricChart::Line::Raw).size(), 2);
    QVERIFY(chart.yRange().second > 50.0);
    chart.setYAxisTitle(QStringLiteral("bits per byte"));
    QCOMPARE(chart.yAxis()->titleText(), QStringLiteral("bits per byte"));
    chart.setLogScale(true);  // the labelling axis carries the title in log scale
    QCOMPARE(chart.logLabelAxis()->titleText(), QStringLiteral("bits per byte"));
    QVERIFY(chart.yAxis()->titleText().isEmpty());
  }

  void legendKeepsFullNames() {
    // Six entries ("small char 3 (validation)" ...) do not fit on one line under a 600 px chart: Qt cut
    // them all to "small c..."; they now get a column beside the plot.
    MetricChart chart(QStringLiteral("Loss"));
    chart.resize(600, 400);
    QStringList names;
    for (int run = 1; run <= 3; ++run) {
      const QString label = QStringLiteral("small char %1").arg(run);
      for (const QString& part : {QStringLiteral("train"), QStringLiteral("validation")}) {
        const QString name = QStringLiteral("%1 (%2)").arg(label, part);
        names << name;
        chart.setSeries(name, label, part == QStringLiteral("train") ? SeriesKind::Dense : SeriesKind::Sparse,
                        noisyLoss(run, 50), {}, SeriesOptions{name, {}});
      }
    }
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    settle(chart);
    auto legendTexts = [&] {
      QStringList texts;
      for (QGraphicsTextItem* item : visibleTextItems(chart.chart()->legend())) texts << item->toPlainText();
      return texts;
    };
    QTRY_COMPARE(legendTexts(), names);

    // One run fits below the plot, where the legend takes no width from it.
    for (qsizetype i = 2; i < names.size(); ++i) chart.removeSeries(names[i]);
    settle(chart);
    QCOMPARE(chart.chart()->legend()->alignment(), Qt::AlignBottom);
    QTRY_COMPARE(legendTexts(), names.mid(0, 2));

    // A name too long for any placement is cut, and its entry shows the whole name as a tooltip.
    const QString longName =
        QStringLiteral("a run whose name goes on and on, far longer than any chart is wide");
    chart.setSeriesLabel(names[0], longName, longName);
    chart.resize(300, 300);
    settle(chart);
    bool tooltip = false;
    QTRY_VERIFY([&] {
      for (QGraphicsTextItem* item : visibleTextItems(chart.chart()->legend())) {
        if (item->toolTip() == longName && item->toPlainText() != longName) tooltip = true;
      }
      return tooltip;
    }());
  }

  void smoothingChangesSmoothedButNotRaw() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.setSmoothing(0.3);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense, noisyLoss(0, 200));
    const QList<QPointF> rawBefore = chart.points(QStringLiteral("a"));
    const QList<double> smoothBefore = chart.smoothedValues(QStringLiteral("a"));
    const QList<QPointF> shownBefore = chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Smoothed);

    chart.setSmoothing(0.95);
    QCOMPARE(chart.smoothing(), 0.95);
    QCOMPARE(chart.points(QStringLiteral("a")), rawBefore);
    QCOMPARE(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Raw), rawBefore);
    QVERIFY(chart.smoothedValues(QStringLiteral("a")) != smoothBefore);
    QVERIFY(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Smoothed) != shownBefore);

    // Heavier smoothing must flatten the noise: compare total variation.
    auto variation = [](const QList<double>& v) {
      double sum = 0;
      for (qsizetype i = 1; i < v.size(); ++i) sum += std::abs(v[i] - v[i - 1]);
      return sum;
    };
    QVERIFY(variation(chart.smoothedValues(QStringLiteral("a"))) < 0.5 * variation(smoothBefore));

    chart.setSmoothing(0.0);
    QList<double> rawValues;
    for (const QPointF& p : rawBefore) rawValues.append(p.y());
    QCOMPARE(chart.smoothedValues(QStringLiteral("a")), rawValues);
  }

  void sparseSeriesAreNeverSmoothed() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.setSmoothing(0.9);
    chart.setSeries(QStringLiteral("v"), QStringLiteral("run a"), SeriesKind::Sparse, {{10, 3.0}, {20, 1.0}});
    QCOMPARE(chart.shownPoints(QStringLiteral("v"), MetricChart::Line::Raw),
             QList<QPointF>({{10, 3.0}, {20, 1.0}}));
    const QString text = chart.hoverTextAt({19, 0});
    QVERIFY2(!text.contains(QStringLiteral("smoothed")), qPrintable(text));
  }

  void decimatesDisplayButKeepsAllData() {
    MetricChart chart(QStringLiteral("Loss"));
    const QList<QPointF> points = noisyLoss(0, 10000);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense, points);
    QCOMPARE(chart.pointCount(QStringLiteral("a")), 10000);
    const QList<QPointF> shown = chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Raw);
    QVERIFY2(shown.size() <= MetricChart::kMaxShownPoints + 1, qPrintable(QString::number(shown.size())));
    QVERIFY(shown.size() > MetricChart::kMaxShownPoints / 2);
    QCOMPARE(shown.back(), points.back());  // the newest point is always drawn
    QCOMPARE(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Smoothed).size(), shown.size());
    QCOMPARE(chart.xRange(), qMakePair(0.0, 9999.0));
    // Hover still reads the undecimated data.
    QVERIFY(chart.hoverTextAt({4321.2, 0}).contains(QStringLiteral("step 4321:")));
  }

  void hugeRangeChangesStayCheap() {
    // Axis ticks follow the range: a stale tick interval over a new, much larger range would make Qt
    // create one tick item per interval (millions) and hang the GUI.
    MetricChart chart(QStringLiteral("Loss"));
    chart.resize(600, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QElapsedTimer timer;
    timer.start();
    chart.setSeries(QStringLiteral("a"), QStringLiteral("a"), SeriesKind::Dense, {{0, 0.001}, {1, 0.002}});
    chart.appendPoints(QStringLiteral("a"), {{5e6, 1e6}});
    QCOMPARE(chart.xRange(), qMakePair(0.0, 5e6));
    chart.setSeries(QStringLiteral("a"), QStringLiteral("a"), SeriesKind::Dense, {{0, 0.001}, {1, 0.002}});
    QCOMPARE(chart.xRange(), qMakePair(0.0, 1.0));
    QCoreApplication::processEvents();
    // A smoothed constant differs from the constant by float noise only; laying out ticks over that
    // noise never terminated in Qt. The axis must show the constant at a readable scale instead.
    chart.setSmoothing(0.9);
    QList<QPointF> constant;
    for (int i = 0; i < 500; ++i) constant.append({double(i), 1e-3});
    chart.setSeries(QStringLiteral("a"), QStringLiteral("a"), SeriesKind::Dense, constant);
    chart.repaint();
    QCoreApplication::processEvents();
    const auto [lo, hi] = chart.yRange();
    QVERIFY2(lo < 1e-3 && hi > 1e-3 && hi - lo > 1e-5, qPrintable(QStringLiteral("%1..%2").arg(lo).arg(hi)));
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
  }

  void fitsAxesToAllData() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.setSeries(QStringLiteral("a"), QStringLiteral("a"), SeriesKind::Dense,
                    {{5, 2.0}, {6, 3.0}, {7, 1000.0}});
    chart.setSeries(QStringLiteral("b"), QStringLiteral("b"), SeriesKind::Sparse, {{2, -1.0}, {9, 0.5}});
    QCOMPARE(chart.xRange(), qMakePair(2.0, 9.0));
    const auto [lo, hi] = chart.yRange();
    QVERIFY(lo < -1.0 && hi > 1000.0);  // the outlier is not ignored
    chart.setSeriesVisible(QStringLiteral("a"), false);
    QVERIFY(chart.yRange().second < 10.0);  // hidden series do not take part in the fit
    QCOMPARE(chart.hoverTextAt({6, 0}).count(QLatin1Char('\n')), 0);  // nor in the read-out
    chart.removeSeries(QStringLiteral("b"));
    QVERIFY(!chart.hasSeries(QStringLiteral("b")));
    chart.clear();
    QVERIFY(chart.seriesKeys().isEmpty());
    QVERIFY(chart.hoverTextAt({6, 0}).isEmpty());
  }

  void legendHasOneEntryPerSeriesAndClickToggles() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense, {{0, 1.0}, {1, 50.0}});
    chart.setSeries(QStringLiteral("v"), QStringLiteral("run a"), SeriesKind::Sparse, {{0, 2.0}, {1, 1.0}},
                    {}, SeriesOptions{QStringLiteral("run a (validation)"), {}});
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    auto visibleMarkers = [&] {
      QList<QLegendMarker*> markers;
      for (QLegendMarker* m : chart.chart()->legend()->markers()) {
        if (m->isVisible()) markers << m;
      }
      return markers;
    };
    QList<QLegendMarker*> markers = visibleMarkers();
    QCOMPARE(markers.size(), 2);  // the faint raw line has no entry of its own
    QCOMPARE(markers[0]->label(), QStringLiteral("run a"));
    QCOMPARE(markers[1]->label(), QStringLiteral("run a (validation)"));

    emit markers[0]->clicked();
    QVERIFY(!chart.isSeriesVisible(QStringLiteral("a")));
    QVERIFY(chart.yRange().second < 10.0);
    QCOMPARE(visibleMarkers().size(), 2);  // still there (dimmed) so it can be clicked back on
    emit visibleMarkers()[0]->clicked();
    QVERIFY(chart.isSeriesVisible(QStringLiteral("a")));
    QVERIFY(chart.yRange().second > 50.0);
  }

  void wallTimeAxis() {
    MetricChart chart(QStringLiteral("Loss"));
    const QList<QPointF> points = noisyLoss(100, 50);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense, points,
                    wallsFor(points, 2.0));
    chart.setXAxisMode(XAxisMode::WallTime);
    QCOMPARE(chart.xRange(), qMakePair(200.0, 298.0));
    QCOMPARE(chart.shownPoints(QStringLiteral("a"), MetricChart::Line::Raw).front().x(), 200.0);
    const QString text = chart.hoverTextAt({251.0, 0});  // nearest wall time 250 s = step 125
    QVERIFY2(text.contains(QStringLiteral("step 125:")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("4 min 10 s")), qPrintable(text));
    chart.setXAxisMode(XAxisMode::Step);
    QCOMPARE(chart.xRange(), qMakePair(100.0, 149.0));
  }

  void hoverTextNamesNearestPoint() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.setSmoothing(0.5);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense,
                    {{0, 1.0}, {10, 2.0}, {20, 3.0}}, {0.0, 30.0, 60.0});
    chart.setSeries(QStringLiteral("v"), QStringLiteral("run a"), SeriesKind::Sparse, {{0, 9.0}, {20, 7.25}},
                    {}, SeriesOptions{QStringLiteral("run a (validation)"), {}});
    const QString near12 = chart.hoverTextAt({12.0, 123.0});
    const QStringList lines = near12.split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[0].startsWith(QStringLiteral("run a")), qPrintable(lines[0]));
    QVERIFY2(lines[0].contains(QStringLiteral("step 10:")), qPrintable(lines[0]));
    QVERIFY2(lines[0].contains(QStringLiteral("value 2,")), qPrintable(lines[0]));
    QVERIFY2(lines[0].contains(QStringLiteral("smoothed 1.66667")), qPrintable(lines[0]));  // 5/3
    QVERIFY2(lines[0].contains(QStringLiteral("30.0 s")), qPrintable(lines[0]));
    QVERIFY2(lines[1].startsWith(QStringLiteral("run a (validation)")), qPrintable(lines[1]));
    QVERIFY2(lines[1].contains(QStringLiteral("step 20:")), qPrintable(lines[1]));
    QVERIFY2(lines[1].contains(QStringLiteral("7.25")), qPrintable(lines[1]));
    QVERIFY(chart.hoverTextAt({16.0, 0}).contains(QStringLiteral("step 20: value 3,")));
  }

  void mouseHoverEmitsReadOut() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.resize(700, 450);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense, noisyLoss(0, 101));
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QSignalSpy spy(&chart, &MetricChart::hoverTextChanged);
    hoverAt(chart, plotPoint(chart, 0.5, 0.5));
    QVERIFY(spy.count() >= 1);
    const QString text = spy.last().at(0).toString();
    // The middle of the x axis (0..100) is step 50, give or take a pixel.
    QVERIFY2(text.contains(QStringLiteral("step 50:")) || text.contains(QStringLiteral("step 49:")) ||
                 text.contains(QStringLiteral("step 51:")),
             qPrintable(text));
    hoverAt(chart, QPoint(2, 2));  // outside the plot area
    QVERIFY(spy.last().at(0).toString().isEmpty());
  }

  void rubberBandZoomAndRightClickReset() {
    MetricChart chart(QStringLiteral("Loss"));
    chart.resize(700, 450);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense, noisyLoss(0, 101));
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QCOMPARE(chart.xRange(), qMakePair(0.0, 100.0));

    QTest::mousePress(chart.viewport(), Qt::LeftButton, {}, plotPoint(chart, 0.25, 0.2));
    QTest::mouseMove(chart.viewport(), plotPoint(chart, 0.5, 0.6));
    QTest::mouseRelease(chart.viewport(), Qt::LeftButton, {}, plotPoint(chart, 0.5, 0.6));
    QVERIFY(chart.isZoomed());
    const auto zoomedX = chart.xRange();
    QVERIFY2(std::abs(zoomedX.first - 25.0) < 3.0 && std::abs(zoomedX.second - 50.0) < 3.0,
             qPrintable(QStringLiteral("%1..%2").arg(zoomedX.first).arg(zoomedX.second)));

    // New data, even a new series, must not yank the user out of the zoomed view.
    chart.appendPoints(QStringLiteral("a"), noisyLoss(101, 100));
    QCOMPARE(chart.xRange(), zoomedX);
    const auto zoomedY = chart.yRange();
    chart.setSeries(QStringLiteral("b"), QStringLiteral("run b"), SeriesKind::Sparse,
                    {{-50, 99.0}, {300, -9.0}});
    QCOMPARE(chart.xRange(), zoomedX);
    QCOMPARE(chart.yRange(), zoomedY);

    QTest::mouseClick(chart.viewport(), Qt::RightButton, {}, plotPoint(chart, 0.5, 0.5));
    QVERIFY(!chart.isZoomed());
    QCOMPARE(chart.xRange(), qMakePair(-50.0, 300.0));
    QVERIFY(chart.yRange().first < -9.0 && chart.yRange().second > 99.0);

    // A plain left click is not a zoom.
    QTest::mouseClick(chart.viewport(), Qt::LeftButton, {}, plotPoint(chart, 0.5, 0.5));
    QVERIFY(!chart.isZoomed());
    QCOMPARE(chart.xRange(), qMakePair(-50.0, 300.0));
  }

  void csvExportRoundTrips() {
    QTemporaryDir dir;
    MetricChart chart(QStringLiteral("Loss"));
    chart.setSmoothing(0.6);
    const QList<QPointF> train = noisyLoss(1, 25);
    chart.setSeries(QStringLiteral("r1/loss"), QStringLiteral("lr 3e-4, \"wide\""), SeriesKind::Dense, train,
                    wallsFor(train, 0.25));
    chart.setSeries(QStringLiteral("r1/val_loss"), QStringLiteral("lr 3e-4, \"wide\""), SeriesKind::Sparse,
                    {{10, 2.5}, {20, 2.25}});  // no wall times
    const QString path = dir.filePath(QStringLiteral("loss.csv"));
    QString error;
    QVERIFY2(chart.exportCsv(path, &error), qPrintable(error));

    const QList<QStringList> rows = parseCsv(readTextFile(path));
    QCOMPARE(rows.size(), 1 + 25 + 2);
    QCOMPARE(rows[0].join(QLatin1Char(',')), QStringLiteral("series,run,step,wall_seconds,value,smoothed"));
    const QList<double> smoothed = chart.smoothedValues(QStringLiteral("r1/loss"));
    for (int i = 0; i < 25; ++i) {
      const QStringList& row = rows[1 + i];
      QCOMPARE(row.size(), 6);
      QCOMPARE(row[0], QStringLiteral("r1/loss"));
      QCOMPARE(row[1], QStringLiteral("lr 3e-4, \"wide\""));
      QCOMPARE(row[2].toDouble(), train[i].x());
      QCOMPARE(row[3].toDouble(), train[i].x() * 0.25);
      QCOMPARE(row[4].toDouble(), train[i].y());  // exact: shortest round-trip formatting
      QCOMPARE(row[5].toDouble(), smoothed[i]);
    }
    QCOMPARE(rows[26], QStringList({QStringLiteral("r1/val_loss"), QStringLiteral("lr 3e-4, \"wide\""),
                                    QStringLiteral("10"), QString(), QStringLiteral("2.5"), QString()}));

    QString unwritable;
    QVERIFY(!chart.exportCsv(dir.filePath(QStringLiteral("missing/dir/loss.csv")), &unwritable));
    QVERIFY(!unwritable.isEmpty());
  }

  void pngExportDrawsTheSeries() {
    QTemporaryDir dir;
    MetricChart chart(QStringLiteral("Loss"));
    chart.resize(640, 400);
    chart.setSeries(QStringLiteral("a"), QStringLiteral("run a"), SeriesKind::Dense, noisyLoss(0, 300), {},
                    SeriesOptions{{}, QColor(220, 20, 20)});
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QString path = dir.filePath(QStringLiteral("loss.png"));
    QString error;
    QVERIFY2(chart.exportPng(path, &error), qPrintable(error));

    QImage image(path);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), chart.size() * chart.devicePixelRatio());
    int red = 0;
    for (int y = 0; y < image.height(); ++y) {
      for (int x = 0; x < image.width(); ++x) {
        const QColor c = image.pixelColor(x, y);
        if (c.red() > 150 && c.green() < 90 && c.blue() < 90) ++red;
      }
    }
    QVERIFY2(red > 200, qPrintable(QString::number(red)));  // the smoothed line, not just the legend

    QString unwritable;
    QVERIFY(!chart.exportPng(dir.filePath(QStringLiteral("missing/dir/loss.png")), &unwritable));
    QVERIFY(!unwritable.isEmpty());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("missing/dir/loss.png"))));
  }
};

int runMetricChartTests(int argc, char** argv) {
  TestMetricChart t;
  return QTest::qExec(&t, argc, argv);
}

}  // namespace cllm::views::tests

#include "test_metric_chart.moc"
