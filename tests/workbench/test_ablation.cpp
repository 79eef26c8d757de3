// An ablation started from the workbench as a user would: Training ▸ Start ablation, untick all but two
// variants, two seeds, Start. Every (variant, seed) trains as an ordinary run of the runs folder, all of
// them stay overlaid in the charts (one colour per variant), and the results table equals the engine's
// summary of those runs and is saved as CSV, markdown and JSON.
#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

#include "main_window.h"
#include "session/ablation.h"
#include "views/charts/chart_panel.h"
#include "views/charts/metric_chart.h"
#include "views/lattice/vtk_gl_widget.h"
#include "views/runs/ablation_results_dialog.h"
#include "views/training/ablation_dialog.h"
#include "workbench_test_util.h"

using namespace cllm;
using cllm::app::MainWindow;
using cllm::views::ChartPanel;
using cllm::views::Metric;

class TestAblation : public QObject {
  Q_OBJECT

 public:
  static void initMain() { views::VtkGlWidget::setDefaultSurfaceFormat(); }

 private slots:
  void initTestCase() {
    test::useTestSettings("ablation");
    QVERIFY(runs_.isValid());
  }

  void dialogOffersEveryOptionAndChecksSeeds() {
    views::AblationDialog dialog({"baseline", "positional=rope", "mixer=fourier"}, 500);
    auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    auto* summary = dialog.findChild<QLabel*>("ablationSummary");
    QCOMPARE(dialog.variants(), QStringList({"baseline", "positional=rope", "mixer=fourier"}));
    QCOMPARE(dialog.seeds(), QList<quint64>({1, 2, 3}));
    QVERIFY2(summary->text().contains("9 run"), qPrintable(summary->text()));
    QVERIFY(ok->isEnabled());
    dialog.setSeeds("1, x");
    QVERIFY(!ok->isEnabled());
    QVERIFY2(summary->text().contains("“x”"), qPrintable(summary->text()));
    dialog.setSeeds("4 4");
    QVERIFY(!ok->isEnabled());
    dialog.setSeeds("7");
    QVERIFY(ok->isEnabled());
    QVERIFY2(summary->text().contains("fewer than three seeds"), qPrintable(summary->text()));
    for (const QString& v : dialog.variants()) dialog.setVariantChecked(v, false);
    QVERIFY(!ok->isEnabled());
  }

