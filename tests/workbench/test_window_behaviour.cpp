// How the window behaves around a run, as users reported it: it fits a laptop screen, closing during
// training asks and leaves a consistent run, a run whose process died is marked interrupted, a corpus
// that fails validation disables Start, sampling settings survive a restart, runs get short unique
// names and a colour of their own.
#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QScreen>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "main_window.h"
#include "views/generation/generation_view.h"
#include "views/generation/sampling_controls.h"
#include "views/lattice/vtk_gl_widget.h"
#include "views/runs/runs_view.h"
#include "views/training/corpus_selector.h"
#include "views/training/training_panel.h"
#include "workbench_test_util.h"

using namespace cllm;
using cllm::app::MainWindow;

class TestWindowBehaviour : public QObject {
  Q_OBJECT

 public:
  static void initMain() { views::VtkGlWidget::setDefaultSurfaceFormat(); }

 private slots:
  void initTestCase() {
    test::useTestSettings("behaviour");
    QVERIFY(runs_.isValid());
  }

  void fitsALaptopScreenWithEveryPanel() {
    MainWindow w(runs_.path());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QSize minimum = w.minimumSizeHint().expandedTo(w.minimumSize());
    QVERIFY2(minimum.width() <= 1280 && minimum.height() <= 720,
             qPrintable(QString("minimum size %1×%2").arg(minimum.width()).arg(minimum.height())));
    // It really shrinks that far, every default panel still there (tabbed panels count).
    w.resize(1280, 720);
    QTRY_VERIFY(w.width() <= 1280 && w.height() <= 720);
    for (const char* name :
         {"trainingDock", "chartsDock", "latticeDock", "generationDock", "runsDock", "numbersDock"}) {
      auto* dock = w.findChild<QDockWidget*>(name);
      QVERIFY2(dock && !dock->isHidden() && !dock->isFloating(), name);
    }
    // On first launch it opens inside the screen it is on.
    const QRect screen = w.screen()->availableGeometry();
    QVERIFY2(screen.contains(w.frameGeometry().topLeft()) || screen.contains(w.geometry()),
             qPrintable(QString("%1,%2 %3×%4").arg(w.x()).arg(w.y()).arg(w.width()).arg(w.height())));
    w.close();
    QSettings().clear();
  }

  void samplingSettingsSurviveARestart() {
    QJsonObject saved;
    {
      MainWindow w(runs_.path());
      w.show();
      QVERIFY(QTest::qWaitForWindowExposed(&w));
      views::SamplingControls* controls = w.generationView()->samplingControls();
      views::SamplingPreset preset = controls->currentPreset();
      preset.sampling.temperature = 1.23;
      preset.sampling.top_k = 17;
      preset.sampling.min_p = 0.11;
      controls->applyPreset(preset);
      controls->findChild<QSpinBox*>("maxTokensSpin")->setValue(321);
      preset.name = "mine";
      QVERIFY(controls->addUserPreset(preset));
      saved = controls->state();
      w.close();
    }
    MainWindow w(runs_.path());
    views::SamplingControls* controls = w.generationView()->samplingControls();
    QCOMPARE(controls->state(), saved);
    QCOMPARE(controls->currentPreset().sampling.temperature, 1.23);
    QCOMPARE(controls->currentPreset().sampling.top_k, 17);
    QCOMPARE(controls->userPresets().size(), 1);
    QCOMPARE(controls->userPresets().first().name, QString("mine"));
    QSettings().clear();
  }

