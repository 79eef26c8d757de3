// ChartPanel: batching of fast updates, runs (colours, removal, overlay from disk), the tool row driven
// by mouse and keyboard, and the exports.

#include <QCheckBox>
#include <QComboBox>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTemporaryDir>
#include <QtCharts/QAbstractAxis>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtTest>

#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include "csv_reader.h"
#include "scene_text.h"
#include "views/charts/chart_format.h"
#include "views/charts/chart_panel.h"
#include "views/charts/metric_chart.h"
#include "views/charts/run_colors.h"

namespace cllm::views::tests {

namespace {

StepRecord stepRecord(int step) {
  return StepRecord{step,
                    0.05 * step,
                    3.0 + std::sin(step * 0.3),
                    1e-3 * std::min(1.0, step / 10.0),
                    0.5 + 0.01 * step,
                    1000.0 + step};
}

QList<StepRecord> stepRecords(int first, int count) {
  QList<StepRecord> records;
  for (int i = 0; i < count; ++i) records.append(stepRecord(first + i));
  return records;
}

const std::array<Metric, 4> kStepMetrics = {Metric::Loss, Metric::LearningRate, Metric::GradNorm,
                                            Metric::Throughput};

}  // namespace

class TestChartPanel : public QObject {
  Q_OBJECT

 private slots:
  void batchesStepsUntilFlush() {
    ChartPanel panel;
    panel.addRun(QStringLiteral("r1"), QStringLiteral("first run"));
    for (int step = 1; step <= 1000; ++step) panel.appendSteps(QStringLiteral("r1"), {stepRecord(step)});
    for (Metric m : kStepMetrics) QCOMPARE(panel.chartFor(m)->pointCount(ChartPanel::seriesKey("r1", m)), 0);
    QCOMPARE(panel.pendingRecordCount(), 1000);

    panel.flushPending();
    QCOMPARE(panel.pendingRecordCount(), 0);
    for (Metric m : kStepMetrics)
      QCOMPARE(panel.chartFor(m)->pointCount(ChartPanel::seriesKey("r1", m)), 1000);
    const QList<QPointF> lr = panel.lrChart()->points(ChartPanel::seriesKey("r1", Metric::LearningRate));
    QCOMPARE(lr[4], QPointF(5.0, 5e-4));
    QCOMPARE(panel.throughputChart()->wallSeconds(ChartPanel::seriesKey("r1", Metric::Throughput))[9], 0.5);
  }

  void timerFlushesWithoutBeingAsked() {
    ChartPanel panel;
    panel.appendSteps(QStringLiteral("r1"), stepRecords(1, 10));  // unknown run: added under its id
    QCOMPARE(panel.runIds(), QStringList{QStringLiteral("r1")});
    const QString key = ChartPanel::seriesKey("r1", Metric::Loss);
    QCOMPARE(panel.lossChart()->pointCount(key), 0);
    QTRY_COMPARE_WITH_TIMEOUT(panel.lossChart()->pointCount(key), 10, 2000);
    panel.appendEvals(QStringLiteral("r1"), {EvalRecord{10, 0.5, 2.75}});
    QTRY_COMPARE_WITH_TIMEOUT(
        panel.lossChart()->pointCount(ChartPanel::seriesKey("r1", Metric::ValidationLoss)), 1, 2000);
  }

  void resumedRunDoesNotZigZag() {
    ChartPanel panel;
    panel.appendSteps(QStringLiteral("r1"), stepRecords(1, 100));
    panel.flushPending();
    panel.appendSteps(QStringLiteral("r1"), stepRecords(51, 20));  // resumed from the step-50 checkpoint
    panel.flushPending();
    for (Metric m : kStepMetrics) {
      const QList<QPointF> points = panel.chartFor(m)->points(ChartPanel::seriesKey("r1", m));
      QCOMPARE(points.size(), 70);
      for (qsizetype i = 1; i < points.size(); ++i) QVERIFY(points[i].x() > points[i - 1].x());
    }
  }