  void runsEveryVariantWithEverySeedOverlaidAndSavesTheTable() {
    MainWindow w(runs_.path());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    test::configureQuickRun(w, 20);
    QVERIFY(w.ablationAction()->isEnabled());
    w.ablationAction()->trigger();
    views::AblationDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<views::AblationDialog*>("ablationDialog")) != nullptr);
    // The tiny preset's own options are the baseline; every other value of every option is offered.
    const QStringList offered = dialog->variants();
    for (const auto& v : default_variants(model_preset("tiny"), "char"))
      QVERIFY2(offered.contains(QString::fromStdString(v.name)), v.name.c_str());
    for (const QString& v : offered) dialog->setVariantChecked(v, v == "baseline" || v == "positional=rope");
    dialog->setSeeds("1, 2");
    QTest::mouseClick(dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok), Qt::LeftButton);

    views::AblationResultsDialog* results = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (results = w.findChild<views::AblationResultsDialog*>("ablationResults")) != nullptr, 240000);
    QVERIFY(!w.document().isAblating());
    QVERIFY(w.startAction()->isEnabled());

    // Four ordinary runs, each with its variant and seed in run.json; one colour per variant.
    QHash<QString, QString> colorOf;
    std::vector<AblationRun> expected;
    const auto runs = w.store().list();
    QCOMPARE(runs.size(), 4);
    QString folder;
    for (auto it = runs.crbegin(); it != runs.crend(); ++it) {  // oldest first: the order they trained in
      const nlohmann::json info = w.store().readInfo(it->id);
      QCOMPARE(it->status, QString("finished"));
      QCOMPARE(it->steps, 20);
      const nlohmann::json a = info.at("ablation");
      const QString variant = QString::fromStdString(a.at("variant"));
      QVERIFY2(it->name.contains(variant), qPrintable(it->name));
      QCOMPARE(QString::fromStdString(info.at("model").at("positional")),
               variant == "positional=rope" ? QString("rope") : QString("learned"));
      QCOMPARE(info.at("train").at("seed").get<int>(), a.at("seed").get<int>());
      if (colorOf.contains(variant))
        QCOMPARE(it->color, colorOf[variant]);
      else
        colorOf[variant] = it->color;
      folder = QString::fromStdString(a.at("folder"));
      // Every run stays overlaid: its validation curve is in the chart.
      QVERIFY(w.charts()->runIds().contains(it->id));
      QTRY_VERIFY(w.charts()
                      ->chartFor(Metric::ValidationLoss)
                      ->pointCount(ChartPanel::seriesKey(it->id, Metric::ValidationLoss)) >= 1);
      const app::RunMetrics m = w.store().readMetrics(it->id);
      expected.push_back(ablation_run_from_records(a.at("variant"), a.at("seed"), info.at("parameters"),
                                                   std::span(m.steps.constData(), size_t(m.steps.size())),
                                                   std::span(m.evals.constData(), size_t(m.evals.size())),
                                                   m.lastWallSeconds));
    }
    QCOMPARE(colorOf.size(), 2);
    QVERIFY(colorOf["baseline"] != colorOf["positional=rope"]);

    // The table is the engine's summary of those runs, shown and saved.
    const auto rows = summarize_ablation(expected);
    QCOMPARE(results->markdown(), QString::fromStdString(ablation_markdown(rows)));
    auto* table = results->findChild<QTableWidget*>("ablationTable");
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, 0)->text(), QString("baseline"));
    QCOMPARE(table->item(1, 0)->text(), QString("positional=rope"));
    QVERIFY2(table->item(0, 1)->text().endsWith("(2)"), qPrintable(table->item(0, 1)->text()));
    std::ifstream csv((folder + "/ablation.csv").toStdString());
    std::stringstream text;
    text << csv.rdbuf();
    QCOMPARE(QString::fromStdString(text.str()), QString::fromStdString(ablation_csv(rows)));
    QVERIFY(QFileInfo::exists(folder + "/ablation.md"));
    QVERIFY(QFileInfo::exists(folder + "/ablation.json"));
    // The ablations folder holds no run: the runs list is unchanged by it.
    QVERIFY(folder.startsWith(w.store().ablationsRoot()));
    results->close();
  }

  void stoppingEndsTheAblationWithTheRunsThatFinished() {
    MainWindow w(runs_.path());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    test::configureQuickRun(w, 20);
    const int before = int(w.store().list().size());
    app::TrainingSetup s;
    s.run.tokenizer.kind = "char";
    s.run.model = model_preset("tiny");
    s.run.model.block_size = 32;
    s.run.train.steps = 20000;  // far longer than the test waits
    s.run.train.batch_size = 8;
    QVERIFY(w.document().startAblation({s, {"baseline", "mixer=fourier"}, {1, 2}}));
    QVERIFY(w.document().isAblating());
    QTRY_VERIFY_WITH_TIMEOUT(w.document().trainingState() == app::WorkbenchDocument::TrainingState::Running,
                             30000);
    w.stopAction()->trigger();
    views::AblationResultsDialog* results = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (results = w.findChild<views::AblationResultsDialog*>("ablationResults")) != nullptr, 60000);
    QVERIFY(!w.document().isAblating());
    QVERIFY(results->windowTitle().contains("stopped"));
    QCOMPARE(results->findChild<QTableWidget*>("ablationTable")->rowCount(),
             0);                                         // no run finished its budget
    QCOMPARE(int(w.store().list().size()), before + 1);  // the remaining runs never started
    QVERIFY(QDir(w.store().ablationsRoot()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size() == 1);
    results->close();
  }

  void unknownVariantIsRefusedBeforeAnyRun() {
    MainWindow w(runs_.path());
    const int before = int(w.store().list().size());
    app::TrainingSetup s;
    s.run.model = model_preset("tiny");
    QVERIFY(!w.document().startAblation({s, {"baseline", "positional=spiral-galaxy"}, {1}}));
    QCOMPARE(int(w.store().list().size()), before);
    QVERIFY(!w.document().isAblating());
  }

 private:
  QTemporaryDir runs_;
};

QTEST_MAIN(TestAblation)
#include "test_ablation.moc"
