#include "main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QRandomGenerator>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QFutureWatcher>
#include <QtConcurrent>
#include <cmath>

#include "corpus_summary.h"
#include "io/checkpoint.h"
#include "kernels/threading.h"
#include "settings_dialog.h"
#include "util/error.h"
#include "views/charts/chart_panel.h"
#include "views/generation/generation_view.h"
#include "views/runs/runs_view.h"
#include "views/training/corpus_selector.h"
#include "views/training/model_config_editor.h"
#include "views/training/train_config_editor.h"
#include "views/training/training_panel.h"
#include "views/training/training_progress_view.h"

namespace cllm::app {

namespace {

QString checkpointSummary(const Checkpoint& c) {
  const QLocale locale;
  QStringList lines;
  lines << QObject::tr("Model: %1 layers, %2 heads, width %3, context %4, %5 positions")
               .arg(c.model_config.n_layer)
               .arg(c.model_config.n_head)
               .arg(c.model_config.n_embd)
               .arg(c.model_config.block_size)
               .arg(QString::fromStdString(c.model_config.positional));
  lines << QObject::tr("Parameters: %1").arg(locale.toString(qlonglong(c.model_config.parameter_count())));
  lines << QObject::tr("Tokenizer: %1, vocabulary %2")
               .arg(QString::fromStdString(c.tokenizer->kind()))
               .arg(c.tokenizer->vocab_size());
  if (c.training) {
    lines << QObject::tr("Step %1 of %2").arg(c.training->steps_done).arg(c.training->config.steps);
    if (!std::isnan(c.training->best_validation_loss))
      lines << QObject::tr("Best validation loss: %1").arg(locale.toString(c.training->best_validation_loss, 'f', 4));
    lines << QObject::tr("Corpus: %1").arg(QString::fromStdString(c.training->corpus.name));
  }
  lines << QObject::tr("Written by %1 at %2")
               .arg(QString::fromStdString(c.created_by), QString::fromStdString(c.created_at));
  return lines.join('\n');
}

}  // namespace

MainWindow::MainWindow(const QString& runsRoot, QWidget* parent) : QMainWindow(parent) {
  setObjectName("mainWindow");
  setWindowTitle(tr("CLLM Workbench"));
  store_ = std::make_unique<RunStore>(runsRoot.isEmpty() ? RunStore::defaultRoot() : runsRoot);
  createPanels();
  createActions();
  createMenusAndToolBar();
  statusLabel_ = new QLabel;
  statusBar()->addPermanentWidget(statusLabel_);
  statusLabel_->setText(tr("%n thread(s) · runs in %1", nullptr, kernels::default_num_threads()).arg(store_->root()));

  connect(&training_, &TrainingController::started, this, &MainWindow::onTrainingStarted);
  connect(&training_, &TrainingController::stepsReady, this, [this](const QList<views::StepRecord>& steps) {
    charts_->appendSteps(activeRun_, steps);
  });
  connect(&training_, &TrainingController::progressed, this, [this](const TrainingProgress& p) {
    views::TrainingProgressView* view = trainingPanel_->progress();
    view->setProgress(p.step, p.totalSteps, p.etaSeconds);
    view->setRates(p.stepsPerSecond, p.tokensPerSecond);
    if (std::isfinite(p.loss)) view->setTrainingLoss(p.loss);
  });
  connect(&training_, &TrainingController::evaluated, this, &MainWindow::onEvaluated);
  connect(&training_, &TrainingController::saved, this,
          [this](const QString& path) { statusBar()->showMessage(tr("Saved %1").arg(path), 4000); });
  connect(&training_, &TrainingController::pausedChanged, this, [this](bool paused) {
    trainingPanel_->progress()->setState(paused ? tr("Paused") : tr("Training"));
    updateActions();
  });
  connect(&training_, &TrainingController::snapshotReady, this, [this](const ModelSnapshotPtr& snapshot) {
    trainedSnapshot_ = snapshot;
    updateModelSources();
    if (waitingForSnapshot_) {
      const auto job = std::move(waitingForSnapshot_);
      generateWith(snapshot, *job);
    }
  });
  connect(&training_, &TrainingController::failed, this,
          [this](const QString& message) { showError(tr("Training failed"), message); });
  connect(&training_, &TrainingController::finished, this, &MainWindow::onTrainingFinished);

  connect(&generation_, &GenerationController::tokensReady, generationView_, &views::GenerationView::appendTokens);
  connect(&generation_, &GenerationController::finished, this, [this](const QString& summary) {
    generationView_->finishOutput(summary);
    generationView_->setBusy(false);
    updateActions();
  });
  connect(&generation_, &GenerationController::failed, this, [this](const QString& message) {
    generationView_->showError(message);
    generationView_->setBusy(false);
    updateActions();
  });

  restoreSettings();
  refreshRuns();
  updateModelSources();
  updateActions();
  reloadCorpusSummary();
}

MainWindow::~MainWindow() = default;

void MainWindow::createPanels() {
  trainingPanel_ = new views::TrainingPanel;
  charts_ = new views::ChartPanel;
  generationView_ = new views::GenerationView;
  runsView_ = new views::RunsView;
  trainingPanel_->training()->setThreads(kernels::default_num_threads(), QThread::idealThreadCount());

  auto dock = [this](QWidget* content, const QString& title, const char* name, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    d->setWidget(content);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(area, d);
    docks_.append(d);
    return d;
  };
  setDockNestingEnabled(true);
  QDockWidget* trainingDock = dock(trainingPanel_, tr("Training"), "trainingDock", Qt::LeftDockWidgetArea);
  QDockWidget* chartsDock = dock(charts_, tr("Charts"), "chartsDock", Qt::RightDockWidgetArea);
  QDockWidget* generationDock = dock(generationView_, tr("Generation"), "generationDock", Qt::RightDockWidgetArea);
  QDockWidget* runsDock = dock(runsView_, tr("Runs"), "runsDock", Qt::RightDockWidgetArea);
  splitDockWidget(chartsDock, generationDock, Qt::Horizontal);
  splitDockWidget(chartsDock, runsDock, Qt::Vertical);
  resizeDocks({trainingDock, chartsDock, generationDock}, {330, 700, 420}, Qt::Horizontal);
  resizeDocks({chartsDock, runsDock}, {600, 220}, Qt::Vertical);

  views::CorpusSelector* corpus = trainingPanel_->corpus();
  connect(corpus, &views::CorpusSelector::sourceChanged, this, &MainWindow::reloadCorpusSummary);
  connect(corpus, &views::CorpusSelector::tokenizerChanged, this, &MainWindow::reloadCorpusSummary);
  connect(trainingPanel_, &views::TrainingPanel::validityChanged, this, &MainWindow::updateActions);

  connect(generationView_, &views::GenerationView::generateRequested, this,
          [this] { generate(generationView_->request()); });
  connect(generationView_, &views::GenerationView::stopRequested, &generation_, &GenerationController::stop);
  connect(generationView_, &views::GenerationView::regenerateFromRequested, this,
          [this](int tokenIndex) { generate(generationView_->request(), tokenIndex); });
  connect(generationView_, &views::GenerationView::regenerateWithRequested, this,
          [this](int tokenIndex, const QString& alternative) {
            generate(generationView_->request(), tokenIndex, alternative);
          });

  connect(runsView_, &views::RunsView::overlayToggled, this, &MainWindow::setOverlay);
  connect(runsView_, &views::RunsView::loadRequested, this, &MainWindow::loadCheckpointForGeneration);
  connect(runsView_, &views::RunsView::resumeRequested, this, &MainWindow::resumeFrom);
  connect(runsView_, &views::RunsView::renameRequested, this, [this](const QString& id, const QString& name) {
    try {
      store_->rename(id, name);
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
  startAction_ = action(tr("&Start training"), "startAction", QKeySequence(Qt::CTRL | Qt::Key_R), [this] { startTraining(); });
  startAction_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  pauseAction_ = action(tr("&Pause"), "pauseAction", QKeySequence(Qt::CTRL | Qt::Key_P), [this] {
    if (training_.isPaused()) {
      training_.resume();
    } else {
      training_.pause();
      trainingPanel_->progress()->setState(tr("Pausing after this step…"));
      updateActions();
    }
  });
  pauseAction_->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
  stopAction_ = action(tr("S&top"), "stopAction", QKeySequence(Qt::CTRL | Qt::Key_Period), [this] {
    training_.stop();
    trainingPanel_->progress()->setState(tr("Stopping…"));
  });
  stopAction_->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
  saveAction_ = action(tr("Save &checkpoint now"), "saveAction", QKeySequence::Save, [this] { training_.saveNow(); });
  saveAction_->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
  auto askForCheckpoint = [this](const QString& title) {
    return QFileDialog::getOpenFileName(this, title, store_->root(), tr("Checkpoints (*.safetensors);;All files (*)"));
  };
  resumeAction_ = action(tr("&Resume from checkpoint…"), "resumeAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
                         [this, askForCheckpoint] { resumeFrom(askForCheckpoint(tr("Resume training from checkpoint"))); });
  openCheckpointAction_ = action(tr("&Open checkpoint for generation…"), "openCheckpointAction", QKeySequence::Open,
                                 [this, askForCheckpoint] {
                                   const QString path = askForCheckpoint(tr("Open checkpoint"));
                                   if (!path.isEmpty()) loadCheckpointForGeneration(path);
                                 });
  connect(runsView_, &views::RunsView::openCheckpointRequested, openCheckpointAction_, &QAction::trigger);
  generateAction_ = action(tr("&Generate"), "generateAction", QKeySequence(Qt::CTRL | Qt::Key_G),
                           [this] { generate(generationView_->request()); });
  stopGenerationAction_ = action(tr("Stop &generation"), "stopGenerationAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G),
                                 [this] { generation_.stop(); });
  resetLayoutAction_ = action(tr("&Reset layout"), "resetLayoutAction", {}, [this] {
    for (QDockWidget* d : docks_) d->show();
    restoreState(defaultLayout_);
  });
  settingsAction_ = action(tr("&Settings…"), "settingsAction", QKeySequence::Preferences, [this] { showSettings(); });
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
  for (QAction* a : {startAction_, pauseAction_, stopAction_, saveAction_}) train->addAction(a);
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

void MainWindow::restoreSettings() {
  QSettings s;
  resize(1500, 950);
  restoreGeometry(s.value("window/geometry").toByteArray());
  restoreState(s.value("window/state").toByteArray());
  views::CorpusSelector* corpus = trainingPanel_->corpus();
  corpus->setTokenizer(s.value("training/tokenizer", "char").toString(), s.value("training/vocabulary", 512).toInt());
  const auto source = views::CorpusSelector::Source(s.value("training/corpusSource", 0).toInt());
  corpus->setSource(source, s.value("training/corpusPath").toString());
  try {
    const std::string model = s.value("training/model").toString().toStdString();
    if (!model.empty()) trainingPanel_->model()->setConfig(ModelConfig::from_json(nlohmann::json::parse(model)));
    const std::string train = s.value("training/train").toString().toStdString();
    if (!train.empty()) trainingPanel_->training()->setConfig(TrainConfig::from_json(nlohmann::json::parse(train)));
  } catch (const std::exception&) {
    // Settings from another version: keep the defaults.
  }
  const int threads = s.value("training/threads", 0).toInt();
  if (threads > 0) trainingPanel_->training()->setThreads(threads, QThread::idealThreadCount());
}

void MainWindow::saveSettings() const {
  QSettings s;
  s.setValue("window/geometry", saveGeometry());
  s.setValue("window/state", saveState());
  const views::CorpusSelector* corpus = trainingPanel_->corpus();
  s.setValue("training/corpusSource", int(corpus->source()));
  s.setValue("training/corpusPath", corpus->path());
  s.setValue("training/tokenizer", corpus->tokenizerKind());
  if (corpus->vocabularySize() > 0) s.setValue("training/vocabulary", corpus->vocabularySize());
  s.setValue("training/model", QString::fromStdString(trainingPanel_->model()->config().to_json().dump()));
  s.setValue("training/train", QString::fromStdString(trainingPanel_->training()->config().to_json().dump()));
  s.setValue("training/threads", trainingPanel_->training()->threads());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (training_.isRunning()) {
    // Stopping evaluates and saves, so the run can be resumed later.
    training_.stop();
    statusBar()->showMessage(tr("Stopping the training run and saving it…"));
  }
  generation_.stop();
  saveSettings();
  event->accept();
}

// --- Training -------------------------------------------------------------------------------------

void MainWindow::startTraining() {
  if (training_.isRunning()) return;
  const QString error = trainingPanel_->validationError();
  if (!error.isEmpty()) {
    showError(tr("Cannot start training"), error);
    return;
  }
  TrainingRequest request;
  const views::CorpusSelector* corpus = trainingPanel_->corpus();
  request.corpusPath = corpus->path();
  if (corpus->source() != views::CorpusSelector::Source::BuiltIn && request.corpusPath.isEmpty()) {
    showError(tr("Cannot start training"), tr("Choose a corpus file or folder first."));
    return;
  }
  request.run.tokenizer.kind = corpus->tokenizerKind().toStdString();
  request.run.tokenizer.vocab_size = corpus->vocabularySize();
  request.run.model = trainingPanel_->model()->config();
  request.run.train = trainingPanel_->training()->config();
  request.threads = trainingPanel_->training()->threads();
  try {
    activeRun_ = store_->createRun();
    request.runDir = store_->runDir(activeRun_);
    nlohmann::json info = {{"format", "cllm-run"},
                           {"version", 1},
                           {"name", tr("%1 layers × %2 on %3")
                                         .arg(request.run.model.n_layer)
                                         .arg(request.run.model.n_embd)
                                         .arg(request.corpusPath.isEmpty() ? tr("built-in corpus")
                                                                           : QFileInfo(request.corpusPath).fileName())
                                         .toStdString()},
                           {"created", QDateTime::currentDateTime().toString(Qt::ISODate).toStdString()},
                           {"corpus", request.corpusPath.isEmpty() ? "built-in" : request.corpusPath.toStdString()},
                           {"status", "starting"},
                           {"steps_done", 0}};
    store_->writeInfo(activeRun_, info);
  } catch (const Error& e) {
    showError(tr("Cannot start training"), QString::fromStdString(e.what()));
    activeRun_.clear();
    return;
  }
  trainingPanel_->progress()->reset();
  trainingPanel_->progress()->setState(tr("Preparing the corpus…"));
  training_.start(request);
  updateActions();
}

void MainWindow::resumeFrom(const QString& checkpoint) {
  if (training_.isRunning() || checkpoint.isEmpty()) return;
  TrainingRequest request;
  try {
    const Checkpoint c = load_checkpoint(checkpoint.toStdString());
    require(c.training.has_value(), "'" + checkpoint.toStdString() + "' holds no training state (an inference-only checkpoint)");
    const QString corpus = QString::fromStdString(c.training->corpus.name);
    request.corpusPath = corpus == "built-in" ? QString() : corpus;
    const int wanted = trainingPanel_->training()->config().steps;
    request.resumeTotalSteps = wanted > c.training->steps_done ? wanted : 0;
    activeRun_ = store_->runOfCheckpoint(checkpoint);
    if (activeRun_.isEmpty()) {  // a checkpoint from elsewhere (e.g. the cllm command line) starts a run folder
      activeRun_ = store_->createRun();
      store_->writeInfo(activeRun_, {{"format", "cllm-run"},
                                     {"version", 1},
                                     {"name", tr("resumed %1").arg(QFileInfo(checkpoint).fileName()).toStdString()},
                                     {"created", QDateTime::currentDateTime().toString(Qt::ISODate).toStdString()},
                                     {"corpus", c.training->corpus.name}});
    }
    request.runDir = store_->runDir(activeRun_);
    store_->updateInfo(activeRun_, {{"status", "resuming"}});
    request.wallOffset = store_->readMetrics(activeRun_).lastWallSeconds;
  } catch (const std::exception& e) {
    activeRun_.clear();
    showError(tr("Cannot resume"), QString::fromStdString(e.what()));
    return;
  }
  request.resumeCheckpoint = checkpoint;
  request.threads = trainingPanel_->training()->threads();
  trainingPanel_->progress()->reset();
  trainingPanel_->progress()->setState(tr("Resuming…"));
  setOverlay(activeRun_, true);
  training_.start(request);
  updateActions();
}

void MainWindow::onTrainingStarted(const TrainingStart& start) {
  activeStart_ = start;
  const QString name = store_->name(activeRun_);
  store_->updateInfo(activeRun_, {{"tokenizer", {{"kind", start.tokenizer.kind}, {"vocab_size", start.tokenizer.vocab_size}}},
                                  {"model", start.model.to_json()},
                                  {"train", start.train.to_json()},
                                  {"parameters", start.parameters},
                                  {"status", "running"}});
  if (!charts_->runIds().contains(activeRun_)) charts_->addRun(activeRun_, name);
  trainingPanel_->model()->setVocabularySize(start.model.vocab_size);
  trainingPanel_->progress()->setState(tr("Training"));
  trainingPanel_->progress()->setProgress(start.firstStep, start.train.steps, -1);
  statusBar()->showMessage(tr("Training %1: %2 parameters, %3 training and %4 validation tokens")
                               .arg(name, QLocale().toString(qlonglong(start.parameters)),
                                    QLocale().toString(qulonglong(start.trainTokens)),
                                    QLocale().toString(qulonglong(start.validationTokens))),
                           8000);
  refreshRuns();
  runsView_->setOverlaid(activeRun_, true);
  updateModelSources();
}

void MainWindow::onEvaluated(const views::EvalRecord& eval, double best, bool isBest) {
  charts_->appendEvals(activeRun_, {eval});
  trainingPanel_->progress()->setValidationLoss(eval.loss, best);
  nlohmann::json fields = {{"steps_done", eval.step}, {"best_validation_loss", best}};
  if (isBest) fields["best_step"] = eval.step;
  store_->updateInfo(activeRun_, fields);
  refreshRuns();
}

void MainWindow::onTrainingFinished(const QString& reason, int steps) {
  const QString status = reason == "finished" ? tr("finished")
                         : reason == "failed" ? tr("failed at step %1").arg(steps)
                                              : tr("stopped at step %1").arg(steps);
  if (!activeRun_.isEmpty()) store_->updateInfo(activeRun_, {{"status", status.toStdString()}});
  trainingPanel_->progress()->setState(reason == "finished" ? tr("Finished") : reason == "failed" ? tr("Failed") : tr("Stopped"));
  refreshRuns();
  updateActions();
}

void MainWindow::updateActions() {
  const bool running = training_.isRunning();
  const bool valid = trainingPanel_->validationError().isEmpty();
  startAction_->setEnabled(!running && valid);
  resumeAction_->setEnabled(!running);
  pauseAction_->setEnabled(running);
  pauseAction_->setText(training_.isPaused() ? tr("&Resume") : tr("&Pause"));
  pauseAction_->setIcon(style()->standardIcon(training_.isPaused() ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
  stopAction_->setEnabled(running);
  saveAction_->setEnabled(running);
  trainingPanel_->setConfigEditable(!running);
  generateAction_->setEnabled(!generation_.isRunning());
  stopGenerationAction_->setEnabled(generation_.isRunning());
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
    trainingPanel_->corpus()->setSummary(s.summary, s.preview);
    if (s.vocabulary > 0) trainingPanel_->model()->setVocabularySize(s.vocabulary);
  });
  watcher->setFuture(QtConcurrent::run([path, spec] { return summarize_corpus(path, spec); }));
}

// --- Generation -----------------------------------------------------------------------------------

void MainWindow::updateModelSources(int select) {
  QStringList labels;
  labels << (trainedSnapshot_ && !training_.isRunning() ? tr("Trained model (%1)").arg(trainedSnapshot_->label)
                                                         : tr("Model being trained"));
  for (const ModelSnapshotPtr& c : checkpoints_) labels << c->label;
  const int current = std::clamp(select >= 0 ? select : generationView_->currentModelSource(), 0, int(labels.size()) - 1);
  generationView_->setModelSources(labels, current);
}

void MainWindow::generate(const views::GenerationRequest& request, int continueFrom, const QString& forcedAlternative) {
  if (generation_.isRunning()) return;
  GenerationJob job;
  job.request = request;
  job.continueFrom = continueFrom;
  job.forcedAlternative = forcedAlternative;
  const int source = generationView_->currentModelSource();
  if (source > 0 && source <= checkpoints_.size()) {
    generateWith(checkpoints_[source - 1], job);
  } else if (training_.isRunning()) {
    // A consistent copy of the weights, taken between two steps; training goes on.
    waitingForSnapshot_ = std::make_unique<GenerationJob>(job);
    generationView_->setBusy(true);
    training_.requestSnapshot();
  } else if (trainedSnapshot_) {
    generateWith(trainedSnapshot_, job);
  } else {
    generationView_->showError(tr("No model yet: start training or load a checkpoint."));
  }
}

void MainWindow::generateWith(const ModelSnapshotPtr& model, GenerationJob job) {
  views::GenerationRequest& request = job.request;
  if (request.randomSeed) request.settings.seed = QRandomGenerator::global()->bounded(1u << 30);
  generationView_->setVocabularySize(model->tokenizer->vocab_size());
  if (job.continueFrom < 0) {
    generationView_->beginOutput(request.settings.seed);
  } else {
    request.prompt = generationView_->textBefore(job.continueFrom);
    const QList<views::GeneratedToken> shown = generationView_->tokens();
    generationView_->continueOutputFrom(job.continueFrom, request.settings.seed);
    if (!job.forcedAlternative.isEmpty() && job.continueFrom < shown.size()) {
      // The alternative is shown by its printable label; its token's text continues the prompt.
      views::GeneratedToken forced;
      forced.alternatives = shown[job.continueFrom].alternatives;
      for (const auto& [label, probability] : forced.alternatives)
        if (label == job.forcedAlternative) forced.probability = probability;
      const Tokenizer& tokenizer = *model->tokenizer;
      for (int32_t id = 0; id < tokenizer.vocab_size(); ++id)
        if (QString::fromStdString(tokenizer.token_label(id)) == job.forcedAlternative) {
          forced.text = QString::fromStdString(tokenizer.token_bytes(id));
          break;
        }
      generationView_->appendTokens({forced});
      request.prompt += forced.text;
    }
  }
  generationView_->setBusy(true);
  generation_.generate(model, request);
  updateActions();
}

bool MainWindow::loadCheckpointForGeneration(const QString& path) {
  try {
    Checkpoint c = load_checkpoint(path.toStdString());
    const QString details = checkpointSummary(c);  // before the tokenizer moves into the snapshot
    auto snapshot = std::make_shared<ModelSnapshot>();
    snapshot->model = make_model(c);
    snapshot->tokenizer = std::move(c.tokenizer);
    snapshot->step = c.training ? c.training->steps_done : 0;
    const QString run = store_->runOfCheckpoint(path);
    const QString name = run.isEmpty() ? QFileInfo(path).fileName()
                                        : store_->name(run) +
                                              " · " + QFileInfo(path).completeBaseName();
    snapshot->label = tr("%1, step %2").arg(name).arg(snapshot->step);
    checkpoints_.append(snapshot);
    updateModelSources(int(checkpoints_.size()));
    runsView_->showDetails(details);
    statusBar()->showMessage(tr("Loaded %1 for generation").arg(path), 5000);
    return true;
  } catch (const std::exception& e) {
    showError(tr("Cannot open checkpoint"), QString::fromStdString(e.what()));
    runsView_->showDetails(QString::fromStdString(e.what()));
    return false;
  }
}

// --- Runs -----------------------------------------------------------------------------------------

void MainWindow::refreshRuns() { runsView_->setRuns(store_->list()); }

void MainWindow::showCheckpointDetails(const QString& path) {
  try {
    runsView_->showDetails(checkpointSummary(load_checkpoint(path.toStdString())));
  } catch (const std::exception& e) {
    runsView_->showDetails(QString::fromStdString(e.what()));
  }
}

void MainWindow::setOverlay(const QString& runId, bool on) {
  if (runId == activeRun_ && training_.isRunning()) return;  // the live run is always shown
  if (!on) {
    charts_->removeRun(runId);
    return;
  }
  const QString name = store_->name(runId);
  if (!charts_->runIds().contains(runId)) charts_->addRun(runId, name);
  const RunMetrics m = store_->readMetrics(runId);
  charts_->setRunData(runId, m.steps, m.evals);
}

void MainWindow::deleteRun(const QString& runId) {
  if (runId == activeRun_ && training_.isRunning()) {
    showError(tr("Cannot delete"), tr("This run is training; stop it first."));
    return;
  }
  try {
    charts_->removeRun(runId);
    store_->remove(runId);
  } catch (const Error& e) {
    showError(tr("Delete failed"), QString::fromStdString(e.what()));
  }
  refreshRuns();
}

// --- Dialogs --------------------------------------------------------------------------------------

void MainWindow::showError(const QString& title, const QString& message) {
  statusBar()->showMessage(title + ": " + message, 10000);
  // Non-modal, so neither a worker's report nor a test's event loop waits on it.
  auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
  box->setObjectName("errorMessage");
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About CLLM Workbench"),
                     tr("<h3>CLLM Workbench %1</h3><p>Train, inspect and sample small language models on a CPU.</p>"
                        "<p>A decoder-only transformer with exact backward passes, AdamW and a KV-cache sampler, "
                        "written in C++ with Qt %2. Every number it shows was measured.</p>")
                         .arg(QApplication::applicationVersion(), qVersion()));
}

void MainWindow::showSettings() {
  SettingsDialog dialog(store_->root(), this);
  if (dialog.exec() == QDialog::Accepted && dialog.apply())
    statusBar()->showMessage(tr("The new language is used from the next start."), 8000);
}

}  // namespace cllm::app
