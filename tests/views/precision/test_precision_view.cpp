// The precision panel shows what it is given: the report's own verdict, one chart point per nonzero error
// of the chosen tensors (exact zeros cannot sit on a log axis and are only in the table), the table, and
// buttons that follow the model and the busy state.
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

#include "views/precision/precision_view.h"

using namespace cllm;
using cllm::views::PrecisionView;

namespace {

PrecisionReport sampleReport() {
  PrecisionReport r;
  r.batch = 1;
  r.tokens_per_sequence = 4;
  r.activations = {{"embedding", 256, 1.0, 0.0, 0.0, 0.0},
                   {"blocks.0.ln1", 256, 2.0, 3e-7, 1e-16, 2e-3},
                   {"blocks.0.attention", 256, 0.5, 8e-7, 2e-16, 3e-3}};
  r.gradients = {{"wte", 4096, 0.1, 5e-6, 1e-15, 2e-3}, {"lm_head.ln.weight", 64, 0.2, 1e-6, 0.0, 1e-3}};
  r.lost_digits = 1.9;
  r.worst_tensor = "wte (gradient)";
  r.worst_float32_error = 5e-6;
  return r;
}

}  // namespace

class TestPrecisionView : public QObject {
  Q_OBJECT

 private slots:
  void measureFollowsTheModelAndTheBusyState() {
    PrecisionView view;
    auto* measure = view.findChild<QPushButton*>("precisionMeasure");
    auto* cancel = view.findChild<QPushButton*>("precisionCancel");
    QVERIFY(!measure->isEnabled());  // no model yet
    view.setModel("small char 1, step 200", 16);
    QVERIFY(measure->isEnabled());
    QCOMPARE(view.findChild<QSpinBox*>("precisionTokens")->maximum(), 16);  // no more than the context
    QSignalSpy requested(&view, &PrecisionView::measureRequested);
    view.setTokens(5);
    QTest::mouseClick(measure, Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toInt(), 5);
    view.setBusy(true);
    QVERIFY(!measure->isEnabled());
    QVERIFY(cancel->isEnabled());
    QSignalSpy cancelled(&view, &PrecisionView::cancelRequested);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(cancelled.size(), 1);
    view.showCancelled();
    QVERIFY(measure->isEnabled());
    QVERIFY(view.verdict().isEmpty());
  }

  void showsTheVerdictChartAndTable() {
    PrecisionView view;
    view.setModel("m", 64);
    const PrecisionReport r = sampleReport();
    view.showReport(r, "m");
    QCOMPARE(view.verdict(), QString::fromStdString(r.verdict()));
    QVERIFY2(view.verdict().contains("1.9"), qPrintable(view.verdict()));
    // float32, double, bf16: the embedding's exact zeros are left out of the log chart.
    QCOMPARE(view.seriesPointCounts(), QList<int>({2, 2, 2}));
    auto* table = view.findChild<QTableWidget*>("precisionTable");
    QCOMPARE(table->rowCount(), 3);
    QVERIFY(table->item(0, 0)->text().contains("embedding"));
    QCOMPARE(table->item(0, 1)->text(), QString("0"));
    QCOMPARE(table->item(1, 1)->text(), QString::number(3e-7, 'e', 1));
    view.setTensors(PrecisionView::Tensors::Gradients);
    QCOMPARE(view.seriesPointCounts(), QList<int>({2, 1, 2}));
    QCOMPARE(table->rowCount(), 2);
    QVERIFY(table->item(1, 0)->text().contains("lm_head.ln.weight"));
  }
};

QTEST_MAIN(TestPrecisionView)
#include "test_precision_view.moc"
