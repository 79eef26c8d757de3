// The precision dock on a real checkpoint, as a user would use it: train a tiny run, open its checkpoint,
// click Measure and wait. The panel must show exactly what the engine's precision lab reports for that
// checkpoint on its validation text (the verdict, every tensor), keep the window responsive, and Cancel
// must stop a measurement without a report.
#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "inspect/precision_lab.h"
#include "io/checkpoint.h"
#include "main_window.h"
#include "views/lattice/vtk_gl_widget.h"
#include "views/precision/precision_view.h"
#include "workbench_test_util.h"

using namespace cllm;
using cllm::app::MainWindow;

class TestPrecisionDock : public QObject {
  Q_OBJECT

 public:
  static void initMain() { views::VtkGlWidget::setDefaultSurfaceFormat(); }

 private slots:
  void initTestCase() {
    test::useTestSettings("precision");
    QVERIFY(runs_.isValid());
  }

  void measuresTheLoadedCheckpointAsTheEngineDoes() {
    MainWindow w(runs_.path());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    test::configureQuickRun(w, 20);
    w.startAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.training().isRunning(), 60000);
    const QString checkpoint = app::RunStore::latestCheckpoint(w.store().runDir(w.activeRun()));
    QVERIFY(w.loadCheckpointForGeneration(checkpoint));

    views::PrecisionView* view = w.precisionView();
    auto* measure = view->findChild<QPushButton*>("precisionMeasure");
    QTRY_VERIFY(measure->isEnabled());
    view->setTokens(4);
    QTest::mouseClick(measure, Qt::LeftButton);
    QVERIFY(w.precision().isMeasuring());
    QTRY_VERIFY_WITH_TIMEOUT(!w.precision().isMeasuring(), 120000);
    QVERIFY2(view->report().has_value(), qPrintable(view->findChild<QLabel*>("precisionStatus")->text()));

    // The engine, directly, on the same checkpoint and tokens.
    const Checkpoint c = load_checkpoint(checkpoint.toStdString());
    PrecisionSettings settings;
    settings.tokens_per_sequence = 4;
    const auto expected = measure_precision(c, precision_tokens(c, nullptr), settings);
    QVERIFY(expected.has_value());
    QCOMPARE(view->verdict(), QString::fromStdString(expected->verdict()));
    const PrecisionReport& shown = *view->report();
    QCOMPARE(shown.worst_tensor, expected->worst_tensor);
    QCOMPARE(shown.activations.size(), expected->activations.size());
    for (size_t i = 0; i < shown.activations.size(); ++i) {
      QCOMPARE(shown.activations[i].name, expected->activations[i].name);
      QCOMPARE(shown.activations[i].float32, expected->activations[i].float32);
    }
    QVERIFY(shown.check.worst_error < 1e-6);  // the 50-digit backward pass checks out
    // Drawn: every nonzero float32 error of an activation is a point of the chart.
    int nonzero = 0;
    for (const TensorPrecision& t : shown.activations) nonzero += t.float32 > 0;
    QCOMPARE(view->seriesPointCounts().first(), nonzero);
    QCOMPARE(view->findChild<QTableWidget*>("precisionTable")->rowCount(), int(shown.activations.size()));
  }

  void cancelStopsWithoutAReport() {
    MainWindow w(runs_.path());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QString run = w.store().list().first().id;
    QVERIFY(w.loadCheckpointForGeneration(app::RunStore::latestCheckpoint(w.store().runDir(run))));
    views::PrecisionView* view = w.precisionView();
    view->setTokens(32);
    QTest::mouseClick(view->findChild<QPushButton*>("precisionMeasure"), Qt::LeftButton);
    QVERIFY(w.precision().isMeasuring());
    auto* cancel = view->findChild<QPushButton*>("precisionCancel");
    QVERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!w.precision().isMeasuring(), 30000);
    QVERIFY(!view->report().has_value());
    QVERIFY(view->verdict().isEmpty());
    QVERIFY(view->findChild<QLabel*>("precisionStatus")->text().contains("Cancelled"));
  }

 private:
  QTemporaryDir runs_;
};

QTEST_MAIN(TestPrecisionDock)
#include "test_precision_dock.moc"
