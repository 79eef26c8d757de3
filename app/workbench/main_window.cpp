#include "main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QScreen>
#include <QScrollArea>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QtConcurrent>
#include <cmath>

#include "checkpoint_summary.h"
#include "corpus_summary.h"
#include "io/checkpoint.h"
#include "kernels/threading.h"
#include "settings_dialog.h"
#include "util/error.h"
#include "views/charts/chart_panel.h"
#include "views/generation/generation_view.h"
#include "views/generation/sampling_controls.h"
#include "views/lattice/lattice_view.h"
#include "views/numbers/number_analyser_view.h"
#include "views/precision/precision_view.h"
#include "views/runs/ablation_results_dialog.h"
#include "views/runs/runs_view.h"
#include "views/training/ablation_dialog.h"
#include "views/training/corpus_selector.h"
#include "views/training/model_config_editor.h"
#include "views/training/train_config_editor.h"
#include "views/training/training_panel.h"
#include "views/training/training_progress_view.h"

namespace cllm::app {

namespace {

// Docks scroll instead of imposing their content's minimum size on the window, so the window fits a
// laptop screen whatever the panels hold.
QScrollArea* scrollable(QWidget* content) {
  auto* area = new QScrollArea;
  area->setWidget(content);
  area->setWidgetResizable(true);
  area->setFrameShape(QFrame::NoFrame);
  return area;
}

}  // namespace

MainWindow::MainWindow(const QString& runsRoot, QWidget* parent) : QMainWindow(parent), document_(runsRoot) {
  setObjectName("mainWindow");
  setWindowTitle(tr("CLLM Workbench"));
  createPanels();
  createActions();
  createMenusAndToolBar();
  statusLabel_ = new QLabel;
  statusBar()->addPermanentWidget(statusLabel_);
  statusLabel_->setText(
      tr("%n thread(s) · runs in %1", nullptr, kernels::default_num_threads()).arg(document_.store().root()));
  connectDocument();
  restoreSettings();
  refreshRuns();
  updateActions();
  reloadCorpusSummary();
}

MainWindow::~MainWindow() = default;

void MainWindow::createPanels() {
  trainingPanel_ = new views::TrainingPanel;
  charts_ = new views::ChartPanel;
  generationView_ = new views::GenerationView;
  runsView_ = new views::RunsView;
  latticeView_ = new views::LatticeView;
  numbersView_ = new views::NumberAnalyserView;
  lattice_ = std::make_unique<LatticeController>(document_, *latticeView_);
  numbers_ = std::make_unique<NumberController>(document_, *numbersView_);
  precisionView_ = new views::PrecisionView;
  precision_ = std::make_unique<PrecisionController>(document_, *precisionView_);
  trainingPanel_->training()->setThreads(kernels::default_num_threads(), QThread::idealThreadCount());

  auto dock = [this](QWidget* content, const QString& title, const char* name, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    d->setWidget(content);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                   QDockWidget::DockWidgetClosable);
    addDockWidget(area, d);
    docks_.append(d);
    return d;
  };
  setDockNestingEnabled(true);
  // Default layout for a 1366×768 screen: training on the left, charts and the 3-D view tabbed in the
  // middle, generation, runs, the number analyser and the precision lab tabbed on the right.
  QDockWidget* trainingDock =
      dock(scrollable(trainingPanel_), tr("Training"), "trainingDock", Qt::LeftDockWidgetArea);
  QDockWidget* chartsDock = dock(scrollable(charts_), tr("Charts"), "chartsDock", Qt::RightDockWidgetArea);
  QDockWidget* latticeDock = dock(latticeView_, tr("3-D view"), "latticeDock", Qt::RightDockWidgetArea);
  QDockWidget* generationDock =
      dock(scrollable(generationView_), tr("Generation"), "generationDock", Qt::RightDockWidgetArea);
  QDockWidget* runsDock = dock(scrollable(runsView_), tr("Runs"), "runsDock", Qt::RightDockWidgetArea);
  QDockWidget* numbersDock = dock(numbersView_, tr("Numbers"), "numbersDock", Qt::RightDockWidgetArea);
  QDockWidget* precisionDock =
      dock(scrollable(precisionView_), tr("Precision"), "precisionDock", Qt::RightDockWidgetArea);
  splitDockWidget(chartsDock, generationDock, Qt::Horizontal);
  tabifyDockWidget(chartsDock, latticeDock);
  tabifyDockWidget(generationDock, runsDock);
  tabifyDockWidget(runsDock, numbersDock);
  tabifyDockWidget(numbersDock, precisionDock);
  // The live PCA asks for weight snapshots only while someone can see it.
  connect(latticeDock, &QDockWidget::visibilityChanged, lattice_.get(), &LatticeController::setVisible);
  connect(numbers_.get(), &NumberController::showInLatticeRequested, this, [latticeDock] {
    latticeDock->show();
    latticeDock->raise();
  });
  resizeDocks({trainingDock, chartsDock, generationDock}, {400, 560, 440}, Qt::Horizontal);

