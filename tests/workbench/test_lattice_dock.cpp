// The 3-D dock and the number analyser inside the real window: the learned embeddings move while a run
// trains (live PCA from snapshots, training never waits), picking and the neighbour list use the model's
// own vectors, the number analyser selects a token in the 3-D view, and the lattice scenes draw.
// `CLLM_SCREENSHOTS=docs` also saves a picture of each scene for the README.
#include <vtkCamera.h>
#include <vtkRenderer.h>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QtTest>
#include <cmath>
#include <limits>

#include "inspect/word_number.h"
#include "main_window.h"
#include "views/charts/chart_panel.h"
#include "views/lattice/lattice_scene.h"
#include "views/lattice/lattice_view.h"
#include "views/lattice/token_details_panel.h"
#include "views/lattice/vtk_gl_widget.h"
#include "views/numbers/number_analyser_view.h"
#include "views/training/training_panel.h"
#include "workbench_test_util.h"

using namespace cllm;
using cllm::app::MainWindow;

namespace {

QDockWidget* showLattice(MainWindow& w) {
  auto* dock = w.findChild<QDockWidget*>("latticeDock");
  dock->show();
  dock->raise();
  return dock;
}

// Non-background share of the 3-D view: pixels far from both background gradient ends.
double drawnShare(const QImage& image) {
  qint64 drawn = 0, all = 0;
  for (int y = 0; y < image.height(); y += 2)
    for (int x = 0; x < image.width(); x += 2, ++all) {
      const QColor c = image.pixelColor(x, y);
      // The background is a dark blue-grey (at most 0.25 in any channel); points are brighter or coloured.
      if (std::max({c.red(), c.green(), c.blue()}) > 80) ++drawn;
    }
  return all ? double(drawn) / all : 0;
}

void saveScreenshot(QWidget* widget, const QString& name) {
  if (!qEnvironmentVariableIsSet("CLLM_SCREENSHOTS")) return;
  QVERIFY(widget->grab().save(qEnvironmentVariable("CLLM_SCREENSHOTS") + "/" + name));
}

}  // namespace

class TestLatticeDock : public QObject {
  Q_OBJECT

 public:
  static void initMain() { views::VtkGlWidget::setDefaultSurfaceFormat(); }

 private slots:
  void initTestCase() {
    test::useTestSettings("lattice");
    QVERIFY(runs_.isValid());
  }