  void runsGetDistinctStableColours() {
    ChartPanel panel;
    panel.addRun(QStringLiteral("r1"), QStringLiteral("one"));
    panel.addRun(QStringLiteral("r2"), QStringLiteral("two"));
    panel.appendSteps(QStringLiteral("r1"), stepRecords(1, 5));
    panel.appendSteps(QStringLiteral("r2"), stepRecords(1, 5));
    panel.appendEvals(QStringLiteral("r2"), {EvalRecord{5, 1.0, 3.5}});
    panel.flushPending();
    const QColor c1 = panel.colorOfRun(QStringLiteral("r1"));
    const QColor c2 = panel.colorOfRun(QStringLiteral("r2"));
    QVERIFY(c1.isValid() && c2.isValid());
    QVERIFY(c1 != c2);
    for (Metric m : kStepMetrics) {
      QCOMPARE(panel.chartFor(m)->seriesColor(ChartPanel::seriesKey("r1", m)), c1);
      QCOMPARE(panel.chartFor(m)->seriesColor(ChartPanel::seriesKey("r2", m)), c2);
    }
    QCOMPARE(panel.lossChart()->seriesColor(ChartPanel::seriesKey("r2", Metric::ValidationLoss)), c2);

    // A freed colour is reused rather than drifting into ever less distinct ones.
    panel.removeRun(QStringLiteral("r1"));
    panel.addRun(QStringLiteral("r3"), QStringLiteral("three"));
    QCOMPARE(panel.colorOfRun(QStringLiteral("r3")), c1);
    QCOMPARE(panel.colorOfRun(QStringLiteral("r2")), c2);
  }

  void addRunTakesTheAppsColour() {
    ChartPanel panel;
    const QColor stored(0x12, 0x34, 0x56);
    panel.addRun(QStringLiteral("r1"), QStringLiteral("small char 1"), stored);
    panel.addRun(QStringLiteral("r2"), QStringLiteral("small char 2"), runColor(0));  // a palette colour
    panel.addRun(QStringLiteral("r3"), QStringLiteral("small char 3"));               // no colour stored
    panel.setRunData(QStringLiteral("r1"), stepRecords(1, 5), {EvalRecord{5, 1.0, 3.5}});
    for (const char* id : {"r2", "r3"}) panel.appendSteps(QString::fromLatin1(id), stepRecords(1, 5));
    panel.flushPending();
    QCOMPARE(panel.colorOfRun(QStringLiteral("r1")), stored);
    QCOMPARE(panel.colorOfRun(QStringLiteral("r2")), runColor(0));
    // The palette pick skips colours the app gave other runs.
    QCOMPARE(panel.colorOfRun(QStringLiteral("r3")), runColor(1));
    for (Metric m : kStepMetrics) {
      QCOMPARE(panel.chartFor(m)->seriesColor(ChartPanel::seriesKey("r1", m)), stored);
      QCOMPARE(panel.chartFor(m)->seriesColor(ChartPanel::seriesKey("r2", m)), runColor(0));
    }
    QCOMPARE(panel.lossChart()->seriesColor(ChartPanel::seriesKey("r1", Metric::ValidationLoss)), stored);

    // The app changes a run's colour: every chart follows; re-adding without one keeps it.
    const QColor changed(0xaa, 0x00, 0x55);
    panel.addRun(QStringLiteral("r1"), QStringLiteral("small char 1"), changed);
    QCOMPARE(panel.colorOfRun(QStringLiteral("r1")), changed);
    for (Metric m : {Metric::Loss, Metric::ValidationLoss, Metric::Throughput})
      QCOMPARE(panel.chartFor(m)->seriesColor(ChartPanel::seriesKey("r1", m)), changed);
    panel.addRun(QStringLiteral("r1"), QStringLiteral("renamed"));
    QCOMPARE(panel.colorOfRun(QStringLiteral("r1")), changed);
    QCOMPARE(panel.gradNormChart()->seriesColor(ChartPanel::seriesKey("r1", Metric::GradNorm)), changed);
  }