  views::CorpusSelector* corpus = trainingPanel_->corpus();
  connect(corpus, &views::CorpusSelector::sourceChanged, this, &MainWindow::reloadCorpusSummary);
  connect(corpus, &views::CorpusSelector::tokenizerChanged, this, &MainWindow::reloadCorpusSummary);
  connect(trainingPanel_, &views::TrainingPanel::validityChanged, this, &MainWindow::updateActions);

  connect(generationView_, &views::GenerationView::generateRequested, &document_,
          &WorkbenchDocument::generate);
  connect(generationView_, &views::GenerationView::regenerateRequested, &document_,
          &WorkbenchDocument::generate);
  connect(generationView_, &views::GenerationView::stopRequested, &document_,
          &WorkbenchDocument::stopGeneration);
  connect(generationView_, &views::GenerationView::modelSourceChanged, &document_,
          &WorkbenchDocument::setCurrentSource);

  connect(runsView_, &views::RunsView::overlayToggled, this, &MainWindow::setOverlay);
  connect(runsView_, &views::RunsView::loadRequested, this, &MainWindow::loadCheckpointForGeneration);
  connect(runsView_, &views::RunsView::resumeRequested, this, &MainWindow::resumeFrom);
  connect(runsView_, &views::RunsView::renameRequested, this, [this](const QString& id, const QString& name) {
    try {
      store().rename(id, name);
    } catch (const Error& e) {
      showError(tr("Rename failed"), QString::fromStdString(e.what()));
    }
    refreshRuns();
  });
  connect(runsView_, &views::RunsView::deleteRequested, this, &MainWindow::deleteRun);
  connect(runsView_, &views::RunsView::refreshRequested, this, &MainWindow::refreshRuns);
  connect(runsView_, &views::RunsView::checkpointSelected, this, &MainWindow::showCheckpointDetails);
}