  void closingDuringTrainingAsksAndLeavesAConsistentRun() {
    MainWindow w(runs_.path());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    test::configureQuickRun(w, 100000);
    w.startAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(w.document().trainingState() == app::WorkbenchDocument::TrainingState::Running,
                             30000);
    const QString run = w.activeRun();
    QTRY_VERIFY_WITH_TIMEOUT(w.document().activeSteps() > 0, 30000);  // some work to save
    // "Cancel": nothing happens.
    int asked = 0;
    w.setConfirmClose([&] { return ++asked, false; });
    w.close();
    QCOMPARE(asked, 1);
    QVERIFY(w.isVisible());
    QVERIFY(w.training().isRunning());
    // "Stop and close": a progress dialog while the final checkpoint is saved, then the window closes.
    w.setConfirmClose([&] { return ++asked, true; });
    w.close();
    QCOMPARE(asked, 2);
    QTRY_VERIFY(w.findChild<QWidget*>("closingDialog") != nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(!w.training().isRunning(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!w.isVisible(), 10000);
    const nlohmann::json info = w.store().readInfo(run);
    const std::string status = info.value("status", std::string());
    QVERIFY2(status.rfind("stopped at step ", 0) == 0, status.c_str());
    QVERIFY(info.value("steps_done", 0) > 0);
    QVERIFY(QFile::exists(app::RunStore::latestCheckpoint(w.store().runDir(run))));
  }

  void aRunWhoseProcessDiedIsMarkedInterrupted() {
    QString id;
    {
      app::RunStore store(runs_.path());
      id = store.createRun();
      // A pid that is not running (Linux pids stay below 2^22).
      store.writeInfo(id, {{"name", "ghost"}, {"status", "running"}, {"steps_done", 120}, {"pid", 99999999}});
    }
    MainWindow w(runs_.path());
    const nlohmann::json info = w.store().readInfo(id);
    QCOMPARE(QString::fromStdString(info.value("status", std::string())), QString("interrupted at step 120"));
    // A run of a live process (this one) is left alone.
    const QString live = w.store().createRun();
    w.store().writeInfo(live, {{"status", "running"}, {"pid", QCoreApplication::applicationPid()}});
    app::WorkbenchDocument other(runs_.path());
    QCOMPARE(QString::fromStdString(other.store().readInfo(live).value("status", std::string())),
             QString("running"));
    w.store().remove(live);
  }

  void aCorpusThatFailsValidationDisablesStart() {
    QTemporaryDir dir;
    const QString binary = dir.filePath("binary.txt");
    {
      QFile f(binary);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray("\xff\xfe\x00\x01 not text", 14));
    }
    MainWindow w(runs_.path());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_VERIFY(w.startAction()->isEnabled());
    w.trainingPanel()->corpus()->setSource(views::CorpusSelector::Source::File, binary);
    QTRY_VERIFY_WITH_TIMEOUT(!w.trainingPanel()->corpus()->validationError().isEmpty(), 10000);
    QVERIFY(!w.startAction()->isEnabled());
    // Back to a good corpus: Start comes back.
    w.trainingPanel()->corpus()->setSource(views::CorpusSelector::Source::BuiltIn);
    QTRY_VERIFY_WITH_TIMEOUT(w.startAction()->isEnabled(), 10000);
    QSettings().clear();
  }

  void runsGetShortUniqueNamesAndAColour() {
    MainWindow w(runs_.path());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QStringList names, colours;
    for (int i = 0; i < 2; ++i) {
      test::configureQuickRun(w, 5);
      w.startAction()->trigger();
      const QString run = w.activeRun();
      QTRY_VERIFY_WITH_TIMEOUT(!w.training().isRunning(), 60000);
      const nlohmann::json info = w.store().readInfo(run);
      names << QString::fromStdString(info.value("name", std::string()));
      colours << QString::fromStdString(info.value("color", std::string()));
    }
    // "<shape> <tokenizer> <n>", n the first number not taken (earlier tests made runs too).
    const QRegularExpression pattern("^tiny char (\\d+)$");
    const auto first = pattern.match(names.at(0)), second = pattern.match(names.at(1));
    QVERIFY2(first.hasMatch() && second.hasMatch(), qPrintable(names.join(", ")));
    QCOMPARE(second.captured(1).toInt(), first.captured(1).toInt() + 1);
    QVERIFY(QColor(colours.at(0)).isValid() && QColor(colours.at(1)).isValid());
    QVERIFY(colours.at(0) != colours.at(1));
    QSettings().clear();
  }

 private:
  QTemporaryDir runs_;
};

QTEST_MAIN(TestWindowBehaviour)
#include "test_window_behaviour.moc"