  void livePcaMovesWhileTrainingAndPickingShowsNeighbours() {
    MainWindow w(runs_.path());
    w.resize(1500, 950);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    views::LatticeView* view = w.latticeView();
    test::configureQuickRun(w, 100000);
    w.startAction()->trigger();
    showLattice(w);
    // Snapshots arrive about once a second; each one moves the points.
    QTRY_VERIFY_WITH_TIMEOUT(w.lattice().projectionsShown() >= 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(view->positionOf(5) != nullptr, 10000);
    const int shown = w.lattice().projectionsShown();
    const std::vector<float> before(view->positionOf(5), view->positionOf(5) + 3);
    QTRY_VERIFY_WITH_TIMEOUT(w.lattice().projectionsShown() >= shown + 2, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(std::abs(view->positionOf(5)[0] - before[0]) > 1e-6f, 5000);
    QVERIFY(w.training().isRunning());  // training went on meanwhile
    QVERIFY(view->tokens().size() > 20);
    QVERIFY(view->tokens()[0].frequency > 0);  // counted over the run's corpus
    QCOMPARE(view->tokens()[5].prime, uint64_t(13));

    // The scene drew: a share of the pixels are points, labels and the legend.
    QTRY_VERIFY(view->glWidget() != nullptr);  // created once the dock is on screen
    views::VtkGlWidget* gl = view->glWidget();
    const int renders = gl->renderCount();
    QTRY_VERIFY_WITH_TIMEOUT(gl->renderCount() > renders, 5000);
    const double share = drawnShare(gl->grabFramebuffer());
    QVERIFY2(share > 0.01 && share < 0.7, qPrintable(QString::number(share)));
    saveScreenshot(&w, "workbench-lattice-live-pca.png");

    // Pick a token by clicking it: the side panel shows it and its nearest neighbours by cosine distance.
    view->setLabelsShown(false);
    w.document().pauseTraining();  // the points stay put for the click
    QTRY_COMPARE_WITH_TIMEOUT(w.document().trainingState(), app::WorkbenchDocument::TrainingState::Paused,
                              10000);
    QTest::qWait(700);  // the last move finishes
    // The on-screen token nearest the camera: no other sprite can cover it, so a click on it picks it.
    vtkCamera* camera = view->sceneGraph()->renderer()->GetActiveCamera();
    double eye[3], direction[3];
    camera->GetPosition(eye);
    camera->GetDirectionOfProjection(direction);
    int target = -1;
    double nearest = std::numeric_limits<double>::max();
    for (int id = 0; id < int(view->tokens().size()); ++id) {
      const auto p = view->screenPositionOf(id);
      if (!p || !gl->rect().adjusted(30, 30, -30, -30).contains(*p)) continue;
      const float* x = view->positionOf(id);
      const double depth =
          (x[0] - eye[0]) * direction[0] + (x[1] - eye[1]) * direction[1] + (x[2] - eye[2]) * direction[2];
      if (depth < nearest) nearest = depth, target = id;
    }
    QVERIFY(target >= 0);
    const auto at = view->screenPositionOf(target);
    QVERIFY(at);
    QTest::mouseClick(gl, Qt::LeftButton, {}, *at);
    QCOMPARE(w.document().selectedToken(), target);
    QCOMPARE(view->selectedToken(), target);
    QCOMPARE(view->details()->findChild<QLabel*>("selectedTokenTitle")->text(),
             QString::fromStdString(view->tokens()[target].label));
    QTreeWidget* neighbours = view->details()->neighbourList();
    QCOMPARE(neighbours->topLevelItemCount(), view->neighbourCount());
    // Ascending distances; a neighbour click selects it.
    double previous = -1;
    for (int i = 0; i < neighbours->topLevelItemCount(); ++i) {
      const double d = QLocale().toDouble(neighbours->topLevelItem(i)->text(1));
      QVERIFY(d >= previous);
      previous = d;
    }
    const int32_t first = neighbours->topLevelItem(0)->data(0, Qt::UserRole).toInt();
    QTest::mouseClick(neighbours->viewport(), Qt::LeftButton, {},
                      neighbours->visualItemRect(neighbours->topLevelItem(0)).center());
    QCOMPARE(w.document().selectedToken(), first);

    w.document().continueTraining();
    w.stopAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.training().isRunning(), 30000);
  }

  void numberAnalyserShowsATokenInThe3dView() {
    MainWindow w(runs_.path());
    w.resize(1500, 950);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    test::configureQuickRun(w, 60);
    QTRY_VERIFY2(w.startAction()->isEnabled(), qPrintable(w.trainingPanel()->validationError()));
    QSignalSpy finished(&w.document(), &app::WorkbenchDocument::trainingFinished);
    w.startAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);  // the document has the final weights then
    QVERIFY(w.document().currentModel() != nullptr);
    views::NumberAnalyserView* numbers = w.numberAnalyser();
    auto* dock = w.findChild<QDockWidget*>("numbersDock");
    dock->show();
    dock->raise();
    numbers->findChild<QLineEdit*>("numberInput")->setText("97");
    QTest::mouseClick(numbers->findChild<QPushButton*>("analyseButton"), Qt::LeftButton);
    auto* show = numbers->findChild<QPushButton*>("showNumberButton");
    QTRY_VERIFY2_WITH_TIMEOUT(show->isEnabled(),
                              qPrintable(numbers->findChild<QLabel*>("numberStatus")->text()), 10000);
    const QString report = numbers->reportText();
    QVERIFY2(report.contains("prime") && report.contains("25") && report.contains("token id 24"),
             qPrintable(report));
    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(w.document().selectedToken(), 24);
    QTRY_VERIFY(w.findChild<QDockWidget*>("latticeDock")->isVisible());
    QTRY_COMPARE(w.latticeView()->selectedToken(), 24);

    // A token of the vocabulary stands for its prime; a bad input says what is wrong.
    numbers->findChild<QLineEdit*>("numberInput")->setText("e");
    QTest::mouseClick(numbers->findChild<QPushButton*>("analyseButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(numbers->reportText().contains("token “e”"), 10000);
    numbers->findChild<QLineEdit*>("numberInput")->setText("12x4");
    QTest::mouseClick(numbers->findChild<QPushButton*>("analyseButton"), Qt::LeftButton);
    QTRY_VERIFY(numbers->findChild<QLabel*>("numberStatus")->text().contains("x"));
    QVERIFY(!show->isEnabled());
    // Big numbers: a Mersenne prime of 157 digits is a probable prime, and factoring stays in its budget.
    numbers->findChild<QLineEdit*>("numberInput")->setText("2^521-1");
    QTest::mouseClick(numbers->findChild<QPushButton*>("analyseButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(numbers->reportText().contains("probable prime"), 20000);
    saveScreenshot(&w, "workbench-number-analyser.png");
  }

  void latticeScenesDraw() {
    MainWindow w(runs_.path());
    w.resize(1500, 950);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // The model trained by the previous test, from its run folder (or, for the README's pictures, the
    // checkpoint named by CLLM_SCREENSHOT_CHECKPOINT, e.g. what `cllm train` writes).
    QString checkpoint = qEnvironmentVariable("CLLM_SCREENSHOT_CHECKPOINT");
    if (checkpoint.isEmpty()) {
      const auto runs = w.store().list();
      QVERIFY(!runs.isEmpty());
      checkpoint = runs.first().checkpoints.first().path;
    }
    QVERIFY(w.loadCheckpointForGeneration(checkpoint));
    showLattice(w);
    views::LatticeView* view = w.latticeView();
    QTRY_VERIFY_WITH_TIMEOUT(!view->tokens().empty() && view->positionOf(0) && view->glWidget(), 10000);
    // The checkpoint's corpus (the built-in one) is found again and counted.
    QTRY_VERIFY_WITH_TIMEOUT(view->tokens()[0].frequency > 0, 20000);
    QList<QImage> shots;  // the scenes side by side for the README, without the side panel
    if (qEnvironmentVariableIsSet("CLLM_SCREENSHOTS")) view->details()->hide();
    for (const char* scene : {"cone", "clock", "helix", "ulam", "pca2d", "rings", "clock4d", "pca3d"}) {
      view->setScene(scene);
      QTRY_VERIFY_WITH_TIMEOUT(view->positionOf(3) != nullptr, 10000);
      const int renders = view->glWidget()->renderCount();
      view->glWidget()->requestRender();
      QTRY_VERIFY2_WITH_TIMEOUT(view->glWidget()->renderCount() > renders, scene, 5000);
      const double share = drawnShare(view->glWidget()->grabFramebuffer());
      QVERIFY2(share > 0.005 && share < 0.8, qPrintable(QString("%1: %2").arg(scene).arg(share)));
      shots << view->glWidget()->grabFramebuffer();
    }
    if (qEnvironmentVariableIsSet("CLLM_SCREENSHOTS")) {
      const QSize cell(340, 420);
      QImage sheet(cell.width() * 4, cell.height() * 2, QImage::Format_RGB32);
      sheet.fill(QColor(20, 23, 28));
      QPainter painter(&sheet);
      for (int i = 0; i < shots.size(); ++i) {
        const QImage shot = shots[i].scaled(cell, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        const QPoint corner(i % 4 * cell.width() + (cell.width() - shot.width()) / 2,
                            i / 4 * cell.height() + (cell.height() - shot.height()) / 2);
        painter.drawImage(corner, shot);
      }
      painter.end();
      QVERIFY(sheet.save(qEnvironmentVariable("CLLM_SCREENSHOTS") + "/lattice-scenes.png"));
      // The learned embeddings with a token selected and its neighbours listed (the right-hand panels
      // closed, as a user looking at the 3-D view would, to give it the room).
      view->details()->show();
      for (const char* dock : {"generationDock", "runsDock", "numbersDock"})
        w.findChild<QDockWidget*>(dock)->close();
      QTest::qWait(300);
      const auto e = std::find_if(view->tokens().begin(), view->tokens().end(),
                                  [](const TokenInfo& t) { return t.label == "e"; });
      QVERIFY(e != view->tokens().end());
      w.document().selectToken(e->id);
      QTRY_COMPARE(view->selectedToken(), e->id);
      QTest::qWait(300);
      saveScreenshot(&w, "workbench-lattice.png");
    }
    // The cone places token k at radius sqrt(k).
    view->setScene("cone");
    QTRY_VERIFY_WITH_TIMEOUT(
        view->positionOf(9) &&
            std::abs(std::hypot(view->positionOf(9)[0], view->positionOf(9)[1]) - 3.0f) < 1e-4f,
        10000);
  }

  // With word roots a word is p_root × p_affix: the analyser shows the split and factorises it back.
  void numberAnalyserFactorisesAWordOfARootsModel() {
    MainWindow w(runs_.path());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    app::TrainingSetup setup;
    setup.run.tokenizer.kind = "word";
    setup.run.model = model_preset("tiny");
    setup.run.model.block_size = 16;
    setup.run.model.roots = "on";
    setup.run.train.steps = 5;
    setup.run.train.batch_size = 4;
    QSignalSpy finished(&w.document(), &app::WorkbenchDocument::trainingFinished);
    QVERIFY(w.document().startTraining(setup));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const app::ModelSnapshotPtr model = w.document().currentModel();
    QVERIFY(model != nullptr);
    // The first word of the vocabulary that has an affix.
    std::optional<WordNumber> word;
    for (int32_t id = 0; id < model->tokenizer->vocab_size() && !word; ++id) {
      try {
        WordNumber n =
            word_number(model->model->config(), *model->tokenizer, model->tokenizer->token_label(id));
        if (n.affix_prime) word = n;
      } catch (const Error&) {
        // a special token, not a word
      }
    }
    QVERIFY(word.has_value());
    views::NumberAnalyserView* numbers = w.numberAnalyser();
    numbers->findChild<QLineEdit*>("numberInput")->setText(QString::fromStdString(word->word));
    QTest::mouseClick(numbers->findChild<QPushButton*>("analyseButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(numbers->reportText().contains("root"), 10000);
    const QString report = numbers->reportText();
    QVERIFY2(report.contains(QString::fromStdString(describe_word_number(*word))), qPrintable(report));
    const auto [low, high] = std::minmax(word->root_prime, *word->affix_prime);
    QVERIFY2(report.contains(QStringLiteral("%1 × %2").arg(low).arg(high)), qPrintable(report));
    QVERIFY2(report.contains("not prime"), qPrintable(report));
    auto* show = numbers->findChild<QPushButton*>("showNumberButton");
    QVERIFY(show->isEnabled());
    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(w.document().selectedToken(), word->id);
  }

 private:
  QTemporaryDir runs_;
};

QTEST_MAIN(TestLatticeDock)
#include "test_lattice_dock.moc"