void MainWindow::createActions() {
  auto action = [this](const QString& text, const char* name, const QKeySequence& shortcut, auto slot) {
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    if (!shortcut.isEmpty()) a->setShortcut(shortcut);
    connect(a, &QAction::triggered, this, slot);
    return a;
  };
  startAction_ = action(tr("&Start training"), "startAction", QKeySequence(Qt::CTRL | Qt::Key_R),
                        [this] { startTraining(); });
  startAction_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  ablationAction_ = action(tr("Start &ablation…"), "ablationAction", {}, [this] { startAblation(); });
  pauseAction_ = action(tr("&Pause"), "pauseAction", QKeySequence(Qt::CTRL | Qt::Key_P), [this] {
    if (document_.trainingState() == WorkbenchDocument::TrainingState::Running)
      document_.pauseTraining();
    else
      document_.continueTraining();
  });
  pauseAction_->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
  stopAction_ = action(tr("S&top"), "stopAction", QKeySequence(Qt::CTRL | Qt::Key_Period),
                       [this] { document_.stopTraining(); });
  stopAction_->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
  saveAction_ = action(tr("Save &checkpoint now"), "saveAction", QKeySequence::Save,
                       [this] { document_.saveCheckpointNow(); });
  saveAction_->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
  auto askForCheckpoint = [this](const QString& title) {
    return QFileDialog::getOpenFileName(this, title, store().root(),
                                        tr("Checkpoints (*.safetensors);;All files (*)"));
  };
  resumeAction_ = action(
      tr("&Resume from checkpoint…"), "resumeAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
      [this, askForCheckpoint] { resumeFrom(askForCheckpoint(tr("Resume training from checkpoint"))); });
  openCheckpointAction_ = action(tr("&Open checkpoint for generation…"), "openCheckpointAction",
                                 QKeySequence::Open, [this, askForCheckpoint] {
                                   const QString path = askForCheckpoint(tr("Open checkpoint"));
                                   if (!path.isEmpty()) loadCheckpointForGeneration(path);
                                 });
  connect(runsView_, &views::RunsView::openCheckpointRequested, openCheckpointAction_, &QAction::trigger);
  generateAction_ = action(tr("&Generate"), "generateAction", QKeySequence(Qt::CTRL | Qt::Key_G), [this] {
    if (generationView_->canGenerate()) document_.generate(generationView_->request());
  });
  stopGenerationAction_ =
      action(tr("Stop &generation"), "stopGenerationAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G),
             [this] { document_.stopGeneration(); });
  resetLayoutAction_ = action(tr("&Reset layout"), "resetLayoutAction", {}, [this] {
    for (QDockWidget* d : docks_) {
      d->setFloating(false);
      d->show();
    }
    restoreState(defaultLayout_);
    raiseDefaultTabs();
  });
  settingsAction_ =
      action(tr("&Settings…"), "settingsAction", QKeySequence::Preferences, [this] { showSettings(); });
  aboutAction_ = action(tr("&About CLLM Workbench"), "aboutAction", {}, [this] { showAbout(); });
  quitAction_ = action(tr("&Quit"), "quitAction", QKeySequence::Quit, [this] { close(); });
  trainingPanel_->setControlActions({startAction_, pauseAction_, stopAction_, saveAction_});
}

void MainWindow::createMenusAndToolBar() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(openCheckpointAction_);
  file->addAction(resumeAction_);
  file->addSeparator();
  file->addAction(settingsAction_);
  file->addSeparator();
  file->addAction(quitAction_);
  QMenu* train = menuBar()->addMenu(tr("&Training"));
  for (QAction* a : {startAction_, ablationAction_, pauseAction_, stopAction_, saveAction_})
    train->addAction(a);
  QMenu* gen = menuBar()->addMenu(tr("&Generation"));
  gen->addAction(generateAction_);
  gen->addAction(stopGenerationAction_);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* d : docks_) view->addAction(d->toggleViewAction());
  view->addSeparator();
  view->addAction(resetLayoutAction_);
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(aboutAction_);
  help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

  QToolBar* tools = addToolBar(tr("Main tool bar"));
  tools->setObjectName("mainToolBar");
  for (QAction* a : {startAction_, pauseAction_, stopAction_, saveAction_}) tools->addAction(a);
  tools->addSeparator();
  tools->addAction(generateAction_);
  tools->addAction(openCheckpointAction_);
  defaultLayout_ = saveState();
}