  void legendShowsFullRunNames() {
    // Three overlaid runs with the short names the app gives them, at the panel's usual size: every
    // legend entry of every chart reads in full (Qt's one-line legend cut them to "small c...").
    ChartPanel panel;
    panel.resize(1200, 800);
    QStringList labels;
    for (int i = 1; i <= 3; ++i) {
      const QString id = QStringLiteral("r%1").arg(i);
      labels << QStringLiteral("small char %1").arg(i);
      panel.addRun(id, labels.back());
      panel.setRunData(id, stepRecords(i, 40), {EvalRecord{20, 1.0, 2.5}, EvalRecord{40, 2.0, 2.0}});
    }
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto legendTexts = [](MetricChart* chart) {
      QStringList texts;
      for (QGraphicsTextItem* item : visibleTextItems(chart->chart()->legend())) texts << item->toPlainText();
      return texts;
    };
    QStringList lossNames;
    for (const QString& label : labels)
      lossNames << label + QStringLiteral(" (train)") << label + QStringLiteral(" (validation)");
    QTRY_COMPARE(legendTexts(panel.lossChart()), lossNames);
    QTRY_COMPARE(legendTexts(panel.lrChart()), labels);
    QTRY_COMPARE(legendTexts(panel.throughputChart()), labels);
  }

  void lossUnitBitsPerByte() {
    QTemporaryDir dir;
    ChartPanel panel;
    panel.resize(1200, 800);
    // r1: a char model on ASCII text (1 byte per token); r2: BPE, about 4 bytes per token (3.5 on the
    // validation split); r3: a run that never recorded its ratio.
    panel.addRun(QStringLiteral("r1"), QStringLiteral("char"));
    panel.addRun(QStringLiteral("r2"), QStringLiteral("bpe"));
    panel.addRun(QStringLiteral("r3"), QStringLiteral("old run"));
    panel.setRunBytesPerToken(QStringLiteral("r1"), 1.0, 1.0);
    for (const char* id : {"r1", "r2", "r3"}) {
      panel.setRunData(QString::fromLatin1(id), stepRecords(1, 20),
                       {EvalRecord{10, 1.0, 2.5}, EvalRecord{20, 2.0, 2.0}});
    }
    panel.setRunBytesPerToken(QStringLiteral("r2"), 4.0, 3.5);  // after the data: applied all the same
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));

