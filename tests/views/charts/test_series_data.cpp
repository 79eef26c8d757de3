// The data behind a chart series: resumed runs replace their tail, smoothing follows every change.

#include <QtTest>

#include <cmath>
#include <limits>

#include "views/charts/series_data.h"
#include "views/charts/smoothing.h"

namespace cllm::views::tests {

namespace {

QList<QPointF> ramp(int firstStep, int count, double offset) {
  QList<QPointF> points;
  for (int i = 0; i < count; ++i) points.append({double(firstStep + i), offset + 0.5 * i});
  return points;
}

bool strictlyIncreasing(const std::vector<double>& v) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (!(v[i] > v[i - 1])) return false;
  }
  return true;
}

}  // namespace

class TestSeriesData : public QObject {
  Q_OBJECT

 private slots:
  void appendKeepsWallTimesAlongside() {
    SeriesData d;
    QVERIFY(!d.append(ramp(0, 3, 1.0), {0.5, 1.5}));
    QCOMPARE(d.size(), 3);
    QCOMPARE(d.wallSeconds()[0], 0.5);
    QCOMPARE(d.wallSeconds()[1], 1.5);
    QVERIFY(std::isnan(d.wallSeconds()[2]));  // missing wall time = unknown
  }

  void resumedTailReplacesStoredPoints() {
    SeriesData d;
    d.setSmoothing(0.6);
    d.append(ramp(1, 100, 0.0), {});
    QVERIFY(d.append(ramp(51, 10, 1000.0), {}));  // a run resumed from step 50
    QCOMPARE(d.size(), 60);
    QVERIFY(strictlyIncreasing(d.steps()));
    QCOMPARE(d.steps().back(), 60.0);
    QCOMPARE(d.values()[49], 0.5 * 49);  // step 50 kept
    QCOMPARE(d.values()[50], 1000.0);    // step 51 replaced
    // Smoothing of the new tail starts from the kept prefix, not from the dropped points.
    const std::vector<double> expected = smooth_debiased_ema(d.values(), 0.6);
    QCOMPARE(d.smoothed().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) QCOMPARE(d.smoothed()[i], expected[i]);
  }

  void overlapInsideOneBatch() {
    SeriesData d;
    d.append({{1, 1}, {2, 2}, {3, 3}, {2, 20}, {3, 30}, {4, 40}}, {});
    QCOMPARE(d.size(), 4);
    QVERIFY(strictlyIncreasing(d.steps()));
    QCOMPARE(d.values()[1], 20.0);
    QCOMPARE(d.values()[3], 40.0);
  }

  void incrementalSmoothingMatchesFullSmoothing() {
    SeriesData d;
    d.setSmoothing(0.9);
    for (int batch = 0; batch < 5; ++batch) d.append(ramp(batch * 7, 7, std::sin(batch)), {});
    const std::vector<double> expected = smooth_debiased_ema(d.values(), 0.9);
    for (std::size_t i = 0; i < expected.size(); ++i) QCOMPARE(d.smoothed()[i], expected[i]);
  }

  void nearestPoint() {
    SeriesData d;
    d.append({{0, 1}, {10, 2}, {20, 3}}, {0.0, 100.0, 50.0});
    QCOMPARE(d.nearestByStep(-5), 0);
    QCOMPARE(d.nearestByStep(4), 0);
    QCOMPARE(d.nearestByStep(6), 1);
    QCOMPARE(d.nearestByStep(99), 2);
    QCOMPARE(d.nearestByWallTime(60), 2);  // wall times need not be sorted
    QCOMPARE(d.nearestByWallTime(90), 1);
    QCOMPARE(SeriesData().nearestByStep(1), -1);
  }
};

int runSeriesDataTests(int argc, char** argv) {
  TestSeriesData t;
  return QTest::qExec(&t, argc, argv);
}

}  // namespace cllm::views::tests

#include "test_series_data.moc"
