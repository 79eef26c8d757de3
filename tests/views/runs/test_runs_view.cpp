// The runs list: entries with their checkpoints, overlay ticks, and the requests its buttons emit
// (deleting only after confirmation).
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

#include "views/runs/runs_view.h"

using namespace cllm::views;

namespace {

QList<RunEntry> twoRuns() {
  RunEntry a;
  a.id = "20261124-100000";
  a.name = "first";
  a.status = "finished";
  a.steps = a.totalSteps = 200;
  a.bestValidationLoss = 1.75;
  a.details = "details of first";
  a.checkpoints = {{"/runs/a/latest.safetensors", "latest", false, 200, 1000},
                   {"/runs/a/best.safetensors", "best", true, 150, 1000}};
  RunEntry b;
  b.id = "20261124-110000";
  b.name = "second";
  b.status = "stopped at step 20";
  b.steps = 20;
  b.totalSteps = 100;
  return {a, b};
}

}  // namespace

class TestRunsView : public QObject {
  Q_OBJECT

 private slots:
  void listsRunsAndCheckpoints() {
    RunsView view;
    view.setRuns(twoRuns());
    auto* tree = view.findChild<QTreeWidget*>("runsTree");
    QCOMPARE(tree->topLevelItemCount(), 2);
    QCOMPARE(tree->topLevelItem(0)->text(0), QString("first"));
    QCOMPARE(tree->topLevelItem(0)->childCount(), 2);
    QVERIFY(tree->topLevelItem(0)->text(3).contains(QLocale().toString(1.75, 'f', 4)));
    QCOMPARE(tree->topLevelItem(1)->text(3), QString("–"));
  }

  void selectingARunPicksItsBestCheckpointAndShowsDetails() {
    RunsView view;
    view.setRuns(twoRuns());
    QSignalSpy load(&view, &RunsView::loadRequested);
    auto* loadButton = view.findChild<QPushButton*>("loadCheckpointButton");
    QVERIFY(!loadButton->isEnabled());
    view.selectRun("20261124-100000");
    QCOMPARE(view.selectedCheckpoint(), QString("/runs/a/best.safetensors"));
    QCOMPARE(view.findChild<QPlainTextEdit*>("runDetails")->toPlainText(), QString("details of first"));
    QVERIFY(loadButton->isEnabled());
    QTest::mouseClick(loadButton, Qt::LeftButton);
    QCOMPARE(load.count(), 1);
    QCOMPARE(load.first().at(0).toString(), QString("/runs/a/best.safetensors"));
    view.selectRun("20261124-110000");  // no checkpoints
    QVERIFY(!loadButton->isEnabled());
  }

  void overlayTicksAreReportedAndKeptAcrossRefreshes() {
    RunsView view;
    view.setRuns(twoRuns());
    QSignalSpy overlay(&view, &RunsView::overlayToggled);
    auto* tree = view.findChild<QTreeWidget*>("runsTree");
    tree->topLevelItem(1)->setCheckState(0, Qt::Checked);
    QCOMPARE(overlay.count(), 1);
    QCOMPARE(overlay.first().at(0).toString(), QString("20261124-110000"));
    QCOMPARE(overlay.first().at(1).toBool(), true);
    view.setRuns(twoRuns());
    QCOMPARE(view.overlaidRuns(), QStringList{"20261124-110000"});
  }

  void deleteAsksFirst() {
    RunsView view;
    view.setRuns(twoRuns());
    QSignalSpy remove(&view, &RunsView::deleteRequested);
    bool answer = false;
    QString asked;
    view.setConfirmDelete([&](const QString& name) {
      asked = name;
      return answer;
    });
    view.selectRun("20261124-110000");
    auto* button = view.findChild<QPushButton*>("deleteRunButton");
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(asked, QString("second"));
    QCOMPARE(remove.count(), 0);
    answer = true;
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(remove.count(), 1);
    QCOMPARE(remove.first().at(0).toString(), QString("20261124-110000"));
  }
};

QTEST_MAIN(TestRunsView)
#include "test_runs_view.moc"
