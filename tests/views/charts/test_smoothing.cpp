// The debiased EMA against values worked out by hand from TensorBoard's formula
// last = last*w + (1-w)*y; n += 1; shown = last / (1 - w^n).

#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

#include "views/charts/smoothing.h"

namespace cllm::views::tests {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

class TestSmoothing : public QObject {
  Q_OBJECT

 private slots:
  void halfWeightOnOneTwoThree() {
    // n=1: last=0.5, shown=0.5/0.5=1; n=2: last=1.25, shown=1.25/0.75=5/3;
    // n=3: last=2.125, shown=2.125/0.875=17/7.
    const std::vector<double> in = {1, 2, 3};
    const std::vector<double> out = smooth_debiased_ema(in, 0.5);
    QCOMPARE(out.size(), std::size_t{3});
    QCOMPARE(out[0], 1.0);
    QCOMPARE(out[1], 5.0 / 3.0);
    QCOMPARE(out[2], 17.0 / 7.0);
  }

  void heavyWeightFollowsSlowly() {
    // w=0.9 on [10, 0]: n=1: last=1, shown=1/0.1=10; n=2: last=0.9, shown=0.9/0.19=90/19.
    const std::vector<double> in = {10, 0};
    const std::vector<double> out = smooth_debiased_ema(in, 0.9);
    QVERIFY(std::abs(out[0] - 10.0) < 1e-12);
    QVERIFY(std::abs(out[1] - 90.0 / 19.0) < 1e-12);
  }

  void nonFiniteValuesPassThroughWithoutAdvancing() {
    const std::vector<double> in = {1, kNaN, 2, kInf, 3, -kInf};
    const std::vector<double> out = smooth_debiased_ema(in, 0.5);
    QCOMPARE(out[0], 1.0);
    QVERIFY(std::isnan(out[1]));
    QCOMPARE(out[2], 5.0 / 3.0);  // as if the NaN were not there
    QCOMPARE(out[3], kInf);
    QCOMPARE(out[4], 17.0 / 7.0);
    QCOMPARE(out[5], -kInf);
  }

  void leadingNaNDoesNotBiasTheStart() {
    const std::vector<double> in = {kNaN, 4, 8};
    const std::vector<double> out = smooth_debiased_ema(in, 0.5);
    QVERIFY(std::isnan(out[0]));
    QCOMPARE(out[1], 4.0);
    QCOMPARE(out[2], 20.0 / 3.0);  // last = 2*0.5 + 8*0.5 = 5, shown = 5 / (1 - 0.25)
  }

  void zeroWeightIsIdentity() {
    const std::vector<double> in = {3.25, -1.5, 1e-9, 7e12, 0.0, 2.0};
    QCOMPARE(smooth_debiased_ema(in, 0.0), in);
  }

  void emptyInput() { QVERIFY(smooth_debiased_ema(std::vector<double>{}, 0.6).empty()); }

  void incrementalMatchesBatch() {
    std::vector<double> in;
    for (int i = 0; i < 50; ++i) in.push_back(std::sin(i * 0.7) + 0.1 * i);
    const std::vector<double> batch = smooth_debiased_ema(in, 0.8);
    DebiasedEma ema(0.8);
    for (std::size_t i = 0; i < in.size(); ++i) QCOMPARE(ema.add(in[i]), batch[i]);
  }

  void weightOneIsClampedToStayFinite() {
    const std::vector<double> in = {2, 4, 6};
    const std::vector<double> out = smooth_debiased_ema(in, 1.0);
    for (double v : out) QVERIFY(std::isfinite(v));
    QVERIFY(std::abs(out[0] - 2.0) < 1e-9);  // debiasing still starts the curve on the data
    QCOMPARE(DebiasedEma(1.0).weight(), kMaxSmoothingWeight);
    QCOMPARE(DebiasedEma(-0.5).weight(), 0.0);
    QCOMPARE(DebiasedEma(kNaN).weight(), 0.0);
  }
};

int runSmoothingTests(int argc, char** argv) {
  TestSmoothing t;
  return QTest::qExec(&t, argc, argv);
}

}  // namespace cllm::views::tests

#include "test_smoothing.moc"