void MainWindow::connectDocument() {
  WorkbenchDocument* d = &document_;
  views::TrainingProgressView* progress = trainingPanel_->progress();
  connect(d, &WorkbenchDocument::trainingStateChanged, this, &MainWindow::onTrainingStateChanged);
  connect(d, &WorkbenchDocument::trainingStarted, this, &MainWindow::onTrainingStarted);
  connect(d, &WorkbenchDocument::stepsAppended, charts_, &views::ChartPanel::appendSteps);
  connect(d, &WorkbenchDocument::progressed, this, [this, progress](const TrainingProgress& p) {
    progress->setProgress(p.step, p.totalSteps, p.etaSeconds);
    runsView_->setRunSteps(activeRun(), p.step);
    progress->setRates(p.stepsPerSecond, p.tokensPerSecond);
    if (std::isfinite(p.loss)) progress->setTrainingLoss(p.loss);
  });
  connect(d, &WorkbenchDocument::evaluated, this,
          [this, progress](const QString& run, const EvalRecord& eval, double best, bool) {
            charts_->appendEvals(run, {eval});
            progress->setValidationLoss(eval.loss, best);
          });
  connect(d, &WorkbenchDocument::checkpointSaved, this,
          [this](const QString& path) { statusBar()->showMessage(tr("Saved %1").arg(path), 4000); });
  connect(d, &WorkbenchDocument::trainingFinished, this,
          [this, progress](const QString&, const QString& reason, int steps) {
            progress->setState(reason == "finished" ? tr("Finished")
                               : reason == "failed" ? tr("Failed")
                                                    : tr("Stopped"));
            progress->setFinished(steps, document_.activeStart().train.steps);
            if (closeWhenStopped_) {
              if (closingDialog_) closingDialog_->close();
              close();
            }
          });
  connect(
      d, &WorkbenchDocument::ablationRunStarted, this,
      [this](const QString& name, int index, int total, const QString& variant, quint64 seed) {
        ablationRun_ =
            tr("%1, run %2 of %3 (%4, seed %5)").arg(name).arg(index + 1).arg(total).arg(variant).arg(seed);
        statusBar()->showMessage(ablationRun_, 8000);
      });
  connect(d, &WorkbenchDocument::ablationFinished, this, &MainWindow::showAblationResults);
  connect(d, &WorkbenchDocument::runsChanged, this, &MainWindow::refreshRuns);
  connect(d, &WorkbenchDocument::errorOccurred, this, &MainWindow::showError);
  connect(d, &WorkbenchDocument::statusMessage, this,
          [this](const QString& message, int timeout) { statusBar()->showMessage(message, timeout); });

  connect(d, &WorkbenchDocument::sourcesChanged, generationView_, &views::GenerationView::setModelSources);
  connect(d, &WorkbenchDocument::generationStarted, this,
          [this](quint64 seed, int continueFrom, int vocabulary) {
            generationView_->setVocabularySize(vocabulary);
            if (continueFrom < 0)
              generationView_->beginOutput(seed);
            else
              generationView_->continueOutputFrom(continueFrom, seed);
            generationView_->setBusy(true);
            updateActions();
          });
  connect(d, &WorkbenchDocument::generationQueued, this, [this] {
    generationView_->setBusy(true);
    updateActions();
  });
  connect(d, &WorkbenchDocument::tokensGenerated, generationView_, &views::GenerationView::appendTokens);
  connect(d, &WorkbenchDocument::generationFinished, this, [this](const QString& summary) {
    generationView_->finishOutput(summary);
    generationView_->setBusy(false);
    updateActions();
  });
  connect(d, &WorkbenchDocument::generationFailed, this, [this](const QString& message) {
    generationView_->showError(message);
    generationView_->setBusy(false);
    updateActions();
  });
}

void MainWindow::placeOnScreen() {
  // At most the screen's free area: the window opens fully visible on a 1366×768 laptop too.
  const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1366, 768);
  const QSize size = QSize(1500, 950).boundedTo(available.size() - QSize(16, 40));
  resize(size);
  move(available.center() - QPoint(size.width() / 2, size.height() / 2));
}

void MainWindow::raiseDefaultTabs() {
  for (const char* name : {"chartsDock", "generationDock"}) findChild<QDockWidget*>(name)->raise();
}