    auto* combo = panel.findChild<QComboBox*>(QStringLiteral("lossUnitCombo"));
    QVERIFY(combo);
    MetricChart* loss = panel.lossChart();
    auto legendLabels = [loss] {
      QStringList labels;
      for (QLegendMarker* marker : loss->chart()->legend()->markers()) {
        if (marker->isVisible()) labels << marker->label();
      }
      return labels;
    };
    const QString r3Note = QStringLiteral("old run (train): no bytes/token");
    const QString r3ValNote = QStringLiteral("old run (validation): no bytes/token");
    const QString r1Train = ChartPanel::seriesKey("r1", Metric::Loss);
    const QString r2Train = ChartPanel::seriesKey("r2", Metric::Loss);
    const QString r2Val = ChartPanel::seriesKey("r2", Metric::ValidationLoss);
    const QString r3Train = ChartPanel::seriesKey("r3", Metric::Loss);
    const QList<QPointF> natsTrain = loss->shownPoints(r2Train, MetricChart::Line::Raw);
    QCOMPARE(natsTrain, loss->points(r2Train));
    QCOMPARE(loss->yAxis()->titleText(), QStringLiteral("loss (nats/token)"));
    QVERIFY(legendLabels().contains(QStringLiteral("old run (train)")));

    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Down);
    QCOMPARE(panel.lossUnit(), LossUnit::BitsPerByte);
    QCOMPARE(loss->yAxis()->titleText(), QStringLiteral("bits per byte"));
    const double ln2 = std::numbers::ln2;
    const QList<QPointF> r1Bits = loss->shownPoints(r1Train, MetricChart::Line::Raw);
    const QList<QPointF> r2Bits = loss->shownPoints(r2Train, MetricChart::Line::Raw);
    QCOMPARE(r1Bits.size(), 20);
    QCOMPARE(r2Bits.size(), 20);
    for (int i = 0; i < 20; ++i) {
      QCOMPARE(r1Bits[i].y(), natsTrain[i].y() / (1.0 * ln2));
      QCOMPARE(r2Bits[i].y(), natsTrain[i].y() / (4.0 * ln2));
    }
    QCOMPARE(loss->shownPoints(r2Val, MetricChart::Line::Raw),
             QList<QPointF>({{10, 2.5 / (3.5 * ln2)}, {20, 2.0 / (3.5 * ln2)}}));
    // The unknown ratio: no curve, and its legend entry says why.
    QVERIFY(loss->shownPoints(r3Train, MetricChart::Line::Raw).isEmpty());
    QVERIFY2(legendLabels().contains(r3Note) && legendLabels().contains(r3ValNote),
             qPrintable(legendLabels().join(QLatin1Char('|'))));
    QVERIFY(legendLabels().contains(QStringLiteral("bpe (train)")));
    // Other charts keep their units.
    QCOMPARE(panel.lrChart()->shownPoints(ChartPanel::seriesKey("r2", Metric::LearningRate),
                                          MetricChart::Line::Raw),
             panel.lrChart()->points(ChartPanel::seriesKey("r2", Metric::LearningRate)));
    // Hover and CSV in the shown unit.
    const QString hover = loss->hoverTextAt({20, 0});
    QVERIFY2(hover.contains(
                 QStringLiteral("bpe (validation) — step 20: value %1,").arg(formatValue(2.0 / (3.5 * ln2)))),
             qPrintable(hover));
    QVERIFY2(!hover.contains(QStringLiteral("old run")), qPrintable(hover));
    const QString csvPath = dir.filePath(QStringLiteral("loss.csv"));
    QVERIFY(panel.exportCsv(csvPath));
    const QList<QStringList> rows = parseCsv(readTextFile(csvPath));
    QCOMPARE(rows[0].join(QLatin1Char(',')),
             QStringLiteral("series,run,step,wall_seconds,value_bits_per_byte,smoothed_bits_per_byte"));
    bool sawVal = false;
    for (const QStringList& row : rows) {
      if (row[0] == r2Val && row[2] == QStringLiteral("20")) {
        QCOMPARE(row[4].toDouble(), 2.0 / (3.5 * ln2));
        sawVal = true;
      }
      if (row[0] == r3Train) QVERIFY(row[4].isEmpty());
    }
    QVERIFY(sawVal);
    const QList<QStringList> all = parseCsv(panel.allCsvText());
    QVERIFY(all.contains(QStringList({QStringLiteral("bpe"), QStringLiteral("20"), QStringLiteral("2"),
                                      QStringLiteral("val_loss"), QStringLiteral("2")})));
    int bitsRows = 0;
    bool sawBits = false;
    for (const QStringList& row : all) {
      if (row[3] == QStringLiteral("val_loss_bits_per_byte") && row[0] == QStringLiteral("bpe") &&
          row[1] == QStringLiteral("20")) {
        QCOMPARE(row[4].toDouble(), 2.0 / (3.5 * ln2));
        sawBits = true;
      }
      if (row[3].endsWith(QStringLiteral("_bits_per_byte"))) {
        QVERIFY(row[0] != QStringLiteral("old run"));
        ++bitsRows;
      }
    }
    QVERIFY(sawBits);
    QCOMPARE(bitsRows, 2 * (20 + 2));  // char and bpe, training and validation

    // Live records drawn in bits per byte as they arrive.
    panel.appendSteps(QStringLiteral("r2"), stepRecords(21, 5));
    panel.flushPending();
    QCOMPARE(loss->shownPoints(r2Train, MetricChart::Line::Raw).back().y(),
             stepRecord(25).loss / (4.0 * ln2));
    // The ratio arrives late: the run's curves appear, one by one.
    panel.setRunBytesPerToken(QStringLiteral("r3"), 2.0, std::numeric_limits<double>::quiet_NaN());
    QCOMPARE(loss->shownPoints(r3Train, MetricChart::Line::Raw).size(), 20);
    QVERIFY(legendLabels().contains(QStringLiteral("old run (train)")));
    QVERIFY(legendLabels().contains(r3ValNote));
    panel.setRunBytesPerToken(QStringLiteral("r3"), 2.0, 2.0);
    QVERIFY(legendLabels().contains(QStringLiteral("old run (validation)")));

    QTest::keyClick(combo, Qt::Key_Up);
    QCOMPARE(panel.lossUnit(), LossUnit::NatsPerToken);
    QCOMPARE(loss->yAxis()->titleText(), QStringLiteral("loss (nats/token)"));
    QCOMPARE(loss->shownPoints(r2Train, MetricChart::Line::Raw), loss->points(r2Train));
    QCOMPARE(loss->shownPoints(r2Val, MetricChart::Line::Raw), QList<QPointF>({{10, 2.5}, {20, 2.0}}));
    QVERIFY(parseCsv(loss->csvText())[0].contains(QStringLiteral("value_nats_per_token")));
  }

  void removeRunRemovesItsSeriesEverywhere() {
    ChartPanel panel;
    for (const char* id : {"r1", "r2"}) {
      panel.appendSteps(QString::fromLatin1(id), stepRecords(1, 5));
      panel.appendEvals(QString::fromLatin1(id), {EvalRecord{5, 1.0, 3.5}});
    }
    panel.flushPending();
    QCOMPARE(panel.lossChart()->seriesKeys().size(), 4);
    panel.appendSteps(QStringLiteral("r1"), stepRecords(6, 5));  // still queued when the run goes
    panel.removeRun(QStringLiteral("r1"));
    panel.flushPending();
    QCOMPARE(panel.runIds(), QStringList{QStringLiteral("r2")});
    for (MetricChart* chart :
         {panel.lossChart(), panel.lrChart(), panel.gradNormChart(), panel.throughputChart()}) {
      for (const QString& key : chart->seriesKeys())
        QVERIFY2(key.startsWith(QStringLiteral("r2/")), qPrintable(key));
      QVERIFY(!chart->seriesKeys().isEmpty());
    }
    QCOMPARE(panel.lossChart()->seriesKeys().size(), 2);
  }

  void setRunDataReplacesAndRelabels() {
    ChartPanel panel;
    panel.appendSteps(QStringLiteral("old"), stepRecords(1, 50));
    panel.setRunData(QStringLiteral("old"), stepRecords(1, 20),
                     {EvalRecord{10, 1.0, 2.0}, EvalRecord{20, 2.0, 1.5}});
    QCOMPARE(panel.pendingRecordCount(), 0);  // the queued live records were superseded
    QCOMPARE(panel.lossChart()->pointCount(ChartPanel::seriesKey("old", Metric::Loss)), 20);
    QCOMPARE(panel.lossChart()->points(ChartPanel::seriesKey("old", Metric::ValidationLoss)),
             QList<QPointF>({{10, 2.0}, {20, 1.5}}));
    panel.setRunData(QStringLiteral("old"), stepRecords(1, 20), {});
    QVERIFY(!panel.lossChart()->hasSeries(ChartPanel::seriesKey("old", Metric::ValidationLoss)));

    panel.addRun(QStringLiteral("old"), QStringLiteral("baseline"));
    QCOMPARE(panel.runIds().size(), 1);
    QCOMPARE(panel.gradNormChart()->seriesRunLabel(ChartPanel::seriesKey("old", Metric::GradNorm)),
             QStringLiteral("baseline"));
    QVERIFY(panel.lossChart()->hoverTextAt({5, 0}).startsWith(QStringLiteral("baseline")));
  }

  void learningRateIsShownUnsmoothed() {
    ChartPanel panel;
    panel.setRunData(QStringLiteral("r1"), stepRecords(1, 30), {});
    const QString key = ChartPanel::seriesKey("r1", Metric::LearningRate);
    QList<double> raw;
    for (const QPointF& p : panel.lrChart()->points(key)) raw.append(p.y());
    QCOMPARE(panel.lrChart()->smoothedValues(key), raw);
    const QString lossKey = ChartPanel::seriesKey("r1", Metric::Loss);
    QVERIFY(panel.lossChart()->smoothedValues(lossKey) != QList<double>());
    QVERIFY(panel.lossChart()->smoothedValues(lossKey)[5] != panel.lossChart()->points(lossKey)[5].y());
  }

  void smoothingSliderDrivesCharts() {
    ChartPanel panel;
    panel.resize(1200, 800);
    panel.setRunData(QStringLiteral("r1"), stepRecords(1, 100), {});
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* slider = panel.findChild<QSlider*>(QStringLiteral("smoothingSlider"));
    auto* label = panel.findChild<QLabel*>(QStringLiteral("smoothingValueLabel"));
    QVERIFY(slider && label);
    QCOMPARE(panel.lossChart()->smoothing(), 0.6);
    QCOMPARE(label->text(), QStringLiteral("0.60"));
    const QString key = ChartPanel::seriesKey("r1", Metric::Loss);
    const QList<double> before = panel.lossChart()->smoothedValues(key);
    const QList<QPointF> rawBefore = panel.lossChart()->points(key);

    slider->setFocus();
    QTest::keyClick(slider, Qt::Key_End);
    QCOMPARE(slider->value(), 99);
    QCOMPARE(panel.lossChart()->smoothing(), 0.99);
    QCOMPARE(panel.throughputChart()->smoothing(), 0.99);
    QCOMPARE(label->text(), QStringLiteral("0.99"));
    QVERIFY(panel.lossChart()->smoothedValues(key) != before);
    QCOMPARE(panel.lossChart()->points(key), rawBefore);

    QTest::keyClick(slider, Qt::Key_Home);
    QCOMPARE(panel.gradNormChart()->smoothing(), 0.0);

    // A click on the groove's right end pages the handle towards it.
    QTest::mouseClick(slider, Qt::LeftButton, {}, QPoint(slider->width() - 3, slider->height() / 2));
    QVERIFY(slider->value() > 0);
    QCOMPARE(panel.lossChart()->smoothing(), slider->value() / 100.0);
  }

  void logScaleCheckBoxByClick() {
    ChartPanel panel;
    panel.resize(1200, 800);
    panel.setRunData(QStringLiteral("r1"), stepRecords(1, 100), {});
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* check = panel.findChild<QCheckBox*>(QStringLiteral("logScaleCheck"));
    QVERIFY(check);
    QTest::mouseClick(check, Qt::LeftButton, {}, QPoint(8, check->height() / 2));
    QVERIFY(check->isChecked());
    for (Metric m : kStepMetrics) {
      QVERIFY(panel.chartFor(m)->isLogScale());
      QCOMPARE(panel.chartFor(m)->yAxis()->type(), QAbstractAxis::AxisTypeLogValue);
    }
    QTest::mouseClick(check, Qt::LeftButton, {}, QPoint(8, check->height() / 2));
    QVERIFY(!panel.lossChart()->isLogScale());
    QCOMPARE(panel.lossChart()->yAxis()->type(), QAbstractAxis::AxisTypeValue);
  }

  void xAxisComboAndResetZoom() {
    ChartPanel panel;
    panel.resize(1200, 800);
    panel.setRunData(QStringLiteral("r1"), stepRecords(1, 100), {});
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* combo = panel.findChild<QComboBox*>(QStringLiteral("xAxisCombo"));
    QVERIFY(combo);
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Down);
    QCOMPARE(panel.gradNormChart()->xAxisMode(), XAxisMode::WallTime);
    QCOMPARE(panel.gradNormChart()->xRange(), qMakePair(0.05, 5.0));
    QTest::keyClick(combo, Qt::Key_Up);
    QCOMPARE(panel.gradNormChart()->xAxisMode(), XAxisMode::Step);

    MetricChart* loss = panel.lossChart();
    const auto full = loss->xRange();
    const QRectF area = loss->chart()->plotArea();
    const QPoint from = loss->mapFromScene(loss->chart()->mapToScene(area.topLeft() + QPointF(20, 20)));
    const QPoint to = loss->mapFromScene(loss->chart()->mapToScene(area.center()));
    QTest::mousePress(loss->viewport(), Qt::LeftButton, {}, from);
    QTest::mouseMove(loss->viewport(), to);
    QTest::mouseRelease(loss->viewport(), Qt::LeftButton, {}, to);
    QVERIFY(loss->isZoomed());
    QVERIFY(loss->xRange() != full);
    QTest::mouseClick(panel.findChild<QPushButton*>(QStringLiteral("resetZoomButton")), Qt::LeftButton);
    QVERIFY(!loss->isZoomed());
    QCOMPARE(loss->xRange(), full);
  }

  void exportAllCsvHasEveryMetricOfEveryRun() {
    QTemporaryDir dir;
    ChartPanel panel;
    panel.addRun(QStringLiteral("r1"), QStringLiteral("small, lr=1e-3"));
    panel.addRun(QStringLiteral("r2"), QStringLiteral("tiny"));
    panel.setRunData(QStringLiteral("r1"), stepRecords(1, 30),
                     {EvalRecord{15, 0.75, 2.5}, EvalRecord{30, 1.5, 2.0}});
    panel.appendSteps(QStringLiteral("r2"), stepRecords(1, 12));  // still queued: the export flushes first
    const QString path = dir.filePath(QStringLiteral("all.csv"));
    QString error;
    QVERIFY2(panel.exportAllCsv(path, &error), qPrintable(error));

    const QList<QStringList> rows = parseCsv(readTextFile(path));
    QCOMPARE(rows[0].join(QLatin1Char(',')), QStringLiteral("run,step,wall_seconds,metric,value"));
    QCOMPARE(rows.size(), 1 + (30 * 4 + 2) + 12 * 4);
    QMap<QString, int> perMetric;
    for (qsizetype i = 1; i < rows.size(); ++i) {
      QCOMPARE(rows[i].size(), 5);
      ++perMetric[rows[i][0] + QLatin1Char('|') + rows[i][3]];
    }
    QCOMPARE(perMetric.value(QStringLiteral("small, lr=1e-3|loss")), 30);
    QCOMPARE(perMetric.value(QStringLiteral("small, lr=1e-3|val_loss")), 2);
    QCOMPARE(perMetric.value(QStringLiteral("tiny|tokens_per_second")), 12);
    QCOMPARE(perMetric.value(QStringLiteral("tiny|val_loss")), 0);
    const StepRecord r7 = stepRecord(7);
    bool found = false;
    for (const QStringList& row : rows) {
      if (row[0] == QStringLiteral("tiny") && row[1] == QStringLiteral("7") &&
          row[3] == QStringLiteral("grad_norm")) {
        QCOMPARE(row[2].toDouble(), r7.wall_seconds);
        QCOMPARE(row[4].toDouble(), r7.grad_norm);
        found = true;
      }
    }
    QVERIFY(found);
    QVERIFY(
        rows.contains(QStringList({QStringLiteral("small, lr=1e-3"), QStringLiteral("30"),
                                   QStringLiteral("1.5"), QStringLiteral("val_loss"), QStringLiteral("2")})));

    QVERIFY(!panel.exportAllCsv(dir.filePath(QStringLiteral("no/such/dir.csv")), &error));
    QVERIFY(!error.isEmpty());
  }

  void exportsUseTheChartClickedLast() {
    QTemporaryDir dir;
    ChartPanel panel;
    panel.resize(1200, 800);
    panel.setRunData(QStringLiteral("r1"), stepRecords(1, 40), {});
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QCOMPARE(panel.activeChart(), panel.lossChart());

    QTest::mouseClick(panel.lrChart()->viewport(), Qt::LeftButton, {}, QPoint(10, 10));
    QCOMPARE(panel.activeChart(), panel.lrChart());
    const QString csvPath = dir.filePath(QStringLiteral("lr.csv"));
    QVERIFY(panel.exportCsv(csvPath));
    const QList<QStringList> rows = parseCsv(readTextFile(csvPath));
    QCOMPARE(rows.size(), 41);
    QCOMPARE(rows[1][0], ChartPanel::seriesKey("r1", Metric::LearningRate));

    const QString pngPath = dir.filePath(QStringLiteral("lr.png"));
    QVERIFY(panel.exportPng(pngPath));
    const QImage image(pngPath);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), panel.lrChart()->size() * panel.lrChart()->devicePixelRatio());
  }
};

int runChartPanelTests(int argc, char** argv) {
  TestChartPanel t;
  return QTest::qExec(&t, argc, argv);
}

}  // namespace cllm::views::tests

#include "test_chart_panel.moc"