void MainWindow::restoreSettings() {
  placeOnScreen();
  restoreGeometry(preferences_.windowGeometry());
  // The first time, the charts and generation tabs are in front (the others are a click away); a tab
  // raised before the window is shown does not stay raised, hence after the first layout.
  if (!restoreState(preferences_.windowState())) QTimer::singleShot(0, this, &MainWindow::raiseDefaultTabs);
  const TrainingPreferences t = preferences_.training();
  views::CorpusSelector* corpus = trainingPanel_->corpus();
  corpus->setTokenizer(t.tokenizer, t.vocabulary);
  corpus->setSource(views::CorpusSelector::Source(t.corpusSource), t.corpusPath);
  if (t.model) trainingPanel_->model()->setConfig(*t.model);
  if (t.train) trainingPanel_->training()->setConfig(*t.train);
  if (t.threads > 0) trainingPanel_->training()->setThreads(t.threads, QThread::idealThreadCount());

  views::SamplingControls* sampling = generationView_->samplingControls();
  QList<views::SamplingPreset> presets;
  for (const QJsonObject& json : preferences_.samplingPresets())
    if (auto preset = views::samplingPresetFromJson(json)) presets.append(*preset);
  sampling->setUserPresets(presets);
  sampling->restoreState(preferences_.generationSettings());

  const LatticePreferences l = preferences_.lattice();
  latticeView_->setScene(l.scene);
  latticeView_->setColorBy(l.colorBy == "frequency" ? views::LatticeView::ColorBy::Frequency
                           : l.colorBy == "prime"   ? views::LatticeView::ColorBy::PrimeIndex
                           : l.colorBy == "loss"    ? views::LatticeView::ColorBy::ValidationLoss
                                                    : views::LatticeView::ColorBy::ClockClass);
  latticeView_->setSizeByFrequency(l.sizeByFrequency);
  latticeView_->setLabelsShown(l.labels);
  latticeView_->setEdgesShown(l.edges);
  latticeView_->setNeighbourCount(l.neighbours);
  latticeView_->setDistance(l.distance == "euclidean" ? Distance::Euclidean : Distance::Cosine);
}

void MainWindow::saveSettings() {
  preferences_.setWindow(saveGeometry(), saveState());
  const views::CorpusSelector* corpus = trainingPanel_->corpus();
  TrainingPreferences t;
  t.corpusSource = int(corpus->source());
  t.corpusPath = corpus->path();
  t.tokenizer = corpus->tokenizerKind();
  t.vocabulary = corpus->vocabularySize();
  t.model = trainingPanel_->model()->config();
  t.train = trainingPanel_->training()->config();
  t.threads = trainingPanel_->training()->threads();
  preferences_.setTraining(t);

  const views::SamplingControls* sampling = generationView_->samplingControls();
  preferences_.setGenerationSettings(sampling->state());
  QList<QJsonObject> presets;
  for (const views::SamplingPreset& p : sampling->userPresets())
    presets.append(views::samplingPresetToJson(p));
  preferences_.setSamplingPresets(presets);

  LatticePreferences l;
  l.scene = latticeView_->scene();
  using ColorBy = views::LatticeView::ColorBy;
  const ColorBy c = latticeView_->colorBy();
  l.colorBy = c == ColorBy::Frequency        ? "frequency"
              : c == ColorBy::PrimeIndex     ? "prime"
              : c == ColorBy::ValidationLoss ? "loss"
                                             : "clock";
  l.sizeByFrequency = latticeView_->sizeByFrequency();
  l.labels = latticeView_->labelsShown();
  l.edges = latticeView_->edgesShown();
  l.neighbours = latticeView_->neighbourCount();
  l.distance = QString::fromStdString(std::string(distance_name(latticeView_->distance())));
  preferences_.setLattice(l);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (document_.isTraining()) {
    // Stopping evaluates and saves the run so it can be resumed; the window closes once that is done.
    const bool stop =
        confirmClose_ ? confirmClose_()
                      : QMessageBox::question(
                            this, tr("Training is running"),
                            tr("Stop training, save a checkpoint of the run and close the workbench?"),
                            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Yes;
    event->ignore();
    if (!stop) return;
    closeWhenStopped_ = true;
    document_.shutDown();
    closingDialog_ =
        new QProgressDialog(tr("Evaluating and saving the final checkpoint…"), QString(), 0, 0, this);
    closingDialog_->setObjectName("closingDialog");
    closingDialog_->setWindowModality(Qt::WindowModal);
    closingDialog_->setMinimumDuration(0);
    closingDialog_->setAttribute(Qt::WA_DeleteOnClose);
    closingDialog_->show();
    return;
  }
  document_.stopGeneration();
  saveSettings();
  event->accept();
}

// --- Training ---------------------------------------------------------------------------------------

std::optional<TrainingSetup> MainWindow::setupFromPanel(const QString& errorTitle) {
  const QString error = trainingPanel_->validationError();
  if (!error.isEmpty()) {
    showError(errorTitle, error);
    return std::nullopt;
  }
  const views::CorpusSelector* corpus = trainingPanel_->corpus();
  TrainingSetup setup;
  setup.corpusPath = corpus->path();
  if (corpus->source() != views::CorpusSelector::Source::BuiltIn && setup.corpusPath.isEmpty()) {
    showError(errorTitle, tr("Choose a corpus file or folder first."));
    return std::nullopt;
  }
  setup.run.tokenizer.kind = corpus->tokenizerKind().toStdString();
  setup.run.tokenizer.vocab_size = corpus->vocabularySize();
  setup.run.model = trainingPanel_->model()->config();
  setup.run.train = trainingPanel_->training()->config();
  setup.threads = trainingPanel_->training()->threads();
  return setup;
}

void MainWindow::startTraining() {
  const std::optional<TrainingSetup> setup = setupFromPanel(tr("Cannot start training"));
  if (!setup) return;
  trainingPanel_->progress()->reset();
  if (!document_.startTraining(*setup)) updateActions();
}

void MainWindow::startAblation() {
  const std::optional<TrainingSetup> setup = setupFromPanel(tr("Cannot start the ablation"));
  if (!setup || document_.isTraining()) return;
  QStringList variants;
  for (const AblationVariant& v : default_variants(setup->run.model, setup->run.tokenizer.kind))
    variants << QString::fromStdString(v.name);
  auto* dialog = new views::AblationDialog(variants, setup->run.train.steps, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog, base = *setup] {
    trainingPanel_->progress()->reset();
    if (!document_.startAblation({base, dialog->variants(), dialog->seeds()})) updateActions();
  });
  dialog->open();
}

void MainWindow::showAblationResults(const QString& name, const QString& folder,
                                     const std::vector<AblationRow>& rows, bool complete) {
  ablationRun_.clear();
  updateActions();
  statusBar()->showMessage(
      complete ? tr("%1 finished; its table is in %2").arg(name, folder) : tr("%1 stopped early").arg(name),
      10000);
  auto* dialog = new views::AblationResultsDialog(name, rows, folder, complete, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->show();
}

void MainWindow::resumeFrom(const QString& checkpoint) {
  trainingPanel_->progress()->reset();
  document_.resumeTraining(checkpoint, trainingPanel_->training()->config().steps,
                           trainingPanel_->training()->threads());
}

void MainWindow::onTrainingStateChanged() {
  using State = WorkbenchDocument::TrainingState;
  views::TrainingProgressView* progress = trainingPanel_->progress();
  switch (document_.trainingState()) {
    case State::Preparing:
      progress->setState(tr("Preparing the corpus…"));
      break;
    case State::Running:
      progress->setState(ablationRun_.isEmpty() ? tr("Training") : tr("%1: training").arg(ablationRun_));
      break;
    case State::Pausing:
      progress->setState(tr("Pausing after this step…"));
      break;
    case State::Paused:
      progress->setState(tr("Paused"));
      break;
    case State::Stopping:
      progress->setState(tr("Stopping…"));
      break;
    case State::Idle:
      break;  // trainingFinished says how it ended
  }
  updateActions();
}

void MainWindow::onTrainingStarted(const QString& runId, const TrainingStart& start) {
  const nlohmann::json info = store().readInfo(runId);
  const QString name = QString::fromStdString(info.value("name", runId.toStdString()));
  const QColor color(QString::fromStdString(info.value("color", std::string())));
  if (!charts_->runIds().contains(runId)) charts_->addRun(runId, name, color);
  charts_->setRunBytesPerToken(runId, start.trainBytesPerToken, start.validationBytesPerToken);
  trainingPanel_->model()->setVocabularySize(start.model.vocab_size);
  trainingPanel_->progress()->setProgress(start.firstStep, start.train.steps, -1);
  statusBar()->showMessage(tr("Training %1: %2 parameters, %3 training and %4 validation tokens")
                               .arg(name, QLocale().toString(qlonglong(start.parameters)),
                                    QLocale().toString(qulonglong(start.trainTokens)),
                                    QLocale().toString(qulonglong(start.validationTokens))),
                           8000);
  runsView_->setOverlaid(runId, true);
}

void MainWindow::updateActions() {
  using State = WorkbenchDocument::TrainingState;
  const State state = document_.trainingState();
  const bool running = document_.isTraining();
  // Between two runs of an ablation nothing trains, but nothing else may start either.
  startAction_->setEnabled(!running && !document_.isAblating() &&
                           trainingPanel_->validationError().isEmpty());
  ablationAction_->setEnabled(startAction_->isEnabled());
  resumeAction_->setEnabled(!running && !document_.isAblating());
  pauseAction_->setEnabled(state == State::Running || state == State::Paused);
  const bool paused = state == State::Paused || state == State::Pausing;
  pauseAction_->setText(paused ? tr("&Resume") : tr("&Pause"));
  pauseAction_->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
  stopAction_->setEnabled(running && state != State::Stopping);
  saveAction_->setEnabled(state == State::Running || state == State::Paused);
  trainingPanel_->setConfigEditable(!running);
  generateAction_->setEnabled(!document_.isGenerating());
  stopGenerationAction_->setEnabled(document_.isGenerating());
}

void MainWindow::reloadCorpusSummary() {
  const views::CorpusSelector* corpus = trainingPanel_->corpus();
  if (corpus->source() != views::CorpusSelector::Source::BuiltIn && corpus->path().isEmpty()) {
    trainingPanel_->corpus()->setSummary(tr("Choose a file or folder, or drop one here."), {});
    return;
  }
  TokenizerSpec spec;
  spec.kind = corpus->tokenizerKind().toStdString();
  spec.vocab_size = corpus->vocabularySize();
  const QString path = corpus->path();
  const int request = ++corpusRequest_;
  trainingPanel_->corpus()->setSummary(tr("Reading the corpus…"), {});
  auto* watcher = new QFutureWatcher<CorpusSummary>(this);
  connect(watcher, &QFutureWatcher<CorpusSummary>::finished, this, [this, watcher, request] {
    watcher->deleteLater();
    if (request != corpusRequest_) return;  // a newer choice is being read
    const CorpusSummary s = watcher->result();
    if (!s.error.isEmpty()) {
      trainingPanel_->corpus()->setError(s.error);
      return;
    }
    trainingPanel_->corpus()->setSummary(s.summary, s.preview, s.warning);
    if (s.vocabulary > 0) trainingPanel_->model()->setVocabularySize(s.vocabulary);
  });
  watcher->setFuture(QtConcurrent::run([path, spec] { return summarize_corpus(path, spec); }));
}

// --- Generation sources -----------------------------------------------------------------------------

bool MainWindow::loadCheckpointForGeneration(const QString& path) {
  using Result = WorkbenchDocument::LoadResult;
  QString error;
  Result result = document_.loadCheckpoint(path, Verification::kRequired, &error);
  if (result == Result::Unverified) {
    // A file another tool wrote, or one whose checksum was removed: its weights load only if the user
    // says so, and its label then says "unverified".
    const bool import =
        confirmUnverified_
            ? confirmUnverified_()
            : QMessageBox::question(
                  this, tr("Checkpoint not verified"),
                  tr("%1 has no checksum over the whole file, so nothing guards it against corruption or "
                     "editing: another tool wrote it, or its checksum was removed.\n\nLoad it anyway, "
                     "unverified?")
                      .arg(QDir::toNativeSeparators(path)),
                  QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Yes;
    if (import) result = document_.loadCheckpoint(path, Verification::kAllowUnverified, &error);
  }
  const bool loaded = result == Result::Loaded;
  runsView_->showDetails(loaded ? document_.currentModel()->details : error);
  return loaded;
}

// --- Runs -------------------------------------------------------------------------------------------

void MainWindow::refreshRuns() {
  QList<views::RunEntry> runs = store().list();
  if (document_.isTraining())  // run.json has the steps of the last evaluation; the document has them now
    for (views::RunEntry& run : runs)
      if (run.id == activeRun()) run.steps = std::max(run.steps, document_.activeSteps());
  runsView_->setRuns(runs);
}

void MainWindow::showCheckpointDetails(const QString& path) {
  try {
    // Details only: a file without a checksum is described too, its summary saying what is not verified.
    runsView_->showDetails(
        checkpointSummary(load_checkpoint(path.toStdString(), Verification::kAllowUnverified)));
  } catch (const std::exception& e) {
    runsView_->showDetails(QString::fromStdString(e.what()));
  }
}

void MainWindow::setOverlay(const QString& runId, bool on) {
  if (runId == activeRun() && document_.isTraining()) return;  // the live run is always shown
  if (!on) {
    charts_->removeRun(runId);
    return;
  }
  const nlohmann::json info = store().readInfo(runId);
  const QString name = QString::fromStdString(info.value("name", runId.toStdString()));
  if (!charts_->runIds().contains(runId))
    charts_->addRun(runId, name, QColor(QString::fromStdString(info.value("color", std::string()))));
  charts_->setRunBytesPerToken(runId, info.value("train_bytes_per_token", double(NAN)),
                               info.value("validation_bytes_per_token", double(NAN)));
  const RunMetrics m = store().readMetrics(runId);
  charts_->setRunData(runId, m.steps, m.evals);
}

void MainWindow::deleteRun(const QString& runId) {
  if (runId == activeRun() && document_.isTraining()) {
    showError(tr("Cannot delete"), tr("This run is training; stop it first."));
    return;
  }
  try {
    charts_->removeRun(runId);
    store().remove(runId);
  } catch (const Error& e) {
    showError(tr("Delete failed"), QString::fromStdString(e.what()));
  }
  refreshRuns();
}

// --- Dialogs ----------------------------------------------------------------------------------------

void MainWindow::showError(const QString& title, const QString& message) {
  statusBar()->showMessage(title + ": " + message, 10000);
  // Non-modal, so neither a worker's report nor a test's event loop waits on it.
  auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
  box->setObjectName("errorMessage");
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::showAbout() {
  QMessageBox::about(
      this, tr("About CLLM Workbench"),
      tr("<h3>CLLM Workbench %1</h3><p>Train, inspect and sample small language models on a CPU.</p>"
         "<p>A decoder-only transformer with exact backward passes, AdamW and a KV-cache sampler, "
         "written in C++ with Qt %2. Every number it shows was measured.</p>")
          .arg(QApplication::applicationVersion(), qVersion()));
}

void MainWindow::showSettings() {
  SettingsDialog dialog(store().root(), this);
  if (dialog.exec() == QDialog::Accepted && dialog.apply())
    statusBar()->showMessage(tr("The new language is used from the next start."), 8000);
}

}  // namespace cllm::app
